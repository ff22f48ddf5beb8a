package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.officer.OfficerTokens;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code officer add|list|revoke} and {@code reindex} on an archive file. */
@DisplayName("Officer and reindex commands")
class OfficerCommandTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("add prints a token once and stores only its hash; list shows no token; revoke marks it revoked")
  void addListRevoke() throws Exception {
    Path config = config();
    String out = run("officer", "add", "alice", "--role", "auditor", "--config", config.toString());
    String token = out.lines().filter(l -> l.matches("[A-Za-z0-9_-]{43}")).findFirst().orElseThrow();
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), false)) {
      assertThat(db.dsl().fetchValue("select token_hash from officer where name = ?", "alice"))
          .isEqualTo(OfficerTokens.hash(token));
    }
    assertThat(Main.execute("officer", "add", "alice", "--role", "officer", "--config", config.toString())).isEqualTo(1);
    assertThat(Main.execute("officer", "add", "bob", "--role", "boss", "--config", config.toString())).isEqualTo(1);
    String list = run("officer", "list", "--config", config.toString());
    assertThat(list).contains("alice").contains("auditor").doesNotContain(token).doesNotContain("REVOKED");
    assertThat(run("officer", "revoke", "alice", "--config", config.toString())).contains("revoked");
    assertThat(run("officer", "list", "--config", config.toString())).contains("REVOKED");
    assertThat(run("officer", "--config", config.toString(), "list")).as("--config before the subcommand")
        .isEqualTo(run("officer", "list", "--config", config.toString()));
    assertThat(Main.execute("officer", "add", "carol", "--role", "admin")).as("no --config at all").isEqualTo(2);
    assertThat(Main.execute("officer", "revoke", "alice", "--config", config.toString())).isEqualTo(1);
  }

  @Test
  @DisplayName("reindex rebuilds the search index next to the archive")
  void reindex() throws Exception {
    Path config = config();
    assertThat(run("reindex", "--config", config.toString())).contains("0 messages indexed");
    assertThat(dir.resolve("archive.search")).isDirectory();
  }

  private Path config() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "database:\n  path: \"" + dir.resolve("archive") + "\"\n  fsync: never\n");
    return config;
  }

  /** @return stdout of the command (empty when it failed) */
  private static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      return Main.execute(args) == 0 ? bytes.toString(StandardCharsets.UTF_8) : "";
    } finally {
      System.setOut(old);
    }
  }
}
