package io.datahose.archiver.harness;

import io.datahose.archiver.harness.Harness.ArchiveContents;
import io.datahose.archiver.harness.Harness.Comparison;
import io.datahose.archiver.harness.Harness.Simulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM during a large batch (250 messages of ~60 KB each, ~15 MB): the daemon finishes or rolls back that batch,
 * exits 143 (or 0) well within systemd's 90 s stop timeout, and the archive holds exactly the batches up to the one
 * its cursor names — no partial batch. A restart then drains the rest: nothing lost, doubled or unexpected.
 */
@DisplayName("SIGTERM during a large batch stops the daemon quickly with a consistent archive")
class SigtermIT {

  private Simulator simulator;
  private Process daemon;

  @AfterEach
  void cleanUp() {
    Harness.kill9(daemon);
    if (simulator != null) {
      simulator.close();
    }
  }

  private static long sizeOf(Path file) {
    try {
      return java.nio.file.Files.exists(file) ? java.nio.file.Files.size(file) : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  @Test
  @DisplayName("stopping mid-batch exits within 30 s, the cursor names the last stored batch and no batch is partial")
  void sigtermDuringLargeBatch() {
    int events = Harness.intProperty("harness.sigtermEvents", 1000);
    long seed = Harness.longProperty("harness.seed", 20260501L);
    Path dir = Harness.workDir("sigterm");
    Path key = Harness.botKey(dir);
    simulator = Simulator.start(dir, key, List.of("--seed", String.valueOf(seed), "--preload", String.valueOf(events),
        "--stop-after", String.valueOf(events), "--batch-size", "250", "--message-bytes", "60000",
        "--visibility-timeout", "5s", "--long-poll", "1s"));
    Path config = Harness.daemonConfig(dir, simulator.baseUrl, key, 1, "");
    Path log = dir.resolve("daemon.log");

    daemon = Harness.startDaemon(config, log);
    JsonObject firstBatch = simulator.awaitCounts(c -> c.getInteger("deliveries") > 0, Duration.ofSeconds(60), 5,
        daemon);
    assertThat(firstBatch).as("a first batch reached the daemon (see %s)", log).isNotNull();
    // the store transaction of the ~15 MB batch is writing pages once the file grows; stop a random moment later
    Path file = dir.resolve("archive.mv.db");
    long size = sizeOf(file);
    for (long deadline = System.nanoTime() + 20_000_000_000L; System.nanoTime() < deadline && sizeOf(file) <= size; ) {
      Harness.pause(2);
    }
    Harness.pause(new Random(seed).nextInt(100));
    long stopping = System.nanoTime();
    int exit = Harness.sigterm(daemon, Duration.ofSeconds(90));
    long stopMillis = Duration.ofNanos(System.nanoTime() - stopping).toMillis();
    daemon = null;

    JsonObject ledger = simulator.full();
    ArchiveContents archive = Harness.readArchive(dir);
    JsonArray batches = ledger.getJsonArray("batches");
    String cursor = archive.cursors().get(0);
    Set<String> expected = new HashSet<>();
    int cursorBatch = 0;
    if (cursor != null) {
      for (int i = 0; i < batches.size(); i++) {
        JsonObject batch = batches.getJsonObject(i);
        batch.getJsonArray("events").forEach(h -> expected.add((String) h));
        if (batch.getString("ackId").equals(cursor)) {
          cursorBatch = i + 1;
          break;
        }
      }
    }
    boolean cursorKnown = cursor == null || cursorBatch > 0;
    long partial = archive.hashes().equals(expected) ? 0 : 1;

    // restart and drain: whatever the SIGTERM interrupted comes back and is stored
    daemon = Harness.startDaemon(config, log);
    JsonObject drained = simulator.awaitCounts(c -> c.getInteger("acknowledged") >= c.getInteger("generated"),
        Duration.ofSeconds(120), 100, daemon);
    int secondExit = Harness.sigterm(daemon, Duration.ofSeconds(90));
    daemon = null;
    Comparison result = Comparison.of(simulator.full(), Harness.readArchive(dir));

    Harness.figures(String.format("sigterm: exit %d in %d ms, events stored at stop: %d (cursor at batch %d of %d "
            + "served), partial batches: %d; after restart and drain: events: %d, lost: %d, duplicated: %d, "
            + "unexpected: %d  [drained %s, exit %d]", exit, stopMillis, archive.hashes().size(), cursorBatch,
        batches.size(), partial, result.events(), result.lost(), result.duplicated(), result.unexpected(),
        drained != null, secondExit));

    assertThat(exit).as("exit code on SIGTERM (see %s)", log).isIn(0, 143);
    assertThat(stopMillis).as("stop time, ms").isLessThan(30_000);
    assertThat(cursorKnown).as("the cursor %s names a batch the simulator served", cursor).isTrue();
    assertThat(archive.rows()).as("rows = distinct events").isEqualTo(archive.hashes().size());
    assertThat(archive.hashes()).as("archive = the batches up to the cursor's, whole").isEqualTo(expected);
    assertThat(result.lost()).as("lost").isZero();
    assertThat(result.duplicated()).as("duplicated").isZero();
    assertThat(result.unexpected()).as("unexpected").isZero();
    assertThat(secondExit).isIn(0, 143);
  }
}
