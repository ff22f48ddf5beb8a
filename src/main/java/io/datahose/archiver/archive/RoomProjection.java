package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.RoomPropertiesRecord;
import io.datahose.archiver.db.tables.records.StreamRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static io.datahose.archiver.db.Tables.ROOM_PROPERTIES;
import static io.datahose.archiver.db.Tables.STREAM_STATUS_CHANGE;
import static io.datahose.archiver.db.Tables.STREAM;

/**
 * Room life cycle. ROOMCREATED / ROOMUPDATED: the stream's current properties (only those present) and a
 * {@code room_properties} history row (kind CREATED / UPDATED); ROOMCREATED also records the creator and a
 * CREATOR membership row for the initiator (the first owner). ROOMDEACTIVATED / ROOMREACTIVATED: a
 * {@code stream_status_change} row and the stream's deactivated flag. Blocking; call on the storing worker thread.
 */
final class RoomProjection {

  private RoomProjection() {
  }

  /** ROOMCREATED. */
  static void created(ProjectionContext ctx) {
    JsonObject payload = ctx.payload("roomCreated");
    String streamId = properties(ctx, payload, "roomProperties", "CREATED");
    Long creator = ctx.initiatorId();
    if (creator == null) {
      creator = ctx.rows().stream(streamId).getCreatorUserId();
    }
    if (creator != null) {
      MembershipProjection.insert(ctx, streamId, creator, "CREATOR", creator, ctx.occurredAt());
    }
  }

  /** ROOMUPDATED. */
  static void updated(ProjectionContext ctx) {
    properties(ctx, ctx.payload("roomUpdated"), "newRoomProperties", "UPDATED");
  }

  /** A projector for ROOMDEACTIVATED ({@code deactivated=true}) or ROOMREACTIVATED. */
  static Projector status(String payloadKey, boolean deactivated) {
    return ctx -> {
      String streamId = StreamProjection.upsert(ctx, ctx.payload(payloadKey).getJsonObject("stream"));
      StreamRecord row = ctx.rows().stream(streamId);
      row.setDeactivated(deactivated);
      row.setDeactivatedAt(deactivated ? ctx.seenAt() : null);
      ctx.tx().insertInto(STREAM_STATUS_CHANGE)
          .set(STREAM_STATUS_CHANGE.EVENT_SEQ, ctx.seq())
          .set(STREAM_STATUS_CHANGE.STREAM_ID, streamId)
          .set(STREAM_STATUS_CHANGE.ACTION, deactivated ? "DEACTIVATED" : "REACTIVATED")
          .set(STREAM_STATUS_CHANGE.ACTOR_USER_ID, ctx.initiatorId())
          .set(STREAM_STATUS_CHANGE.OCCURRED_AT, ctx.occurredAt())
          .execute();
    };
  }

  private static String properties(ProjectionContext ctx, JsonObject payload, String key, String kind) {
    String streamId = StreamProjection.upsert(ctx, payload.getJsonObject("stream"));
    JsonObject props = Payloads.required(payload, key);
    Long creator = UserProjection.upsert(ctx, props.getJsonObject("creatorUser"));
    JsonArray keywords = props.getJsonArray("keywords");
    RoomPropertiesRecord history = ctx.tx().newRecord(ROOM_PROPERTIES);
    history.setEventSeq(ctx.seq());
    history.setStreamId(streamId);
    history.setKind(kind);
    history.setChangedAt(ctx.occurredAt());
    history.setChangedByUserId(ctx.initiatorId());
    history.setName(props.getString("name"));
    history.setDescription(props.getString("description"));
    history.setCreatorUserId(creator);
    history.setCreatedDate(Payloads.time(props.getLong("createdDate")));
    history.setExternal(props.getBoolean("external"));
    history.setCrossPod(props.getBoolean("crossPod"));
    history.setIsPublic(props.getBoolean("public"));
    history.setCopyProtected(props.getBoolean("copyProtected"));
    history.setReadOnly(props.getBoolean("readOnly"));
    history.setDiscoverable(props.getBoolean("discoverable"));
    history.setMembersCanInvite(props.getBoolean("membersCanInvite"));
    history.setCanViewHistory(props.getBoolean("canViewHistory"));
    history.setKeywords(keywords == null ? null : keywords.encode());
    history.insert();

    StreamRecord stream = StreamProjection.load(ctx, streamId);
    StreamProjection.setIfPresent(history.getName(), stream::setRoomName);
    StreamProjection.setIfPresent(history.getDescription(), stream::setDescription);
    StreamProjection.setIfPresent(history.getExternal(), stream::setExternal);
    StreamProjection.setIfPresent(history.getCrossPod(), stream::setCrossPod);
    StreamProjection.setIfPresent(history.getIsPublic(), stream::setIsPublic);
    StreamProjection.setIfPresent(history.getCopyProtected(), stream::setCopyProtected);
    StreamProjection.setIfPresent(history.getReadOnly(), stream::setReadOnly);
    StreamProjection.setIfPresent(history.getDiscoverable(), stream::setDiscoverable);
    StreamProjection.setIfPresent(history.getMembersCanInvite(), stream::setMembersCanInvite);
    StreamProjection.setIfPresent(history.getCanViewHistory(), stream::setCanViewHistory);
    StreamProjection.setIfPresent(history.getKeywords(), stream::setKeywords);
    StreamProjection.setIfPresent(creator, stream::setCreatorUserId);
    if ("CREATED".equals(kind)) {
      stream.setCreatedAt(history.getCreatedDate() != null ? history.getCreatedDate() : ctx.occurredAt());
    }
    BatchRows.checkLength(STREAM.ROOM_NAME, stream.getRoomName());
    BatchRows.checkLength(STREAM.DESCRIPTION, stream.getDescription());
    BatchRows.checkLength(STREAM.KEYWORDS, stream.getKeywords());
    return streamId;
  }
}
