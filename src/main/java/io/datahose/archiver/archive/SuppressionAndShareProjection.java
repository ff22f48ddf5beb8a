package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.SharedPostRecord;
import io.datahose.archiver.db.tables.records.SuppressionRecord;
import io.vertx.core.json.JsonObject;

/**
 * MESSAGESUPPRESSED: a {@code suppression} row (who, when, which message) and {@code message.suppressed=true}
 * whether the message is archived already or arrives later ({@link MessageProjection} asks the batch view).
 * SHAREDPOST: both messages (the original wall post and the share, stream type POST) and a {@code shared_post}
 * row linking them with the sharer. Pure (writes into the event's changes).
 */
final class SuppressionAndShareProjection {

  private SuppressionAndShareProjection() {
  }

  /** MESSAGESUPPRESSED. */
  static void messageSuppressed(ProjectionContext ctx) {
    JsonObject payload = ctx.payload();
    String messageId = Payloads.requiredString(payload, "messageId");
    SuppressionRecord row = new SuppressionRecord();
    row.setEventSeq(ctx.seq());
    row.setMessageId(messageId);
    row.setStreamId(StreamProjection.upsertOptional(ctx, payload.getJsonObject("stream")));
    row.setSuppressedBy(ctx.initiatorId());
    row.setSuppressedAt(ctx.occurredAt());
    ctx.changes().insert(row);
    ctx.changes().suppress(messageId);
    MessageState message = ctx.changes().message(messageId);
    if (message == null) {
      ctx.note("suppressed message " + messageId + " not archived yet; it will be marked when it arrives");
    } else if (!message.suppressed) {
      message.suppressed = true;
      message.flagsChanged = true;
      if (message.row != null) {
        message.row.setSuppressed(true);
      }
    }
  }

  /** SHAREDPOST. */
  static void sharedPost(ProjectionContext ctx) {
    JsonObject payload = ctx.payload();
    JsonObject share = Payloads.required(payload, "message");
    JsonObject original = Payloads.required(payload, "sharedMessage");
    String originalId = MessageProjection.store(ctx, original);
    String shareId = MessageProjection.store(ctx, share, originalId);
    Long sharer = ctx.initiatorId();
    if (sharer == null) {
      JsonObject author = share.getJsonObject("user");
      sharer = author == null ? null : author.getLong("userId");
    }
    SharedPostRecord row = new SharedPostRecord();
    row.setEventSeq(ctx.seq());
    row.setMessageId(shareId);
    row.setSharedMessageId(originalId);
    row.setSharerUserId(sharer);
    row.setOccurredAt(ctx.occurredAt());
    ctx.changes().insert(row);
  }
}
