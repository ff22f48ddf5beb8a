package io.datahose.archiver.harness;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.ArchiveVerifier;
import io.datahose.archiver.evidence.Verification;
import io.datahose.archiver.harness.Harness.ArchiveContents;
import io.datahose.archiver.harness.Harness.Comparison;
import io.datahose.archiver.harness.Harness.Simulator;
import io.datahose.archiver.testing.PgCluster;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static io.datahose.archiver.db.Tables.FEED_CURSOR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 harness on PostgreSQL: two daemon processes of the built jar ({@code a} and {@code b}), two reader slots
 * each, share one PostgreSQL archive (a private cluster with fsync on, {@link PgCluster#start(boolean)}) and one
 * simulator feed (same tag). {@code harness.pgTrials} times, one of the two daemons (sometimes both) is killed with
 * SIGKILL at a random moment and restarted at once, while the other keeps running; then both drain the feed, are
 * stopped with SIGTERM, and the archive is compared with the simulator's ledger as in {@link CrashHarnessIT}, plus:
 * seq gapless across daemons, the cursor rows of both daemon ids, and {@code verify} (the CLI with a's config, and
 * in-process against b's evidence.dir).
 *
 * <p>Kill moments (seeded, {@code harness.seed}): those of {@link CrashHarnessIT} that apply to PostgreSQL —
 * {@code random} (a delay of 0..4 s from the trial's start: the previous trial may just have restarted the victim,
 * so this covers start-up and Flyway), {@code after-ack} and {@code mid-batch} (once the victim answers its API, a
 * few ms after an acknowledging read or a delivery; the ledger does not tell which daemon read, so the moment is the
 * feed's, and the victim is one of its two readers). Not {@code after-write} (no archive file) nor
 * {@code mid-backup} (PostgreSQL's backups are not the daemon's).
 *
 * <p>The archive key is made beforehand at a's default path ({@code <database.path>.key.pem}); b signs with it
 * ({@code evidence.key}) and files its tree heads in its own {@code evidence.dir}; both sign every
 * {@code harness.pgCheckpointInterval} (1s), so kills also land while heads are signed.
 *
 * <p>Properties: {@code harness.pgTrials} (12), {@code harness.pgEvents} (else {@code harness.events}, else 3000),
 * and those of {@link CrashHarnessIT}: {@code harness.seed}, {@code harness.rate}, {@code harness.faultRate},
 * {@code harness.wireVariants}, {@code harness.drainSeconds}.
 */
@DisplayName("Two daemons × two reader slots on one PostgreSQL archive, killed with SIGKILL at random moments, lose "
    + "and double nothing")
class CrashHarnessPostgresIT {

  private static final List<String> MODES = List.of("random", "after-ack", "mid-batch");
  private static final List<String> IDS = List.of("a", "b");
  private static final int READERS = 2;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PgCluster pg;
  private Simulator simulator;
  private final Map<String, Process> daemons = new TreeMap<>();

  @AfterEach
  void cleanUp() {
    daemons.values().forEach(Process::destroyForcibly);
    daemons.values().forEach(Harness::kill9);
    daemons.clear();
    if (simulator != null) {
      simulator.close();
    }
    if (pg != null) {
      pg.stop();
    }
  }

  @Test
  @DisplayName("2 daemons × 2 reader slots: every acknowledged event stored exactly once, projection as one clean "
      + "pass, seq gapless, cursor rows per daemon, verify OK")
  void twoDaemonsTwoReaders() throws IOException {
    assertThat(PgCluster.available()).as("PostgreSQL server binaries (initdb, pg_ctl) for the private cluster")
        .isTrue();
    int trials = Harness.intProperty("harness.pgTrials", 12);
    long events = Harness.longProperty("harness.pgEvents", Harness.longProperty("harness.events", 3000));
    int rate = Harness.intProperty("harness.rate", 150);
    long seed = Harness.longProperty("harness.seed", 20260501L) + 300;
    double faultRate = Double.parseDouble(System.getProperty("harness.faultRate", "0.1"));
    String checkpoint = System.getProperty("harness.pgCheckpointInterval", "1s");
    Random random = new Random(seed);
    long started = System.nanoTime();

    Path dir = Harness.workDir("crash-pg-2-daemons");
    Path botKey = Harness.botKey(dir);
    pg = PgCluster.start(true);
    String url = pg.createDatabase("crash_harness");
    simulator = Simulator.start(dir, botKey, List.of("--seed", String.valueOf(seed),
        "--preload", String.valueOf(Math.min(events, 500)), "--rate", String.valueOf(rate),
        "--stop-after", String.valueOf(events), "--fault-rate", String.valueOf(faultRate),
        "--visibility-timeout", "3s", "--long-poll", "1s", "--slow-delay", "1500ms", "--batch-size", "100",
        "--wire-variants", System.getProperty("harness.wireVariants", "0.3")));

    // a's default key path, made now so that b (which names it) may start first
    Path archiveKey = dir.resolve("a").resolve("archive.key.pem");
    Files.createDirectories(archiveKey.getParent());
    ArchiveKey.loadOrCreate(archiveKey, true, null);
    Path evidenceB = dir.resolve("b").resolve("evidence");
    Map<String, Path> configs = new TreeMap<>();
    Map<String, Path> logs = new TreeMap<>();
    for (String id : IDS) {
      Path own = dir.resolve(id);
      Files.createDirectories(own);
      String database = "database:\n  url: \"" + url + "\"\n  user: \"" + pg.user() + "\"\n"
          + (pg.password().isEmpty() ? "" : "  password: \"" + pg.password() + "\"\n")
          + "  daemonId: \"" + id + "\"\n";
      // a: the default key and evidence.dir under its database.path; b: a's key, its own evidence.dir. Both sign
      // tree heads often, so that kills also land while the two daemons sign heads of the one archive in turn.
      String evidence = "evidence:\n  checkpointInterval: " + checkpoint + "\n" + (id.equals("a") ? ""
          : "  key: \"" + archiveKey + "\"\n  dir: \"" + evidenceB + "\"\n");
      configs.put(id, Harness.daemonConfig(own, simulator.baseUrl, botKey, READERS, database + evidence));
      logs.put(id, own.resolve("daemon.log"));
    }
    for (String id : IDS) {
      daemons.put(id, Harness.startDaemon(configs.get(id), logs.get(id)));
    }

    Map<String, Integer> kills = new TreeMap<>();
    for (int trial = 0; trial < trials; trial++) {
      String mode = MODES.get(random.nextInt(MODES.size()));
      int pick = random.nextInt(5); // a, a, b, b, both
      List<String> victims = pick < 2 ? List.of("a") : pick < 4 ? List.of("b") : IDS;
      Process watched = daemons.get(victims.get(0));
      boolean moment = switch (mode) {
        case "random" -> {
          Harness.pause(random.nextInt(4000));
          yield true;
        }
        case "after-ack" -> awaitApi(configs.get(victims.get(0)), watched)
            && awaitGrowth(simulator.counts(), "acknowledgingReads", random.nextInt(20), watched);
        default -> awaitApi(configs.get(victims.get(0)), watched)
            && awaitGrowth(simulator.counts(), "deliveries", random.nextInt(40), watched);
      };
      for (String id : IDS) {
        Process daemon = daemons.get(id);
        if (!daemon.isAlive()) {
          throw new AssertionError(String.format("daemon %s exited (code %d) before kill %d (%s of %s); its last "
              + "start:%n%s", id, daemon.exitValue(), trial, mode, victims, Harness.lastStart(logs.get(id), 60)));
        }
      }
      victims.forEach(id -> daemons.get(id).destroyForcibly()); // both at once when both
      victims.forEach(id -> Harness.kill9(daemons.get(id)));
      kills.merge(String.join("+", victims) + ":" + (moment ? mode : mode + "(timed out)"), 1, Integer::sum);
      for (String id : victims) {
        daemons.put(id, Harness.startDaemon(configs.get(id), logs.get(id)));
      }
    }

    // Drain with both running (both past their start-up: a daemon just restarted would otherwise be stopped before
    // it ever reads, and the other would drain alone): until the simulator stopped generating and everything
    // generated is acknowledged.
    for (String id : IDS) {
      if (!awaitApi(configs.get(id), daemons.get(id))) {
        throw new AssertionError("daemon " + id + " did not answer its API within 30 s before the drain; its last "
            + "start:\n" + Harness.lastStart(logs.get(id), 60));
      }
    }
    JsonObject drained = awaitDrain(Duration.ofSeconds(Harness.longProperty("harness.drainSeconds", 90)), logs);
    Map<String, Integer> exits = new TreeMap<>();
    for (String id : IDS) {
      exits.put(id, Harness.sigterm(daemons.get(id), Duration.ofSeconds(60), logs.get(id)));
      daemons.remove(id);
    }

    JsonObject ledger = simulator.full();
    ArchiveContents archive;
    Map<String, Long> cursorEvents = new TreeMap<>();
    Verification verifyB;
    try (ArchiveDatabase db = ArchiveDatabase.postgresql(url, pg.user(), pg.password(), "harness-reader")) {
      archive = Harness.readArchive(db);
      db.dsl().select(FEED_CURSOR.DAEMON_ID, FEED_CURSOR.SLOT, FEED_CURSOR.EVENTS).from(FEED_CURSOR)
          .forEach(r -> cursorEvents.put(r.value1() + "/" + r.value2(), r.value3()));
      verifyB = new ArchiveVerifier(db.dsl(), ArchiveKey.load(archiveKey).publicKey(), evidenceB).verify();
    }
    int verifyCode = Harness.cli(dir, "verify", List.of("verify", "--config", configs.get("a").toString()));
    String verifyA = Harness.lastLine(dir.resolve("verify.log"), "verify: OK");
    if (verifyA.isEmpty()) {
      verifyA = Harness.lastLine(dir.resolve("verify.log"), "verify");
    }
    Comparison result = Comparison.of(ledger, archive);
    long minSeq = archive.bySeq().keySet().stream().mapToLong(Long::longValue).min().orElse(0);
    long maxSeq = archive.bySeq().keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    boolean gapless = minSeq == 1 && maxSeq == archive.rows() && archive.bySeq().size() == archive.rows();
    Set<String> notServed = new HashSet<>(archive.rawHashes());
    notServed.removeAll(Harness.set(ledger, "servedRawHashes"));
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    Harness.figures(String.format("crash trials: %d, events: %d, lost: %d, duplicated: %d, unexpected: %d, "
            + "altered: %d, bytes never served: %d, projection rows differing: %s, seq %d..%d of %d rows (%s), "
            + "verify exit %d (%s), verify of b's evidence.dir: %s"
            + "  [postgresql, fsync on; daemons 2 × readers %d; tree heads every %s; kills %s; events per cursor %s; faults %s; reads %d, "
            + "event copies delivered %d; drained %s; exits %s; %d s; %s]",
        trials, result.events(), result.lost(), result.duplicated(), result.unexpected(), archive.altered(),
        notServed.size(), archive.projectionMismatch().isEmpty() ? "none" : archive.projectionMismatch(), minSeq,
        maxSeq, archive.rows(), gapless ? "gapless" : "GAPS", verifyCode, verifyA, verifyB.verdict(), READERS,
        checkpoint, kills, cursorEvents, ledger.getJsonObject("faults").encode(), ledger.getInteger("reads"),
        ledger.getInteger("deliveries"), drained != null, exits, seconds, result.detail()));

    assertThat(drained).as("drained within harness.drainSeconds (see %s)", logs).isNotNull();
    assertThat(result.lost()).as("lost (see %s)", logs).isZero();
    assertThat(result.duplicated()).as("duplicated").isZero();
    assertThat(result.unexpected()).as("unexpected").isZero();
    assertThat(archive.altered()).as("stored bytes that no longer match their hashes").isZero();
    assertThat(notServed).as("stored bytes the simulator never served (re-serialized?)").isEmpty();
    assertThat(archive.projectionMismatch()).as("projection tables vs one clean pass over the same events").isEmpty();
    assertThat(result.events()).as("events generated").isEqualTo(events);
    assertThat(minSeq).as("lowest seq").isEqualTo(1L);
    assertThat(maxSeq).as("highest seq = rows (seq gapless across both daemons)").isEqualTo(archive.rows());
    assertThat(cursorEvents.keySet()).as("cursor rows (daemon id/slot)")
        .containsExactlyInAnyOrder("a/0", "a/1", "b/0", "b/1");
    for (String id : IDS) {
      assertThat(cursorEvents.get(id + "/0") + cursorEvents.get(id + "/1")).as("events stored by daemon %s", id)
          .isPositive();
    }
    assertThat(verifyCode).as("verify exit code with a's config (%s)", verifyA).isZero();
    assertThat(verifyA).as("verify's verdict with a's config").startsWith("verify: OK");
    assertThat(verifyB.ok()).as("verify against b's evidence.dir: %s", verifyB.verdict()).isTrue();
    assertThat(exits.values()).as("exit codes after SIGTERM").allMatch(code -> code == 0 || code == 143);
  }

  /**
   * Waits until the daemon of {@code config} answers its API (any status: it is past the archive's opening), at
   * most 30 s. @return false when it did not (the kill then happens anyway)
   */
  private static boolean awaitApi(Path config, Process daemon) {
    URI health = URI.create(Harness.apiUrl(config) + "/health");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline && daemon.isAlive()) {
      try {
        HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        return true;
      } catch (IOException e) {
        Harness.pause(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return false;
  }

  /**
   * Waits until the ledger counter {@code field} exceeds its value in {@code before}, then {@code delayMillis} more.
   * @return false when that did not happen within 20 s or {@code watched} died
   */
  private boolean awaitGrowth(JsonObject before, String field, int delayMillis, Process watched) {
    long start = before.getLong(field);
    JsonObject seen = simulator.awaitCounts(c -> c.getLong(field) > start, Duration.ofSeconds(20), 2, watched);
    if (seen == null) {
      return false;
    }
    Harness.pause(delayMillis);
    return true;
  }

  /** @return the counts once drained, or null at the timeout; throws when a daemon exits meanwhile */
  private JsonObject awaitDrain(Duration timeout, Map<String, Path> logs) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject counts = simulator.counts();
      if (!counts.getBoolean("generating") && counts.getInteger("acknowledged") >= counts.getInteger("generated")) {
        return counts;
      }
      List<String> dead = new ArrayList<>();
      daemons.forEach((id, p) -> {
        if (!p.isAlive()) {
          dead.add(id + " (exit " + p.exitValue() + "):\n" + Harness.lastStart(logs.get(id), 60));
        }
      });
      if (!dead.isEmpty()) {
        throw new AssertionError("daemon exited during the drain: " + dead);
      }
      Harness.pause(100);
    }
    return null;
  }
}
