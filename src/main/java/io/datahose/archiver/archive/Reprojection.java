package io.datahose.archiver.archive;

import io.datahose.archiver.evidence.PrivateFiles;
import io.datahose.archiver.symphony.ReceivedEvent;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.datahose.archiver.db.Tables.EVENT;

/**
 * {@code verify --deep}: the projection tables (messages, memberships, users, rooms…) are what officers search and
 * read; the raw log is what the evidence proves. This re-projects every raw event, in seq order, into a scratch
 * archive (a private temporary file beside the archive, removed after) with the same code the writer uses, and
 * compares every projection table row by row (as multisets of row texts, seqs replaced by event identities, see
 * {@link ProjectionSnapshot}): a projection row altered, deleted or added after the fact shows as a difference in its
 * table. Blocking; as fast as ingest, and it needs disk for a second copy of the archive.
 */
public final class Reprojection {

  private static final int PAGE = 500;

  private Reprojection() {
  }

  /**
   * @param events   events re-projected
   * @param problems one line per table that differs, naming an example seq where the row names one
   */
  public record Result(long events, List<String> problems, long millis, long disposed) {

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * As {@link #check}, reading {@code archive} in one read-only transaction that sees a single snapshot of every
   * table, so a running daemon's capture meanwhile is neither compared nor taken for a difference: SERIALIZABLE on H2
   * (its REPEATABLE READ takes a snapshot per table, at first read), REPEATABLE READ on PostgreSQL. Writers are not
   * blocked; the transaction is rolled back at the end. Blocking.
   */
  public static Result checkSnapshot(DSLContext archive, Path scratchParent) {
    return archive.connectionResult(c -> {
      boolean autoCommit = c.getAutoCommit();
      int isolation = c.getTransactionIsolation();
      c.setAutoCommit(false);
      c.setTransactionIsolation(archive.dialect().family() == SQLDialect.POSTGRES
          ? Connection.TRANSACTION_REPEATABLE_READ : Connection.TRANSACTION_SERIALIZABLE);
      try {
        return check(DSL.using(c, archive.dialect(), archive.settings()), scratchParent);
      } finally {
        c.rollback();
        c.setTransactionIsolation(isolation);
        c.setAutoCommit(autoCommit);
      }
    });
  }

  /** Re-projects {@code archive} in a scratch archive under {@code scratchParent}; see the class comment. */
  public static Result check(DSLContext archive, Path scratchParent) {
    long started = System.nanoTime();
    Path dir;
    try {
      PrivateFiles.ensureDirectory(scratchParent);
      dir = Files.createTempDirectory(scratchParent, ".reprojection-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a scratch directory in " + scratchParent + ": " + e.getMessage(), e);
    }
    try (ArchiveDatabase scratch = ArchiveDatabase.open(dir.resolve("scratch").toAbsolutePath(), false)) {
      Archive copy = new Archive(scratch);
      java.util.Set<Long> disposed = new java.util.HashSet<>(archive.select(EVENT.SEQ).from(EVENT)
          .where(EVENT.DISPOSED_AT.isNotNull()).fetch(EVENT.SEQ));
      long events = 0;
      long after = Long.MIN_VALUE;
      while (true) {
        var page = archive.select(EVENT.SEQ, EVENT.RAW_BYTES, EVENT.RAW_BYTES_LARGE).from(EVENT)
            .where(EVENT.SEQ.gt(after), EVENT.DISPOSED_AT.isNull()).orderBy(EVENT.SEQ).limit(PAGE).fetch();
        if (page.isEmpty()) {
          break;
        }
        List<ReceivedEvent> batch = new ArrayList<>(page.size());
        for (var r : page) {
          batch.add(ReceivedEvent.parse(r.value2() != null ? r.value2() : r.value3()));
          after = r.value1();
        }
        copy.store("reprojection", 0, batch, "page-" + after);
        events += batch.size();
      }
      List<String> problems = compare(archive, scratch.dsl(), disposed);
      return new Result(events, problems, (System.nanoTime() - started) / 1_000_000, disposed.size());
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * With disposed events, only the content tables are compared, without the rows of disposed events (their message
   * stubs): the structural tables (users, memberships, rooms…) also derive from events whose bytes are gone.
   */
  private static List<String> compare(DSLContext archive, DSLContext scratch, java.util.Set<Long> disposed) {
    Map<Long, String> archiveIds = ProjectionSnapshot.identities(archive);
    Map<Long, String> scratchIds = ProjectionSnapshot.identities(scratch);
    List<String> problems = new ArrayList<>();
    for (Table<?> table : disposed.isEmpty() ? ProjectionSnapshot.TABLES : ProjectionSnapshot.CONTENT_TABLES) {
      var seqField = table.field("EVENT_SEQ");
      java.util.function.Predicate<Record> retained = row -> seqField == null
          || !disposed.contains((Long) row.get(seqField));
      java.util.Set<String> leftOut = disposed.isEmpty() ? java.util.Set.of() : ProjectionSnapshot.CROSS_EVENT_COLUMNS;
      Map<String, Integer> stored = ProjectionSnapshot.counted(archive, table, archiveIds, retained, leftOut);
      Map<String, Integer> expected = ProjectionSnapshot.counted(scratch, table, scratchIds, row -> true, leftOut);
      long extra = 0;
      long missing = 0;
      for (var e : stored.entrySet()) {
        extra += Math.max(0, e.getValue() - expected.getOrDefault(e.getKey(), 0));
      }
      for (var e : expected.entrySet()) {
        missing += Math.max(0, e.getValue() - stored.getOrDefault(e.getKey(), 0));
      }
      if (extra > 0 || missing > 0) {
        List<String> parts = new ArrayList<>();
        if (extra > 0) {
          parts.add(extra + " rows that a re-projection of the raw log does not give");
        }
        if (missing > 0) {
          parts.add(missing + " rows it gives are missing");
        }
        problems.add("projection table " + table.getName() + ": " + String.join(", ", parts)
            + (extra > 0 ? example(archive, table, archiveIds, stored, expected, leftOut) : ""));
      }
    }
    return problems;
  }

  /** @return " (e.g. the row of seq N)" for the first stored row that a re-projection does not produce, or "" */
  private static String example(DSLContext archive, Table<?> table, Map<Long, String> ids, Map<String, Integer> stored,
                                Map<String, Integer> expected, java.util.Set<String> leftOut) {
    var seqField = table.field("EVENT_SEQ") != null ? table.field("EVENT_SEQ") : table.field("LAST_EVENT_SEQ");
    if (seqField == null) {
      return "";
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (var rows = archive.selectFrom(table).fetchSize(1000).fetchLazy()) {
      for (Record row : rows) {
        String hash = ProjectionSnapshot.digest(sha, ProjectionSnapshot.text(table, row, ids, leftOut));
        if (stored.getOrDefault(hash, 0) > expected.getOrDefault(hash, 0) && row.get(seqField) != null) {
          return " (e.g. the row of seq " + row.get(seqField) + ")";
        }
      }
    }
    return "";
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // a scratch file left behind is harmless: the next run makes its own directory
    }
  }
}
