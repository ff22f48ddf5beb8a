package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.AppUserRecord;
import io.datahose.archiver.db.tables.records.StreamRecord;
import org.jooq.TableRecord;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;

/**
 * Dispatches an event to the projector of its {@code type} and merges what it changed into the batch view. When the
 * payload does not fit (wrong JSON types, missing pieces, values too long for their columns) the event's changes are
 * dropped and a short reason is returned, so a bad event never fails its batch. Pure: no SQL, no savepoints.
 * Stateless and thread-safe.
 */
final class Projections {

  private static final int MAX_REASON = 1000;

  private static final Map<String, Projector> BY_TYPE = Map.ofEntries(
      Map.entry("MESSAGESENT", MessageProjection::messageSent),
      Map.entry("MESSAGESUPPRESSED", SuppressionAndShareProjection::messageSuppressed),
      Map.entry("SHAREDPOST", SuppressionAndShareProjection::sharedPost),
      Map.entry("SYMPHONYELEMENTSACTION", ActivityProjection::elementsAction),
      Map.entry("INSTANTMESSAGECREATED", MembershipProjection::instantMessageCreated),
      Map.entry("ROOMCREATED", RoomProjection::created),
      Map.entry("ROOMUPDATED", RoomProjection::updated),
      Map.entry("ROOMDEACTIVATED", RoomProjection.status("roomDeactivated", true)),
      Map.entry("ROOMREACTIVATED", RoomProjection.status("roomReactivated", false)),
      Map.entry("USERREQUESTEDTOJOINROOM", MembershipProjection::requestedToJoin),
      Map.entry("USERJOINEDROOM", MembershipProjection.affectedUser("userJoinedRoom", "JOINED")),
      Map.entry("USERLEFTROOM", MembershipProjection.affectedUser("userLeftRoom", "LEFT")),
      Map.entry("ROOMMEMBERPROMOTEDTOOWNER", MembershipProjection.affectedUser("roomMemberPromotedToOwner", "PROMOTED")),
      Map.entry("ROOMMEMBERDEMOTEDFROMOWNER", MembershipProjection.affectedUser("roomMemberDemotedFromOwner", "DEMOTED")),
      Map.entry("CONNECTIONREQUESTED", ActivityProjection.connection("connectionRequested", "toUser", "REQUESTED")),
      Map.entry("CONNECTIONACCEPTED", ActivityProjection.connection("connectionAccepted", "fromUser", "ACCEPTED")),
      Map.entry("GENERICSYSTEMEVENT", ActivityProjection::genericSystemEvent));

  private Projections() {
  }

  /** @return the 17 event types that have a projection */
  static Set<String> types() {
    return BY_TYPE.keySet();
  }

  /**
   * Projects {@code event}; on success its changes are in {@code view}.
   *
   * @return null on success, else the reason the event stays raw-only
   */
  static String project(BatchView view, long seq, io.vertx.core.json.JsonObject event, OffsetDateTime occurredAt,
                        OffsetDateTime receivedAt, java.util.List<String> notes) {
    Object type = event.getValue("type");
    Projector projector = type instanceof String name ? BY_TYPE.get(name) : null;
    if (projector == null) {
      return type == null ? "missing event type" : Payloads.cut("unknown event type " + type, MAX_REASON);
    }
    EventChanges changes = new EventChanges(view);
    int notesBefore = notes.size();
    try {
      ProjectionContext ctx = new ProjectionContext(seq, event, occurredAt, receivedAt, notes, changes);
      UserProjection.upsert(ctx, ctx.initiator());
      projector.project(ctx);
      check(changes);
    } catch (RuntimeException e) {
      notes.subList(notesBefore, notes.size()).clear();
      return Payloads.cut(reason(e), MAX_REASON);
    }
    view.apply(changes);
    return null;
  }

  private static void check(EventChanges changes) {
    for (AppUserRecord row : changes.users.values()) {
      RowChecks.check(row);
    }
    for (StreamRecord row : changes.streams.values()) {
      RowChecks.check(row);
    }
    for (MessageState state : changes.messages.values()) {
      if (state.row != null) {
        RowChecks.check(state.row);
      }
    }
    for (TableRecord<?> row : changes.inserts) {
      RowChecks.check(row);
    }
  }

  /** Epoch milliseconds of {@code time}; {@link Long#MIN_VALUE} (older than anything) when null. */
  static long epoch(OffsetDateTime time) {
    return time == null ? Long.MIN_VALUE : time.toInstant().toEpochMilli();
  }

  private static String reason(Throwable e) {
    String message = e.getMessage();
    return "payload does not fit (" + e.getClass().getSimpleName() + ")" + (message == null ? "" : ": " + message);
  }
}
