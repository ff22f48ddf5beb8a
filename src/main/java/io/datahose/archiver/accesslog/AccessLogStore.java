package io.datahose.archiver.accesslog;

import io.datahose.archiver.evidence.AccessLog;
import io.datahose.archiver.query.Cursor;
import io.datahose.archiver.query.Page;
import io.datahose.archiver.query.Rows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.datahose.archiver.db.Tables.ACCESS_LOG;

/**
 * The append-only {@code access_log}: this class only inserts and reads, nothing in the product updates or deletes
 * it. Blocking JDBC: call on a worker thread. Thread-safe.
 */
public final class AccessLogStore {

  /**
   * One request as logged. {@code officer} is null when no token named one (a revoked or refused officer is
   * named); {@code route} is the matched route template ({@code /api/v1/messages/:messageId}) or a marker in
   * parentheses when none matched; {@code path} is the path as received; {@code parameters} and
   * {@code pathParameters} are JSON objects of the decoded values, in full; {@code outcome} is one of
   * {@link #ANSWERED}, {@link #STARTED}, {@link #COMPLETED}, {@link #ABORTED}, {@link #REJECTED}.
   */
  public record Entry(OffsetDateTime at, String officer, String route, String method, String parameters,
                      int status, Long resultCount, String remoteAddress, String path, String pathParameters,
                      Long bytes, String outcome) {
  }

  /** The whole answer was sent after this row was written. */
  public static final String ANSWERED = "answered";
  /** A streamed answer (export) starts after this row; a {@link #COMPLETED} or {@link #ABORTED} row follows. */
  public static final String STARTED = "started";
  /** A streamed answer was sent to its end (its manifest follows this row). */
  public static final String COMPLETED = "completed";
  /** A streamed answer stopped before its end: the row carries the count and bytes sent. */
  public static final String ABORTED = "aborted";
  /** Refused by the HTTP server before any route ran (414, 431, malformed request). */
  public static final String REJECTED = "rejected";

  private final DSLContext dsl;

  public AccessLogStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * Appends one row (values cut to their column sizes) and its leaf in the access log's Merkle log, in one
   * transaction ({@link AccessLog}).
   */
  public void append(Entry e) {
    dsl.transaction(cfg -> {
      DSLContext tx = DSL.using(cfg);
      AccessLog.append(tx, t -> insert(t, e));
    });
  }

  private static long insert(DSLContext dsl, Entry e) {
    return dsl.insertInto(ACCESS_LOG)
        .set(ACCESS_LOG.AT, e.at() == null ? null : e.at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
        .set(ACCESS_LOG.OFFICER, cut(e.officer(), 100))
        .set(ACCESS_LOG.ROUTE, cut(e.route(), 200))
        .set(ACCESS_LOG.METHOD, cut(e.method(), 10))
        .set(ACCESS_LOG.PARAMETERS, cut(e.parameters(), 20_000))
        .set(ACCESS_LOG.STATUS, e.status())
        .set(ACCESS_LOG.RESULT_COUNT, e.resultCount())
        .set(ACCESS_LOG.REMOTE_ADDRESS, cut(e.remoteAddress(), 200))
        .set(ACCESS_LOG.PATH, cut(e.path(), 20_000))
        .set(ACCESS_LOG.PATH_PARAMETERS, cut(e.pathParameters(), 20_000))
        .set(ACCESS_LOG.BYTES, e.bytes())
        .set(ACCESS_LOG.OUTCOME, e.outcome())
        .returning(ACCESS_LOG.ID)
        .fetchSingle(ACCESS_LOG.ID);
  }

  /** @return rows by id ascending, after the cursor, optionally for one officer and a time range [from, to) */
  public Page page(String officer, OffsetDateTime from, OffsetDateTime to, String cursor, int limit) {
    List<Condition> where = new ArrayList<>();
    if (officer != null) {
      where.add(ACCESS_LOG.OFFICER.eq(officer));
    }
    if (from != null) {
      where.add(ACCESS_LOG.AT.ge(from));
    }
    if (to != null) {
      where.add(ACCESS_LOG.AT.lt(to));
    }
    if (cursor != null) {
      where.add(ACCESS_LOG.ID.gt(Cursor.seq(cursor)));
    }
    var rows = dsl.selectFrom(ACCESS_LOG).where(where.isEmpty() ? DSL.noCondition() : DSL.and(where))
        .orderBy(ACCESS_LOG.ID).limit(limit + 1).fetch();
    JsonArray items = new JsonArray();
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      JsonObject item = Rows.toJson(rows.get(i));
      item.put("parameters", Rows.json(rows.get(i).getParameters()));
      item.put("pathParameters", Rows.json(rows.get(i).getPathParameters()));
      items.add(item);
    }
    String next = rows.size() > limit ? Cursor.ofSeq(rows.get(limit - 1).getId()) : null;
    return new Page(items, next);
  }

  /** @return how many rows the log holds */
  public long count() {
    return dsl.fetchCount(ACCESS_LOG);
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
