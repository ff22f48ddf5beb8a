package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogStore;
import io.datahose.archiver.query.Cursor;
import io.datahose.archiver.query.Page;
import io.datahose.archiver.symphony.EventIdentity;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.datahose.archiver.db.Tables.EVENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log cannot be dodged: the route template and decoded ids whatever the path's spelling, the officer
 * even when revoked, bytes, requests refused before routing, fail closed, aborted exports.
 */
@DisplayName("Access log")
class ApiAccessLogTest {

  @TempDir
  static Path dir;
  static ApiHarness h;
  static AccessLogStore store;
  static final int BULK = 3000;

  @BeforeAll
  static void start() {
    h = ApiHarness.start(dir, 0, RoomStory.events());
    store = new AccessLogStore(h.daemon.database().dsl());
    // enough bytes that an export outlasts the socket buffers of a client that stops reading
    h.daemon.database().dsl().transaction(cfg -> {
      DSLContext dsl = DSL.using(cfg);
      BatchBindStep batch = dsl.batch(dsl.insertInto(EVENT, EVENT.SEQ, EVENT.SHA256, EVENT.TYPE, EVENT.RECEIVED_AT,
          EVENT.READER_SLOT, EVENT.RAW_BYTES, EVENT.RAW_SHA256).values((Long) null, null, null, null, null, null, null));
      long seq = 10_000_000;
      for (JsonObject e : h.pod.simulator().generator().next(BULK)) {
        e.put("padding", "p".repeat(2000));
        byte[] bytes = e.encode().getBytes(StandardCharsets.UTF_8);
        batch.bind(seq++, EventIdentity.of(e), e.getString("type"), OffsetDateTime.now(), 0, bytes, sha256(bytes));
      }
      batch.execute();
    });
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/api/v1/messages/story-m1",
      "/api/v1/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/../messages/story-m1",
      "/api/v1/messages/%73tory-m1",
      "/api/v1/messages/./story-m1",
      "/api/v1//messages/story-m1",
  })
  @DisplayName("A message read through any spelling of its path is logged with the route template and the id in full")
  void dodgingPathsAreLogged(String path) {
    ApiHarness.Reply reply = h.get("alice", path);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    // no waiting: the row is committed before the answer leaves
    JsonObject row = last();
    assertThat(row.getString("officer")).isEqualTo("alice");
    assertThat(row.getString("route")).isEqualTo("/api/v1/messages/:messageId");
    assertThat(row.getJsonObject("pathParameters").getString("messageId")).isEqualTo("story-m1");
    assertThat(row.getString("path")).isEqualTo(path);
    assertThat(row.getInteger("status")).isEqualTo(200);
    assertThat(row.getLong("resultCount")).isEqualTo(1);
    assertThat(row.getLong("bytes")).isEqualTo(reply.body().getBytes(StandardCharsets.UTF_8).length);
    assertThat(row.getString("outcome")).isEqualTo("answered");
  }

  @Test
  @DisplayName("Query parameters are logged decoded and in full; a revoked officer is named")
  void parametersInFullAndRevokedOfficerNamed() {
    String stream = "s".repeat(900);
    assertThat(h.get("alice", "/api/v1/messages?stream=" + stream + "&q=%24ACME").status()).isEqualTo(200);
    JsonObject row = last();
    assertThat(row.getJsonObject("parameters").getString("stream")).isEqualTo(stream);
    assertThat(row.getJsonObject("parameters").getString("q")).isEqualTo("$ACME");
    assertThat(h.get("rex", "/api/v1/messages/story-m1").status()).isEqualTo(401);
    row = last();
    assertThat(row.getString("officer")).isEqualTo("rex");
    assertThat(row.getInteger("status")).isEqualTo(401);
    assertThat(row.getString("route")).isEqualTo("/api/v1/messages/:messageId");
  }

  @Test
  @DisplayName("Requests refused before routing (414, 431, malformed) get a JSON answer and an access-log row")
  void refusedBeforeRouting() {
    String[][] cases = {
        {"414", "GET /api/v1/messages?q=" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n"},
        {"431", "GET /api/v1/messages HTTP/1.1\r\nHost: a\r\nX-Big: " + "y".repeat(10_000) + "\r\n\r\n"},
        {"400", "GET /api/v1/messages HTTP/1.1\r\nHost: a\r\nContent-Length: nope\r\n\r\n"},
    };
    for (String[] c : cases) {
      try (RawHttp raw = RawHttp.connect(h.daemon.apiPort(), Duration.ofSeconds(10))) {
        raw.send(c[1]);
        String answer = raw.readAll();
        assertThat(RawHttp.status(answer)).as(answer).isEqualTo(Integer.parseInt(c[0]));
        JsonObject body = new JsonObject(RawHttp.body(answer));
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("error", "detail");
        assertThat(answer).doesNotContain("xxxxxxxx").doesNotContain("yyyyyyyy").doesNotContain("nope");
        JsonObject row = last();
        assertThat(row.getString("outcome")).isEqualTo("rejected");
        assertThat(row.getInteger("status")).isEqualTo(Integer.parseInt(c[0]));
      }
    }
  }

  @Test
  @DisplayName("Fail closed: when the access-log row cannot be written, the answer is a 503 without the data")
  void failClosed() {
    DSLContext dsl = h.daemon.database().dsl();
    dsl.execute("ALTER TABLE access_log ADD CONSTRAINT access_log_blocked CHECK (status < 0) NOCHECK");
    try {
      ApiHarness.Reply message = h.get("alice", "/api/v1/messages/story-m1");
      assertThat(message.status()).as(message.body()).isEqualTo(503);
      assertThat(message.body()).doesNotContain("ACME").contains("access_log_unavailable");
      ApiHarness.Reply export = h.get("alice", "/api/v1/export");
      assertThat(export.status()).isEqualTo(503);
      assertThat(export.body()).doesNotContain("story-");
    } finally {
      dsl.execute("ALTER TABLE access_log DROP CONSTRAINT access_log_blocked");
    }
  }

  @Test
  @DisplayName("A complete export is logged as started and completed; one whose client goes away as aborted with the count sent")
  void exports() throws Exception {
    ApiHarness.Reply full = h.get("alice", "/api/v1/export");
    assertThat(full.status()).isEqualTo(200);
    long total = full.body().lines().count() - 1;
    List<JsonObject> rows = rows();
    assertThat(rows.get(rows.size() - 2).getString("outcome")).isEqualTo("started");
    JsonObject completed = rows.get(rows.size() - 1);
    assertThat(completed.getString("outcome")).isEqualTo("completed");
    assertThat(completed.getLong("resultCount")).isEqualTo(total);
    assertThat(completed.getLong("bytes")).isEqualTo(full.body().getBytes(StandardCharsets.UTF_8).length);

    try (RawHttp raw = RawHttp.connect(h.daemon.apiPort(), Duration.ofSeconds(10))) {
      raw.send("GET /api/v1/export HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + h.tokens.get("alice") + "\r\n\r\n");
      Await.until(ApiHarness.WAIT, "the export's started row", () -> "started".equals(last().getString("outcome")));
    } // closed after the first bytes, long before the end
    Await.until(ApiHarness.WAIT, "the export's aborted row", () -> "aborted".equals(last().getString("outcome")));
    JsonObject aborted = last();
    assertThat(aborted.getString("route")).isEqualTo("/api/v1/export");
    assertThat(aborted.getLong("resultCount")).isLessThan(total);
    assertThat(aborted.getLong("bytes")).isLessThan(completed.getLong("bytes"));
  }

  private static JsonObject last() {
    List<JsonObject> rows = rows();
    return rows.get(rows.size() - 1);
  }

  private static List<JsonObject> rows() {
    List<JsonObject> rows = new ArrayList<>();
    String cursor = null;
    do {
      Page page = store.page(null, null, null, cursor, 1000);
      page.items().forEach(o -> rows.add((JsonObject) o));
      cursor = page.nextCursor();
    } while (cursor != null);
    return rows;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
