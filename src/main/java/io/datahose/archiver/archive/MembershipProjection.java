package io.datahose.archiver.archive;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;

import static io.datahose.archiver.db.Tables.IM_PARTICIPANT;
import static io.datahose.archiver.db.Tables.JOIN_REQUEST_OWNER;
import static io.datahose.archiver.db.Tables.MEMBERSHIP;

/**
 * Membership history, enough to say who was in a stream at time T: USERJOINEDROOM (JOINED), USERLEFTROOM (LEFT),
 * ROOMMEMBERPROMOTEDTOOWNER (PROMOTED), ROOMMEMBERDEMOTEDFROMOWNER (DEMOTED) with user = affectedUser and
 * actor = initiator; USERREQUESTEDTOJOINROOM (REQUESTED for the initiator, the asked owners in
 * {@code join_request_owner}); INSTANTMESSAGECREATED ({@code im_participant} + IM_MEMBER for every member).
 * Blocking; call on the storing worker thread.
 */
final class MembershipProjection {

  private MembershipProjection() {
  }

  /** A projector for one of the four affectedUser events, writing {@code action}. */
  static Projector affectedUser(String payloadKey, String action) {
    return ctx -> {
      JsonObject payload = ctx.payload(payloadKey);
      String streamId = StreamProjection.upsert(ctx, payload.getJsonObject("stream"));
      Long userId = UserProjection.upsert(ctx, Payloads.required(payload, "affectedUser"));
      if (userId == null) {
        throw new IllegalArgumentException("missing affectedUser.userId");
      }
      insert(ctx, streamId, userId, action, ctx.initiatorId(), ctx.occurredAt());
    };
  }

  /** USERREQUESTEDTOJOINROOM. */
  static void requestedToJoin(ProjectionContext ctx) {
    JsonObject payload = ctx.payload("userRequestedToJoinRoom");
    String streamId = StreamProjection.upsert(ctx, payload.getJsonObject("stream"));
    long requester = ctx.requiredInitiatorId();
    insert(ctx, streamId, requester, "REQUESTED", requester, ctx.occurredAt());
    JsonArray owners = Payloads.array(payload, "affectedUsers");
    for (int i = 0; i < owners.size(); i++) {
      Long owner = UserProjection.upsert(ctx, owners.getJsonObject(i));
      if (owner != null) {
        ctx.tx().insertInto(JOIN_REQUEST_OWNER)
            .set(JOIN_REQUEST_OWNER.EVENT_SEQ, ctx.seq())
            .set(JOIN_REQUEST_OWNER.OWNER_USER_ID, owner)
            .onDuplicateKeyIgnore()
            .execute();
      }
    }
  }

  /** INSTANTMESSAGECREATED. */
  static void instantMessageCreated(ProjectionContext ctx) {
    JsonObject stream = Payloads.required(ctx.payload("instantMessageCreated"), "stream");
    String streamId = StreamProjection.upsert(ctx, stream);
    JsonArray members = Payloads.array(stream, "members");
    for (int i = 0; i < members.size(); i++) {
      Long userId = members.getJsonObject(i).getLong("userId");
      if (userId == null) {
        continue;
      }
      ctx.tx().insertInto(IM_PARTICIPANT)
          .set(IM_PARTICIPANT.STREAM_ID, streamId)
          .set(IM_PARTICIPANT.USER_ID, userId)
          .set(IM_PARTICIPANT.EVENT_SEQ, ctx.seq())
          .onDuplicateKeyIgnore()
          .execute();
      insert(ctx, streamId, userId, "IM_MEMBER", ctx.initiatorId(), ctx.occurredAt());
    }
  }

  /** Appends one membership history row. */
  static void insert(ProjectionContext ctx, String streamId, long userId, String action, Long actor,
                     OffsetDateTime at) {
    ctx.tx().insertInto(MEMBERSHIP)
        .set(MEMBERSHIP.EVENT_SEQ, ctx.seq())
        .set(MEMBERSHIP.STREAM_ID, streamId)
        .set(MEMBERSHIP.USER_ID, userId)
        .set(MEMBERSHIP.ACTION, action)
        .set(MEMBERSHIP.ACTOR_USER_ID, actor)
        .set(MEMBERSHIP.OCCURRED_AT, at)
        .execute();
  }
}
