package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.AppUserRecord;
import io.datahose.archiver.db.tables.records.StreamRecord;
import io.datahose.archiver.symphony.EventType;
import org.jooq.TableRecord;

import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Dispatches an event to the projector of its {@code type} and merges what it changed into the batch view. When the
 * payload does not fit (wrong JSON types, missing pieces, values too long for their columns) the event's changes are
 * dropped and a short reason is returned, so a bad event never fails its batch. Pure: no SQL, no savepoints.
 * Stateless and thread-safe.
 */
final class Projections {

  private static final int MAX_REASON = 1000;

  private static final Map<EventType, Projector> BY_TYPE = new EnumMap<>(Map.ofEntries(
      Map.entry(EventType.MESSAGESENT, MessageProjection::messageSent),
      Map.entry(EventType.MESSAGESUPPRESSED, SuppressionAndShareProjection::messageSuppressed),
      Map.entry(EventType.SHAREDPOST, SuppressionAndShareProjection::sharedPost),
      Map.entry(EventType.SYMPHONYELEMENTSACTION, ActivityProjection::elementsAction),
      Map.entry(EventType.INSTANTMESSAGECREATED, MembershipProjection::instantMessageCreated),
      Map.entry(EventType.ROOMCREATED, RoomProjection::created),
      Map.entry(EventType.ROOMUPDATED, RoomProjection::updated),
      Map.entry(EventType.ROOMDEACTIVATED, RoomProjection.status(true)),
      Map.entry(EventType.ROOMREACTIVATED, RoomProjection.status(false)),
      Map.entry(EventType.USERREQUESTEDTOJOINROOM, MembershipProjection::requestedToJoin),
      Map.entry(EventType.USERJOINEDROOM, MembershipProjection.affectedUser(MembershipAction.JOINED)),
      Map.entry(EventType.USERLEFTROOM, MembershipProjection.affectedUser(MembershipAction.LEFT)),
      Map.entry(EventType.ROOMMEMBERPROMOTEDTOOWNER, MembershipProjection.affectedUser(MembershipAction.PROMOTED)),
      Map.entry(EventType.ROOMMEMBERDEMOTEDFROMOWNER, MembershipProjection.affectedUser(MembershipAction.DEMOTED)),
      Map.entry(EventType.CONNECTIONREQUESTED, ActivityProjection.connection("toUser", "REQUESTED")),
      Map.entry(EventType.CONNECTIONACCEPTED, ActivityProjection.connection("fromUser", "ACCEPTED")),
      Map.entry(EventType.GENERICSYSTEMEVENT, ActivityProjection::genericSystemEvent)));

  private Projections() {
  }

  /** @return the wire names of the event types that have a projection (all 17) */
  static Set<String> types() {
    return BY_TYPE.keySet().stream().map(EventType::wire).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Projects {@code event}; on success its changes are in {@code view}.
   *
   * @return null on success, else the reason the event stays raw-only
   */
  static String project(BatchView view, long seq, io.vertx.core.json.JsonObject event, OffsetDateTime occurredAt,
                        OffsetDateTime receivedAt, java.util.List<String> notes) {
    Object type = event.getValue("type");
    EventType known = type instanceof String name ? EventType.fromWire(name).orElse(null) : null;
    Projector projector = known == null ? null : BY_TYPE.get(known);
    if (projector == null) {
      return type == null ? "missing event type" : Payloads.cut("unknown event type " + type, MAX_REASON);
    }
    EventChanges changes = new EventChanges(view);
    int notesBefore = notes.size();
    try {
      ProjectionContext ctx = new ProjectionContext(seq, event, known, occurredAt, receivedAt, notes, changes);
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
