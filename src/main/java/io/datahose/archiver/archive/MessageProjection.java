package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.AttachmentRecord;
import io.datahose.archiver.db.tables.records.MessageRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.Record3;
import org.jooq.impl.DSL;

import static io.datahose.archiver.db.Tables.ATTACHMENT;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static io.datahose.archiver.db.Tables.SUPPRESSION;

/**
 * V4Message to {@code message} + {@code attachment}: every V4Message field, PresentationML as received and its
 * plain text, EntityJSON ({@code data}, a string) as received, edit links in both directions ({@code replacing}
 * sets the replaced message's {@code replaced_by} when still empty; a replacement that arrived first is found
 * when the original arrives), and suppression (a suppression archived before the message marks it).
 * A messageId already archived keeps its first row; the event gets a projection note (its raw copy is kept).
 * Blocking; call on the storing worker thread.
 */
final class MessageProjection {

  private MessageProjection() {
  }

  /** MESSAGESENT. */
  static void messageSent(ProjectionContext ctx) {
    store(ctx, Payloads.required(ctx.payload("messageSent"), "message"));
  }

  /**
   * Stores one V4Message (and a nested {@code sharedMessage}) unless its id is already archived.
   *
   * @return the message id
   */
  static String store(ProjectionContext ctx, JsonObject msg) {
    return store(ctx, msg, null);
  }

  /** As {@link #store(ProjectionContext, JsonObject)}; {@code sharedId} links a share without a nested copy. */
  static String store(ProjectionContext ctx, JsonObject msg, String sharedId) {
    String messageId = Payloads.requiredString(msg, "messageId");
    JsonObject shared = msg.getJsonObject("sharedMessage");
    if (shared != null) {
      sharedId = store(ctx, shared);
    }
    String streamId = StreamProjection.upsertOptional(ctx, msg.getJsonObject("stream"));
    Long sender = UserProjection.upsert(ctx, msg.getJsonObject("user"));
    // One round trip instead of three: already archived? suppressed before it arrived? replaced before it arrived?
    Record3<Boolean, Boolean, String> known = ctx.tx().select(
            DSL.field(DSL.exists(DSL.selectOne().from(MESSAGE).where(MESSAGE.MESSAGE_ID.eq(messageId)))),
            DSL.field(DSL.exists(DSL.selectOne().from(SUPPRESSION).where(SUPPRESSION.MESSAGE_ID.eq(messageId)))),
            DSL.field(DSL.select(MESSAGE.MESSAGE_ID).from(MESSAGE).where(MESSAGE.REPLACING.eq(messageId))
                .orderBy(MESSAGE.EVENT_SEQ).limit(1)))
        .fetchSingle();
    if (Boolean.TRUE.equals(known.value1())) {
      ctx.note("message " + messageId + " already archived; first copy kept");
      return messageId;
    }
    String presentationMl = msg.getString("message");
    JsonArray attachments = Payloads.array(msg, "attachments");
    MessageRecord row = ctx.tx().newRecord(MESSAGE);
    row.setMessageId(messageId);
    row.setEventSeq(ctx.seq());
    row.setStreamId(streamId);
    row.setSenderUserId(sender);
    row.setSentAt(Payloads.time(msg.getLong("timestamp")));
    row.setPresentationMl(presentationMl);
    row.setPlainText(PlainText.of(presentationMl));
    row.setEntityJson(msg.getString("data"));
    row.setParentMessageId(msg.getString("parentMessageId"));
    row.setSharedMessageId(sharedId);
    row.setReplacing(msg.getString("replacing"));
    row.setReplacedBy(msg.getString("replacedBy"));
    row.setInitialMessageId(msg.getString("initialMessageId"));
    row.setInitialTimestamp(Payloads.time(msg.getLong("initialTimestamp")));
    row.setExternalRecipients(msg.getBoolean("externalRecipients"));
    row.setUserAgent(msg.getString("userAgent"));
    row.setOriginalFormat(msg.getString("originalFormat"));
    row.setDisclaimer(msg.getString("disclaimer"));
    row.setSid(msg.getString("sid"));
    row.setSilent(msg.getBoolean("silent"));
    row.setDiagnostic(msg.getString("diagnostic"));
    row.setAttachmentCount(attachments.size());
    row.setSuppressed(Boolean.TRUE.equals(known.value2()));
    if (row.getReplacedBy() == null) {
      row.setReplacedBy(known.value3());
    }
    row.insert();
    if (row.getReplacing() != null) {
      ctx.tx().update(MESSAGE)
          .set(MESSAGE.REPLACED_BY, messageId)
          .where(MESSAGE.MESSAGE_ID.eq(row.getReplacing()))
          .and(MESSAGE.REPLACED_BY.isNull())
          .execute();
    }
    for (int i = 0; i < attachments.size(); i++) {
      attachment(ctx, messageId, attachments.getJsonObject(i));
    }
    return messageId;
  }

  private static void attachment(ProjectionContext ctx, String messageId, JsonObject info) {
    AttachmentRecord row = ctx.tx().newRecord(ATTACHMENT);
    row.setMessageId(messageId);
    row.setAttachmentId(Payloads.requiredString(info, "id"));
    row.setName(info.getString("name"));
    row.setSizeBytes(info.getLong("size"));
    JsonArray images = info.getJsonArray("images");
    row.setImages(images == null ? null : images.encode());
    row.insert();
  }
}
