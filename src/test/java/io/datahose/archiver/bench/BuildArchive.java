package io.datahose.archiver.bench;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.DataSources;
import io.datahose.archiver.simulator.EventGenerator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a large archive for {@link QueryBench} fast: {@link EventGenerator} events stored directly with
 * {@link Archive#store} in batches (no HTTP, fsync off), until {@code --events} are stored or {@code --max-seconds}
 * have passed, whichever comes first. Prints progress, the event count reached, the time and the file size.
 * <pre>
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat target/bench.cp) io.datahose.archiver.bench.BuildArchive \
 *     --archive target/bench/q1m/archive --events 1000000 [--batch 1000] [--seed 1] [--max-seconds 1200] [--tag T] [--retention-ms 0]
 *     [--compact-every N] (0: no online compaction: builds much faster, the file grows ~12x its content)
 * </pre>
 */
public final class BuildArchive {
  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i], args[i + 1]);
    }
    Path archivePath = Path.of(opt.getOrDefault("--archive", "target/bench/q1m/archive"));
    long target = Long.parseLong(opt.getOrDefault("--events", "1000000"));
    int batch = Integer.parseInt(opt.getOrDefault("--batch", "1000"));
    long maxSeconds = Long.parseLong(opt.getOrDefault("--max-seconds", "1200"));
    String tag = opt.getOrDefault("--tag", "datahose-archiver");
    EventGenerator gen = new EventGenerator(Long.parseLong(opt.getOrDefault("--seed", "1")));
    Files.createDirectories(archivePath.toAbsolutePath().getParent());
    long t0 = System.nanoTime();
    long stored = 0;
    long storeNanos = 0;
    String compact = opt.get("--compact-every"); // 0: never (fast build of a measurement archive; the file grows)
    try (ArchiveDatabase db = compact == null ? ArchiveDatabase.open(archivePath, false)
        : ArchiveDatabase.open(archivePath, false, Integer.parseInt(compact))) {
      String retention = opt.get("--retention-ms");
      if (retention != null) { // H2's default is 45 s: within it freed chunks are not reused and the file grows fast
        try (var c = DataSources.of(db).getConnection(); var st = c.createStatement()) {
          st.execute("SET RETENTION_TIME " + Integer.parseInt(retention));
        }
      }
      Archive archive = new Archive(db);
      long lastReport = t0;
      while (stored < target && System.nanoTime() - t0 < maxSeconds * 1_000_000_000L) {
        int n = (int) Math.min(batch, target - stored);
        var events = gen.next(n);
        long s0 = System.nanoTime();
        archive.storeJson(tag, 0, events, "build-" + stored);
        storeNanos += System.nanoTime() - s0;
        stored += n;
        if (System.nanoTime() - lastReport > 30_000_000_000L) {
          lastReport = System.nanoTime();
          double s = (lastReport - t0) / 1e9;
          System.out.printf(Locale.ROOT, "build: %,d events in %.0f s (%,.0f events/s), file %,d MB%n", stored, s,
              stored / s, size(archivePath) / 1_000_000);
        }
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "build done: %,d events in %.1f s (%,.0f events/s; %.1f s inside Archive.store),"
        + " file %,d bytes after close%n", stored, s, stored / s, storeNanos / 1e9, size(archivePath));
  }

  static long size(Path archivePath) throws java.io.IOException {
    Path f = archivePath.resolveSibling(archivePath.getFileName() + ".mv.db");
    return Files.exists(f) ? Files.size(f) : 0;
  }
}
