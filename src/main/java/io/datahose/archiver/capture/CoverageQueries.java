package io.datahose.archiver.capture;

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
 * the archive covers, the polling counters, every capture gap overlapping it (open gaps run to now) and the
 * uncovered spans: before the archive's first read, or in the future (never {@code complete}). Blocking
 * (JDBC): call through {@code executeBlocking}. Thread-safe.
 */
public final class CoverageQueries {

  /** A range ending less than this after now is not "in the future" (clocks, request time). */
  private static final Duration FUTURE_SLACK = Duration.ofSeconds(5);

  private final ArchiveDatabase db;

  public CoverageQueries(ArchiveDatabase db) {
    this.db = db;
  }

  /** @return {@code {from, to, complete, coverage, gapSeconds, reads, events, failures, firstReadAt, lastReadAt, gaps}} */
  public JsonObject coverage(Instant from, Instant to) {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("to must be after from");
    }
    Instant now = Instant.now();
    // What capture could have covered: from the archive's first read ever to now. Time outside it is uncovered
    // (never captured), not complete: a range before the daemon first ran must not read as complete.
    Instant captureStart = captureStart();
    Instant coverable = captureStart == null ? to : min(max(from, captureStart), to);
    Instant coverableEnd = max(min(to, now), coverable);
    JsonArray uncovered = new JsonArray();
    long uncoveredMillis = 0;
    if (coverable.isAfter(from)) {
      uncovered.add(span(from, coverable, captureStart == null ? "the feed was never read"
          : "before the archive's first read at " + captureStart));
      uncoveredMillis += Duration.between(from, coverable).toMillis();
    }
    if (Duration.between(coverableEnd, to).compareTo(FUTURE_SLACK) > 0) {
      uncovered.add(span(coverableEnd, to, "in the future (not captured yet)"));
      uncoveredMillis += Duration.between(coverableEnd, to).toMillis();
    }
    JsonArray gaps = new JsonArray();
    long gapMillis = 0;
    Instant coveredUntil = coverable;
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
      Instant start = max(max(gapFrom, coverable), coveredUntil);
      Instant stop = min(end, coverableEnd);
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
        .put("complete", gaps.isEmpty() && uncovered.isEmpty())
        .put("coverage", Math.max(0.0, (double) (total - gapMillis - uncoveredMillis) / total))
        .put("gapSeconds", gapMillis / 1000.0)
        .put("uncovered", uncovered)
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
    if (!end.isAfter(start)) {
      return new JsonArray();
    }
    JsonObject coverage = coverage(start, end);
    JsonArray gaps = coverage.getJsonArray("gaps");
    if (from != null) {
      // a range reaching before the first read (or into the future) is not covered: say so as a gap without id
      for (Object u : coverage.getJsonArray("uncovered")) {
        JsonObject span = (JsonObject) u;
        gaps.add(new JsonObject().putNull("id").put("from", span.getString("from")).put("to", span.getString("to"))
            .put("open", false).put("cause", "not captured: " + span.getString("reason")));
      }
    }
    return gaps;
  }

  /** The archive's first read ever (an index lookup: {@code feed_read_first_idx}, V6); null when none. */
  private Instant captureStart() {
    OffsetDateTime first = db.dsl().select(DSL.min(FEED_READ.FIRST_READ_AT)).from(FEED_READ)
        .fetchOne(0, OffsetDateTime.class);
    return first == null ? null : first.toInstant();
  }

  private static JsonObject span(Instant from, Instant to, String reason) {
    return new JsonObject().put("from", from.toString()).put("to", to.toString()).put("reason", reason);
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
