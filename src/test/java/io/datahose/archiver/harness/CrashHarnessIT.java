package io.datahose.archiver.harness;

import io.datahose.archiver.harness.Harness.ArchiveContents;
import io.datahose.archiver.harness.Harness.Comparison;
import io.datahose.archiver.harness.Harness.Simulator;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 harness: the built jar's daemon, against the simulator as its own process with faults on, is killed with
 * SIGKILL at random moments and restarted, {@code harness.trials} times; then it drains the feed, is stopped with
 * SIGTERM, and the archive is compared with the simulator's ledger.
 *
 * <p>Kill moments (chosen by a seeded random, {@code harness.seed}):
 * <ul>
 *   <li>{@code random}: a random delay after the process starts (start-up, Flyway, first read, mid-read);</li>
 *   <li>{@code after-ack}: a few ms after the simulator sees a read that acknowledges a committed batch
 *       (the next read or the next store is in flight);</li>
 *   <li>{@code mid-batch}: 0..(batch store time) after the simulator handed a batch to the daemon (parse +
 *       store transaction in flight);</li>
 *   <li>{@code after-write}: the moment the archive file grows (a commit's pages are being written);</li>
 *   <li>{@code mid-backup}: while a scheduled backup is being written or signed (backups run every 2 s here).</li>
 * </ul>
 * Soak: see docs/operations.md, "Proof of no loss" (harness.trials, harness.events, harness.rate).
 */
@DisplayName("The daemon, killed with SIGKILL at random moments against a faulty pod, loses and doubles nothing")
class CrashHarnessIT {

  private static final List<String> MODES = List.of("random", "after-ack", "mid-batch", "after-write", "mid-backup");

  private Simulator simulator;
  private Process daemon;
  private ApiLoad load;

  @AfterEach
  void cleanUp() {
    if (load != null) {
      load.close();
    }
    Harness.kill9(daemon);
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  @DisplayName("one reader slot: every acknowledged event is stored exactly once, nothing unexpected, nothing left after the drain")
  void oneReader() throws IOException {
    crashTrials("crash-1-reader", 1, false, false);
  }

  @Test
  @DisplayName("one reader slot with a restore of a scheduled backup half-way: what the restore discarded is in the "
      + "set-aside file, every other acknowledged event is stored once, no seq names two events, and verify passes")
  void oneReaderWithRestore() throws IOException {
    crashTrials("crash-1-reader-restore", 1, false, true);
  }

  @Test
  @DisplayName("four reader slots on one feed: the same holds")
  void fourReaders() throws IOException {
    crashTrials("crash-4-readers", 4, false, false);
  }

  @Test
  @DisplayName("four reader slots while officers search and an admin asks for backups all along: the same holds, no 500")
  void fourReadersUnderApiLoad() throws IOException {
    crashTrials("crash-4-readers-api-load", 4, true, false);
  }

  private void crashTrials(String name, int readers, boolean apiLoad, boolean restore) throws IOException {
    int trials = restore ? Harness.intProperty("harness.restoreTrials", 10)
        : Harness.intProperty(apiLoad ? "harness.loadTrials" : "harness.trials", apiLoad ? 12 : 20);
    long events = Harness.longProperty("harness.events", 4000);
    int rate = Harness.intProperty("harness.rate", 150);
    long seed = Harness.longProperty("harness.seed", 20260501L) + readers + (apiLoad ? 100 : 0) + (restore ? 200 : 0);
    double faultRate = Double.parseDouble(System.getProperty("harness.faultRate", "0.1"));
    Random random = new Random(seed);
    long started = System.nanoTime();

    Path dir = Harness.workDir(name);
    Path key = Harness.botKey(dir);
    simulator = Simulator.start(dir, key, List.of("--seed", String.valueOf(seed),
        "--preload", String.valueOf(Math.min(events, 500)), "--rate", String.valueOf(rate),
        "--stop-after", String.valueOf(events), "--fault-rate", String.valueOf(faultRate),
        "--visibility-timeout", "3s", "--long-poll", "1s", "--slow-delay", "1500ms", "--batch-size", "100",
        // a third of the events spelled differently on the wire, re-spelled on redelivery
        "--wire-variants", System.getProperty("harness.wireVariants", "0.3")));
    // Scheduled backups every 2 s, so kills also land while H2 writes a backup (mode mid-backup waits for one).
    Path backups = dir.resolve("backups");
    Path config = Harness.daemonConfig(dir, simulator.baseUrl, key, readers,
        "backup:\n  dir: \"" + backups + "\"\n  interval: 2s\n  keep: 2\n");
    Path log = dir.resolve("daemon.log");
    Path archiveFile = dir.resolve("archive.mv.db");

    if (apiLoad) {
      String officer = Harness.officerToken(dir, config, "load-officer", "officer");
      String admin = Harness.officerToken(dir, config, "load-admin", "admin");
      load = new ApiLoad(Harness.apiUrl(config), officer, admin, 3);
    }
    Map<String, Integer> kills = new TreeMap<>();
    for (int trial = 0; trial < trials; trial++) {
      String mode = MODES.get(random.nextInt(MODES.size()));
      JsonObject before = simulator.counts();
      daemon = Harness.startDaemon(config, log);
      boolean moment = switch (mode) {
        case "random" -> {
          Harness.pause(random.nextInt(4000));
          yield true;
        }
        case "after-ack" -> awaitGrowth(before, "acknowledgingReads", 0, random.nextInt(20));
        case "mid-batch" -> awaitGrowth(before, "deliveries", 0, random.nextInt(40));
        case "mid-backup" -> awaitBackupInProgress(backups);
        default -> awaitGrowth(before, "reads", 0, 0) && awaitFileGrowth(archiveFile);
      };
      if (!daemon.isAlive()) {
        throw new AssertionError(String.format("daemon exited (code %d) before kill %d (%s); its last start:%n%s",
            daemon.exitValue(), trial, mode, Harness.lastStart(log, 60)));
      }
      Harness.kill9(daemon);
      daemon = null;
      kills.merge(moment ? mode : mode + "(timed out)", 1, Integer::sum);
      if (restore && trial == trials / 2) {
        // run until a scheduled backup is written and a few seconds of events are acknowledged after it, kill, restore
        daemon = Harness.startDaemon(config, log);
        awaitScheduledBackup(backups);
        JsonObject afterBackup = simulator.counts();
        awaitGrowth(afterBackup, "acknowledgingReads", 5, 0);
        Harness.kill9(daemon);
        daemon = null;
        restored = restoreNewestBackup(dir, backups, config);
      }
    }

    // Drain: run until the simulator stopped generating and everything generated is acknowledged.
    daemon = Harness.startDaemon(config, log);
    JsonObject drained = simulator.awaitCounts(c -> !c.getBoolean("generating")
            && c.getInteger("acknowledged") >= c.getInteger("generated"),
        Duration.ofSeconds(Harness.longProperty("harness.drainSeconds", 90)), 100, daemon);
    int exit = Harness.sigterm(daemon, Duration.ofSeconds(60), log);
    daemon = null;
    String api = "";
    if (load != null) {
      load.close();
      api = String.format("; API answers %s, unreachable %d; longest slot stall %d ms", load.statuses(),
          load.unreachable(), load.longestStallMillis());
    }

    JsonObject ledger = simulator.full();
    ArchiveContents archive = Harness.readArchive(dir);
    // Events acknowledged after the restored backup are gone from the archive by design (the restore recorded the
    // gap); they must be in the set-aside file. Every seq both files hold must name the same event there.
    ArchiveContents setAside = restored == null ? null : Harness.readArchive(restored);
    Comparison result = Comparison.of(ledger, archive, setAside == null ? Set.of() : setAside.hashes());
    long reused = 0;
    long discarded = 0;
    String verify = "";
    if (setAside != null) {
      for (Map.Entry<Long, String> e : archive.bySeq().entrySet()) {
        String before = setAside.bySeq().get(e.getKey());
        if (before != null && !before.equals(e.getValue())) {
          reused++;
        }
      }
      discarded = setAside.hashes().stream().filter(h -> !archive.hashes().contains(h)).count();
      int code = Harness.cli(dir, "verify", List.of("verify", "--config", config.toString()));
      verify = "; verify exit " + code + " (" + Harness.lastLine(dir.resolve("verify.log"), "verify: ") + ")";
    }
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    Set<String> notServed = new HashSet<>(archive.rawHashes());
    notServed.removeAll(Harness.set(ledger, "servedRawHashes"));
    Harness.figures(String.format("crash trials: %d, events: %d, lost: %d, duplicated: %d, unexpected: %d, "
            + "altered: %d, bytes never served: %d, projection rows differing: %s"
            + "  [readers %d; kills %s; faults %s; reads %d, event copies delivered %d; drained %s; exit %d; %d s%s; %s]",
        trials, result.events(), result.lost(), result.duplicated(), result.unexpected(), archive.altered(),
        notServed.size(), archive.projectionMismatch().isEmpty() ? "none" : archive.projectionMismatch(), readers, kills,
        ledger.getJsonObject("faults").encode(), ledger.getInteger("reads"), ledger.getInteger("deliveries"),
        drained != null, exit, seconds, api + (setAside == null ? "" : "; restore: " + discarded
            + " events discarded (in the set-aside file), seqs reused " + reused + verify), result.detail()));

    assertThat(result.lost()).as("lost (see %s)", log).isZero();
    assertThat(result.duplicated()).as("duplicated").isZero();
    assertThat(result.unexpected()).as("unexpected").isZero();
    assertThat(archive.altered()).as("stored bytes that no longer match their hashes").isZero();
    assertThat(notServed).as("stored bytes the simulator never served (re-serialized?)").isEmpty();
    assertThat(archive.projectionMismatch()).as("projection tables vs one clean pass over the same events").isEmpty();
    assertThat(result.events()).as("events generated").isEqualTo(events);
    assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
    if (setAside != null) {
      assertThat(reused).as("seqs of the set-aside archive handed out again to other events").isZero();
      assertThat(verify).as("verify of the archive after the restore and the kills that followed")
          .startsWith("; verify exit 0 ");
    }
    if (load != null) {
      assertThat(load.statuses()).as("API answers under kills (see %s)", log).doesNotContainKey(500)
          .containsKey(200);
    }
  }

  private Path restored;

  /** Waits until a scheduled backup zip is in {@code backups} (the daemon writes one every 2 s). */
  private void awaitScheduledBackup(Path backups) throws IOException {
    if (!awaitInBackups(backups, name -> name.matches("archive-.*\\.zip"), Duration.ofSeconds(60), 50)) {
      throw new AssertionError("no scheduled backup within 60 s (daemon alive: " + daemon.isAlive() + ")");
    }
  }

  /**
   * @return whether a file whose name {@code wanted} accepts appeared in {@code backups} within {@code max}, polled
   *     every {@code pauseMillis} while the daemon lives
   */
  private boolean awaitInBackups(Path backups, java.util.function.Predicate<String> wanted, Duration max,
                                 long pauseMillis) throws IOException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline && daemon.isAlive()) {
      if (Files.isDirectory(backups)) {
        try (var files = Files.list(backups)) {
          if (files.anyMatch(f -> wanted.test(f.getFileName().toString()))) {
            return true;
          }
        }
      }
      Harness.pause(pauseMillis);
    }
    return false;
  }

  /**
   * Runs {@code restore <newest scheduled backup>} with the daemon killed, as an operator would after losing the
   * archive file, and returns a directory holding the set-aside file as {@code archive.mv.db}.
   */
  private static Path restoreNewestBackup(Path dir, Path backups, Path config) throws IOException {
    Path zip;
    try (var files = Files.list(backups)) {
      zip = files.filter(f -> f.getFileName().toString().matches("archive-.*\\.zip")).max(Comparator.naturalOrder())
          .orElseThrow(() -> new AssertionError("no scheduled backup in " + backups + " to restore"));
    }
    int code = Harness.cli(dir, "restore", List.of("restore", zip.toString(), "--config", config.toString()));
    assertThat(code).as("restore exit code (see %s)", dir.resolve("restore.log")).isZero();
    Path aside;
    try (var files = Files.list(dir)) {
      aside = files.filter(f -> f.getFileName().toString().startsWith("archive.mv.db.before-restore-")).findFirst()
          .orElseThrow(() -> new AssertionError("restore kept no set-aside file"));
    }
    Path copy = dir.resolve("set-aside");
    Files.createDirectories(copy);
    Files.copy(aside, copy.resolve("archive.mv.db"));
    return copy;
  }

  /**
   * Waits until the ledger counter {@code field} exceeds its value in {@code before} (+{@code more}), then waits
   * {@code delayMillis} more. @return false when that did not happen within 20 s (the kill then happens anyway).
   */
  private boolean awaitGrowth(JsonObject before, String field, int more, int delayMillis) {
    long start = before.getLong(field);
    JsonObject seen = simulator.awaitCounts(c -> c.getLong(field) > start + more, Duration.ofSeconds(20), 2, daemon);
    if (seen == null) {
      return false;
    }
    Harness.pause(delayMillis);
    return true;
  }

  /** Waits until a backup is being written (its private work directory {@code .backup-*} exists). */
  private boolean awaitBackupInProgress(Path backups) throws IOException {
    return awaitInBackups(backups, name -> name.startsWith(".backup-"), Duration.ofSeconds(20), 1);
  }

  /** Waits until the archive file's size or modification time changes (a commit writing pages). */
  private boolean awaitFileGrowth(Path file) throws IOException {
    long size = Files.exists(file) ? Files.size(file) : -1;
    long modified = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : -1;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline && daemon.isAlive()) {
      if (Files.exists(file) && (Files.size(file) != size || Files.getLastModifiedTime(file).toMillis() != modified)) {
        return true;
      }
      Harness.pause(1);
    }
    return false;
  }
}
