package io.datahose.archiver.archive;

import io.datahose.archiver.evidence.RestoreRecords;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import static io.datahose.archiver.db.Tables.ARCHIVE_COUNTER;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.FEED_CURSOR;

/**
 * A copy of an H2 archive file outside the live archive (a backup's database, extracted by the backup check), read
 * once, read-only: {@link ArchiveSchema} first refuses anything our migrations did not create, before any row is
 * read; then the counts a backup's manifest records and a restore relies on, with the seqs restores made void (a
 * restore's signed record says which; the archive verifier checks their signatures and leaves). Never opened for
 * writing, never created. Blocking; stateless.
 */
public final class ArchiveCopy {

  private ArchiveCopy() {
  }

  /**
   * What the copy holds.
   *
   * @param cursorEvents the events the feed cursors account for
   * @param voided       the seqs restores made void (never handed out again; they hold no event)
   * @param lastVoid     the highest of them, 0 for none
   */
  public record Contents(int schemaVersion, long events, long lastSeq, long nextSeq, long cursorEvents, int cursors,
                         long voided, long lastVoid) {
  }

  /** The copy is not an archive this build made (its message names what is wrong), or it does not open. */
  public static final class Refused extends RuntimeException {
    Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Opens the H2 file {@code db} (without its {@code .mv.db}) read-only, checks its schema, reads its counts.
   *
   * @param source the file the copy came from, for the messages (a backup zip)
   * @param key    the archive's public key (the restore records are read as the verifier reads them)
   * @throws Refused when the schema is not ours or the file does not open as an archive
   */
  public static Contents read(Path db, Path source, PublicKey key) {
    // read-only; IFEXISTS: never create; nothing is read before ArchiveSchema accepted the schema
    String url = "jdbc:h2:file:" + db.toAbsolutePath() + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE";
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      int schema = ArchiveSchema.check(c, source);
      DSLContext dsl = DSL.using(c, SQLDialect.H2, new Settings().withExecuteLogging(false).withRenderSchema(false));
      long events = dsl.select(DSL.count().coerce(Long.class)).from(EVENT).fetchSingle().value1();
      long lastSeq = dsl.select(DSL.coalesce(DSL.max(EVENT.SEQ), 0L)).from(EVENT).fetchSingle().value1();
      Long nextSeq = dsl.select(ARCHIVE_COUNTER.NEXT_SEQ).from(ARCHIVE_COUNTER).where(ARCHIVE_COUNTER.ID.eq(1))
          .fetchOne(ARCHIVE_COUNTER.NEXT_SEQ);
      if (nextSeq == null) {
        throw new Refused("backup " + source + " does not open as an archive: no archive counter row", null);
      }
      long cursorEvents = dsl.select(DSL.coalesce(DSL.sum(FEED_CURSOR.EVENTS), BigDecimal.ZERO).coerce(Long.class))
          .from(FEED_CURSOR).fetchSingle().value1();
      int cursors = dsl.fetchCount(FEED_CURSOR);
      List<RestoreRecords.Restore> restores = RestoreRecords.all(dsl, key);
      long lastVoid = restores.stream().filter(r -> r.voidFrom() > 0).mapToLong(RestoreRecords.Restore::voidTo).max()
          .orElse(0);
      return new Contents(schema, events, lastSeq, nextSeq, cursorEvents, cursors, RestoreRecords.voided(restores),
          lastVoid);
    } catch (SQLException e) {
      throw new Refused("backup " + source + " does not open as an archive: " + e.getMessage(), e);
    } catch (DataAccessException e) {
      // the driver's words, without jOOQ's "SQL [...]" prefix
      Throwable why = e.getCause() != null ? e.getCause() : e;
      throw new Refused("backup " + source + " does not open as an archive: " + why.getMessage(), e);
    }
  }
}
