package io.datahose.archiver.query;

import io.datahose.archiver.db.tables.records.MessageRecord;
import io.datahose.archiver.symphony.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.jooq.Record4;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.MEMBERSHIP;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static io.datahose.archiver.db.Tables.ROOM_PROPERTIES;
import static io.datahose.archiver.db.Tables.STREAM;

/**
 * {@code GET /streams/{id}/transcript}: the stream's events in archive order as lines: messages (edits carry
 * {@code replacing}, edited ones {@code replacedBy}, suppressed ones {@code suppressed: true}) interleaved with
 * system lines (created, renamed, updated, joined, left, promoted, demoted, deactivated, reactivated, suppressed,
 * requested, form). Keyset-paged by seq; four queries per page. Blocking JDBC; thread-safe.
 */
public final class TranscriptQuery {

  private static final Map<EventType, String> KINDS = Map.ofEntries(
      Map.entry(EventType.MESSAGESENT, "message"), Map.entry(EventType.SHAREDPOST, "message"),
      Map.entry(EventType.ROOMCREATED, "created"), Map.entry(EventType.INSTANTMESSAGECREATED, "created"),
      Map.entry(EventType.ROOMUPDATED, "updated"), Map.entry(EventType.USERJOINEDROOM, "joined"),
      Map.entry(EventType.USERLEFTROOM, "left"), Map.entry(EventType.ROOMMEMBERPROMOTEDTOOWNER, "promoted"),
      Map.entry(EventType.ROOMMEMBERDEMOTEDFROMOWNER, "demoted"), Map.entry(EventType.ROOMDEACTIVATED, "deactivated"),
      Map.entry(EventType.ROOMREACTIVATED, "reactivated"), Map.entry(EventType.MESSAGESUPPRESSED, "suppressed"),
      Map.entry(EventType.USERREQUESTEDTOJOINROOM, "requested"), Map.entry(EventType.SYMPHONYELEMENTSACTION, "form"));

  private final DSLContext dsl;

  public TranscriptQuery(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** @throws QueryException 404 for an unknown stream */
  public Page page(String streamId, OffsetDateTime from, OffsetDateTime to, String cursor, int limit) {
    if (!dsl.fetchExists(STREAM, STREAM.STREAM_ID.eq(streamId))) {
      throw QueryException.notFound("no stream with that id");
    }
    var query = dsl.select(EVENT.SEQ, EVENT.TYPE, EVENT.OCCURRED_AT, EVENT.INITIATOR_USER_ID).from(EVENT)
        .where(EVENT.STREAM_ID.eq(streamId));
    if (cursor != null) {
      query = query.and(EVENT.SEQ.gt(Cursor.seq(cursor)));
    }
    if (from != null) {
      query = query.and(EVENT.OCCURRED_AT.ge(from));
    }
    if (to != null) {
      query = query.and(EVENT.OCCURRED_AT.lt(to));
    }
    List<Record4<Long, String, OffsetDateTime, Long>> events = query.orderBy(EVENT.SEQ).limit(limit + 1).fetch();
    List<Record4<Long, String, OffsetDateTime, Long>> page = events.subList(0, Math.min(limit, events.size()));
    List<Long> seqs = page.stream().map(Record4::value1).toList();
    Map<Long, MessageRecord> messages = new HashMap<>();
    dsl.selectFrom(MESSAGE).where(MESSAGE.EVENT_SEQ.in(seqs), MESSAGE.STREAM_ID.eq(streamId))
        .forEach(m -> messages.put(m.getEventSeq(), m));
    Map<Long, JsonArray> users = new HashMap<>();
    dsl.select(MEMBERSHIP.EVENT_SEQ, MEMBERSHIP.USER_ID).from(MEMBERSHIP).where(MEMBERSHIP.EVENT_SEQ.in(seqs))
        .orderBy(MEMBERSHIP.ID)
        .forEach(r -> users.computeIfAbsent(r.value1(), k -> new JsonArray()).add(r.value2()));
    Map<Long, String> names = new HashMap<>();
    dsl.select(ROOM_PROPERTIES.EVENT_SEQ, ROOM_PROPERTIES.NAME).from(ROOM_PROPERTIES)
        .where(ROOM_PROPERTIES.EVENT_SEQ.in(seqs)).forEach(r -> names.put(r.value1(), r.value2()));
    JsonArray lines = new JsonArray();
    for (var e : page) {
      String kind = EventType.fromWire(e.value2()).map(KINDS::get).orElse("event");
      JsonObject line = new JsonObject().put("seq", e.value1()).put("kind", kind).put("type", e.value2())
          .put("at", Rows.value(e.value3())).put("by", e.value4());
      MessageRecord m = messages.get(e.value1());
      if (m != null) {
        line.put("messageId", m.getMessageId()).put("sender", m.getSenderUserId()).put("text", m.getPlainText())
            .put("replacing", m.getReplacing()).put("replacedBy", m.getReplacedBy())
            .put("edited", m.getReplacedBy() != null).put("suppressed", m.getSuppressed())
            .put("attachments", m.getAttachmentCount());
      }
      if (users.containsKey(e.value1())) {
        line.put("users", users.get(e.value1()));
      }
      if (e.value2().equals("ROOMUPDATED") && names.get(e.value1()) != null) {
        String previous = previousName(streamId, e.value1());
        line.put("name", names.get(e.value1()));
        if (!names.get(e.value1()).equals(previous)) {
          line.put("kind", "renamed").put("previousName", previous);
        }
      } else if (names.containsKey(e.value1())) {
        line.put("name", names.get(e.value1()));
      }
      lines.add(line);
    }
    String next = events.size() > limit ? Cursor.ofSeq(page.get(page.size() - 1).value1()) : null;
    return new Page(lines, next);
  }

  private String previousName(String streamId, long seq) {
    return dsl.select(ROOM_PROPERTIES.NAME).from(ROOM_PROPERTIES)
        .where(ROOM_PROPERTIES.STREAM_ID.eq(streamId), ROOM_PROPERTIES.EVENT_SEQ.lt(seq), ROOM_PROPERTIES.NAME.isNotNull())
        .orderBy(ROOM_PROPERTIES.EVENT_SEQ.desc()).limit(1).fetchOne(ROOM_PROPERTIES.NAME);
  }
}
