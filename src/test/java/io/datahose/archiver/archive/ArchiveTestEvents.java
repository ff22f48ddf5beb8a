package io.datahose.archiver.archive;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Test events: the public documentation examples in src/test/resources/events and small generated ones. */
final class ArchiveTestEvents {

  private ArchiveTestEvents() {
  }

  /** A fresh copy of {@code events/<name>.json}. */
  static JsonObject load(String name) {
    try (InputStream in = ArchiveTestEvents.class.getResourceAsStream("/events/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no test event " + name);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A MESSAGESENT event with its own ids, in stream {@code streamId}, from user 1000+n. */
  static JsonObject message(String messageId, String streamId, int n, String text) {
    JsonObject user = new JsonObject().put("userId", 1000L + n).put("displayName", "User " + n)
        .put("email", "user" + n + "@bank.example").put("username", "user" + n);
    JsonObject message = new JsonObject()
        .put("messageId", messageId)
        .put("timestamp", 1_700_000_000_000L + n)
        .put("message", "<div data-format=\"PresentationML\" data-version=\"2.0\">" + text + "</div>")
        .put("data", "{}")
        .put("user", user)
        .put("stream", new JsonObject().put("streamId", streamId).put("streamType", "ROOM"));
    return new JsonObject()
        .put("id", "ev" + messageId)
        .put("messageId", messageId)
        .put("timestamp", 1_700_000_000_000L + n)
        .put("type", "MESSAGESENT")
        .put("initiator", new JsonObject().put("user", user.copy()))
        .put("payload", new JsonObject().put("messageSent", new JsonObject().put("message", message)));
  }

  /** A MESSAGESENT event with random ids. */
  static JsonObject randomMessage(int n) {
    return message("m-" + UUID.randomUUID(), "s-" + (n % 7), n, "text " + n);
  }

  static OffsetDateTime utc(long epochMs) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
  }
}
