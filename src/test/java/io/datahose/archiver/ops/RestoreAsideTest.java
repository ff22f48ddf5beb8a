package io.datahose.archiver.ops;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("restore: the name the current archive is kept aside under")
class RestoreAsideTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("is stamped to the second, and two restores in one second keep both files")
  void uniquePerRestore() throws Exception {
    Path current = dir.resolve("archive.mv.db");
    Instant at = Instant.parse("2026-12-01T23:40:30.250Z");
    Path first = Restore.asideName(current, at);
    assertThat(first.getFileName()).hasToString("archive.mv.db.before-restore-20261201T234030Z");
    Files.createFile(first);
    Path second = Restore.asideName(current, at.plusMillis(500));
    assertThat(second.getFileName()).hasToString("archive.mv.db.before-restore-20261201T234030Z-2");
    Files.createFile(second);
    assertThat(Restore.asideName(current, at).getFileName())
        .hasToString("archive.mv.db.before-restore-20261201T234030Z-3");
  }
}
