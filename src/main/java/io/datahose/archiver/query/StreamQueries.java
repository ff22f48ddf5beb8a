package io.datahose.archiver.query;

import io.datahose.archiver.db.tables.records.RoomPropertiesRecord;
import io.datahose.archiver.db.tables.records.StreamRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.datahose.archiver.db.Tables.ROOM_PROPERTIES;
import static io.datahose.archiver.db.Tables.STREAM;
import static io.datahose.archiver.db.Tables.STREAM_STATUS_CHANGE;

/**
 * {@code GET /streams} (by stream id) and {@code GET /streams/{id}}: current properties, their history, and with
 * {@code at} the properties and members as they were at that instant. Blocking JDBC; thread-safe.
 */
public final class StreamQueries {

  /** Stream types as Symphony names them. */
  public static final List<String> TYPES = List.of("IM", "MIM", "ROOM", "POST");

  private final DSLContext dsl;
  private final Membership membership;

  public StreamQueries(DSLContext dsl) {
    this.dsl = dsl;
    this.membership = new Membership(dsl);
  }

  /** @return streams whose room name starts with {@code name} (case-insensitive), of a type, external or not */
  public Page list(String name, String type, Boolean external, String cursor, int limit) {
    List<Condition> where = new ArrayList<>();
    if (name != null) {
      where.add(STREAM.ROOM_NAME.startsWithIgnoreCase(name));
    }
    if (type != null) {
      where.add(STREAM.STREAM_TYPE.eq(type));
    }
    if (external != null) {
      where.add(external ? STREAM.EXTERNAL.isTrue() : STREAM.EXTERNAL.isNull().or(STREAM.EXTERNAL.isFalse()));
    }
    if (cursor != null) {
      where.add(STREAM.STREAM_ID.gt(Cursor.key(cursor)));
    }
    List<StreamRecord> rows = dsl.selectFrom(STREAM).where(where.isEmpty() ? DSL.noCondition() : DSL.and(where))
        .orderBy(STREAM.STREAM_ID).limit(limit + 1).fetch();
    JsonArray items = Rows.toJson(rows.subList(0, Math.min(limit, rows.size())));
    return new Page(items, rows.size() > limit ? Cursor.of(rows.get(limit - 1).getStreamId()) : null);
  }

  /** @throws QueryException 404 for an unknown stream */
  public JsonObject get(String streamId, OffsetDateTime at) {
    StreamRecord stream = dsl.selectFrom(STREAM).where(STREAM.STREAM_ID.eq(streamId)).fetchOne();
    if (stream == null) {
      throw QueryException.notFound("no stream with that id");
    }
    JsonObject json = Rows.toJson(stream);
    // by the events' own time, then seq: Datahose's arrival order says nothing about when a change happened
    List<RoomPropertiesRecord> history = dsl.selectFrom(ROOM_PROPERTIES).where(ROOM_PROPERTIES.STREAM_ID.eq(streamId))
        .orderBy(ROOM_PROPERTIES.CHANGED_AT, ROOM_PROPERTIES.EVENT_SEQ).fetch();
    json.put("propertyHistory", Rows.toJson(history));
    json.put("statusHistory", Rows.toJson(dsl.selectFrom(STREAM_STATUS_CHANGE)
        .where(STREAM_STATUS_CHANGE.STREAM_ID.eq(streamId))
        .orderBy(STREAM_STATUS_CHANGE.OCCURRED_AT, STREAM_STATUS_CHANGE.EVENT_SEQ).fetch()));
    json.put("members", membership.at(streamId, at));
    if (at != null) {
      json.put("at", Rows.value(at));
      json.put("propertiesAt", propertiesAt(history, at));
      json.put("deactivatedAt", dsl.select(STREAM_STATUS_CHANGE.ACTION).from(STREAM_STATUS_CHANGE)
          .where(STREAM_STATUS_CHANGE.STREAM_ID.eq(streamId), STREAM_STATUS_CHANGE.OCCURRED_AT.le(at))
          .orderBy(STREAM_STATUS_CHANGE.OCCURRED_AT.desc(), STREAM_STATUS_CHANGE.EVENT_SEQ.desc()).limit(1)
          .fetchOptional(STREAM_STATUS_CHANGE.ACTION).map("DEACTIVATED"::equals).orElse(false));
    }
    return json;
  }

  /**
   * Folds CREATED and UPDATED rows up to {@code at}, in time order ({@code history} is sorted by changed_at, seq):
   * an update carries only the properties it changed.
   */
  private static JsonObject propertiesAt(List<RoomPropertiesRecord> history, OffsetDateTime at) {
    JsonObject props = new JsonObject();
    for (RoomPropertiesRecord row : history) {
      if (row.getChangedAt() != null && row.getChangedAt().isAfter(at)) {
        continue;
      }
      for (Field<?> field : row.fields()) {
        Object value = row.get(field);
        if (value != null && !field.getName().equalsIgnoreCase("event_seq") && !field.getName().equalsIgnoreCase("kind")) {
          props.put(Rows.camel(field.getName()), Rows.value(value));
        }
      }
    }
    return props;
  }
}
