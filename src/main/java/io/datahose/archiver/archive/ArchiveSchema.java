package io.datahose.archiver.archive;

import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Is an opened backup copy exactly what our migrations make? Read through {@code INFORMATION_SCHEMA} before any of
 * its rows: no alias or aggregate (user code), no trigger, no synonym, no view, and the same tables, in the same
 * schemas, as a fresh database migrated by this build to the copy's schema version; its Flyway history (versions
 * and checksums) equal to that fresh one. The expected schema is computed once per version, in memory.
 */
final class ArchiveSchema {

  private static final Map<String, Expected> EXPECTED = new ConcurrentHashMap<>();
  private static final AtomicInteger FRESH = new AtomicInteger();

  private record Expected(Set<String> objects, List<String> history) {
  }

  private ArchiveSchema() {
  }

  /**
   * @return the copy's schema version
   * @throws ArchiveCopy.Refused naming what is not ours
   */
  static int check(Connection c, Path zip) throws SQLException {
    Set<String> code = strings(c, "select 'alias ' || routine_schema || '.' || routine_name from information_schema.routines"
        + " union all select 'trigger ' || trigger_schema || '.' || trigger_name from information_schema.triggers"
        + " union all select 'synonym ' || synonym_schema || '.' || synonym_name from information_schema.synonyms"
        + " union all select 'view ' || table_schema || '.' || table_name from information_schema.tables"
        + " where table_type = 'VIEW' and table_schema <> 'INFORMATION_SCHEMA'");
    if (!code.isEmpty()) {
      throw new ArchiveCopy.Refused("backup " + zip + " holds objects the archive never creates (user code or views): "
          + code + ": refused before reading a row", null);
    }
    Set<String> tables = tables(c);
    if (!tables.contains("table PUBLIC.flyway_schema_history")) {
      throw new ArchiveCopy.Refused("backup " + zip + " has no Flyway history: not an archive", null);
    }
    List<String> history = history(c);
    if (history.isEmpty()) {
      throw new ArchiveCopy.Refused("backup " + zip + ": no successful migration in flyway_schema_history", null);
    }
    String version = history.get(history.size() - 1).split(" ", 2)[0];
    Expected expected = EXPECTED.computeIfAbsent(version, ArchiveSchema::fresh);
    if (!history.equals(expected.history())) {
      throw new ArchiveCopy.Refused("backup " + zip + ": its migration history " + history
          + " is not this build's " + expected.history(), null);
    }
    if (!tables.equals(expected.objects())) {
      Set<String> extra = new TreeSet<>(tables);
      extra.removeAll(expected.objects());
      Set<String> missing = new TreeSet<>(expected.objects());
      missing.removeAll(tables);
      throw new ArchiveCopy.Refused("backup " + zip + ": its tables differ from schema version " + version
          + " (not created by the migrations: " + extra + "; missing: " + missing + ")", null);
    }
    return Integer.parseInt(version);
  }

  private static Expected fresh(String version) {
    String url = "jdbc:h2:mem:expected-schema-" + FRESH.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      try {
        Flyway.configure().dataSource(url, "sa", "").locations(ArchiveDatabase.H2_MIGRATIONS).target(version).load()
            .migrate();
        return new Expected(tables(c), history(c));
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("SHUTDOWN");
        }
      }
    } catch (SQLException | RuntimeException e) {
      throw new ArchiveCopy.Refused("schema version " + version + " is not one this build's migrations reach: "
          + e.getMessage(), e);
    }
  }

  private static Set<String> tables(Connection c) throws SQLException {
    return strings(c, "select 'table ' || table_schema || '.' || table_name from information_schema.tables"
        + " where table_schema <> 'INFORMATION_SCHEMA'");
  }

  private static List<String> history(Connection c) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("select \"version\", \"checksum\" from \"flyway_schema_history\""
             + " where \"success\" and \"version\" is not null order by \"installed_rank\"")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    return rows;
  }

  private static Set<String> strings(Connection c, String sql) throws SQLException {
    Set<String> out = new TreeSet<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
