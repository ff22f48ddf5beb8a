package io.datahose.archiver.archive;

import io.datahose.archiver.symphony.EventType;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What a {@link Projector} needs to project one event: the seq the event receives in the raw log, the event's
 * parsed view, its type and its times, and the {@link EventChanges} it writes into (on top of the batch's
 * prefetched view). No database access: projections are pure. Projections append human-readable remarks (for
 * example "message X already archived") to {@link #notes()}; they end up in {@code event.projection_note}. Confined
 * to the storing thread.
 *
 * @param seq        the event's seq in the raw log
 * @param event      the event as received (parsed view)
 * @param type       the event's {@code type}
 * @param occurredAt event timestamp in UTC, null when absent or 0
 * @param receivedAt when the batch was stored
 * @param notes      remarks collected while projecting
 * @param changes    what the event changes
 */
record ProjectionContext(long seq, JsonObject event, EventType type, OffsetDateTime occurredAt,
                         OffsetDateTime receivedAt, List<String> notes, EventChanges changes) {

  /** The payload member of this event's type ({@link EventType#payloadKey()}, e.g. messageSent); throws if missing. */
  JsonObject payload() {
    return Payloads.required(Payloads.required(event, "payload"), type.payloadKey());
  }

  /** The initiator's V4User, null when absent. */
  JsonObject initiator() {
    JsonObject initiator = event.getJsonObject("initiator");
    return initiator == null ? null : initiator.getJsonObject("user");
  }

  /** The initiator's user id, null when absent. */
  Long initiatorId() {
    JsonObject user = initiator();
    return user == null ? null : user.getLong("userId");
  }

  /** The initiator's user id; throws when absent (events whose meaning needs an actor). */
  long requiredInitiatorId() {
    Long id = initiatorId();
    if (id == null) {
      throw new IllegalArgumentException("missing initiator.user.userId");
    }
    return id;
  }

  /** When the event happened, falling back to when it was received: for "first/last seen" columns. */
  OffsetDateTime seenAt() {
    return occurredAt != null ? occurredAt : receivedAt;
  }

  /** The event's version for last-writer-wins state: its own time, then its seq. */
  Versions.Version version() {
    return new Versions.Version(Projections.epoch(seenAt()), seq);
  }

  /** Adds a remark for {@code event.projection_note}. */
  void note(String text) {
    notes.add(text);
  }
}
