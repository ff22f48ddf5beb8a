package io.datahose.archiver.bench;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.ArchiveVerifier;
import io.datahose.archiver.evidence.TreeHeads;
import io.datahose.archiver.evidence.Verification;
import io.datahose.archiver.simulator.EventGenerator;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the evidence costs and how fast it proves. Phase 1, the Merkle log's ingest cost: the same generated events
 * (all 17 types, ~1.7 KB each) are stored batch by batch ({@code --batch}, default 100, fsync batch) into two
 * archives, alternately with and without the Merkle leaves ({@code datahose.bench.withoutMerkleLog}), so both see
 * the same machine load; the time inside {@link Archive#store} is summed for each. Phase 2, verify speed: the archive
 * with the log gets a signed tree head every 10 batches, then {@link ArchiveVerifier} runs {@code --runs} times
 * (default 3), printing MB/s of raw bytes hashed. Not part of {@code mvn verify}; run as docs/benchmarks.md says:
 * {@code java -cp ... io.datahose.archiver.bench.VerifyBench [--events N] [--batch N] [--runs N] [--dir D]}.
 */
public final class VerifyBench {

  private static final String WITHOUT_LOG = "datahose.bench.withoutMerkleLog";

  private VerifyBench() {
  }

  public static void main(String[] args) throws Exception {
    int events = 50_000;
    int runs = 3;
    int batchSize = 100;
    Path dir = Path.of("target/verify-bench");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--events" -> events = Integer.parseInt(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--batch" -> batchSize = Integer.parseInt(args[i + 1]);
        case "--dir" -> dir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    Files.createDirectories(dir);
    ArchiveKey key = ArchiveKey.loadOrCreate(dir.resolve("archive.key.pem"), true, dir.resolve("evidence"));
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive").toAbsolutePath(), true);
         ArchiveDatabase plain = ArchiveDatabase.open(dir.resolve("without-log").toAbsolutePath(), true)) {
      Archive archive = new Archive(db);
      Archive withoutLog = new Archive(plain);
      TreeHeads heads = new TreeHeads(db.dsl(), key, dir.resolve("evidence"));
      EventGenerator generator = new EventGenerator(7);
      long built = System.nanoTime();
      long withNanos = 0;
      long withoutNanos = 0;
      for (int done = 0, batch = 0; done < events; done += batchSize, batch++) {
        List<JsonObject> next = generator.next(Math.min(batchSize, events - done));
        // alternate which goes first, so neither always runs on a warm page cache
        for (int k = 0; k < 2; k++) {
          boolean log = (batch + k) % 2 == 0;
          System.setProperty(WITHOUT_LOG, String.valueOf(!log));
          long t = System.nanoTime();
          (log ? archive : withoutLog).storeJson("bench", 0, next, "ack-" + done);
          if (log) {
            withNanos += System.nanoTime() - t;
          } else {
            withoutNanos += System.nanoTime() - t;
          }
        }
        System.clearProperty(WITHOUT_LOG);
        if (batch % 10 == 9) {
          heads.checkpoint();
        }
      }
      heads.checkpoint();
      System.out.printf("| ingest, Archive.store with the Merkle log | %,d events | %.1f s | %.0f events/s | |%n", events,
          withNanos / 1e9, events / (withNanos / 1e9));
      System.out.printf("| ingest, Archive.store without it | %,d events | %.1f s | %.0f events/s | log adds %.1f%% |%n",
          events, withoutNanos / 1e9, events / (withoutNanos / 1e9), 100.0 * (withNanos - withoutNanos) / withoutNanos);
      System.out.printf("stored %,d events into both archives in %.1f s%n", events, (System.nanoTime() - built) / 1e9);
      for (int run = 1; run <= runs; run++) {
        Verification v = new ArchiveVerifier(db.dsl(), key.publicKey(), dir.resolve("evidence")).verify();
        System.out.printf("| verify run %d | %,d events, %.1f MB raw, %d tree heads | %.2f s | %.0f MB/s | %s |%n", run,
            v.events(), v.rawBytes() / 1e6, v.treeHeads(), v.millis() / 1000.0, v.megabytesPerSecond(),
            v.ok() ? "OK" : v.verdict());
      }
    }
    System.out.printf("machine: %d cores, Java %s, load %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), Files.readString(Path.of("/proc/loadavg")).trim());
  }
}
