package io.datahose.archiver.archive;

import io.datahose.archiver.testing.TestDatabases;
import io.datahose.archiver.simulator.EventGenerator;
import io.datahose.archiver.symphony.ReceivedEvent;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.datahose.archiver.archive.ArchiveTestEvents.message;
import static io.datahose.archiver.db.Tables.*;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Group commit: the batches of all ready slots share one transaction, each slot gets its own outcome")
class GroupCommitTest {

  private ArchiveDatabase db;
  private DSLContext sql;
  private ExecutorService slots;

  @BeforeEach
  void open() {
    db = TestDatabases.fresh("group-" + UUID.randomUUID());
    sql = db.dsl();
    slots = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void close() {
    slots.shutdownNow();
    db.close();
  }

  @Test
  @DisplayName("batches queued while a transaction runs are written together in the next one, each with its results")
  void queuedBatchesShareOneTransaction() throws Exception {
    AtomicReference<Archive> archive = new AtomicReference<>();
    AtomicBoolean first = new AtomicBoolean(true);
    List<Future<StoreResult>> others = new ArrayList<>();
    archive.set(new Archive(db, new StoreHook() {
      @Override
      public void beforeCommit(String tag, int slot, List<ReceivedEvent> events) {
        if (first.compareAndSet(true, false)) {
          // while the first transaction is open, three other slots hand in their batches
          for (int s = 1; s <= 3; s++) {
            int slotNo = s;
            others.add(slots.submit(() -> archive.get().storeJson("tag", slotNo,
                List.of(message("m" + slotNo, "s", slotNo, "x"), message("n" + slotNo, "s", 10 + slotNo, "y")),
                "ack-" + slotNo)));
          }
          awaitQueued(archive.get(), 3);
        }
      }
    }));

    StoreResult alone = archive.get().storeJson("tag", 0, List.of(message("m0", "s", 0, "x")), "ack-0");

    assertThat(alone).isEqualTo(new StoreResult(1, 1, 0, 0, 1, 1));
    List<StoreResult> results = new ArrayList<>();
    for (Future<StoreResult> f : others) {
      results.add(f.get(30, TimeUnit.SECONDS));
    }
    assertThat(archive.get().commitStats()).isEqualTo(new Archive.CommitStats(2, 4));
    assertThat(results).allSatisfy(r -> assertThat(r.stored()).isEqualTo(2));
    assertThat(results.stream().map(r -> r.lastSeq() - r.firstSeq()).distinct()).containsExactly(1L);
    assertThat(sql.select(EVENT.SEQ).from(EVENT).orderBy(EVENT.SEQ).fetch(EVENT.SEQ))
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    for (int s = 0; s <= 3; s++) {
      assertThat(new Archive(db).ackId("tag", s)).contains("ack-" + s);
    }
  }

  @Test
  @DisplayName("a batch the database refuses fails alone; the other batches of its group are committed")
  void oneBadBatchFailsAlone() throws Exception {
    AtomicReference<Archive> archive = new AtomicReference<>();
    AtomicBoolean first = new AtomicBoolean(true);
    List<Future<StoreResult>> others = new ArrayList<>();
    archive.set(new Archive(db, new StoreHook() {
      @Override
      public void beforeCommit(String tag, int slot, List<ReceivedEvent> events) {
        if (slot == 2) {
          throw new IllegalStateException("slot 2's batch is refused");
        }
        if (first.compareAndSet(true, false)) {
          for (int s = 1; s <= 3; s++) {
            int slotNo = s;
            others.add(slots.submit(() -> archive.get().storeJson("tag", slotNo,
                List.of(message("m" + slotNo, "s", slotNo, "x")), "ack-" + slotNo)));
          }
          awaitQueued(archive.get(), 3);
        }
      }
    }));

    archive.get().storeJson("tag", 0, List.of(message("m0", "s", 0, "x")), "ack-0");

    assertThat(others.get(0).get(30, TimeUnit.SECONDS).stored()).isEqualTo(1);
    assertThat(others.get(2).get(30, TimeUnit.SECONDS).stored()).isEqualTo(1);
    assertThat(others.get(1)).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
        .withMessageContaining("slot 2's batch is refused");
    assertThat(new Archive(db).ackId("tag", 2)).isEmpty();
    assertThat(sql.select(EVENT.MESSAGE_ID).from(EVENT).fetch(EVENT.MESSAGE_ID)).containsExactlyInAnyOrder("m0", "m1",
        "m3");
    assertThat(sql.select(EVENT.SEQ).from(EVENT).orderBy(EVENT.SEQ).fetch(EVENT.SEQ)).containsExactly(1L, 2L, 3L);
  }

  @Test
  @DisplayName("4 slots storing concurrently, with redeliveries across slots: every event once, seq gapless, "
      + "no projection row doubled")
  void concurrentSlotsExactlyOnce() throws Exception {
    Archive archive = new Archive(db);
    List<JsonObject> events = new EventGenerator(3).next(2_000);
    Map<Integer, String> lastAck = new ConcurrentHashMap<>();
    List<Future<?>> running = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      int slot = s;
      running.add(slots.submit(() -> {
        Random random = new Random(slot);
        for (int b = 0; b < 25; b++) {
          int from = (slot * 25 + b) * 20;
          List<JsonObject> batch = new ArrayList<>(events.subList(from, from + 20));
          batch.add(events.get(random.nextInt(events.size()))); // a redelivery, maybe of another slot's event
          archive.storeJson("tag", slot, batch, "ack-" + slot + "-" + b);
          lastAck.put(slot, "ack-" + slot + "-" + b);
        }
        return null;
      }));
    }
    for (Future<?> f : running) {
      f.get(120, TimeUnit.SECONDS);
    }

    assertThat(sql.fetchCount(EVENT)).isEqualTo(2_000);
    assertThat(sql.select(EVENT.SEQ).from(EVENT).orderBy(EVENT.SEQ).fetch(EVENT.SEQ))
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 2_000).boxed().toList());
    assertThat(sql.fetchCount(sql.selectDistinct(EVENT.SHA256).from(EVENT))).isEqualTo(2_000);
    for (int s = 0; s < 4; s++) {
      assertThat(archive.ackId("tag", s)).contains(lastAck.get(s));
    }
    // every projection table: no event's rows written twice (rows per event_seq as in one ordered run)
    Map<String, Long> reference = projectionRows(events);
    assertThat(rowsPerTable()).isEqualTo(reference);
  }

  private Map<String, Long> rowsPerTable() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    for (var table : List.of(MESSAGE, ATTACHMENT, MEMBERSHIP, ROOM_PROPERTIES, SUPPRESSION, IM_PARTICIPANT,
        CONNECTION, ELEMENTS_ACTION, SHARED_POST, SYSTEM_EVENT, STREAM_STATUS_CHANGE, JOIN_REQUEST_OWNER, APP_USER,
        STREAM, USER_IDENTITY)) {
      counts.put(table.getName(), (long) sql.fetchCount(table));
    }
    return counts;
  }

  private static Map<String, Long> projectionRows(List<JsonObject> events) {
    try (ArchiveDatabase reference = TestDatabases.fresh("group-ref-" + UUID.randomUUID())) {
      new Archive(reference).storeJson("tag", 0, events, "ack");
      GroupCommitTest probe = new GroupCommitTest();
      probe.sql = reference.dsl();
      return probe.rowsPerTable();
    }
  }

  private static void awaitQueued(Archive archive, int batches) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (archive.queuedBatches() < batches) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the other slots never queued their batches");
      }
      Thread.onSpinWait();
    }
  }
}
