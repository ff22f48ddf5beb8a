package io.datahose.archiver.capture;

import io.datahose.archiver.archive.ArchiveDatabase;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import static io.datahose.archiver.db.Tables.CAPTURE_GAP;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.FEED_READ;
import static io.datahose.archiver.db.Tables.OPS_PROBE;

/**
 * Write side of the capture ledger ({@code feed_read}, {@code capture_gap}) and the storage probe. Each method is
 * one short transaction; blocking, call on a worker thread; thread-safe. Failures surface as jOOQ
 * {@code DataAccessException}s: callers keep their state and try again later.
 */
public final class CaptureLedgerStore {

  /** An open capture gap as stored. */
  public record OpenGap(long id, Instant from, String cause) {
  }

  private final ArchiveDatabase db;

  public CaptureLedgerStore(ArchiveDatabase db) {
    this.db = db;
  }

  /** Adds polling counters to the (slot, minute bucket) row, creating it when absent. */
  public void addReads(int slot, Instant bucket, Instant first, Instant last, long reads, long events, long failures,
                       String lastError) {
    db.dsl().transaction(cfg -> {
      DSLContext tx = DSL.using(cfg);
      int updated = tx.update(FEED_READ)
          .set(FEED_READ.FIRST_READ_AT, DSL.coalesce(FEED_READ.FIRST_READ_AT, DSL.val(utc(first))))
          .set(FEED_READ.LAST_READ_AT, last == null ? FEED_READ.LAST_READ_AT : DSL.val(utc(last)))
          .set(FEED_READ.READS, FEED_READ.READS.plus(reads))
          .set(FEED_READ.EVENTS, FEED_READ.EVENTS.plus(events))
          .set(FEED_READ.FAILURES, FEED_READ.FAILURES.plus(failures))
          .set(FEED_READ.LAST_ERROR, lastError == null ? FEED_READ.LAST_ERROR : DSL.val(clip(lastError)))
          .where(FEED_READ.SLOT.eq(slot), FEED_READ.BUCKET_START.eq(utc(bucket)))
          .execute();
      if (updated == 0) {
        tx.insertInto(FEED_READ)
            .set(FEED_READ.SLOT, slot).set(FEED_READ.BUCKET_START, utc(bucket))
            .set(FEED_READ.FIRST_READ_AT, utc(first)).set(FEED_READ.LAST_READ_AT, utc(last))
            .set(FEED_READ.READS, reads).set(FEED_READ.EVENTS, events).set(FEED_READ.FAILURES, failures)
            .set(FEED_READ.LAST_ERROR, clip(lastError))
            .execute();
      }
    });
  }

  /** @return the time of the last successful read ever recorded, empty on a new archive */
  public Optional<Instant> lastRead() {
    OffsetDateTime last = db.dsl().select(DSL.max(FEED_READ.LAST_READ_AT)).from(FEED_READ).fetchOne(0, OffsetDateTime.class);
    return Optional.ofNullable(last).map(OffsetDateTime::toInstant);
  }

  /** @return the gap left open by a previous run (the newest, when several), if any */
  public Optional<OpenGap> openGap() {
    return db.dsl().select(CAPTURE_GAP.ID, CAPTURE_GAP.FROM_AT, CAPTURE_GAP.CAUSE)
        .from(CAPTURE_GAP)
        .where(CAPTURE_GAP.TO_AT.isNull())
        .orderBy(CAPTURE_GAP.ID.desc())
        .limit(1)
        .fetchOptional(r -> new OpenGap(r.value1(), r.value2().toInstant(), r.value3()));
  }

  /** @return the id of a new gap starting at {@code from}, closed at {@code to} unless that is null */
  public long insertGap(Instant from, Instant to, String cause, Instant openedAt) {
    return db.dsl().insertInto(CAPTURE_GAP)
        .set(CAPTURE_GAP.FROM_AT, utc(from)).set(CAPTURE_GAP.TO_AT, utc(to)).set(CAPTURE_GAP.CAUSE, clip(cause))
        .set(CAPTURE_GAP.OPENED_AT, utc(openedAt)).set(CAPTURE_GAP.CLOSED_AT, to == null ? null : utc(openedAt))
        .returningResult(CAPTURE_GAP.ID)
        .fetchSingle(CAPTURE_GAP.ID);
  }

  /**
   * Records what a restore cannot give back: a closed gap from the restored archive's newest receipt (its last read
   * when it holds no event) to {@code now}, naming the backup. Events acknowledged after the backup was taken are
   * not in it, and the feed does not send them again.
   *
   * @return the gap's id
   */
  public long recordRestore(String backup, Instant now) {
    OffsetDateTime newest = db.dsl().select(DSL.max(EVENT.RECEIVED_AT)).from(EVENT).fetchOne(0, OffsetDateTime.class);
    Instant from = newest != null ? newest.toInstant() : lastRead().orElse(now);
    return insertGap(from, now, "restored from backup " + backup
        + ": events acknowledged after it was taken are not in the archive", now);
  }

  /** Closes gap {@code id}: capture resumed at {@code to}. */
  public void closeGap(long id, Instant to) {
    db.dsl().update(CAPTURE_GAP)
        .set(CAPTURE_GAP.TO_AT, utc(to)).set(CAPTURE_GAP.CLOSED_AT, utc(Instant.now()))
        .where(CAPTURE_GAP.ID.eq(id))
        .execute();
  }

  /** Commits a one-row write: throws when the database does not accept commits (read-only, full, broken). */
  public void probe() {
    db.dsl().mergeInto(OPS_PROBE)
        .using(DSL.selectOne())
        .on(OPS_PROBE.ID.eq(1))
        .whenMatchedThenUpdate().set(OPS_PROBE.PROBED_AT, utc(Instant.now()))
        .whenNotMatchedThenInsert(OPS_PROBE.ID, OPS_PROBE.PROBED_AT).values(1, utc(Instant.now()))
        .execute();
  }

  private static OffsetDateTime utc(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }

  private static String clip(String text) {
    return text == null || text.length() <= 4000 ? text : text.substring(0, 4000);
  }
}
