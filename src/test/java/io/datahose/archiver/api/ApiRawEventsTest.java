package io.datahose.archiver.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.datahose.archiver.api.ApiHarness.map;
import static io.datahose.archiver.db.Tables.EVENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The raw events in the JSON answers of {@code GET /events} and {@code GET /messages/{id}}: identity
 * {@code sha256}, evidence hash {@code rawSha256} of the stored bytes, and the event parsed, or as
 * {@code eventText} when the stored bytes are not JSON. The {@link StoredBytes} samples are inserted straight into
 * the raw log of an archive that also holds the room story, all carrying message id {@value #MESSAGE}.
 */
@DisplayName("Query API raw events")
class ApiRawEventsTest {

  private static final String MESSAGE = "story-m1";

  @TempDir
  static Path dir;
  static ApiHarness h;
  static Map<Long, byte[]> stored;

  @BeforeAll
  static void start() {
    h = ApiHarness.start(dir, 0, RoomStory.events());
    stored = StoredBytes.insert(h.daemon.database().dsl(), MESSAGE);
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  @DisplayName("/events items carry rawSha256 of the stored bytes and the event parsed, or eventText when not JSON")
  void eventsCarryTheEvidenceHash() {
    List<JsonObject> items = h.all("/api/v1/events?stream=" + StoredBytes.STREAM, 4);
    assertThat(map(items, i -> i.getLong("seq"))).containsExactlyElementsOf(stored.keySet());
    for (JsonObject item : items) {
      byte[] bytes = stored.get(item.getLong("seq"));
      assertThat(item.getString("rawSha256")).as("rawSha256 of %s", item.getLong("seq"))
          .isEqualTo(StoredBytes.sha256(bytes));
      assertThat(item.getString("sha256")).as("identity is kept").isEqualTo(StoredBytes.identity(item.getLong("seq")));
      assertStoredEvent(item, bytes);
    }
    JsonObject escaped = items.get(0).getJsonObject("event");
    assertThat(escaped.getString("s")).isEqualTo("\u00e9");
    assertThat(escaped.getDouble("v")).isEqualTo(15.0);
    assertThat(items.get(4).getJsonArray("event")).isEqualTo(new JsonArray().add(1).add(2).add(3));
  }

  @Test
  @DisplayName("Events archived through the ingest path list the hash of the bytes the raw log holds")
  void ingestedEventsCarryTheirHash() {
    Map<Long, byte[]> inArchive = rawLog();
    List<JsonObject> items = h.all("/api/v1/events?stream=" + RoomStory.ROOM, 5);
    assertThat(items).hasSize(RoomStory.events().size());
    for (JsonObject item : items) {
      assertThat(item.getString("rawSha256")).isEqualTo(StoredBytes.sha256(inArchive.get(item.getLong("seq"))));
      assertThat(item.getJsonObject("event").getString("type")).isEqualTo(item.getString("type"));
      assertThat(item.containsKey("eventText")).isFalse();
    }
  }

  @Test
  @DisplayName("A message's rawEvents carry sha256, rawSha256 and the event, or eventText when the bytes are not JSON")
  void messageRawEventsCarryTheEvidenceHash() {
    ApiHarness.Reply reply = h.get("alice", "/api/v1/messages/" + MESSAGE);
    assertThat(reply.status()).isEqualTo(200);
    List<JsonObject> raw = reply.json().getJsonArray("rawEvents").stream().map(JsonObject.class::cast).toList();
    Map<Long, byte[]> inArchive = rawLog();
    assertThat(raw).hasSize(1 + stored.size());
    JsonObject sent = raw.get(0);
    assertThat(sent.getString("type")).isEqualTo("MESSAGESENT");
    assertThat(sent.getString("rawSha256")).isEqualTo(StoredBytes.sha256(inArchive.get(sent.getLong("seq"))));
    assertThat(sent.getJsonObject("event").getString("type")).isEqualTo("MESSAGESENT");
    for (JsonObject event : raw.subList(1, raw.size())) {
      byte[] bytes = stored.get(event.getLong("seq"));
      assertThat(event.getString("rawSha256")).isEqualTo(StoredBytes.sha256(bytes));
      assertThat(event.getString("sha256")).isEqualTo(StoredBytes.identity(event.getLong("seq")));
      assertStoredEvent(event, bytes);
    }
  }

  /** The event parsed when the bytes are JSON; otherwise event null and the bytes as eventText. */
  private static void assertStoredEvent(JsonObject item, byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.equals(StoredBytes.NOT_JSON)) {
      assertThat(item.containsKey("event")).isTrue();
      assertThat(item.getValue("event")).isNull();
      assertThat(item.getString("eventText")).isEqualTo(text);
    } else {
      assertThat(item.getValue("event")).as("event of %s", item.getLong("seq")).isNotNull();
      assertThat(item.containsKey("eventText")).isFalse();
    }
  }

  private static Map<Long, byte[]> rawLog() {
    Map<Long, byte[]> bytes = new HashMap<>();
    h.daemon.database().dsl().select(EVENT.SEQ, EVENT.RAW_BYTES, EVENT.RAW_BYTES_LARGE).from(EVENT)
        .forEach(r -> bytes.put(r.value1(), r.value2() != null ? r.value2() : r.value3()));
    return bytes;
  }
}
