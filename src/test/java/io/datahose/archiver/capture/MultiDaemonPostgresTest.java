package io.datahose.archiver.capture;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.StoreHook;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.ArchiveVerifier;
import io.datahose.archiver.evidence.Verification;
import io.datahose.archiver.symphony.ReceivedEvent;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestDatabases;
import io.datahose.archiver.testing.TestPod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.FEED_CURSOR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two daemons × two reader slots on one feed and one PostgreSQL archive (issue 16): the feed spreads its events over
 * the four readers; seq stays gapless, nothing is stored twice, each daemon keeps its own cursor rows, and the
 * batches a failing daemon never acknowledged are redelivered to the other one. Runs in the build's
 * {@code postgresql} execution only (two processes cannot share an H2 file).
 */
@DisplayName("Several daemons on one PostgreSQL archive")
class MultiDaemonPostgresTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  @DisplayName("2 daemons × 2 slots: every event once, seq gapless, cursors per daemon, a dead daemon's batches go to "
      + "the other, verify OK")
  void twoDaemonsShareOneFeed() {
    assertThat(TestDatabases.postgresql()).as("run by the postgresql execution").isTrue();
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(2), 20)) {
      AppConfig a = pod.config(2);
      List<JsonObject> published = new ArrayList<>();
      AtomicBoolean bFails = new AtomicBoolean();
      StoreHook failing = new StoreHook() {
        @Override
        public void beforeCommit(String tag, int slot, List<ReceivedEvent> events) {
          if (bFails.get()) {
            throw new IllegalStateException("daemon b dies before its commit");
          }
        }
      };
      Daemon first = Daemon.start(a);
      try {
        publish(pod, published, 200);
        Await.until(WAIT, "daemon a stores its first events", () -> first.status().stored() > 0);
        // b has its own local files and cursor rows, and signs with the archive's key (made by a at its start)
        AppConfig b = pod.config(2, new JsonObject()
            .put("database", new JsonObject().put("path", dir.resolve("b").resolve("archive").toString())
                .put("daemonId", "b"))
            .put("evidence", new JsonObject().put("key", a.evidenceKeyPath().toString())
                .put("dir", dir.resolve("b").resolve("evidence").toString())));
        try (Daemon second = Daemon.start(b, failing)) {
          ArchiveDatabase shared = second.database();
          publish(pod, published, 400);
          Await.until(WAIT, "both daemons store events", () -> second.status().stored() > 0
              && events(shared) == published.size(), () -> events(shared));
          first.close(); // a stops: b alone reads the feed now
          firstClosed = true;
          long storedBySecond = second.status().stored();
          bFails.set(true); // b reads on but commits nothing, as if it died before each commit
          int delivered = pod.simulator().ledger().deliveredCount();
          publish(pod, published, 300);
          Await.until(WAIT, "b received batches it cannot commit",
              () -> pod.simulator().ledger().deliveredCount() > delivered);
          again = Daemon.start(a); // b's leases lapse (2 s) and the feed hands them to a
          Await.until(WAIT, "every event archived", () -> events(shared) == published.size(), () -> events(shared));
          assertThat(second.status().stored()).as("b stored nothing after it began to fail")
              .isEqualTo(storedBySecond);
          assertThat(pod.simulator().ledger().deliveries()).as("b's unacknowledged batches were redelivered")
              .isGreaterThan(published.size());
        }
        ArchiveDatabase db = again.database();
        TestPod.assertNothingDoubled(db);
        Map<String, Integer> ids = TestPod.archivedEventIds(db);
        assertThat(ids).hasSize(published.size());
        assertThat(ids.keySet()).as("every published event archived")
            .containsExactlyInAnyOrderElementsOf(published.stream().map(e -> e.getValue("id") + "|"
                + e.getValue("type") + "|" + e.getValue("timestamp")).toList());
        assertThat(ids.values()).as("none twice").containsOnly(1);
        var seqs = db.dsl().select(org.jooq.impl.DSL.min(EVENT.SEQ), org.jooq.impl.DSL.max(EVENT.SEQ),
            org.jooq.impl.DSL.count()).from(EVENT).fetchSingle();
        assertThat(seqs.value1()).isEqualTo(1L);
        assertThat(seqs.value2()).as("seq gapless across daemons").isEqualTo((long) published.size());
        assertThat(seqs.value3()).isEqualTo(published.size());
        assertThat(db.dsl().select(FEED_CURSOR.DAEMON_ID, FEED_CURSOR.SLOT).from(FEED_CURSOR)
            .fetch(r -> r.value1() + "/" + r.value2()))
            .containsExactlyInAnyOrder(TestDatabases.DAEMON + "/0", TestDatabases.DAEMON + "/1", "b/0", "b/1");
        Verification v = new ArchiveVerifier(db.dsl(), ArchiveKey.load(a.evidenceKeyPath()).publicKey(),
            a.evidence().dir()).verify();
        assertThat(v.ok()).as(v.verdict()).isTrue();
      } finally {
        if (!firstClosed) {
          first.close();
        }
        if (again != null) {
          again.close();
        }
      }
    }
  }

  private Daemon again;
  private boolean firstClosed;

  private static void publish(TestPod pod, List<JsonObject> published, int count) {
    List<JsonObject> events = pod.simulator().generator().next(count);
    published.addAll(events);
    pod.simulator().publish(events);
  }

  private static long events(ArchiveDatabase db) {
    return db.dsl().fetchCount(EVENT);
  }
}
