package io.datahose.archiver.retention;

import io.datahose.archiver.accesslog.AccessLogStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static io.datahose.archiver.db.Tables.LEGAL_HOLD;
import static io.datahose.archiver.db.Tables.LEGAL_HOLD_STREAM;
import static io.datahose.archiver.db.Tables.LEGAL_HOLD_USER;
import static io.datahose.archiver.db.Tables.RETENTION_LOCK;

/**
 * Legal holds: what disposal must not touch while litigation runs. Each creation and release is written, in the
 * same transaction, to the officer access log (route {@code (legal hold)}), whose own Merkle log and signed heads
 * make that record tamper-evident. Blocking JDBC.
 */
public final class LegalHoldStore {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** A hold; {@code releasedAt} null while it is in force. Empty {@code streams} and {@code users} = every event. */
  public record Hold(String name, String reason, String createdBy, Instant createdAt, Instant from, Instant to,
                     List<String> streams, List<Long> users, Instant releasedAt, String releasedBy,
                     String releaseReason) {

    public boolean active() {
      return releasedAt == null;
    }

    /** @return whether this hold, while in force, covers an event of that stream and initiator at time {@code at} */
    public boolean covers(String streamId, Long initiator, Instant at) {
      if (!active()) {
        return false;
      }
      if (at != null && (from != null && at.isBefore(from) || to != null && !at.isBefore(to))) {
        return false;
      }
      boolean everything = streams.isEmpty() && users.isEmpty();
      return everything || streamId != null && streams.contains(streamId) || initiator != null && users.contains(initiator);
    }

    public JsonObject toJson() {
      return new JsonObject().put("name", name).put("reason", reason).put("createdBy", createdBy)
          .put("createdAt", str(createdAt)).put("from", str(from)).put("to", str(to))
          .put("streams", new JsonArray(streams)).put("users", new JsonArray(users)).put("active", active())
          .put("releasedAt", str(releasedAt)).put("releasedBy", releasedBy).put("releaseReason", releaseReason);
    }
  }

  /** A hold that cannot be created or released as asked; the message says why (for a 400/404/409 or exit 2). */
  public static final class HoldException extends RuntimeException {
    private final int status;

    public HoldException(int status, String message) {
      super(message);
      this.status = status;
    }

    /** @return 400 (bad input), 404 (no such hold) or 409 (exists / already released) */
    public int status() {
      return status;
    }
  }

  private final DSLContext dsl;

  public LegalHoldStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * Creates a hold. {@code via} is how it was asked for ({@code cli} or the API path), kept in the access log.
   *
   * @throws HoldException for a bad name, an empty reason, from after to, or a name in use
   */
  public Hold add(String name, String reason, List<String> streams, List<Long> users, Instant from, Instant to,
                  String actor, String via) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new HoldException(400, "hold name must be 1..100 letters, digits, '.', '_' or '-', starting with a letter "
          + "or digit");
    }
    if (reason == null || reason.isBlank() || reason.length() > 4000) {
      throw new HoldException(400, "a hold needs a reason (1..4000 characters)");
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new HoldException(400, "from must be before to");
    }
    List<String> s = streams.stream().distinct().toList();
    List<Long> u = users.stream().distinct().toList();
    for (String stream : s) {
      if (stream.isBlank() || stream.length() > 256) {
        throw new HoldException(400, "a stream id must be 1..256 characters");
      }
    }
    Instant now = Instant.now();
    dsl.transaction(cfg -> {
      DSLContext tx = DSL.using(cfg);
      lock(tx);
      if (tx.fetchExists(LEGAL_HOLD, LEGAL_HOLD.NAME.eq(name))) {
        throw new HoldException(409, "a hold named " + name + " exists already (names are never reused)");
      }
      tx.insertInto(LEGAL_HOLD).set(LEGAL_HOLD.NAME, name).set(LEGAL_HOLD.REASON, reason)
          .set(LEGAL_HOLD.CREATED_BY, cut(actor)).set(LEGAL_HOLD.CREATED_AT, utc(now))
          .set(LEGAL_HOLD.FROM_AT, utc(from)).set(LEGAL_HOLD.TO_AT, utc(to)).execute();
      for (String stream : s) {
        tx.insertInto(LEGAL_HOLD_STREAM).set(LEGAL_HOLD_STREAM.NAME, name).set(LEGAL_HOLD_STREAM.STREAM_ID, stream)
            .execute();
      }
      for (Long user : u) {
        tx.insertInto(LEGAL_HOLD_USER).set(LEGAL_HOLD_USER.NAME, name).set(LEGAL_HOLD_USER.USER_ID, user).execute();
      }
      audit(tx, "ADD", actor, via, new JsonObject().put("name", name).put("reason", reason)
          .put("streams", new JsonArray(s)).put("users", new JsonArray(u)).put("from", str(from)).put("to", str(to)));
    });
    return find(name);
  }

  /**
   * Releases a hold: disposal may then remove what only it protected.
   *
   * @throws HoldException 404 for no such hold, 409 when released already, 400 without a reason
   */
  public Hold release(String name, String reason, String actor, String via) {
    if (reason == null || reason.isBlank() || reason.length() > 4000) {
      throw new HoldException(400, "a release needs a reason (1..4000 characters)");
    }
    dsl.transaction(cfg -> {
      DSLContext tx = DSL.using(cfg);
      lock(tx);
      var row = tx.selectFrom(LEGAL_HOLD).where(LEGAL_HOLD.NAME.eq(name)).forUpdate().fetchOne();
      if (row == null) {
        throw new HoldException(404, "no hold named " + name);
      }
      if (row.getReleasedAt() != null) {
        throw new HoldException(409, "hold " + name + " was released already, at " + row.getReleasedAt().toInstant());
      }
      tx.update(LEGAL_HOLD).set(LEGAL_HOLD.RELEASED_AT, utc(Instant.now())).set(LEGAL_HOLD.RELEASED_BY, cut(actor))
          .set(LEGAL_HOLD.RELEASE_REASON, reason).where(LEGAL_HOLD.NAME.eq(name)).execute();
      audit(tx, "RELEASE", actor, via, new JsonObject().put("name", name).put("reason", reason));
    });
    return find(name);
  }

  /** @return every hold, in force or released, by name */
  public List<Hold> list() {
    List<Hold> out = new ArrayList<>();
    for (var r : dsl.selectFrom(LEGAL_HOLD).orderBy(LEGAL_HOLD.NAME).fetch()) {
      List<String> streams = dsl.select(LEGAL_HOLD_STREAM.STREAM_ID).from(LEGAL_HOLD_STREAM)
          .where(LEGAL_HOLD_STREAM.NAME.eq(r.getName())).orderBy(LEGAL_HOLD_STREAM.STREAM_ID)
          .fetch(LEGAL_HOLD_STREAM.STREAM_ID);
      List<Long> users = dsl.select(LEGAL_HOLD_USER.USER_ID).from(LEGAL_HOLD_USER)
          .where(LEGAL_HOLD_USER.NAME.eq(r.getName())).orderBy(LEGAL_HOLD_USER.USER_ID).fetch(LEGAL_HOLD_USER.USER_ID);
      out.add(new Hold(r.getName(), r.getReason(), r.getCreatedBy(), instant(r.getCreatedAt()), instant(r.getFromAt()),
          instant(r.getToAt()), streams, users, instant(r.getReleasedAt()), r.getReleasedBy(), r.getReleaseReason()));
    }
    return out;
  }

  /** @return the holds in force */
  public List<Hold> active() {
    return list().stream().filter(Hold::active).toList();
  }

  private Hold find(String name) {
    return list().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
  }

  /** Takes the retention lock in {@code tx}: hold changes and disposal runs never overlap (see migration V13). */
  static void lock(DSLContext tx) {
    tx.selectFrom(RETENTION_LOCK).where(RETENTION_LOCK.ID.eq(1)).forUpdate().fetchOne();
  }

  private static void audit(DSLContext tx, String action, String actor, String via, JsonObject what) {
    new AccessLogStore(tx).append(new AccessLogStore.Entry(OffsetDateTime.now(ZoneOffset.UTC), cut(actor),
        "(legal hold)", action, what.encode(), 200, null, null, via, null, null, AccessLogStore.ANSWERED));
  }

  private static String cut(String actor) {
    String a = actor == null || actor.isBlank() ? "unknown" : actor;
    return a.length() <= 100 ? a : a.substring(0, 100);
  }

  private static OffsetDateTime utc(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }

  private static String str(Instant at) {
    return at == null ? null : at.toString();
  }
}
