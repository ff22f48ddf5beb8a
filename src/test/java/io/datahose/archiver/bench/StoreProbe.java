package io.datahose.archiver.bench;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.simulator.EventGenerator;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Probe: Archive.store throughput on generated events, no HTTP. args: events batch fsync(true/false) */
public final class StoreProbe {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int batch = Integer.parseInt(args[1]);
    boolean fsync = Boolean.parseBoolean(args[2]);
    List<JsonObject> events = new EventGenerator(1).next(n);
    Path dir = Files.createTempDirectory("probe");
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), fsync)) {
      Archive archive = new Archive(db);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i += batch) {
        archive.store("t", 0, events.subList(i, Math.min(n, i + batch)), "ack" + i);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("store probe: %d events, batch %d, fsync %s: %.0f events/s%n", n, batch, fsync, n / s);
    }
  }
}
