package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.datahose.archiver.db.Tables.ACCESS_LOG;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("datahose-archiver hold add | list | release")
class HoldCommandTest {

  @TempDir
  Path dir;

  /** @return exit code, stdout, stderr */
  private static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = Main.execute(args);
      return new String[] {String.valueOf(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  @DisplayName("add, list, release; a duplicate, a bad time or a second release is refused with exit 2 and a reason")
  void lifecycle() throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "symphony:\n  pod:\n    url: \"https://pod.example\"\ndatabase:\n  path: \""
        + dir.resolve("archive") + "\"\n");
    String c = config.toString();
    String[] added = run("hold", "add", "matter-9", "--reason", "FINRA exam", "--stream", "s1", "--user", "42",
        "--from", "2026-01-01T00:00:00Z", "--config", c);
    assertThat(added[0]).as(added[2]).isEqualTo("0");
    assertThat(added[1]).contains("hold matter-9 added").contains("\"streams\":[\"s1\"]").contains("\"users\":[42]");
    String[] again = run("hold", "add", "matter-9", "--reason", "again", "--config", c);
    assertThat(again[0]).isEqualTo("2");
    assertThat(again[2]).contains("hold refused: a hold named matter-9 exists already");
    assertThat(run("hold", "add", "m2", "--reason", "x", "--from", "yesterday", "--config", c)[0]).isEqualTo("2");
    assertThat(run("hold", "list", "--config", c)[1]).contains("\"name\":\"matter-9\"").contains("\"active\":true");
    assertThat(run("hold", "--config", c, "list")).as("--config before the subcommand, as in every release so far")
        .isEqualTo(run("hold", "list", "--config", c));
    assertThat(run("hold", "release", "matter-9", "--reason", "exam closed", "--config", c)[0]).isEqualTo("0");
    String[] twice = run("hold", "release", "matter-9", "--reason", "again", "--config", c);
    assertThat(twice[0]).isEqualTo("2");
    assertThat(twice[2]).contains("was released already");
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), false)) {
      assertThat(db.dsl().fetch(ACCESS_LOG, ACCESS_LOG.ROUTE.eq("(legal hold)")).map(r -> r.getMethod()))
          .as("who did what, in the access log").containsExactly("ADD", "RELEASE");
      assertThat(db.dsl().fetch(ACCESS_LOG, ACCESS_LOG.ROUTE.eq("(legal hold)")).map(r -> r.getOfficer()))
          .allMatch(o -> o.startsWith("cli:"));
    }
  }
}
