package io.datahose.archiver.ops;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestPod;
import io.vertx.core.json.JsonObject;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.OffsetDateTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.datahose.archiver.db.Tables.CAPTURE_GAP;
import static io.datahose.archiver.db.Tables.EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Online backup while capture runs, its verification, and restore + restart. */
@DisplayName("Backup and restore")
class BackupTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;
  private TestPod pod;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
    if (pod != null) {
      pod.simulator().stopSteady();
      pod.close();
    }
  }

  @Test
  @DisplayName("A backup taken during continuous ingest verifies, and restore then restart resumes with nothing doubled")
  void backupDuringIngestThenRestore() throws Exception {
    pod = TestPod.start(dir, Duration.ofMillis(300), 20);
    AppConfig config = pod.config(1, new JsonObject()
        .put("backup", new JsonObject().put("dir", dir.resolve("backups").toString()).put("keep", 2)));
    daemon = Daemon.start(config);
    pod.simulator().startSteady(pod.vertx(), 400);
    Await.until(WAIT, "ingest under way", () -> daemon.status().stored() > 200);
    List<String> progress = new ArrayList<>();
    BackupVerifier.Verification v = daemon.ops().backups().backupTo(dir.resolve("backups"), progress::add);
    assertThat(v.events()).isPositive();
    assertThat(v.file().getFileName().toString()).matches("archive-\\d{8}T\\d{6}Z-seq" + v.lastSeq() + "\\.zip");
    PublicKey key = daemon.ops().evidence().key().publicKey();
    assertThat(BackupVerifier.verify(v.file(), key).events()).isEqualTo(v.events());
    assertThat(daemon.ops().health().health().getJsonObject("checks").getJsonObject("backup").getString("lastBackupAt"))
        .isNotNull();
    System.out.println(String.join("\n", progress));
    long before = daemon.status().stored();
    Await.until(WAIT, "ingest continues after the backup", () -> daemon.status().stored() > before + 100);

    assertThatThrownBy(() -> Restore.restore(v.file(), config.database().path(), key, line -> { }))
        .isInstanceOf(BackupException.class).hasMessageContaining("held by another process");
    daemon.close();
    daemon = null;
    Path index = Daemon.searchIndexPath(config);
    assertThat(index).as("the daemon had a search index").exists();
    Restore.restore(v.file(), config.database().path(), index, key, progress::add);
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).anyMatch(n -> n.contains(".before-restore-"));
    assertThat(index).as("search index removed, to be rebuilt from the restored archive").doesNotExist();
    try (ArchiveDatabase restored = ArchiveDatabase.open(config.database().path(), true)) {
      var gaps = restored.dsl().selectFrom(CAPTURE_GAP)
          .where(CAPTURE_GAP.CAUSE.startsWith("restored from backup " + v.file().getFileName())).fetch();
      assertThat(gaps).as("the restore recorded the gap it opens").hasSize(1);
      OffsetDateTime newest = restored.dsl().select(DSL.max(EVENT.RECEIVED_AT)).from(EVENT)
          .fetchOne(0, OffsetDateTime.class);
      assertThat(gaps.get(0).getFromAt().toInstant()).as("from the backup's newest event").isEqualTo(newest.toInstant());
      assertThat(gaps.get(0).getToAt()).as("closed").isNotNull();
    }

    pod.simulator().stopSteady();
    daemon = Daemon.start(config);
    // Events acknowledged after the backup are not in it and the feed will not send them again: a restore
    // cannot recover them. What it must do: resume from the restored cursor and double nothing.
    List<String> fresh = TestPod.hashes(pod.simulator().generator().next(50));
    var events = pod.simulator().generator().next(50);
    fresh = TestPod.hashes(events);
    pod.simulator().publish(events);
    List<String> expected = fresh;
    Await.until(WAIT, "new events archived after the restore",
        () -> TestPod.archivedHashes(daemon.database()).keySet().containsAll(expected));
    assertThat(TestPod.archivedHashes(daemon.database()).values()).as("nothing doubled").containsOnly(1);
    TestPod.assertNothingDoubled(daemon.database());

    assertThat(TestPod.archivedHashes(daemon.database()).size()).isGreaterThanOrEqualTo((int) v.events() + 50);
  }

  @Test
  @DisplayName("A corrupt backup fails verification with an exception, not a log line")
  void corruptBackupFails() throws Exception {
    Path zip = dir.resolve("archive-20250101T000000Z-seq1.zip");
    Files.writeString(zip, "not a zip");
    assertThatThrownBy(() -> BackupVerifier.verify(zip, ArchiveKey.generate().publicKey()))
        .isInstanceOf(BackupException.class);
  }

  @Test
  @DisplayName("A stop waits for the backup in flight: awaitIdle is false while it runs, true once it is written")
  void stopWaitsForTheBackupInFlight() throws Exception {
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), true)) {
      ArchiveKey key = ArchiveKey.generate();
      Backups backups = new Backups(db, key, dir.resolve("backups"), 2, Duration.ofDays(1));
      CountDownLatch verifying = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<BackupVerifier.Verification> backup = CompletableFuture.supplyAsync(
          () -> backups.backupTo(dir.resolve("backups"), line -> {
            if (line.endsWith("verifying")) {
              verifying.countDown();
              awaitQuietly(release);
            }
          }));
      assertThat(verifying.await(60, TimeUnit.SECONDS)).as("backup written").isTrue();
      assertThat(backups.awaitIdle(Duration.ofMillis(200))).as("idle while the backup runs").isFalse();
      release.countDown();
      assertThat(backups.awaitIdle(Duration.ofSeconds(60))).as("idle after it").isTrue();
      BackupVerifier.Verification written = backup.get(60, TimeUnit.SECONDS);
      assertThat(BackupVerifier.verify(written.file(), key.publicKey()).schemaVersion()).isEqualTo(written.schemaVersion());
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
