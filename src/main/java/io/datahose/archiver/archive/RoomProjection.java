package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.RoomPropertiesRecord;
import io.datahose.archiver.db.tables.records.StreamRecord;
import io.datahose.archiver.db.tables.records.StreamStatusChangeRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Room life cycle. ROOMCREATED / ROOMUPDATED: a {@code room_properties} history row (kind CREATED / UPDATED) and the
 * stream's current properties, each last-writer-wins by event time ({@link Versions}: a late old update never
 * overwrites a newer one); ROOMCREATED also records the creator and a CREATOR membership row for the initiator (the
 * first owner). ROOMDEACTIVATED / ROOMREACTIVATED: a {@code stream_status_change} row and the stream's deactivated
 * flag, last-writer-wins. Pure (writes into the event's changes).
 */
final class RoomProjection {

  private RoomProjection() {
  }

  /** ROOMCREATED. */
  static void created(ProjectionContext ctx) {
    JsonObject payload = ctx.payload();
    String streamId = properties(ctx, payload, "roomProperties", "CREATED");
    Long creator = ctx.initiatorId();
    if (creator == null) {
      creator = ctx.changes().stream(streamId).getCreatorUserId();
    }
    if (creator != null) {
      MembershipProjection.insert(ctx, streamId, creator, MembershipAction.CREATOR, creator);
    }
  }

  /** ROOMUPDATED. */
  static void updated(ProjectionContext ctx) {
    properties(ctx, ctx.payload(), "newRoomProperties", "UPDATED");
  }

  /** A projector for ROOMDEACTIVATED ({@code deactivated=true}) or ROOMREACTIVATED. */
  static Projector status(boolean deactivated) {
    return ctx -> {
      String streamId = StreamProjection.upsert(ctx, ctx.payload().getJsonObject("stream"));
      StreamRecord row = ctx.changes().stream(streamId);
      Versions versions = Versions.parse(row.getFieldVersions());
      if (versions.offer("deactivated", ctx.version())) {
        row.setDeactivated(deactivated);
        row.setDeactivatedAt(deactivated ? ctx.seenAt() : null);
      }
      row.setFieldVersions(versions.format());
      StreamStatusChangeRecord change = new StreamStatusChangeRecord();
      change.setEventSeq(ctx.seq());
      change.setStreamId(streamId);
      change.setAction(deactivated ? "DEACTIVATED" : "REACTIVATED");
      change.setActorUserId(ctx.initiatorId());
      change.setOccurredAt(ctx.occurredAt());
      ctx.changes().insert(change);
    };
  }

  private static String properties(ProjectionContext ctx, JsonObject payload, String key, String kind) {
    String streamId = StreamProjection.upsert(ctx, payload.getJsonObject("stream"));
    JsonObject props = Payloads.required(payload, key);
    Long creator = UserProjection.upsert(ctx, props.getJsonObject("creatorUser"));
    JsonArray keywords = props.getJsonArray("keywords");
    RoomPropertiesRecord history = new RoomPropertiesRecord();
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
    ctx.changes().insert(history);

    StreamRecord stream = StreamProjection.load(ctx, streamId);
    Versions versions = Versions.parse(stream.getFieldVersions());
    Versions.Version v = ctx.version();
    UserProjection.lww(versions, "roomName", v, history.getName(), stream::setRoomName);
    UserProjection.lww(versions, "description", v, history.getDescription(), stream::setDescription);
    UserProjection.lww(versions, "external", v, history.getExternal(), stream::setExternal);
    UserProjection.lww(versions, "crossPod", v, history.getCrossPod(), stream::setCrossPod);
    UserProjection.lww(versions, "isPublic", v, history.getIsPublic(), stream::setIsPublic);
    UserProjection.lww(versions, "copyProtected", v, history.getCopyProtected(), stream::setCopyProtected);
    UserProjection.lww(versions, "readOnly", v, history.getReadOnly(), stream::setReadOnly);
    UserProjection.lww(versions, "discoverable", v, history.getDiscoverable(), stream::setDiscoverable);
    UserProjection.lww(versions, "membersCanInvite", v, history.getMembersCanInvite(), stream::setMembersCanInvite);
    UserProjection.lww(versions, "canViewHistory", v, history.getCanViewHistory(), stream::setCanViewHistory);
    UserProjection.lww(versions, "keywords", v, history.getKeywords(), stream::setKeywords);
    UserProjection.lww(versions, "creator", v, creator, stream::setCreatorUserId);
    if ("CREATED".equals(kind)) {
      UserProjection.lww(versions, "createdAt", v,
          history.getCreatedDate() != null ? history.getCreatedDate() : ctx.occurredAt(), stream::setCreatedAt);
    }
    stream.setFieldVersions(versions.format());
    return streamId;
  }
}
