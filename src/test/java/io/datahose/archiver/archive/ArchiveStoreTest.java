package io.datahose.archiver.archive;

import io.datahose.archiver.testing.TestDatabases;
import io.datahose.archiver.symphony.ReceivedEvent;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.datahose.archiver.archive.ArchiveTestEvents.load;
import static io.datahose.archiver.archive.ArchiveTestEvents.message;
import static io.datahose.archiver.db.Tables.APP_USER;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.STREAM;
import static io.datahose.archiver.db.Tables.USER_IDENTITY;
import static io.datahose.archiver.db.Tables.FEED_CURSOR;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Archive.store keeps every event exactly once, atomically with the feed cursor")
class ArchiveStoreTest {

  private final AtomicBoolean failBeforeCommit = new AtomicBoolean();
  private ArchiveDatabase db;
  private Archive archive;
  private DSLContext sql;

  @BeforeEach
  void open() {
    db = TestDatabases.fresh("store-" + UUID.randomUUID());
    archive = new Archive(db, new StoreHook() {
      @Override
      public void beforeCommit(String tag, int slot, List<ReceivedEvent> events) {
        if (failBeforeCommit.get()) {
          throw new IllegalStateException("simulated crash before commit");
        }
      }
    });
    sql = db.dsl();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  @DisplayName("the same batch stored twice is kept once; the redelivery counts duplicates and moves the cursor")
  void idempotent() {
    List<JsonObject> batch = List.of(message("a", "s", 1, "x"), message("b", "s", 2, "y"));
    assertThat(archive.ackId("tag", 0)).isEmpty();

    assertThat(archive.storeJson("tag", 0, batch, "ack-1")).isEqualTo(new StoreResult(2, 2, 0, 0, 1, 2));
    assertThat(archive.storeJson("tag", 0, batch, "ack-2")).isEqualTo(new StoreResult(2, 0, 2, 0, -1, -1));

    assertThat(sql.fetchCount(EVENT)).isEqualTo(2);
    assertThat(archive.ackId("tag", 0)).contains("ack-2");
    var cursor = sql.fetchOne(FEED_CURSOR);
    assertThat(List.of(cursor.getBatches(), cursor.getEvents(), cursor.getDuplicates())).containsExactly(2L, 2L, 2L);
    assertThat(archive.ackId("tag", 1)).isEmpty();
  }

  @Test
  @DisplayName("two different events sharing one id are both kept; a repeat inside one batch is a duplicate")
  void sameIdDifferentEvents() {
    JsonObject first = message("a", "s", 1, "x").put("id", "shared");
    JsonObject second = message("b", "s", 2, "y").put("id", "shared");

    StoreResult result = archive.storeJson("tag", 0, List.of(first, second, first.copy()), "ack");

    assertThat(result).isEqualTo(new StoreResult(3, 2, 1, 0, 1, 2));
    assertThat(sql.select(EVENT.EVENT_ID).from(EVENT).orderBy(EVENT.SEQ).fetch(EVENT.EVENT_ID)).containsExactly("shared", "shared");
  }

  @Test
  @DisplayName("a batch mixing redelivered and new events stores only the new ones, in batch order")
  void mixedRedelivery() {
    archive.storeJson("tag", 0, List.of(message("a", "s", 1, "x"), message("b", "s", 2, "y")), "ack-1");

    StoreResult result = archive.storeJson("tag", 0,
        List.of(message("c", "s", 3, "z"), message("a", "s", 1, "x"), message("d", "s", 4, "w")), "ack-2");

    assertThat(result).isEqualTo(new StoreResult(3, 2, 1, 0, 3, 4));
    assertThat(sql.select(EVENT.MESSAGE_ID).from(EVENT).orderBy(EVENT.SEQ).fetch(EVENT.MESSAGE_ID))
        .containsExactly("a", "b", "c", "d");
  }

  @Test
  @DisplayName("unknown types and malformed payloads are stored raw with a reason and the batch still commits")
  void badEventsStayRaw() {
    JsonObject unknown = new JsonObject().put("id", "u").put("type", "MESSAGEREACTION").put("payload", new JsonObject());
    JsonObject badTimestamp = message("m", "s", 1, "x");
    badTimestamp.getJsonObject("payload").getJsonObject("messageSent").getJsonObject("message")
        .put("timestamp", "not-a-number");
    JsonObject noPayload = load("ROOMCREATED-1");
    noPayload.remove("payload");
    JsonObject good = message("ok", "s", 2, "fine");

    StoreResult result = archive.storeJson("tag", 0, List.of(unknown, badTimestamp, noPayload, good), "ack");

    assertThat(result).isEqualTo(new StoreResult(4, 4, 0, 3, 1, 4));
    var errors = sql.select(EVENT.PROJECTION_ERROR).from(EVENT).orderBy(EVENT.SEQ).fetch(EVENT.PROJECTION_ERROR);
    assertThat(errors.get(0)).isEqualTo("unknown event type MESSAGEREACTION");
    assertThat(errors.get(1)).contains("ClassCastException");
    assertThat(errors.get(2)).isEqualTo("payload does not fit (IllegalArgumentException): missing payload");
    assertThat(errors.get(3)).isNull();
    assertThat(sql.select(MESSAGE.MESSAGE_ID).from(MESSAGE).fetch(MESSAGE.MESSAGE_ID)).containsExactly("ok");
    assertThat(archive.ackId("tag", 0)).contains("ack");
  }

  @Test
  @DisplayName("a failure before commit keeps nothing of the batch nor the cursor; the retry stores it once")
  void rollbackBeforeCommit() {
    archive.storeJson("tag", 0, List.of(message("a", "s", 1, "x")), "ack-1");
    List<JsonObject> batch = List.of(message("b", "s", 2, "y"), message("c", "s", 3, "z"));
    failBeforeCommit.set(true);

    assertThatThrownBy(() -> archive.storeJson("tag", 0, batch, "ack-2")).hasMessageContaining("simulated crash");

    assertThat(sql.fetchCount(EVENT)).isEqualTo(1);
    assertThat(sql.fetchCount(MESSAGE)).isEqualTo(1);
    assertThat(archive.ackId("tag", 0)).contains("ack-1");
    failBeforeCommit.set(false);
    assertThat(archive.storeJson("tag", 0, batch, "ack-2")).isEqualTo(new StoreResult(2, 2, 0, 0, 2, 3));
    assertThat(archive.ackId("tag", 0)).contains("ack-2");
  }

  @Test
  @DisplayName("seq stays gapless 1..N across duplicates, raw-only events and a rolled-back batch")
  void gaplessSeq() {
    archive.storeJson("tag", 0, List.of(message("a", "s", 1, "x"), new JsonObject().put("type", "NOPE")), "1");
    failBeforeCommit.set(true);
    assertThatThrownBy(() -> archive.storeJson("tag", 1, List.of(message("b", "s", 2, "y")), "2"));
    failBeforeCommit.set(false);
    archive.storeJson("tag", 1, List.of(message("a", "s", 1, "x"), message("b", "s", 2, "y")), "3");
    archive.storeJson("tag", 0, List.of(message("c", "s", 3, "y"), message("b", "s", 2, "y")), "4");

    assertThat(sql.select(EVENT.SEQ).from(EVENT).orderBy(EVENT.SEQ).fetch(EVENT.SEQ)).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  @DisplayName("an event longer than 1,000,000 bytes goes to raw_bytes_large, intact, and stays raw-only with the reason")
  void oversizeEvent() {
    JsonObject huge = message("big", "s", 1, "y".repeat(1_000_100));

    archive.storeJson("tag", 0, List.of(huge, message("small", "s", 2, "x")), "ack");

    var big = sql.fetchOne(EVENT, EVENT.SEQ.eq(1L));
    assertThat(big.getRawBytes()).isNull();
    assertThat(big.getRawBytesLarge()).isEqualTo(huge.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(big.getProjectionError()).contains("message.presentation_ml: value too long");
    var small = sql.fetchOne(EVENT, EVENT.SEQ.eq(2L));
    assertThat(small.getRawBytesLarge()).isNull();
    assertThat(small.getRawBytes()).isNotNull();
  }

  @Test
  @DisplayName("a raw-only event leaves no trace in app_user, user_identity or stream, even mid-batch")
  void rawOnlyEventChangesNoUserOrStream() {
    JsonObject first = message("a", "s", 1, "x");
    JsonObject renamedThenBroken = message("b", "s2", 1, "y");
    renamedThenBroken.getJsonObject("initiator").getJsonObject("user").put("displayName", "Renamed");
    renamedThenBroken.getJsonObject("payload").getJsonObject("messageSent").getJsonObject("message")
        .put("timestamp", "not-a-number");
    JsonObject tooLong = message("c", "s3", 2, "z");
    tooLong.getJsonObject("initiator").getJsonObject("user").put("displayName", "n".repeat(1001));
    JsonObject after = message("d", "s", 1, "w");

    StoreResult result = archive.storeJson("tag", 0, List.of(first, renamedThenBroken, tooLong, after), "ack");

    assertThat(result.rawOnly()).isEqualTo(2);
    var errors = sql.select(EVENT.PROJECTION_ERROR).from(EVENT).orderBy(EVENT.SEQ).fetch(EVENT.PROJECTION_ERROR);
    assertThat(errors.get(2)).contains("user_identity.display_name").contains("too long");
    assertThat(sql.select(APP_USER.USER_ID, APP_USER.DISPLAY_NAME, APP_USER.LAST_EVENT_SEQ).from(APP_USER)
        .orderBy(APP_USER.USER_ID).fetch().map(r -> r.value1() + "/" + r.value2() + "/" + r.value3()))
        .containsExactly("1001/User 1/4");
    assertThat(sql.fetchCount(USER_IDENTITY)).isEqualTo(1);
    assertThat(sql.select(STREAM.STREAM_ID).from(STREAM).fetch(STREAM.STREAM_ID)).containsExactly("s");
  }
}
