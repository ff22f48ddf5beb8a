package io.datahose.archiver.archive;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.datahose.archiver.db.Tables.EVENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Committed means on disk: a process that halts right after its last commit (kill -9 semantics) leaves an
 * archive that reopens with every committed event and the cursor of the last batch. H2's default
 * WRITE_DELAY keeps commits in memory for up to 500 ms and fails this; the archive URL's WRITE_DELAY=0
 * is what makes it pass.
 */
@DisplayName("Archive durability across a halted process")
class ArchiveDurabilityTest {

  @TempDir
  Path dir;

  @RepeatedTest(2)
  @DisplayName("Every batch committed before the process halted is there after reopening")
  void committedBatchesSurviveHalt() throws Exception {
    Path file = dir.resolve("archive");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ArchiveCommitThenHalt.class.getName(), file.toString(), "10")
        .redirectErrorStream(true)
        .start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      reader.lines().forEach(line -> output.append(line).append('\n'));
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output.toString()).isEqualTo(137);
    assertThat(output.toString()).contains("committed");

    try (ArchiveDatabase db = ArchiveDatabase.open(file, false)) {
      assertThat(db.dsl().fetchCount(EVENT)).isEqualTo(500);
      assertThat(new Archive(db).ackId("tag", 0)).contains("ack-9");
    }
  }
}
