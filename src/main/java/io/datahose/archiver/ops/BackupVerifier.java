package io.datahose.archiver.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Proves a backup zip is a usable archive: unzips it into a temp dir, opens it read-only and checks the schema
 * version (flyway_schema_history), that seq is gapless ({@code count = max(seq)}, counter = max + 1) and that the
 * feed cursors account for exactly the events present (sum of {@code feed_cursor.events} = event count). Plain JDBC
 * on the copy, never on the live archive. Blocking; stateless.
 */
public final class BackupVerifier {

  /** What a verified backup holds. */
  public record Verification(Path file, int schemaVersion, long events, long lastSeq, int cursors) {
    /** @return one line for logs and the CLI */
    public String describe() {
      return "backup " + file.getFileName() + " verified: schema version " + schemaVersion + ", " + events
          + " events (seq 1.." + lastSeq + ", gapless), " + cursors + " feed cursor(s) consistent with the events";
    }
  }

  private BackupVerifier() {
  }

  /** @throws BackupException when the zip cannot be opened or any check fails */
  public static Verification verify(Path zip) {
    Path temp = null;
    try {
      temp = Files.createTempDirectory("datahose-verify-");
      Path db = extract(zip, temp, n -> { });
      return check(zip, db);
    } catch (IOException e) {
      throw new BackupException("backup " + zip + " cannot be read: " + e.getMessage(), e);
    } finally {
      deleteTree(temp);
    }
  }

  /** Extracts the single {@code .mv.db} of {@code zip} into {@code dir}; @return its path without {@code .mv.db}. */
  static Path extract(Path zip, Path dir, LongConsumer bytesCopied) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        String name = Path.of(entry.getName()).getFileName().toString();
        if (name.endsWith(".mv.db")) {
          Path target = dir.resolve(name);
          try (OutputStream out = Files.newOutputStream(target)) {
            copy(in, out, bytesCopied);
          }
          return dir.resolve(name.substring(0, name.length() - ".mv.db".length()));
        }
      }
    }
    throw new BackupException("backup " + zip + " holds no H2 database (.mv.db)", null);
  }

  private static void copy(InputStream in, OutputStream out, LongConsumer bytesCopied) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      out.write(buffer, 0, n);
      total += n;
      bytesCopied.accept(total);
    }
  }

  private static Verification check(Path zip, Path db) {
    String url = "jdbc:h2:file:" + db.toAbsolutePath() + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE";
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
      int schema = (int) single(s, "select max(cast(\"version\" as int)) from \"flyway_schema_history\" where \"success\"");
      long events = single(s, "select count(*) from event");
      long lastSeq = single(s, "select coalesce(max(seq), 0) from event");
      long nextSeq = single(s, "select next_seq from archive_counter where id = 1");
      long cursorEvents = single(s, "select coalesce(sum(events), 0) from feed_cursor");
      int cursors = (int) single(s, "select count(*) from feed_cursor");
      if (schema < 1) {
        throw new BackupException("backup " + zip + ": no successful migration in flyway_schema_history", null);
      }
      if (events != lastSeq || nextSeq != lastSeq + 1) {
        throw new BackupException("backup " + zip + ": seq is not gapless (" + events + " events, max seq " + lastSeq
            + ", next seq " + nextSeq + ")", null);
      }
      if (cursorEvents != events) {
        throw new BackupException("backup " + zip + ": feed cursors account for " + cursorEvents + " events but "
            + events + " are archived", null);
      }
      return new Verification(zip, schema, events, lastSeq, cursors);
    } catch (SQLException e) {
      throw new BackupException("backup " + zip + " does not open as an archive: " + e.getMessage(), e);
    }
  }

  private static long single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException("no row: " + sql);
      }
      return rs.getLong(1);
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temp dir
    }
  }
}
