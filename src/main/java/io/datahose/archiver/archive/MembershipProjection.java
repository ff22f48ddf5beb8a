package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.JoinRequestOwnerRecord;
import io.datahose.archiver.db.tables.records.MembershipRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Membership history, enough to say who was in a stream at time T: USERJOINEDROOM (JOINED), USERLEFTROOM (LEFT),
 * ROOMMEMBERPROMOTEDTOOWNER (PROMOTED), ROOMMEMBERDEMOTEDFROMOWNER (DEMOTED) with user = affectedUser and
 * actor = initiator; USERREQUESTEDTOJOINROOM (REQUESTED for the initiator, the asked owners in
 * {@code join_request_owner}); INSTANTMESSAGECREATED ({@code im_participant}, kept from the earliest event naming the
 * member, + IM_MEMBER for every member). History rows carry the event's own time, so readers order by it.
 * Pure (writes into the event's changes).
 */
final class MembershipProjection {

  private MembershipProjection() {
  }

  /** A projector for one of the four affectedUser events, writing {@code action}. */
  static Projector affectedUser(MembershipAction action) {
    return ctx -> {
      JsonObject payload = ctx.payload();
      String streamId = StreamProjection.upsert(ctx, payload.getJsonObject("stream"));
      Long userId = UserProjection.upsert(ctx, Payloads.required(payload, "affectedUser"));
      if (userId == null) {
        throw new IllegalArgumentException("missing affectedUser.userId");
      }
      insert(ctx, streamId, userId, action, ctx.initiatorId());
    };
  }

  /** USERREQUESTEDTOJOINROOM. */
  static void requestedToJoin(ProjectionContext ctx) {
    JsonObject payload = ctx.payload();
    String streamId = StreamProjection.upsert(ctx, payload.getJsonObject("stream"));
    long requester = ctx.requiredInitiatorId();
    insert(ctx, streamId, requester, MembershipAction.REQUESTED, requester);
    JsonArray owners = Payloads.array(payload, "affectedUsers");
    Set<Long> asked = new LinkedHashSet<>();
    for (int i = 0; i < owners.size(); i++) {
      Long owner = UserProjection.upsert(ctx, owners.getJsonObject(i));
      if (owner != null && asked.add(owner)) {
        JoinRequestOwnerRecord row = new JoinRequestOwnerRecord();
        row.setEventSeq(ctx.seq());
        row.setOwnerUserId(owner);
        ctx.changes().insert(row);
      }
    }
  }

  /** INSTANTMESSAGECREATED. */
  static void instantMessageCreated(ProjectionContext ctx) {
    JsonObject stream = Payloads.required(ctx.payload(), "stream");
    String streamId = StreamProjection.upsert(ctx, stream);
    JsonArray members = Payloads.array(stream, "members");
    Set<Long> seen = new LinkedHashSet<>();
    for (int i = 0; i < members.size(); i++) {
      Long userId = members.getJsonObject(i).getLong("userId");
      if (userId == null || !seen.add(userId)) {
        continue;
      }
      BatchView.ImKey key = new BatchView.ImKey(streamId, userId);
      BatchView.ImParticipant known = ctx.changes().imParticipant(key);
      if (known == null) {
        BatchView.ImParticipant fresh = new BatchView.ImParticipant(ctx.seq(), ctx.version(), false);
        fresh.changed = true;
        ctx.changes().putImParticipant(key, fresh);
      } else if (ctx.version().compareTo(known.version) < 0) {
        known.seq = ctx.seq();
        known.version = ctx.version();
        known.changed = true;
      }
      insert(ctx, streamId, userId, MembershipAction.IM_MEMBER, ctx.initiatorId());
    }
  }

  /** Appends one membership history row at the event's time. */
  static void insert(ProjectionContext ctx, String streamId, long userId, MembershipAction action, Long actor) {
    MembershipRecord row = new MembershipRecord();
    row.setEventSeq(ctx.seq());
    row.setStreamId(streamId);
    row.setUserId(userId);
    row.setAction(action.stored());
    row.setActorUserId(actor);
    row.setOccurredAt(ctx.occurredAt());
    ctx.changes().insert(row);
  }
}
