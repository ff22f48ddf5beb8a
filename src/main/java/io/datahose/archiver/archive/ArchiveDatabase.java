package io.datahose.archiver.archive;

import io.datahose.archiver.evidence.PrivateFiles;

import io.datahose.archiver.config.AppConfig;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderNameCase;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The archive's embedded H2 database: pooled connections, schema migrated by Flyway from
 * {@code classpath:db/migration} (never cleaned), and a jOOQ {@link DSLContext} (dialect H2).
 * File databases use {@code WRITE_DELAY=0} so a committed batch survives kill -9; with {@code fsyncPerBatch}
 * {@link Archive} also forces each committed batch to the device ({@code CHECKPOINT SYNC}) before returning.
 * {@code QUERY_CACHE_SIZE=64} (H2's default is 8) keeps the store path's ~20 distinct statements parsed per session.
 * A file database is compacted online every few batches by {@link ArchiveCompactor} (WRITE_DELAY=0 turns off
 * H2's own background compaction), stores its pages LZF-compressed ({@code COMPRESS=TRUE}: a quarter of the
 * bytes written and kept, as {@code SHUTDOWN COMPACT} does), and reuses a dead chunk's space as soon as a sync
 * made that safe ({@link DurableSpaceReuse}, instead of H2's 45 s retention); a timer forces commits nobody else
 * synced (access log, ledger, {@code fsync: never}) once a second. Opening is blocking; the object is thread-safe and shared by all writers and
 * readers. Close once, at shutdown.
 *
 * <p>Or PostgreSQL ({@link #open(AppConfig.Database)} with {@code database.url}): a HikariCP pool, dialect POSTGRES,
 * migrations {@code common} + {@code postgresql}. Durability is PostgreSQL's own (a commit returns once its WAL is
 * flushed, with {@code synchronous_commit} on, which is checked at open), so the H2-only steps (checkpoint sync,
 * compaction, space reuse) are skipped. Several daemons may share it: every batch transaction locks the counter row
 * first, so seq stays gapless and dedup sees every committed event whatever daemon stored it.
 */
public final class ArchiveDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveDatabase.class);
  private static final int MAX_CONNECTIONS = 16;

  /** How often every commit (access log, ledger and officers included) is forced to the device at the latest. */
  static final long SYNC_INTERVAL_MS = 1_000;
  /** Page compression; {@code -Ddatahose.h2.compress=false} only to measure its cost (IngestBench, StoreProbe). */
  private static final boolean COMPRESS = Boolean.parseBoolean(System.getProperty("datahose.h2.compress", "true"));

  /** Flyway locations of the H2 file: the migrations both dialects share, then H2's own. */
  public static final String[] H2_MIGRATIONS = {"classpath:db/migration/common", "classpath:db/migration/h2"};
  /** Flyway locations of a PostgreSQL archive. */
  public static final String[] POSTGRESQL_MIGRATIONS =
      {"classpath:db/migration/common", "classpath:db/migration/postgresql"};

  private final DataSource pool;
  private final Runnable closePool;
  private final SQLDialect dialect;
  private final String daemonId;
  private final DSLContext dsl;
  private final boolean fsyncPerBatch;
  private final boolean inMemory;
  private final ArchiveCompactor compactor;
  private final DurableSpaceReuse space;
  private final ScheduledExecutorService syncTimer;

  private ArchiveDatabase(DataSource pool, Runnable closePool, SQLDialect dialect, String daemonId,
      boolean fsyncPerBatch, boolean inMemory, ArchiveCompactor compactor, DurableSpaceReuse space) {
    this.pool = pool;
    this.daemonId = daemonId;
    this.closePool = closePool;
    this.dialect = dialect;
    this.fsyncPerBatch = fsyncPerBatch;
    this.inMemory = inMemory;
    this.compactor = compactor;
    this.space = space;
    Settings settings = new Settings().withExecuteLogging(false).withRenderSchema(false);
    if (dialect != SQLDialect.H2) {
      // one generated schema (from H2: upper-case names) for both: PostgreSQL folds unquoted names to lower case
      settings = settings.withRenderNameCase(RenderNameCase.LOWER);
    }
    this.dsl = DSL.using(pool, dialect, settings);
    if (space == null) {
      this.syncTimer = null;
    } else {
      this.syncTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "archive-sync");
        t.setDaemon(true);
        return t;
      });
      syncTimer.scheduleWithFixedDelay(this::syncIfDirty, SYNC_INTERVAL_MS, SYNC_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Opens the configured archive: the PostgreSQL database at {@code database.url} when set, else the H2 file at
   * {@code database.path}.
   *
   * @throws ArchiveDatabaseException when the database cannot be opened or migrated
   */
  public static ArchiveDatabase open(AppConfig.Database database) {
    if (database.postgresql()) {
      return postgresql(database.url(), database.user(), database.passwordValue(), database.daemonId());
    }
    return open(database.path(), database.fsync());
  }

  /**
   * Opens and migrates the PostgreSQL database at {@code url} (created beforehand by its administrator; the role needs
   * the right to create tables in its default schema). Refuses a server with {@code synchronous_commit} off: a
   * batch would be acknowledged before its commit is on disk.
   *
   * @throws ArchiveDatabaseException when the server cannot be reached, refuses the role, or the migration fails
   */
  public static ArchiveDatabase postgresql(String url, String user, String password, String daemonId) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(MAX_CONNECTIONS);
    config.setPoolName("archive");
    config.setConnectionTimeout(30_000);
    // lock waits end like H2's LOCK_TIMEOUT, as a retryable failure of the batch (55P03), never a wedged writer
    config.setConnectionInitSql("SET lock_timeout = 10000");
    String where = url.replaceAll("[?;].*$", "");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new ArchiveDatabaseException("cannot open archive database " + where + ": " + e.getMessage(), e);
    }
    try {
      try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
           ResultSet rs = statement.executeQuery("SHOW synchronous_commit")) {
        String mode = rs.next() ? rs.getString(1) : "?";
        if ("off".equalsIgnoreCase(mode)) {
          throw new ArchiveDatabaseException("archive database " + where + " has synchronous_commit = " + mode
              + ": a batch would be acknowledged before it is durable; set it to on (the default)", null);
        }
      }
      Flyway.configure().dataSource(pool).locations(POSTGRESQL_MIGRATIONS).load().migrate();
      LOG.info("archive database open: {} (PostgreSQL, durability: synchronous commit)", where);
      return new ArchiveDatabase(pool, pool::close, SQLDialect.POSTGRES, daemonId, true, false, null, null);
    } catch (SQLException | RuntimeException e) {
      pool.close();
      if (e instanceof ArchiveDatabaseException a) {
        throw a;
      }
      throw new ArchiveDatabaseException("cannot open archive database " + where + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens (creating when absent) and migrates the H2 file database at {@code path} (H2 adds {@code .mv.db}).
   * Will become {@code open(Path, AppConfig.Fsync)} when AppConfig is merged ({@code BATCH} = true).
   *
   * @throws ArchiveDatabaseException when another process holds the file, or the database cannot be opened
   */
  public static ArchiveDatabase open(Path path, AppConfig.Fsync fsync) {
    return open(path, fsync == AppConfig.Fsync.BATCH);
  }

  /** As {@link #open(Path, AppConfig.Fsync)}, with {@code CHECKPOINT SYNC} after each batch when {@code fsyncPerBatch}. */
  public static ArchiveDatabase open(Path path, boolean fsyncPerBatch) {
    return open(path, fsyncPerBatch, ArchiveCompactor.EVERY_BATCHES);
  }

  /**
   * As {@link #open(Path, boolean)}, compacting the file online every {@code compactEveryBatches} committed
   * batches ({@code 0}: never, for measurements only; the file then grows ~12x its content).
   */
  public static ArchiveDatabase open(Path path, boolean fsyncPerBatch, int compactEveryBatches) {
    // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database under the batch in flight on
    // SIGTERM (seen by SigtermIT: "The object is already closed"); the daemon's hook closes it after the batch.
    // retry: (H2's FilePathRetryOnInterrupt) reopens the file when a thread is interrupted inside FileChannel I/O.
    // With plain file: one interrupted reader closes the channel for every thread and the archive is dead until a
    // restart ("The database has been closed"). Vert.x interrupts its workers when it closes a worker pool, and a
    // query, backup or delivery may be mid-I/O then (InterruptedThreadTest).
    // TRACE_LEVEL_FILE=0: no <name>.trace.db (H2's own error log, written with the umask's permissions and full of
    // stack traces after every CLI run); every error reaches our log through the exception anyway.
    Path file = path.toAbsolutePath().normalize();
    PrivateFiles.ensureDirectory(file.getParent());
    String url = "jdbc:h2:retry:" + file + ";TRACE_LEVEL_FILE=0;WRITE_DELAY=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;COMPRESS=" + COMPRESS;
    ArchiveDatabase db = start(url, fsyncPerBatch, compactEveryBatches, path.toAbsolutePath().toString());
    try {
      PrivateFiles.restrict(Path.of(file + ".mv.db")); // H2 creates it with the umask's permissions
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  /** A private in-memory database for tests, kept until {@link #close()}: {@code jdbc:h2:mem:<name>}. */
  public static ArchiveDatabase inMemory(String name) {
    return start("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", false, -1, "mem:" + name);
  }

  /** @param compactEveryBatches negative: in-memory database; 0: file database without online compaction */
  private static ArchiveDatabase start(String url, boolean fsync, int compactEveryBatches, String where) {
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
    pool.setMaxConnections(MAX_CONNECTIONS);
    try {
      ArchiveCompactor compactor = null;
      DurableSpaceReuse space = null;
      try (Connection connection = pool.getConnection()) {
        // fail fast here (locked file, bad path) with a clear message rather than inside Flyway
        if (compactEveryBatches > 0) {
          compactor = new ArchiveCompactor(ArchiveCompactor.mvStoreOf(connection), compactEveryBatches);
        }
      }
      Flyway.configure().dataSource(pool).locations(H2_MIGRATIONS).load().migrate();
      if (compactEveryBatches >= 0) {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
          statement.execute("CHECKPOINT SYNC");
          space = new DurableSpaceReuse(ArchiveCompactor.mvStoreOf(connection));
        }
      }
      LOG.info("archive database open: {} (fsync per batch: {}, online compaction every {} batches)", where, fsync,
          compactor == null ? "(off)" : compactEveryBatches);
      return new ArchiveDatabase(pool, pool::dispose, SQLDialect.H2, "", fsync, compactEveryBatches < 0, compactor, space);
    } catch (SQLException | RuntimeException e) {
      pool.dispose();
      if (Retryable.isDatabaseInUse(e)) {
        throw new ArchiveDatabaseException("archive database " + where
            + " is held by another process (H2: database may be already in use); stop that process first", e);
      }
      throw new ArchiveDatabaseException("cannot open archive database " + where + ": " + e.getMessage(), e);
    }
  }

  /** The jOOQ context over the pool; thread-safe. */
  public DSLContext dsl() {
    return dsl;
  }

  /** The pooled data source (this package and its tests; everything else goes through {@link #dsl()}); thread-safe. */
  DataSource dataSource() {
    return pool;
  }

  /**
   * Writes an online backup of the H2 file to the zip {@code zip} ({@code BACKUP TO}): a consistent copy while
   * capture keeps writing. H2 only: a PostgreSQL archive is backed up by PostgreSQL's own tools.
   */
  public void backupTo(Path zip) {
    if (!embedded()) {
      throw new IllegalStateException("BACKUP TO is H2's: back up a PostgreSQL archive with pg_basebackup");
    }
    dsl.execute("BACKUP TO {0}", DSL.inline(zip.toAbsolutePath().toString()));
  }

  /** @return the SQL dialect: {@code H2} for the embedded file, {@code POSTGRES} */
  public SQLDialect dialect() {
    return dialect;
  }

  /** @return the id this daemon's cursor rows carry: {@code database.daemonId} on PostgreSQL, "" for the H2 file */
  public String daemonId() {
    return daemonId;
  }

  /** @return true for the embedded H2 file (backups, compaction and restore are H2's), false for PostgreSQL */
  public boolean embedded() {
    return dialect == SQLDialect.H2;
  }

  boolean fsyncPerBatch() {
    return fsyncPerBatch;
  }

  /** Counts a committed batch, compacting the file now and then (before {@link #syncToDisk()}); never throws. */
  void afterCommit() {
    if (compactor != null) {
      compactor.afterCommit();
    }
  }

  /**
   * Forces committed data to the storage device ({@code CHECKPOINT SYNC}); blocking. Space freed by the commits
   * it forced becomes reusable ({@link DurableSpaceReuse}).
   */
  void syncToDisk() {
    if (!embedded()) {
      return; // PostgreSQL's commit returned after its WAL record was flushed (synchronous_commit on)
    }
    Runnable checkpoint = () -> {
      try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute("CHECKPOINT SYNC");
      } catch (SQLException e) {
        throw new ArchiveDatabaseException("CHECKPOINT SYNC failed: " + e.getMessage(), e);
      }
    };
    if (space == null) {
      checkpoint.run();
    } else {
      space.sync(checkpoint);
    }
  }

  /** The timer's sync: commits nobody forced (access log, ledger, {@code fsync: never}) reach the device within a second. */
  private void syncIfDirty() {
    try {
      if (space.hasUnsyncedCommits()) {
        syncToDisk();
      }
    } catch (RuntimeException e) {
      LOG.warn("archive periodic sync failed (retried in {} ms): {}", SYNC_INTERVAL_MS, e.getMessage());
    }
  }

  /** Closes every connection; an in-memory database is dropped, a file database is closed cleanly. */
  @Override
  public void close() {
    if (syncTimer != null) {
      syncTimer.shutdown();
      try {
        syncTimer.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      space.release();
    }
    if (embedded()) {
      try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      } catch (SQLException e) {
        LOG.warn("archive database shutdown: {}", e.getMessage());
      }
    }
    closePool.run();
    LOG.info("archive database closed{}", inMemory ? " (in-memory, dropped)" : "");
  }
}
