package io.datahose.archiver.bench;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.query.MessageFeed;
import io.datahose.archiver.search.SearchIndex;
import io.datahose.archiver.search.SearchIndexer;
import io.datahose.archiver.simulator.EventGenerator;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Probe: search index catch-up throughput, and capture speed with the indexer running, no HTTP.
 * <ol>
 *   <li>catch-up: {@code --events} generated events are stored once into {@code --archive} (kept between runs), then
 *       the whole archive is indexed into a fresh index directory with {@link SearchIndexer#catchUp()}, and the
 *       index is closed (its final commit counted); {@code --runs} times, docs/s of each run.</li>
 *   <li>live: for {@code --live-seconds}, one thread stores batches of {@code --batch} events into a fresh archive
 *       (fsync per batch, as in production) while another calls {@link SearchIndexer#catchUp()} every second, as
 *       the API verticle does; then the same without the indexer. Events/s of capture in both.</li>
 * </ol>
 * <pre>
 * java -Xmx1g -cp target/test-classes:target/classes:$(cat target/bench.cp) io.datahose.archiver.bench.IndexProbe \
 *     --archive target/bench/idx/archive --events 50000 [--runs 3] [--live-seconds 20] [--batch 100]
 * </pre>
 */
public final class IndexProbe {

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i], args[i + 1]);
    }
    Path archivePath = Path.of(opt.getOrDefault("--archive", "target/bench/idx/archive")).toAbsolutePath();
    int events = Integer.parseInt(opt.getOrDefault("--events", "50000"));
    int runs = Integer.parseInt(opt.getOrDefault("--runs", "3"));
    int liveSeconds = Integer.parseInt(opt.getOrDefault("--live-seconds", "20"));
    int batch = Integer.parseInt(opt.getOrDefault("--batch", "100"));
    catchUp(archivePath, events, runs);
    if (liveSeconds > 0) {
      live(liveSeconds, batch, true);
      live(liveSeconds, batch, false);
    }
  }

  private static void catchUp(Path archivePath, int events, int runs) throws Exception {
    Files.createDirectories(archivePath.getParent());
    try (ArchiveDatabase db = ArchiveDatabase.open(archivePath, false)) {
      long stored = db.dsl().fetchCount(io.datahose.archiver.db.Tables.EVENT);
      if (stored < events) {
        Archive archive = new Archive(db);
        EventGenerator gen = new EventGenerator(7);
        for (long n = stored; n < events; n += 1000) {
          archive.storeJson("probe", 0, gen.next((int) Math.min(1000, events - n)), "probe-" + n);
        }
      }
      for (int run = 1; run <= runs; run++) {
        Path dir = Files.createTempDirectory("index-probe");
        long t0 = System.nanoTime();
        long docs;
        try (SearchIndex index = SearchIndex.open(dir)) {
          docs = new SearchIndexer(new MessageFeed(db.dsl()), index).catchUp();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "catch-up run %d: %,d messages of %,d events indexed in %.2f s = %,.0f docs/s "
            + "(index %,d bytes)%n", run, docs, Math.max(stored, events), s, docs / s, size(dir));
      }
    }
  }

  private static void live(int seconds, int batch, boolean withIndexer) throws Exception {
    Path dir = Files.createTempDirectory("index-probe-live");
    EventGenerator gen = new EventGenerator(11);
    List<JsonObject> pool = gen.next(50_000);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong indexed = new AtomicLong();
    AtomicLong catchUps = new AtomicLong();
    AtomicLong busyNanos = new AtomicLong();
    long stored = 0;
    double s;
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), true);
         SearchIndex index = SearchIndex.open(dir.resolve("search"))) {
      SearchIndexer indexer = new SearchIndexer(new MessageFeed(db.dsl()), index);
      Thread indexing = new Thread(() -> {
        while (running.get()) {
          long c0 = System.nanoTime();
          indexed.addAndGet(indexer.catchUp());
          busyNanos.addAndGet(System.nanoTime() - c0);
          catchUps.incrementAndGet();
          try {
            Thread.sleep(1000); // the API verticle's period
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // not expected: the loop ends on the flag, never by interrupt
            return;
          }
        }
      }, "probe-indexer");
      if (withIndexer) {
        indexing.start();
      }
      Archive archive = new Archive(db);
      long t0 = System.nanoTime();
      long end = t0 + seconds * 1_000_000_000L;
      for (int i = 0; System.nanoTime() < end && i + batch <= pool.size(); i += batch) {
        archive.storeJson("probe", 0, pool.subList(i, i + batch), "live-" + i);
        stored += batch;
      }
      s = (System.nanoTime() - t0) / 1e9;
      // no interrupt: an interrupt during Lucene I/O closes the index's file channels
      running.set(false);
      if (withIndexer) {
        indexing.join();
      }
    }
    System.out.printf(Locale.ROOT, "live %s indexer: %,d events stored in %.1f s = %,.0f events/s (batch %d, fsync per"
            + " batch)%s%n", withIndexer ? "with" : "without", stored, s, stored / s, batch,
        withIndexer ? String.format(Locale.ROOT, "; %,d messages indexed in %d catch-ups, indexer busy %.2f s",
            indexed.get(), catchUps.get(), busyNanos.get() / 1e9) : "");
  }

  private static long size(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
