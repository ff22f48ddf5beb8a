package io.datahose.archiver.bench;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.capture.CoverageQueries;
import io.datahose.archiver.export.ExportFormat;
import io.datahose.archiver.export.Exporter;
import io.datahose.archiver.query.ConversationQueries;
import io.datahose.archiver.query.EventQueries;
import io.datahose.archiver.query.ExportScope;
import io.vertx.core.json.JsonObject;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Export speed and heap per format over an archive built by {@link BuildArchive}: each format is written to a
 * counting sink (no disk), {@code --runs} times (the first run warms H2's page cache and the JIT); prints events/s, bytes and the
 * used heap after a full GC, sampled every 16 MB written: flat means it does not grow with the export.
 * <pre>
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat target/bench.cp) io.datahose.archiver.bench.ExportBench \
 *     --archive target/bench/e100k/archive [--formats jsonl,actiance,eml,csv] [--runs 2]
 * </pre>
 */
public final class ExportBench {

  public static void main(String[] args) throws Exception {
    Path archive = Path.of(arg(args, "--archive", "target/bench/e100k/archive"));
    List<ExportFormat> formats = new ArrayList<>();
    for (String f : arg(args, "--formats", "jsonl,actiance,eml,csv").split(",")) {
      formats.add(ExportFormat.parse(f));
    }
    int runs = Integer.parseInt(arg(args, "--runs", "2"));
    try (ArchiveDatabase db = ArchiveDatabase.open(archive, false, 0)) {
      Exporter exporter = new Exporter(new ConversationQueries(db.dsl()), new EventQueries(db.dsl()),
          new CoverageQueries(db), Exporter.EML_MAX_BYTES);
      ExportScope scope = new ExportScope(null, null, null, null, null, 0, exporter.maxSeq());
      for (ExportFormat format : formats) {
        for (int run = 1; run <= runs; run++) {
          Sink sink = new Sink();
          long t0 = System.nanoTime();
          JsonObject manifest = exporter.write(format, scope, sink);
          double s = (System.nanoTime() - t0) / 1e9;
          long events = manifest.getLong("count");
          System.out.printf(Locale.ROOT, "export %-8s run %d: %,d events in %.1f s = %,.0f events/s, %,d bytes;"
                  + " heap after GC min %,d max %,d (%d samples)%s%n", format.label(), run, events, s, events / s,
              sink.bytes, sink.minHeap, sink.maxHeap, sink.samples, format == ExportFormat.JSONL ? ""
                  : ", " + manifest.getLong("conversations") + " conversations, " + manifest.getLong("messageVersions")
                  + " message versions");
        }
      }
    }
  }

  /** Counts bytes and samples the heap (after a full GC) every 16 MB. */
  private static final class Sink extends OutputStream {
    private static final long EVERY = 16L << 20;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long bytes;
    long next = EVERY;
    long minHeap = Long.MAX_VALUE;
    long maxHeap;
    int samples;

    @Override
    public void write(int b) {
      count(1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count(len);
    }

    private void count(int n) {
      bytes += n;
      if (bytes >= next) {
        next += EVERY;
        System.gc();
        long used = memory.getHeapMemoryUsage().getUsed();
        minHeap = Math.min(minHeap, used);
        maxHeap = Math.max(maxHeap, used);
        samples++;
      }
    }
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
