package io.datahose.archiver.testing;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The archive a test runs against: H2 (the default), or a real PostgreSQL when the build runs the suite's
 * {@code postgresql} execution ({@code -Ddatahose.test.database=postgresql}): each archive is then a new database on
 * the private cluster of {@link PgCluster#shared()}. Tests that hold an H2 file's own behaviour (compaction, backups,
 * the file lock) keep calling {@link ArchiveDatabase#open(Path, boolean)} directly.
 */
public final class TestDatabases {

  /** The system property that selects PostgreSQL. */
  public static final String PROPERTY = "datahose.test.database";

  /** The daemon id of test configurations on PostgreSQL, and of the archives {@link #open(Path)} gives. */
  public static final String DAEMON = "test-daemon";

  private static final Map<Path, String> URLS = new ConcurrentHashMap<>();

  private TestDatabases() {
  }

  /** @return true when this run's archives are PostgreSQL databases */
  public static boolean postgresql() {
    return "postgresql".equals(System.getProperty(PROPERTY));
  }

  /** @return a new, empty, migrated archive: H2 in memory, or a new PostgreSQL database */
  public static ArchiveDatabase fresh(String name) {
    if (!postgresql()) {
      return ArchiveDatabase.inMemory(name);
    }
    PgCluster pg = PgCluster.shared();
    return ArchiveDatabase.postgresql(pg.createDatabase(name), pg.user(), pg.password(), "");
  }

  /**
   * @return the archive at {@code file}, opened again on every call (a test closes and reopens it): the H2 file, or
   *     the PostgreSQL database made for that path at its first call
   */
  public static ArchiveDatabase open(Path file) {
    if (!postgresql()) {
      return ArchiveDatabase.open(file.toAbsolutePath(), false);
    }
    PgCluster pg = PgCluster.shared();
    return ArchiveDatabase.postgresql(url(file), pg.user(), pg.password(), DAEMON);
  }

  /** @return the PostgreSQL database of {@code path}, made at its first call */
  private static String url(Path path) {
    return URLS.computeIfAbsent(path.toAbsolutePath().normalize(), f -> PgCluster.shared().createDatabase("archive"));
  }

  /**
   * @return the {@code database} section of a test configuration whose local files live at {@code path}: with
   *     PostgreSQL, also the {@code url} of the database {@link #open(Path)} gives for that path
   */
  public static JsonObject config(Path path) {
    JsonObject database = new JsonObject().put("path", path.toString()).put("fsync", "never");
    if (postgresql()) {
      database.put("url", url(path)).put("user", PgCluster.shared().user()).put("daemonId", DAEMON);
    }
    return database;
  }

  /** @return {@link #config(Path)} as the YAML {@code database:} section of a configuration file */
  public static String yaml(Path path) {
    StringBuilder out = new StringBuilder("database:\n");
    config(path).forEach(e -> out.append("  ").append(e.getKey()).append(": \"").append(e.getValue()).append("\"\n"));
    return out.toString();
  }
}
