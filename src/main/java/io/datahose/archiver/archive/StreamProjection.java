package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.StreamRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;

import static io.datahose.archiver.db.Tables.STREAM;

/**
 * Every V4Stream seen lands in {@code stream}: type, room name, external, cross-pod and recipient tenant ids
 * (JSON text), first/last seen. Values absent from the event never overwrite known ones (ROOMDEACTIVATED's
 * stream lacks roomName and external). Users listed in {@code members} are upserted too. Room properties
 * (ROOMCREATED/ROOMUPDATED) are applied by {@link RoomProjection}. Rows live in the batch's {@link BatchRows}
 * and are written at its end. Blocking; call on the storing worker thread.
 */
final class StreamProjection {

  private StreamProjection() {
  }

  /**
   * Upserts {@code stream} when present.
   *
   * @return its stream id, null when {@code stream} is null
   * @throws IllegalArgumentException when the stream has no streamId
   */
  static String upsertOptional(ProjectionContext ctx, JsonObject stream) {
    return stream == null ? null : upsert(ctx, stream);
  }

  /** Upserts {@code stream} (required, with a streamId) and returns its id. */
  static String upsert(ProjectionContext ctx, JsonObject stream) {
    if (stream == null) {
      throw new IllegalArgumentException("missing stream");
    }
    StreamRecord row = load(ctx, Payloads.requiredString(stream, "streamId"));
    setIfPresent(BatchRows.checkLength(STREAM.STREAM_TYPE, stream.getString("streamType")), row::setStreamType);
    setIfPresent(BatchRows.checkLength(STREAM.ROOM_NAME, stream.getString("roomName")), row::setRoomName);
    setIfPresent(stream.getBoolean("external"), row::setExternal);
    setIfPresent(stream.getBoolean("crossPod"), row::setCrossPod);
    JsonArray tenants = stream.getJsonArray("recipientTenantIds");
    setIfPresent(BatchRows.checkLength(STREAM.RECIPIENT_TENANT_IDS, tenants == null ? null : tenants.encode()),
        row::setRecipientTenantIds);
    UserProjection.upsertAll(ctx, stream.getJsonArray("members"));
    return row.getStreamId();
  }

  /** The stream row for {@code streamId}, created (not yet stored) when unknown; last seen updated. */
  static StreamRecord load(ProjectionContext ctx, String streamId) {
    OffsetDateTime seen = ctx.seenAt();
    StreamRecord row = ctx.rows().stream(BatchRows.checkLength(STREAM.STREAM_ID, streamId));
    if (ctx.rows().isFresh(row)) {
      row.setDeactivated(false);
      row.setFirstSeenAt(seen);
    } else if (seen != null && row.getFirstSeenAt() != null && seen.isBefore(row.getFirstSeenAt())) {
      row.setFirstSeenAt(seen);
    }
    if (row.getLastSeenAt() == null || (seen != null && seen.isAfter(row.getLastSeenAt()))) {
      row.setLastSeenAt(seen);
    }
    return row;
  }

  static <T> void setIfPresent(T value, java.util.function.Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
