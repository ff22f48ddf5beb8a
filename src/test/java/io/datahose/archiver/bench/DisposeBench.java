package io.datahose.archiver.bench;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.config.RetentionPolicy;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.ArchiveVerifier;
import io.datahose.archiver.evidence.TreeHeads;
import io.datahose.archiver.evidence.Verification;
import io.datahose.archiver.retention.Disposal;
import io.datahose.archiver.retention.LegalHoldStore;
import io.datahose.archiver.simulator.EventGenerator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Disposal speed and what it does to the file (issue 15): builds an archive of {@code --events} generated events
 * (all 17 types; default 100,000), puts a legal hold on one stream, then disposes of everything else past a 1h
 * retention as seen a day later, in one run. Prints events/s, the file size before, right after (H2 keeps the freed
 * pages inside the file and reuses them for new events) and after an offline {@code SHUTDOWN COMPACT}, and verify's
 * verdict. Not part of {@code mvn verify}:
 * {@code java -Xmx2g -cp target/test-classes:target/classes:$(cat target/bench.cp) io.datahose.archiver.bench.DisposeBench
 * [--events 100000] [--dir target/dispose-bench]}.
 */
public final class DisposeBench {

  private DisposeBench() {
  }

  public static void main(String[] args) throws Exception {
    int events = 100_000;
    Path dir = Path.of("target/dispose-bench");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--events" -> events = Integer.parseInt(args[i + 1]);
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
    Path db = dir.resolve("archive").toAbsolutePath();
    Path file = Path.of(db + ".mv.db");
    Path evidence = dir.resolve("evidence");
    ArchiveKey key = ArchiveKey.loadOrCreate(dir.resolve("key.pem"), true, evidence);
    EventGenerator generator = new EventGenerator(7);
    String heldStream;
    try (ArchiveDatabase archive = ArchiveDatabase.open(db, false)) {
      Archive store = new Archive(archive);
      for (int n = 0; n < events; n += 1000) {
        store.storeJson("bench", 0, generator.next(Math.min(1000, events - n)), "ack-" + n);
      }
      new TreeHeads(archive.dsl(), key, evidence).checkpoint();
      heldStream = archive.dsl().fetch("select stream_id from event where stream_id is not null group by stream_id "
          + "order by count(*) desc limit 1").get(0).get(0, String.class);
      new LegalHoldStore(archive.dsl()).add("bench-hold", "keep the busiest stream", List.of(heldStream), List.of(), null,
          null, "bench", "bench");
    }
    long before = Files.size(file);
    AppConfig.Retention retention = new AppConfig.Retention(new RetentionPolicy(
        RetentionPolicy.Period.parse("1h").orElseThrow(), Map.of(), Map.of()), Duration.ofDays(1), 5);
    Disposal.Report report;
    String verdict;
    long verifyMillis;
    try (ArchiveDatabase archive = ArchiveDatabase.open(db, false)) {
      report = Disposal.run(archive.dsl(), retention, key, evidence, false, true, Instant.now().plus(Duration.ofDays(1)),
          ids -> { });
      long t = System.nanoTime();
      Verification v = new ArchiveVerifier(archive.dsl(), key.publicKey(), evidence).verify();
      verifyMillis = (System.nanoTime() - t) / 1_000_000;
      verdict = v.verdict();
    }
    long after = Files.size(file);
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db, "sa", "")) {
      c.createStatement().execute("SHUTDOWN COMPACT");
    }
    long compacted = Files.size(file);
    System.out.printf("dispose: %,d of %,d events disposed of in %.1f s (%,.0f events/s); %,d held (stream %s), "
            + "%,d kept; certificate %d%n", report.disposed(), events, report.millis() / 1000.0,
        report.disposed() * 1000.0 / Math.max(1, report.millis()), report.held(), heldStream, report.retained(),
        report.certificate());
    System.out.printf("file: %,d bytes before, %,d right after (freed pages stay in the file for reuse), %,d after "
        + "SHUTDOWN COMPACT (%.0f%% of before)%n", before, after, compacted, 100.0 * compacted / before);
    System.out.printf("verify after disposal: %s (%.1f s)%n", verdict, verifyMillis / 1000.0);
    System.out.println("reproduce: java -Xmx2g -cp target/test-classes:target/classes:$(cat target/bench.cp) "
        + "io.datahose.archiver.bench.DisposeBench --events " + events);
  }
}
