package io.datahose.archiver.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.datahose.archiver.db.Tables.EVENT;

/**
 * {@code GET /events} and the pages of {@code GET /export}: raw events in archive order (seq) with the envelope
 * columns, the identity {@code sha256}, the evidence hash {@code rawSha256} and the event: parsed in {@code /events}
 * items, the stored bytes verbatim in export lines. Blocking JDBC; thread-safe.
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

  /** @return up to {@code f.limit()} events as export lines, in seq order */
  public List<Line> exportPage(EventFilter f) {
    return fetch(f, f.limit()).stream().map(EventQueries::line).toList();
  }

  /**
   * One export line, {@code members + event + "}"}: {@code members} is the UTF-8 JSON of the envelope (the
   * {@code /events} item without {@code event}) up to and including {@code ,"event":}, and {@code event} the bytes
   * stored in the raw log, exactly as received, so that SHA-256 of {@code event} is the line's {@code rawSha256}.
   * The text {@code ,"event":} cannot occur inside {@code members} (its string values are JSON-escaped), so its
   * first occurrence in a line marks where the received bytes start. Bytes holding a line break (legal whitespace
   * between JSON tokens) would split the line: they are sent as {@code ,"eventBase64":"…"} instead, the base64 of the
   * same bytes.
   */
  public record Line(long seq, byte[] members, byte[] event) {
  }

  private static Line line(Record r) {
    String envelope = envelope(r).put("rawSha256", r.get(EVENT.RAW_SHA256)).encode();
    byte[] raw = Rows.rawBytes(r.get(EVENT.RAW_BYTES), r.get(EVENT.RAW_BYTES_LARGE));
    if (raw == null) {
      // a tombstone: the envelope says disposed (and by which certificate); there are no bytes to hash
      byte[] members = (envelope.substring(0, envelope.length() - 1) + ",\"event\":").getBytes(StandardCharsets.UTF_8);
      return new Line(r.get(EVENT.SEQ), members, "null".getBytes(StandardCharsets.US_ASCII));
    }
    if (hasLineBreak(raw)) {
      // A line break between tokens is legal JSON but would split the JSON Lines record: such bytes travel as
      // base64 (still verbatim: SHA-256 of the decoded bytes is rawSha256).
      byte[] members = (envelope.substring(0, envelope.length() - 1) + ",\"eventBase64\":")
          .getBytes(StandardCharsets.UTF_8);
      return new Line(r.get(EVENT.SEQ), members,
          ("\"" + Base64.getEncoder().encodeToString(raw) + "\"").getBytes(StandardCharsets.US_ASCII));
    }
    byte[] members = (envelope.substring(0, envelope.length() - 1) + ",\"event\":").getBytes(StandardCharsets.UTF_8);
    return new Line(r.get(EVENT.SEQ), members, raw);
  }

  private static boolean hasLineBreak(byte[] raw) {
    for (byte b : raw) {
      if (b == '\n' || b == '\r') {
        return true;
      }
    }
    return false;
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
            EVENT.RAW_SHA256, EVENT.RAW_BYTES, EVENT.RAW_BYTES_LARGE, EVENT.DISPOSED_AT, EVENT.DISPOSAL_ID)
        .from(EVENT).where(where.isEmpty() ? DSL.noCondition() : DSL.and(where))
        .orderBy(EVENT.SEQ).limit(limit).fetch());
  }

  private static JsonObject toJson(Record r) {
    return Rows.putEvent(envelope(r), r.get(EVENT.RAW_SHA256),
        Rows.rawBytes(r.get(EVENT.RAW_BYTES), r.get(EVENT.RAW_BYTES_LARGE)));
  }

  /** The envelope columns of a raw-log row, without the event and its hash. */
  private static JsonObject envelope(Record r) {
    JsonObject json = new JsonObject()
        .put("seq", r.get(EVENT.SEQ)).put("sha256", r.get(EVENT.SHA256)).put("eventId", r.get(EVENT.EVENT_ID))
        .put("type", r.get(EVENT.TYPE)).put("occurredAt", Rows.value(r.get(EVENT.OCCURRED_AT)))
        .put("receivedAt", Rows.value(r.get(EVENT.RECEIVED_AT))).put("initiatorUserId", r.get(EVENT.INITIATOR_USER_ID))
        .put("streamId", r.get(EVENT.STREAM_ID)).put("messageId", r.get(EVENT.MESSAGE_ID))
        .put("projectionError", r.get(EVENT.PROJECTION_ERROR));
    if (r.get(EVENT.DISPOSED_AT) != null) {
      json.put("disposed", true).put("disposedAt", Rows.value(r.get(EVENT.DISPOSED_AT)))
          .put("disposalCertificate", r.get(EVENT.DISPOSAL_ID));
    }
    return json;
  }
}
