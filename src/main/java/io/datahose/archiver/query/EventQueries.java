package io.datahose.archiver.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.List;

import static io.datahose.archiver.db.Tables.EVENT;

/**
 * {@code GET /events} and the pages of {@code GET /export}: raw events in archive order (seq) with the envelope
 * columns and the event JSON exactly as received. Blocking JDBC; thread-safe.
 */
public final class EventQueries {

  private final DSLContext dsl;

  public EventQueries(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** @return one page of raw events */
  public Page list(EventFilter f) {
    List<Record> rows = fetch(f, f.limit() + 1);
    JsonArray items = new JsonArray();
    for (int i = 0; i < Math.min(f.limit(), rows.size()); i++) {
      items.add(toJson(rows.get(i)));
    }
    String next = rows.size() > f.limit() ? Cursor.ofSeq(rows.get(f.limit() - 1).get(EVENT.SEQ)) : null;
    return new Page(items, next);
  }

  /** @return up to {@code f.limit()} events as export lines (JSON, no newline), in seq order; with their seqs */
  public List<Line> exportPage(EventFilter f) {
    return fetch(f, f.limit()).stream()
        .map(r -> new Line(r.get(EVENT.SEQ), toJson(r).encode())).toList();
  }

  /** One export line and the seq it carries. */
  public record Line(long seq, String json) {
  }

  private List<Record> fetch(EventFilter f, int limit) {
    List<Condition> where = new ArrayList<>();
    if (f.type() != null) {
      where.add(EVENT.TYPE.eq(f.type()));
    }
    if (f.stream() != null) {
      where.add(EVENT.STREAM_ID.eq(f.stream()));
    }
    if (f.user() != null) {
      where.add(EVENT.INITIATOR_USER_ID.eq(f.user()));
    }
    if (f.from() != null) {
      where.add(EVENT.OCCURRED_AT.ge(f.from()));
    }
    if (f.to() != null) {
      where.add(EVENT.OCCURRED_AT.lt(f.to()));
    }
    if (f.cursor() != null) {
      where.add(EVENT.SEQ.gt(Cursor.seq(f.cursor())));
    }
    return new ArrayList<>(dsl.select(EVENT.SEQ, EVENT.SHA256, EVENT.EVENT_ID, EVENT.TYPE, EVENT.OCCURRED_AT,
            EVENT.RECEIVED_AT, EVENT.INITIATOR_USER_ID, EVENT.STREAM_ID, EVENT.MESSAGE_ID, EVENT.PROJECTION_ERROR,
            EVENT.RAW_SHA256, EVENT.RAW_BYTES, EVENT.RAW_BYTES_LARGE)
        .from(EVENT).where(where.isEmpty() ? DSL.noCondition() : DSL.and(where))
        .orderBy(EVENT.SEQ).limit(limit).fetch());
  }

  private static JsonObject toJson(Record r) {
    String raw = Rows.rawText(r.get(EVENT.RAW_BYTES), r.get(EVENT.RAW_BYTES_LARGE));
    return new JsonObject()
        .put("seq", r.get(EVENT.SEQ)).put("sha256", r.get(EVENT.SHA256)).put("eventId", r.get(EVENT.EVENT_ID))
        .put("type", r.get(EVENT.TYPE)).put("occurredAt", Rows.value(r.get(EVENT.OCCURRED_AT)))
        .put("receivedAt", Rows.value(r.get(EVENT.RECEIVED_AT))).put("initiatorUserId", r.get(EVENT.INITIATOR_USER_ID))
        .put("streamId", r.get(EVENT.STREAM_ID)).put("messageId", r.get(EVENT.MESSAGE_ID))
        .put("projectionError", r.get(EVENT.PROJECTION_ERROR)).put("event", Rows.json(raw));
  }
}
