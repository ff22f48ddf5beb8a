package io.datahose.archiver.ops;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backup retention: one backup at a time, and a burst never prunes the last backup older than keepDays. */
@DisplayName("Backup retention")
class BackupRetentionTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private static Path backup(Instant at) {
    String stamp = at.toString().replace("-", "").replace(":", "");
    return Path.of("archive-" + stamp.substring(0, 15) + "Z-seq1.zip");
  }

  @Test
  @DisplayName("A burst of 22 backups keeps the newest 7 and the newest backup older than a day")
  void burstKeepsTheDayOldBackup() {
    List<Path> all = new ArrayList<>();
    for (int d = 5; d >= 1; d--) {
      all.add(backup(NOW.minus(Duration.ofDays(d)).minusSeconds(3600)));
    }
    Path dayOld = all.get(all.size() - 1);
    for (int s = 22; s >= 1; s--) {
      all.add(backup(NOW.minusSeconds(s)));
    }
    List<Path> delete = Backups.toDelete(all, 7, NOW, Duration.ofDays(1));
    List<Path> kept = new ArrayList<>(all);
    kept.removeAll(delete);
    assertThat(kept).hasSize(8).contains(dayOld).containsAll(all.subList(all.size() - 7, all.size()));
  }

  @Test
  @DisplayName("Without a burst pruning keeps exactly the newest keep backups")
  void plainPruning() {
    List<Path> all = new ArrayList<>();
    for (int d = 10; d >= 1; d--) {
      all.add(backup(NOW.minus(Duration.ofDays(d)).plusSeconds(60)));
    }
    assertThat(Backups.toDelete(all, 7, NOW, Duration.ofDays(1))).containsExactlyElementsOf(all.subList(0, 3));
    assertThat(Backups.writtenAt(all.get(0))).isEqualTo(NOW.minus(Duration.ofDays(10)).plusSeconds(60));
  }

  @Test
  @DisplayName("A backup asked for while one runs fails at once; the running one completes")
  void oneAtATime(@TempDir Path dir) throws Exception {
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), AppConfig.Fsync.BATCH)) {
      Backups backups = new Backups(db, io.datahose.archiver.evidence.ArchiveKey.generate(), dir.resolve("backups"), 7, Duration.ofDays(1));
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<BackupVerifier.Verification> first = CompletableFuture.supplyAsync(() ->
          backups.backupTo(dir.resolve("backups"), line -> {
            started.countDown();
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }));
      assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(backups::backupNow).isInstanceOf(Backups.InProgressException.class);
      release.countDown();
      assertThat(first.get(60, TimeUnit.SECONDS).events()).isZero();
      assertThat(backups.backupTo(dir.resolve("other"), line -> { }).events()).as("free again").isZero();
    }
  }
}
