package io.datahose.archiver.bench;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.DataSources;
import io.datahose.archiver.simulator.EventGenerator;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * Probe: Archive.store throughput and file size on generated events, no HTTP.
 * args: events batch fsync(true/false) [compactEvery list, default "0,8"] [retention ms, default: H2's 45 s].
 * Each entry of the list is one run into a fresh file in this JVM (0 = no online compaction), so variants are
 * compared in the same run; then the last file is compacted (SHUTDOWN COMPACT) to show its content size.
 */
public final class StoreProbe {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int batch = Integer.parseInt(args[1]);
    boolean fsync = Boolean.parseBoolean(args[2]);
    String[] variants = (args.length > 3 ? args[3] : "0,8").split(",");
    int retention = args.length > 4 ? Integer.parseInt(args[4]) : -1;
    List<JsonObject> events = new EventGenerator(1).next(n);
    Path last = null;
    for (String variant : variants) {
      int every = Integer.parseInt(variant.trim());
      Path dir = Files.createTempDirectory("probe");
      last = dir.resolve("archive");
      String fill;
      double s;
      try (ArchiveDatabase db = ArchiveDatabase.open(last, fsync, every)) {
        if (retention >= 0) {
          try (Connection c = DataSources.of(db).getConnection(); Statement st = c.createStatement()) {
            st.execute("SET RETENTION_TIME " + retention);
          }
        }
        Archive archive = new Archive(db);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i += batch) {
          archive.storeJson("t", 0, events.subList(i, Math.min(n, i + batch)), "ack" + i);
        }
        s = (System.nanoTime() - t0) / 1e9;
        fill = fillRates(db);
      }
      long size = Files.size(mvDb(last));
      System.out.printf("store probe: %d events, batch %d, fsync %s, compact every %s batches, retention %s: "
              + "%.0f events/s, file %.1f MB, %.0f bytes/event (%s)%n", n, batch, fsync, every == 0 ? "never" : every,
          retention < 0 ? "default" : retention + " ms", n / s, size / 1e6, (double) size / n, fill);
    }
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + last, "sa", "");
         Statement st = c.createStatement()) {
      st.execute("SHUTDOWN COMPACT");
    }
    long compacted = Files.size(mvDb(last));
    System.out.printf("content after SHUTDOWN COMPACT: %.1f MB, %.0f bytes/event%n", compacted / 1e6,
        (double) compacted / n);
  }

  private static Path mvDb(Path base) {
    return base.resolveSibling(base.getFileName() + ".mv.db");
  }

  private static String fillRates(ArchiveDatabase db) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = DataSources.of(db).getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
             + "WHERE SETTING_NAME IN ('info.FILL_RATE', 'info.CHUNKS_FILL_RATE', 'info.CHUNK_COUNT')")) {
      while (rs.next()) {
        out.append(out.length() == 0 ? "" : ", ").append(rs.getString(1).substring(5)).append(' ').append(rs.getString(2));
      }
    }
    return out.toString();
  }
}
