package io.datahose.archiver.query;

import org.jooq.Condition;

import java.util.TreeMap;

import java.util.Map;

import io.datahose.archiver.db.tables.records.MessageRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.datahose.archiver.db.Tables.APP_USER;
import static io.datahose.archiver.db.Tables.ATTACHMENT;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static io.datahose.archiver.db.Tables.STREAM;
import static io.datahose.archiver.db.Tables.SUPPRESSION;

/**
 * {@code GET /messages/{id}}: one message with sender, stream, text, PresentationML, EntityJSON, attachments, its
 * version chain (the original and every edit, in order), suppressions and the raw events that carried it (each
 * with its identity {@code sha256}, evidence hash {@code rawSha256} and the event, see {@link Rows#putEvent}).
 * Blocking JDBC; thread-safe.
 */
public final class MessageDetail {

  private static final int MAX_VERSIONS = 1000;

  private final DSLContext dsl;

  public MessageDetail(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** @throws QueryException 404 when no message has that id */
  public JsonObject get(String messageId) {
    MessageRecord m = dsl.selectFrom(MESSAGE).where(MESSAGE.MESSAGE_ID.eq(messageId)).fetchOne();
    if (m == null) {
      throw QueryException.notFound("no message with that id");
    }
    JsonObject json = Rows.toJson(m);
    json.put("entityJson", Rows.json(m.getEntityJson()));
    json.put("sender", user(m.getSenderUserId()));
    var stream = dsl.select(STREAM.STREAM_ID, STREAM.STREAM_TYPE, STREAM.ROOM_NAME, STREAM.EXTERNAL, STREAM.CROSS_POD)
        .from(STREAM).where(STREAM.STREAM_ID.eq(m.getStreamId())).fetchOne();
    json.put("stream", stream == null ? null : Rows.toJson(stream));
    json.put("attachments", Rows.toJson(dsl.selectFrom(ATTACHMENT).where(ATTACHMENT.MESSAGE_ID.eq(messageId))
        .orderBy(ATTACHMENT.ATTACHMENT_ID).fetch()));
    List<MessageRecord> versions = versions(m);
    JsonArray chain = new JsonArray();
    for (int i = 0; i < versions.size(); i++) {
      MessageRecord v = versions.get(i);
      chain.add(new JsonObject().put("version", i + 1).put("messageId", v.getMessageId())
          .put("sentAt", Rows.value(v.getSentAt())).put("eventSeq", v.getEventSeq()).put("text", v.getPlainText())
          .put("suppressed", v.getSuppressed()).put("current", v.getReplacedBy() == null));
    }
    json.put("versions", chain);
    json.put("suppressions", Rows.toJson(dsl.selectFrom(SUPPRESSION).where(SUPPRESSION.MESSAGE_ID.eq(messageId))
        .orderBy(SUPPRESSION.EVENT_SEQ).fetch()));
    // Two indexed lookups, not one OR across two columns: H2 answers such an OR with a scan of the whole raw log.
    Map<Long, JsonObject> raw = new TreeMap<>();
    for (Condition which : List.of(EVENT.MESSAGE_ID.eq(messageId), EVENT.SEQ.eq(m.getEventSeq()))) {
      dsl.select(EVENT.SEQ, EVENT.TYPE, EVENT.SHA256, EVENT.RAW_SHA256, EVENT.RAW_BYTES, EVENT.RAW_BYTES_LARGE)
          .from(EVENT).where(which)
          .forEach(r -> raw.put(r.value1(), Rows.putEvent(new JsonObject().put("seq", r.value1())
              .put("type", r.value2()).put("sha256", r.value3()), r.value4(), Rows.rawBytes(r.value5(), r.value6()))));
    }
    json.put("rawEvents", new JsonArray(List.copyOf(raw.values())));
    return json;
  }

  private JsonObject user(Long userId) {
    if (userId == null) {
      return null;
    }
    var u = dsl.select(APP_USER.USER_ID, APP_USER.DISPLAY_NAME, APP_USER.EMAIL, APP_USER.USERNAME).from(APP_USER)
        .where(APP_USER.USER_ID.eq(userId)).fetchOne();
    return u == null ? new JsonObject().put("userId", userId) : Rows.toJson(u);
  }

  /** Walks {@code replacing} back to the original, then {@code replaced_by} forward to the latest edit. */
  private List<MessageRecord> versions(MessageRecord m) {
    Set<String> seen = new HashSet<>();
    MessageRecord first = m;
    seen.add(m.getMessageId());
    while (first.getReplacing() != null && seen.size() < MAX_VERSIONS) {
      MessageRecord previous = fetch(first.getReplacing());
      if (previous == null || !seen.add(previous.getMessageId())) {
        break;
      }
      first = previous;
    }
    List<MessageRecord> chain = new ArrayList<>();
    Set<String> inChain = new HashSet<>();
    for (MessageRecord v = first; v != null && inChain.add(v.getMessageId()) && chain.size() < MAX_VERSIONS;
        v = v.getReplacedBy() == null ? null : fetch(v.getReplacedBy())) {
      chain.add(v);
    }
    return chain;
  }

  private MessageRecord fetch(String id) {
    return dsl.selectFrom(MESSAGE).where(MESSAGE.MESSAGE_ID.eq(id)).fetchOne();
  }
}
