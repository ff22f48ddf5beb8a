package io.datahose.archiver.archive;

import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.sql.SQLException;
import java.util.Map;

/**
 * Dispatches an event to the projector of its {@code type}, inside a savepoint of the batch transaction: when
 * the payload does not fit (wrong JSON types, missing pieces, values too long) the savepoint is rolled back and
 * a short reason is returned, so a bad event never fails its batch. Lock conflicts are not the event's fault:
 * they propagate so the whole batch is retried. Stateless and thread-safe; blocking, call on a worker thread.
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
  static java.util.Set<String> types() {
    return BY_TYPE.keySet();
  }

  /**
   * Projects {@code ctx.event()} in a savepoint.
   *
   * @return null on success, else the reason the event stays raw-only
   */
  static String project(ProjectionContext ctx) {
    Object type = ctx.event().getValue("type");
    Projector projector = type instanceof String name ? BY_TYPE.get(name) : null;
    if (projector == null) {
      return type == null ? "missing event type" : Payloads.cut("unknown event type " + type, MAX_REASON);
    }
    ctx.rows().beginEvent();
    try {
      ctx.tx().transaction(cfg -> {
        ProjectionContext inner = ctx.with(DSL.using(cfg));
        UserProjection.upsert(inner, inner.initiator());
        projector.project(inner);
      });
      return null;
    } catch (RuntimeException e) {
      if (Retryable.isRetryable(e)) {
        throw e;
      }
      ctx.rows().rollbackEvent();
      return Payloads.cut(reason(e), MAX_REASON);
    }
  }

  private static String reason(Throwable e) {
    if (e instanceof DataAccessException) {
      Throwable sql = e.getCause();
      while (sql != null && !(sql instanceof SQLException)) {
        sql = sql.getCause();
      }
      if (sql != null && sql.getMessage() != null) {
        String message = sql.getMessage();
        int sqlStatement = message.indexOf("; SQL statement:");
        return "database rejected projection: " + (sqlStatement > 0 ? message.substring(0, sqlStatement) : message);
      }
    }
    Throwable cause = e.getCause() != null && e instanceof DataAccessException ? e.getCause() : e;
    String message = cause.getMessage();
    return "payload does not fit (" + cause.getClass().getSimpleName() + ")" + (message == null ? "" : ": " + message);
  }
}
