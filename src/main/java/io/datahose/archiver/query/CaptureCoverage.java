package io.datahose.archiver.query;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static io.datahose.archiver.db.Tables.CAPTURE_GAP;
import static io.datahose.archiver.db.Tables.FEED_READ;

/**
 * Read side of the capture ledger, served as {@code GET /api/v1/capture?from=&to=}: for a time range, how much of it
 * the archive covers, the polling counters and every capture gap overlapping it (open gaps run to now). Blocking
 * (JDBC): call through {@code executeBlocking}. Thread-safe.
 */
public final class CaptureCoverage {

  private final ArchiveDatabase db;

  public CaptureCoverage(ArchiveDatabase db) {
    this.db = db;
  }

  /** @return {@code {from, to, complete, coverage, gapSeconds, reads, events, failures, firstReadAt, lastReadAt, gaps}} */
  public JsonObject coverage(Instant from, Instant to) {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("to must be after from");
    }
    Instant now = Instant.now();
    JsonArray gaps = new JsonArray();
    long gapMillis = 0;
    Instant coveredUntil = from;
    for (Record r : db.dsl().select(CAPTURE_GAP.ID, CAPTURE_GAP.FROM_AT, CAPTURE_GAP.TO_AT, CAPTURE_GAP.CAUSE)
        .from(CAPTURE_GAP)
        .where(CAPTURE_GAP.FROM_AT.lt(utc(to)), CAPTURE_GAP.TO_AT.isNull().or(CAPTURE_GAP.TO_AT.gt(utc(from))))
        .orderBy(CAPTURE_GAP.FROM_AT)
        .fetch()) {
      Instant gapFrom = r.get(CAPTURE_GAP.FROM_AT).toInstant();
      OffsetDateTime gapTo = r.get(CAPTURE_GAP.TO_AT);
      Instant end = gapTo == null ? now : gapTo.toInstant();
      gaps.add(new JsonObject().put("id", r.get(CAPTURE_GAP.ID)).put("from", gapFrom.toString())
          .put("to", gapTo == null ? null : end.toString()).put("open", gapTo == null)
          .put("cause", r.get(CAPTURE_GAP.CAUSE)));
      // union of gaps clipped to the range: gaps may overlap (downtime gap + failing reads)
      Instant start = max(max(gapFrom, from), coveredUntil);
      Instant stop = min(end, to);
      if (stop.isAfter(start)) {
        gapMillis += Duration.between(start, stop).toMillis();
        coveredUntil = stop;
      }
    }
    Record reads = db.dsl().select(DSL.sum(FEED_READ.READS), DSL.sum(FEED_READ.EVENTS), DSL.sum(FEED_READ.FAILURES),
            DSL.min(FEED_READ.FIRST_READ_AT), DSL.max(FEED_READ.LAST_READ_AT))
        .from(FEED_READ)
        .where(FEED_READ.BUCKET_START.ge(utc(from).minusMinutes(1)), FEED_READ.BUCKET_START.lt(utc(to)))
        .fetchOne();
    long total = Duration.between(from, to).toMillis();
    return new JsonObject().put("from", from.toString()).put("to", to.toString())
        .put("complete", gaps.isEmpty()).put("coverage", (double) (total - gapMillis) / total)
        .put("gapSeconds", gapMillis / 1000.0)
        .put("reads", num(reads.get(0))).put("events", num(reads.get(1))).put("failures", num(reads.get(2)))
        .put("firstReadAt", time(reads.get(3))).put("lastReadAt", time(reads.get(4)))
        .put("gaps", gaps);
  }

  /**
   * The capture gaps overlapping a range, for answers that must say where they may be incomplete (transcripts,
   * exports). Blocking.
   *
   * @param from start of the range, or null for the beginning of the archive
   * @param to   end of the range, or null for now
   * @return {@code [{id, from, to, open, cause}]}, oldest first; empty when the range was fully captured
   */
  public JsonArray gaps(OffsetDateTime from, OffsetDateTime to) {
    Instant start = from == null ? Instant.EPOCH : from.toInstant();
    Instant end = to == null ? Instant.now().plusMillis(1) : to.toInstant();
    return end.isAfter(start) ? coverage(start, end).getJsonArray("gaps") : new JsonArray();
  }

  private static long num(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  private static String time(Object value) {
    return value == null ? null : ((OffsetDateTime) value).toInstant().toString();
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
