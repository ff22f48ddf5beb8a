package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.SharedPostRecord;
import io.datahose.archiver.db.tables.records.SuppressionRecord;
import io.vertx.core.json.JsonObject;

import static io.datahose.archiver.db.Tables.MESSAGE;

/**
 * MESSAGESUPPRESSED: a {@code suppression} row (who, when, which message) and {@code message.suppressed=true}
 * when the message is archived already (a message arriving later is marked by {@link MessageProjection}).
 * SHAREDPOST: both messages (the original wall post and the share, stream type POST) and a {@code shared_post}
 * row linking them with the sharer. Blocking; call on the storing worker thread.
 */
final class SuppressionAndShareProjection {

  private SuppressionAndShareProjection() {
  }

  /** MESSAGESUPPRESSED. */
  static void messageSuppressed(ProjectionContext ctx) {
    JsonObject payload = ctx.payload("messageSuppressed");
    String messageId = Payloads.requiredString(payload, "messageId");
    String streamId = StreamProjection.upsertOptional(ctx, payload.getJsonObject("stream"));
    SuppressionRecord row = ctx.tx().newRecord(io.datahose.archiver.db.Tables.SUPPRESSION);
    row.setEventSeq(ctx.seq());
    row.setMessageId(messageId);
    row.setStreamId(streamId);
    row.setSuppressedBy(ctx.initiatorId());
    row.setSuppressedAt(ctx.occurredAt());
    row.insert();
    int updated = ctx.tx().update(MESSAGE)
        .set(MESSAGE.SUPPRESSED, true)
        .where(MESSAGE.MESSAGE_ID.eq(messageId))
        .execute();
    if (updated == 0) {
      ctx.note("suppressed message " + messageId + " not archived yet; it will be marked when it arrives");
    }
  }

  /** SHAREDPOST. */
  static void sharedPost(ProjectionContext ctx) {
    JsonObject payload = ctx.payload("sharedPost");
    JsonObject share = Payloads.required(payload, "message");
    JsonObject original = Payloads.required(payload, "sharedMessage");
    String originalId = MessageProjection.store(ctx, original);
    String shareId = MessageProjection.store(ctx, share, originalId);
    Long sharer = ctx.initiatorId();
    if (sharer == null) {
      JsonObject author = share.getJsonObject("user");
      sharer = author == null ? null : author.getLong("userId");
    }
    SharedPostRecord row = ctx.tx().newRecord(io.datahose.archiver.db.Tables.SHARED_POST);
    row.setEventSeq(ctx.seq());
    row.setMessageId(shareId);
    row.setSharedMessageId(originalId);
    row.setSharerUserId(sharer);
    row.setOccurredAt(ctx.occurredAt());
    row.insert();
  }
}
