package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.StreamRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;

import static io.datahose.archiver.db.Tables.STREAM;

/**
 * Every V4Stream seen lands in {@code stream}: type, room name, external, cross-pod and recipient tenant ids
 * (JSON text), each last-writer-wins by the event's own time then seq ({@link Versions}); values absent from the
 * event never overwrite known ones (ROOMDEACTIVATED's stream lacks roomName and external); first/last seen are the
 * min/max of event times. Users listed in {@code members} are upserted too. Room properties (ROOMCREATED/ROOMUPDATED)
 * are applied by {@link RoomProjection}. Pure (writes into the event's changes).
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
    Versions versions = Versions.parse(row.getFieldVersions());
    Versions.Version version = ctx.version();
    JsonArray tenants = stream.getJsonArray("recipientTenantIds");
    UserProjection.lww(versions, "streamType", version, stream.getString("streamType"), row::setStreamType);
    UserProjection.lww(versions, "roomName", version, stream.getString("roomName"), row::setRoomName);
    UserProjection.lww(versions, "external", version, stream.getBoolean("external"), row::setExternal);
    UserProjection.lww(versions, "crossPod", version, stream.getBoolean("crossPod"), row::setCrossPod);
    UserProjection.lww(versions, "recipientTenantIds", version, tenants == null ? null : tenants.encode(),
        row::setRecipientTenantIds);
    row.setFieldVersions(versions.format());
    UserProjection.upsertAll(ctx, stream.getJsonArray("members"));
    return row.getStreamId();
  }

  /** The stream row for {@code streamId}, created when unknown; first/last seen updated. */
  static StreamRecord load(ProjectionContext ctx, String streamId) {
    OffsetDateTime seen = ctx.seenAt();
    StreamRecord row = ctx.changes().stream(RowChecks.length(STREAM.STREAM_ID, streamId));
    row.setFirstSeenAt(UserProjection.min(row.getFirstSeenAt(), seen));
    row.setLastSeenAt(UserProjection.max(row.getLastSeenAt(), seen));
    return row;
  }
}
