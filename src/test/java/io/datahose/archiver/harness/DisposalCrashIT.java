package io.datahose.archiver.harness;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.ArchiveVerifier;
import io.datahose.archiver.evidence.TreeHeads;
import io.datahose.archiver.evidence.Verification;
import io.datahose.archiver.simulator.EventGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static io.datahose.archiver.db.Tables.DISPOSAL_CERTIFICATE;
import static io.datahose.archiver.db.Tables.EVENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: {@code dispose} killed with SIGKILL at random moments, then run again: after every kill the archive is
 * consistent (every tombstone covered by a certificate, verify passes), and the runs that completed left exactly one
 * certificate each (the first completed run disposes of everything; later ones find nothing to do).
 */
@DisplayName("dispose, killed with SIGKILL mid-run and run again, leaves a consistent, provable archive")
class DisposalCrashIT {

  @Test
  @DisplayName("kill -9 at random moments: consistent after each, one certificate per completed run")
  void killedMidRun() throws Exception {
    int events = Harness.intProperty("harness.disposeEvents", 20_000);
    int trials = Harness.intProperty("harness.disposeTrials", 6);
    Random random = new Random(Harness.longProperty("harness.seed", 20260501L));
    Path dir = Harness.workDir("dispose-crash");
    Path db = dir.resolve("archive");
    Path config = dir.resolve("datahose-archiver.yaml");
    Files.writeString(config, "symphony:\n  pod:\n    url: \"https://pod.example\"\n"
        + "database:\n  path: \"" + db + "\"\n  fsync: batch\n"
        + "retention:\n  default: 1ms\n", StandardCharsets.UTF_8);
    ArchiveKey key = ArchiveKey.loadOrCreate(Path.of(db + ".key.pem"), true, Path.of(db + ".evidence"));
    try (ArchiveDatabase archive = ArchiveDatabase.open(db, false)) {
      Archive store = new Archive(archive);
      EventGenerator generator = new EventGenerator(11);
      for (int n = 0; n < events; n += 1000) {
        store.storeJson("harness", 0, generator.next(1000), "ack-" + n);
      }
      new TreeHeads(archive.dsl(), key, Path.of(db + ".evidence")).checkpoint();
    }
    Path log = dir.resolve("dispose.log");
    int completed = 0;
    int killed = 0;
    for (int trial = 0; trial < trials; trial++) {
      Process dispose = Harness.jarProcess(log, "512m", List.of("dispose", "--confirm", "--config", config.toString()))
          .start();
      Harness.pause(1500 + random.nextInt(4000));
      if (dispose.isAlive()) {
        Harness.kill9(dispose);
        killed++;
      } else {
        assertThat(dispose.exitValue()).as("dispose exit code (see %s)", log).isZero();
        completed++;
      }
      assertConsistent(db, key, completed, "after trial " + trial);
    }
    Process last = Harness.jarProcess(log, "512m", List.of("dispose", "--confirm", "--config", config.toString()))
        .start();
    assertThat(last.waitFor()).as("final dispose exit code (see %s)", log).isZero();
    completed++;
    int certificates = assertConsistent(db, key, completed, "after the final run");
    try (ArchiveDatabase archive = ArchiveDatabase.open(db, false)) {
      assertThat(archive.dsl().fetchCount(EVENT, EVENT.DISPOSED_AT.isNull())).as("events left with content").isZero();
    }
    assertThat(certificates).isEqualTo(1);
    Harness.figures(String.format("dispose crash trials: %d (killed %d, completed %d), events: %d, certificates: %d, "
        + "verify OK after each", trials + 1, killed, completed, events, certificates));
  }

  /** @return the certificates; asserts tombstones only under a certificate, one certificate iff a run completed */
  private static int assertConsistent(Path db, ArchiveKey key, int completed, String when) {
    try (ArchiveDatabase archive = ArchiveDatabase.open(db, false)) {
      var sql = archive.dsl();
      int certificates = sql.fetchCount(DISPOSAL_CERTIFICATE);
      assertThat(certificates).as("certificates %s (%d runs completed)", when, completed).isEqualTo(completed > 0 ? 1 : 0);
      int uncovered = sql.fetchCount(EVENT, EVENT.DISPOSED_AT.isNotNull()
          .and(EVENT.DISPOSAL_ID.notIn(sql.select(DISPOSAL_CERTIFICATE.ID).from(DISPOSAL_CERTIFICATE))));
      assertThat(uncovered).as("tombstones without a certificate %s", when).isZero();
      if (certificates == 0) {
        assertThat(sql.fetchCount(EVENT, EVENT.DISPOSED_AT.isNotNull())).as("tombstones of a killed run %s", when)
            .isZero();
      }
      Verification v = new ArchiveVerifier(sql, key.publicKey(), Path.of(db + ".evidence")).verify();
      assertThat(v.ok()).as("verify %s: %s", when, v.verdict()).isTrue();
      return certificates;
    }
  }
}
