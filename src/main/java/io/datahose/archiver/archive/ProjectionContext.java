package io.datahose.archiver.archive;

import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What a {@link Projector} needs to project one event: the transaction (inside the event's savepoint), the seq
 * the event receives in the raw log, the event itself and its times. Projections append human-readable remarks
 * (for example "message X already archived") to {@link #notes()}; they end up in {@code event.projection_note}.
 * Confined to the storing thread.
 *
 * @param tx          DSL bound to the savepoint of this event
 * @param seq         the event's seq in the raw log
 * @param event       the event as received
 * @param occurredAt  event timestamp in UTC, null when absent or 0
 * @param receivedAt  when the batch was stored
 * @param notes       remarks collected while projecting
 * @param rows        the batch's app_user / stream rows (changed in memory, written at the end of the batch)
 */
record ProjectionContext(DSLContext tx, long seq, JsonObject event, OffsetDateTime occurredAt,
                         OffsetDateTime receivedAt, List<String> notes, BatchRows rows) {

  /** Same event, bound to another DSL (the savepoint's). */
  ProjectionContext with(DSLContext other) {
    return new ProjectionContext(other, seq, event, occurredAt, receivedAt, notes, rows);
  }

  /** The payload member for this event type, e.g. {@code messageSent}; throws when missing. */
  JsonObject payload(String key) {
    return Payloads.required(Payloads.required(event, "payload"), key);
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

  /** Adds a remark for {@code event.projection_note}. */
  void note(String text) {
    notes.add(text);
  }
}
