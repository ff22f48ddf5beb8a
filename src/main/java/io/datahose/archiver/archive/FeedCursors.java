package io.datahose.archiver.archive;

import io.datahose.archiver.symphony.FeedIdentity;
import org.jooq.Condition;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static io.datahose.archiver.db.Tables.CAPTURE_GAP;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.FEED_CHANGE;
import static io.datahose.archiver.db.Tables.FEED_CURSOR;

/**
 * The feed cursors with their feed identities, and the capture ledger's record of feed changes
 * ({@code feed_change}): what the daemon needs at start to see that the configured feed is not the one it read.
 */
public final class FeedCursors {

  /**
   * One cursor row.
   *
   * @param drainedAt when the old feed of this row was found empty and left; null while it is (or may be) in use
   */
  public record Cursor(FeedIdentity feed, int slot, String ackId, long events, Instant drainedAt) {
  }

  private final ArchiveDatabase db;

  public FeedCursors(ArchiveDatabase db) {
    this.db = db;
  }

  /** The cursor rows of {@code feed} that belong to the daemon {@code daemonId}. */
  static Condition key(FeedIdentity feed, String daemonId) {
    return FEED_CURSOR.DAEMON_ID.eq(daemonId).and(FEED_CURSOR.TAG.eq(feed.tag()))
        .and(FEED_CURSOR.EVENT_TYPES.eq(feed.typesColumn()))
        .and(FEED_CURSOR.SCOPES.eq(feed.scopesColumn()));
  }

  /** What {@code status} shows of a stopped archive: events, the last seq and batch time, open capture gaps. */
  public record Summary(long events, Long lastSeq, java.time.OffsetDateTime lastBatchAt, long openGaps) {
  }

  /** @return the archive's {@link Summary} */
  public Summary summary() {
    var sql = db.dsl();
    var last = sql.select(DSL.max(EVENT.SEQ), DSL.max(EVENT.RECEIVED_AT)).from(EVENT).fetchOne();
    return new Summary(sql.fetchCount(EVENT), last.value1(), last.value2(),
        sql.fetchCount(CAPTURE_GAP, CAPTURE_GAP.TO_AT.isNull()));
  }

  /** @return every cursor of this daemon, in (tag, types, scopes, slot) order */
  public List<Cursor> all() {
    return db.dsl().selectFrom(FEED_CURSOR).where(FEED_CURSOR.DAEMON_ID.eq(db.daemonId()))
        .orderBy(FEED_CURSOR.TAG, FEED_CURSOR.EVENT_TYPES, FEED_CURSOR.SCOPES, FEED_CURSOR.SLOT)
        .fetch(r -> new Cursor(FeedIdentity.fromColumns(r.getTag(), r.getEventTypes(), r.getScopes()), r.getSlot(),
            r.getAckId(), r.getEvents(), r.getDrainedAt() == null ? null : r.getDrainedAt().toInstant()));
  }

  /**
   * Gives cursors written before identities were kept (no event types recorded) the filter {@code assumed}: the best
   * knowledge there is, since the daemon that wrote them ran with a configuration that is gone.
   *
   * @return how many cursors were given it
   */
  public int adoptUnrecorded(List<String> eventTypes, List<String> scopes) {
    FeedIdentity shape = new FeedIdentity("", eventTypes, scopes);
    return db.dsl().update(FEED_CURSOR)
        .set(FEED_CURSOR.EVENT_TYPES, shape.typesColumn())
        .set(FEED_CURSOR.SCOPES, shape.scopesColumn())
        .where(FEED_CURSOR.EVENT_TYPES.eq(""))
        .execute();
  }

  /** Records, once per (old feed, slot), that the configured feed {@code to} replaced {@code from}. */
  public void recordChange(FeedIdentity from, FeedIdentity to, int slot, Instant at) {
    db.dsl().transaction(cfg -> {
      var tx = org.jooq.impl.DSL.using(cfg);
      boolean known = tx.fetchExists(tx.selectOne().from(FEED_CHANGE).where(
          FEED_CHANGE.DAEMON_ID.eq(db.daemonId()), FEED_CHANGE.SLOT.eq(slot), FEED_CHANGE.FROM_TAG.eq(from.tag()),
          FEED_CHANGE.FROM_TYPES.eq(from.typesColumn()), FEED_CHANGE.FROM_SCOPES.eq(from.scopesColumn()),
          FEED_CHANGE.TO_TAG.eq(to.tag()), FEED_CHANGE.TO_TYPES.eq(to.typesColumn()),
          FEED_CHANGE.TO_SCOPES.eq(to.scopesColumn()), FEED_CHANGE.DRAINED_AT.isNull()));
      if (!known) {
        tx.insertInto(FEED_CHANGE)
            .set(FEED_CHANGE.DAEMON_ID, db.daemonId())
            .set(FEED_CHANGE.SLOT, slot)
            .set(FEED_CHANGE.FROM_TAG, from.tag())
            .set(FEED_CHANGE.FROM_TYPES, from.typesColumn())
            .set(FEED_CHANGE.FROM_SCOPES, from.scopesColumn())
            .set(FEED_CHANGE.TO_TAG, to.tag())
            .set(FEED_CHANGE.TO_TYPES, to.typesColumn())
            .set(FEED_CHANGE.TO_SCOPES, to.scopesColumn())
            .set(FEED_CHANGE.DETECTED_AT, utc(at))
            .execute();
      }
    });
  }

  /**
   * Marks the old feed's cursor of {@code slot} drained (its last read found it empty) and closes its change record,
   * in one transaction.
   *
   * @return the events that cursor stored in all
   */
  public long markDrained(FeedIdentity feed, int slot, String lastAckId, Instant at) {
    return db.dsl().transactionResult(cfg -> {
      var tx = org.jooq.impl.DSL.using(cfg);
      tx.update(FEED_CURSOR)
          .set(FEED_CURSOR.DRAINED_AT, utc(at))
          .set(FEED_CURSOR.ACK_ID, lastAckId)
          .set(FEED_CURSOR.UPDATED_AT, utc(at))
          .where(key(feed, db.daemonId()), FEED_CURSOR.SLOT.eq(slot))
          .execute();
      long events = tx.select(FEED_CURSOR.EVENTS).from(FEED_CURSOR).where(key(feed, db.daemonId()), FEED_CURSOR.SLOT.eq(slot))
          .fetchOptional(FEED_CURSOR.EVENTS).orElse(0L);
      tx.update(FEED_CHANGE)
          .set(FEED_CHANGE.DRAINED_AT, utc(at))
          .set(FEED_CHANGE.DRAINED_EVENTS, events)
          .where(FEED_CHANGE.DAEMON_ID.eq(db.daemonId()), FEED_CHANGE.SLOT.eq(slot), FEED_CHANGE.FROM_TAG.eq(feed.tag()),
              FEED_CHANGE.FROM_TYPES.eq(feed.typesColumn()), FEED_CHANGE.FROM_SCOPES.eq(feed.scopesColumn()),
              FEED_CHANGE.DRAINED_AT.isNull())
          .execute();
      return events;
    });
  }

  /** A recorded feed change. */
  public record Change(int slot, FeedIdentity from, FeedIdentity to, Instant detectedAt, Instant drainedAt,
                       Long drainedEvents) {
  }

  /** @return every recorded feed change, oldest first */
  public List<Change> changes() {
    return db.dsl().selectFrom(FEED_CHANGE).orderBy(FEED_CHANGE.ID).fetch(r -> new Change(r.getSlot(),
        FeedIdentity.fromColumns(r.getFromTag(), r.getFromTypes(), r.getFromScopes()),
        FeedIdentity.fromColumns(r.getToTag(), r.getToTypes(), r.getToScopes()), r.getDetectedAt().toInstant(),
        r.getDrainedAt() == null ? null : r.getDrainedAt().toInstant(), r.getDrainedEvents()));
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
