package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.EventRecord;
import io.datahose.archiver.symphony.ReceivedEvent;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;

/**
 * Builds the raw-log row of one event. Must never fail on a strange event: every envelope field is read
 * leniently from the parsed view (wrong type: null) and cut to its column size, and the bytes as received are kept
 * in {@code raw_bytes} (VARBINARY, fast) or, above {@value #MAX_RAW} bytes, in {@code raw_bytes_large} (LOB), with
 * their SHA-256 in {@code raw_sha256}. Pure; thread-safe.
 */
final class EventRows {

  /** Capacity of {@code event.raw_bytes} in bytes. */
  static final int MAX_RAW = 1_000_000;

  private EventRows() {
  }

  /** Event timestamp in UTC, null when absent, 0 or not a number. */
  static OffsetDateTime occurredAt(JsonObject event) {
    return Payloads.time(Payloads.lenientLong(event, "timestamp"));
  }

  /** The raw row (not yet inserted) for {@code event} stored as {@code seq}. */
  static EventRecord row(ReceivedEvent received, String sha256, long seq, int slot,
                         OffsetDateTime receivedAt, String projectionError, String projectionNote) {
    JsonObject event = received.json() == null ? new JsonObject() : received.json();
    EventRecord row = new EventRecord();
    row.setSeq(seq);
    row.setSha256(sha256);
    row.setEventId(Payloads.lenientString(event, "id", 256));
    row.setType(Payloads.lenientString(event, "type", 64));
    row.setOccurredAt(occurredAt(event));
    row.setReceivedAt(receivedAt);
    row.setReaderSlot(slot);
    row.setInitiatorUserId(Payloads.lenientLong(Payloads.lenientObject(event, "initiator", "user"), "userId"));
    JsonObject body = payloadBody(event);
    JsonObject stream = Payloads.lenientObject(body, "stream");
    if (stream == null) {
      stream = Payloads.lenientObject(body, "message", "stream");
    }
    row.setStreamId(Payloads.lenientString(stream, "streamId", 256));
    String messageId = Payloads.lenientString(event, "messageId", 256);
    if (messageId == null) {
      messageId = Payloads.lenientString(Payloads.lenientObject(body, "message"), "messageId", 256);
    }
    row.setMessageId(messageId);
    if (received.raw().length > MAX_RAW) {
      row.setRawBytesLarge(received.raw());
    } else {
      row.setRawBytes(received.raw());
    }
    row.setRawSha256(received.rawSha256());
    row.setProjectionError(Payloads.cut(projectionError, 4000));
    row.setProjectionNote(Payloads.cut(projectionNote, 4000));
    row.setDiagnostic(Payloads.lenientString(event, "diagnostic", 10_000));
    return row;
  }

  /** The single populated member of {@code payload} (e.g. {@code messageSent}), null when there is none. */
  private static JsonObject payloadBody(JsonObject event) {
    JsonObject payload = Payloads.lenientObject(event, "payload");
    if (payload == null) {
      return null;
    }
    for (String key : payload.fieldNames()) {
      if (payload.getValue(key) instanceof JsonObject body) {
        return body;
      }
    }
    return null;
  }
}
