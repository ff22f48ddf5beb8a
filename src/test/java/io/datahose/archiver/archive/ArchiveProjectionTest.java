package io.datahose.archiver.archive;

import io.datahose.archiver.testing.TestDatabases;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.datahose.archiver.archive.ArchiveTestEvents.load;
import static io.datahose.archiver.archive.ArchiveTestEvents.utc;
import static io.datahose.archiver.db.Tables.*;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Archive projections: every event type lands in its tables with the right values")
class ArchiveProjectionTest {

  private ArchiveDatabase db;
  private Archive archive;
  private DSLContext sql;

  @BeforeEach
  void open() {
    db = TestDatabases.fresh("projection-" + UUID.randomUUID());
    archive = new Archive(db);
    sql = db.dsl();
  }

  @AfterEach
  void close() {
    db.close();
  }

  static Stream<Arguments> examples() {
    return ArchiveProjectionCases.all().stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  @DisplayName("the public example of each type is stored once, projected without error, into the right rows")
  void projectsExample(ArchiveProjectionCases.Case example) {
    JsonObject event = load(example.type() + "-1");
    example.tweak().accept(event);

    StoreResult result = archive.storeJson("tag", 0, List.of(event), "ack-1");

    assertThat(result).isEqualTo(new StoreResult(1, 1, 0, 0, 1, 1));
    Record row = sql.select(EVENT.TYPE, EVENT.PROJECTION_ERROR, EVENT.RAW_BYTES).from(EVENT).where(EVENT.SEQ.eq(1L)).fetchOne();
    assertThat(row.get(EVENT.TYPE)).isEqualTo(example.type());
    assertThat(row.get(EVENT.PROJECTION_ERROR)).isNull();
    assertThat(new JsonObject(new String(row.get(EVENT.RAW_BYTES), java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(event);
    example.check().accept(sql, 1L);
  }

  @Test
  @DisplayName("the table-driven cases cover all 17 event types that have a projection")
  void casesCoverEveryType() {
    assertThat(ArchiveProjectionCases.all()).extracting(ArchiveProjectionCases.Case::type)
        .containsExactlyInAnyOrderElementsOf(Projections.types())
        .hasSize(17);
  }

  @Test
  @DisplayName("an edit links both messages, whichever arrives first")
  void editLinks() {
    JsonObject original = ArchiveTestEvents.message("orig", "s1", 1, "v1");
    JsonObject edit = ArchiveTestEvents.message("edit", "s1", 1, "v2");
    edit.getJsonObject("payload").getJsonObject("messageSent").getJsonObject("message")
        .put("replacing", "orig").put("initialMessageId", "orig").put("initialTimestamp", 1_700_000_000_001L);
    archive.storeJson("tag", 0, List.of(edit), "a1");
    archive.storeJson("tag", 0, List.of(original), "a2");

    assertThat(sql.fetchValue(MESSAGE.REPLACED_BY, MESSAGE.MESSAGE_ID.eq("orig"))).isEqualTo("edit");
    assertThat(sql.fetchOne(MESSAGE, MESSAGE.MESSAGE_ID.eq("edit")).getInitialTimestamp())
        .isEqualTo(utc(1_700_000_000_001L));
  }

  @Test
  @DisplayName("a suppression archived before its message marks the message when it arrives, and after it too")
  void suppressionEitherOrder() {
    JsonObject suppressed = load("MESSAGESUPPRESSED-1");
    String target = suppressed.getJsonObject("payload").getJsonObject("messageSuppressed").getString("messageId");
    archive.storeJson("tag", 0, List.of(suppressed), "a1");
    archive.storeJson("tag", 0, List.of(ArchiveTestEvents.message(target, "s1", 1, "secret"),
        ArchiveTestEvents.message("other", "s1", 1, "fine")), "a2");

    assertThat(sql.fetchValue(MESSAGE.SUPPRESSED, MESSAGE.MESSAGE_ID.eq(target))).isTrue();
    assertThat(sql.fetchValue(MESSAGE.SUPPRESSED, MESSAGE.MESSAGE_ID.eq("other"))).isFalse();
    assertThat(sql.fetchValue(EVENT.PROJECTION_NOTE, EVENT.SEQ.eq(1L))).contains("not archived yet");
  }

  @Test
  @DisplayName("a second event carrying an archived messageId keeps the first message row and notes it")
  void duplicateMessageIdKeepsFirst() {
    archive.storeJson("tag", 0, List.of(ArchiveTestEvents.message("m1", "s1", 1, "first")), "a1");
    StoreResult second = archive.storeJson("tag", 0, List.of(ArchiveTestEvents.message("m1", "s1", 2, "second")), "a2");

    assertThat(second.stored()).isEqualTo(1);
    assertThat(second.rawOnly()).isZero();
    assertThat(sql.fetchValue(MESSAGE.PLAIN_TEXT, MESSAGE.MESSAGE_ID.eq("m1"))).isEqualTo("first");
    assertThat(sql.fetchValue(EVENT.PROJECTION_NOTE, EVENT.SEQ.eq(2L))).contains("m1 already archived");
    assertThat(sql.fetchValue(EVENT.PROJECTION_ERROR, EVENT.SEQ.eq(2L))).isNull();
  }

  @Test
  @DisplayName("a user whose identity changes keeps every identity in user_identity and the latest in app_user")
  void userIdentityHistory() {
    JsonObject renamed = ArchiveTestEvents.message("m2", "s1", 1, "x");
    renamed.getJsonObject("initiator").getJsonObject("user").put("displayName", "User One (Compliance)");
    renamed.getJsonObject("payload").getJsonObject("messageSent").getJsonObject("message").getJsonObject("user")
        .put("displayName", "User One (Compliance)");
    archive.storeJson("tag", 0, List.of(ArchiveTestEvents.message("m1", "s1", 1, "x")), "a1");
    archive.storeJson("tag", 0, List.of(renamed), "a2");

    assertThat(sql.fetchValue(APP_USER.DISPLAY_NAME, APP_USER.USER_ID.eq(1001L))).isEqualTo("User One (Compliance)");
    assertThat(sql.select(USER_IDENTITY.DISPLAY_NAME).from(USER_IDENTITY).where(USER_IDENTITY.USER_ID.eq(1001L))
        .orderBy(USER_IDENTITY.ID).fetch(USER_IDENTITY.DISPLAY_NAME))
        .containsExactly("User 1", "User One (Compliance)");
  }

  @Test
  @DisplayName("a late ROOMUPDATED older than the current name never overwrites it; propertiesAt folds by event time")
  void lateOldUpdateKeepsNewerName() {
    JsonObject created = load("ROOMCREATED-1");
    created.put("timestamp", 1_000_000L);
    archive.storeJson("tag", 0, List.of(created, roomUpdate("Newest", 3_000_000L)), "a1");
    archive.storeJson("tag", 0, List.of(roomUpdate("Middle", 2_000_000L)), "a2"); // redelivered 30 s late

    String streamId = created.getJsonObject("payload").getJsonObject("roomCreated").getJsonObject("stream")
        .getString("streamId");
    assertThat(sql.fetchValue(STREAM.ROOM_NAME, STREAM.STREAM_ID.eq(streamId))).isEqualTo("Newest");
    var queries = new io.datahose.archiver.query.StreamQueries(sql);
    assertThat(queries.get(streamId, utc(2_500_000L)).getJsonObject("propertiesAt").getString("name"))
        .isEqualTo("Middle");
    assertThat(queries.get(streamId, utc(3_500_000L)).getJsonObject("propertiesAt").getString("name"))
        .isEqualTo("Newest");
  }

  private static JsonObject roomUpdate(String name, long at) {
    JsonObject update = load("ROOMUPDATED-1");
    update.put("timestamp", at);
    JsonObject room = update.getJsonObject("payload").getJsonObject("roomUpdated");
    room.getJsonObject("stream").put("streamId", "tVtJmEG...").put("roomName", name);
    room.getJsonObject("newRoomProperties").put("name", name);
    return update;
  }

  @Test
  @DisplayName("ROOMDEACTIVATED (stream without roomName/external) keeps the room's known name and flags")
  void deactivationKeepsKnownValues() {
    JsonObject created = load("ROOMCREATED-1");
    JsonObject deactivated = load("ROOMDEACTIVATED-1");
    deactivated.getJsonObject("payload").getJsonObject("roomDeactivated").getJsonObject("stream")
        .put("streamId", "tVtJmEG...");
    deactivated.put("timestamp", 1_535_146_400_000L);
    archive.storeJson("tag", 0, List.of(created, deactivated), "a1");

    var stream = sql.fetchOne(STREAM, STREAM.STREAM_ID.eq("tVtJmEG..."));
    assertThat(stream.getRoomName()).isEqualTo("pub12");
    assertThat(stream.getExternal()).isFalse();
    assertThat(stream.getDeactivated()).isTrue();
    assertThat(stream.getDeactivatedAt()).isEqualTo(utc(1_535_146_400_000L));
  }

  @Test
  @DisplayName("PresentationML becomes plain text: tags removed, entities decoded, whitespace collapsed")
  void plainText() {
    assertThat(PlainText.of("<div data-format=\"PresentationML\"><p>a &amp; b</p><p>&lt;c&gt;  &quot;d&quot;"
        + " &#39;e&#39; &#233;&#x41;</p><b>bo</b>ld</div>"))
        .isEqualTo("a & b <c> \"d\" 'e' éA bold");
    archive.storeJson("tag", 0, List.of(load("MESSAGESENT-3")), "a1");
    assertThat(sql.fetchValue(MESSAGE.PLAIN_TEXT, MESSAGE.EVENT_SEQ.eq(1L)))
        .isEqualTo("Message content. With @user name, $ticker, and #keyword.");
  }
}
