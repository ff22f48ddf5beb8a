package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.AttachmentRecord;
import io.datahose.archiver.db.tables.records.MessageRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * V4Message to {@code message} + {@code attachment}: every V4Message field, PresentationML as received and its
 * plain text, EntityJSON ({@code data}, a string) as received, edit links in both directions and suppression.
 * Rules that make the result independent of arrival order:
 * <ul>
 *   <li>a message id carried by several events keeps the copy of the earliest event (its own time, then seq); a
 *       later copy only gets a note, an earlier copy arriving late takes the row over (and its attachments);</li>
 *   <li>{@code replaced_by} is the earliest edit known (sent time, then id) among the messages {@code replacing}
 *       it and the id its own payload names;</li>
 *   <li>{@code suppressed} is true once any MESSAGESUPPRESSED for the id is archived, before or after it.</li>
 * </ul>
 * Pure (writes into the event's changes).
 */
final class MessageProjection {

  private MessageProjection() {
  }

  /** MESSAGESENT. */
  static void messageSent(ProjectionContext ctx) {
    store(ctx, Payloads.required(ctx.payload(), "message"));
  }

  /**
   * Stores one V4Message (and a nested {@code sharedMessage}) unless an earlier event's copy is archived.
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
    EventChanges changes = ctx.changes();
    Versions.Version version = ctx.version();
    MessageState state = changes.message(messageId);
    if (state != null && version.compareTo(state.owner) >= 0) {
      ctx.note("message " + messageId + " already archived; first copy kept");
      return messageId;
    }
    MessageRecord row = row(ctx, msg, messageId, streamId, sender, sharedId);
    if (row.getReplacedBy() != null) {
      changes.offerEdit(messageId, new BatchView.EditCandidate(null, row.getReplacedBy()));
    }
    BatchView.EditCandidate best = changes.bestEdit(messageId);
    row.setReplacedBy(best == null ? null : best.messageId());
    row.setSuppressed(changes.isSuppressed(messageId) || (state != null && state.suppressed));
    if (state == null) {
      state = new MessageState(messageId, false);
      changes.putMessage(state);
    } else {
      ctx.note("message " + messageId + " was archived from a later event; this earlier copy replaces it");
      state.rewrite = state.inDatabase;
      changes.replaceAttachments(messageId);
    }
    state.row = row;
    state.owner = version;
    state.replacedBy = row.getReplacedBy();
    state.suppressed = row.getSuppressed();
    if (row.getReplacing() != null) {
      linkEdit(changes, row.getReplacing(), new BatchView.EditCandidate(epochOrNull(row.getSentAt()), messageId));
    }
    attachments(ctx, messageId, Payloads.array(msg, "attachments"));
    return messageId;
  }

  /** The edit {@code candidate} replaces {@code original}: the original's replaced_by follows the earliest edit. */
  private static void linkEdit(EventChanges changes, String original, BatchView.EditCandidate candidate) {
    changes.offerEdit(original, candidate);
    MessageState replaced = changes.message(original);
    String best = changes.bestEdit(original).messageId();
    if (replaced != null && !Objects.equals(replaced.replacedBy, best)) {
      replaced.replacedBy = best;
      replaced.flagsChanged = true;
      if (replaced.row != null) {
        replaced.row.setReplacedBy(best);
      }
    }
  }

  private static MessageRecord row(ProjectionContext ctx, JsonObject msg, String messageId, String streamId,
                                   Long sender, String sharedId) {
    String presentationMl = msg.getString("message");
    MessageRecord row = new MessageRecord();
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
    row.setAttachmentCount(Payloads.array(msg, "attachments").size());
    return row;
  }

  private static void attachments(ProjectionContext ctx, String messageId, JsonArray attachments) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < attachments.size(); i++) {
      JsonObject info = attachments.getJsonObject(i);
      String id = Payloads.requiredString(info, "id");
      if (!ids.add(id)) {
        ctx.note("message " + messageId + ": attachment " + id + " listed twice; first kept");
        continue;
      }
      AttachmentRecord row = new AttachmentRecord();
      row.setMessageId(messageId);
      row.setAttachmentId(id);
      row.setName(info.getString("name"));
      row.setSizeBytes(info.getLong("size"));
      JsonArray images = info.getJsonArray("images");
      row.setImages(images == null ? null : images.encode());
      ctx.changes().insert(row);
    }
  }

  private static Long epochOrNull(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toEpochMilli();
  }
}
