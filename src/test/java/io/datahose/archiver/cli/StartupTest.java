package io.datahose.archiver.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up failures of {@code run}: one clear line on stderr naming the key and the file, exit code 1. */
@DisplayName("Start-up of the run command")
class StartupTest {

  @TempDir
  Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  @Test
  @DisplayName("A tag over 80 characters is refused at start-up naming datahose.tag and the file")
  void tagTooLong() throws IOException {
    Path config = write("datahose:\n  tag: \"" + "t".repeat(81) + "\"\n");

    int code = Main.execute("run", "--config", config.toString());

    assertThat(code).isEqualTo(1);
    assertThat(stderr()).contains("datahose.tag").contains(config.toString()).hasLineCount(1);
  }

  @Test
  @DisplayName("An unknown key is refused naming the key and the file")
  void unknownKey() throws IOException {
    Path config = write("datahose:\n  tga: \"x\"\n");

    assertThat(Main.execute("run", "--config", config.toString())).isEqualTo(1);
    assertThat(stderr()).contains("datahose.tga").contains(config.toString()).hasLineCount(1);
  }

  @Test
  @DisplayName("A configuration without bot credentials is refused naming symphony.bot.privateKey")
  void noCredentials() throws IOException {
    Path config = write("database:\n  path: \"" + dir.resolve("archive") + "\"\n");

    assertThat(Main.execute("run", "--config", config.toString())).isEqualTo(1);
    assertThat(stderr()).contains("symphony.bot.privateKey").hasLineCount(1);
  }

  @Test
  @DisplayName("A missing configuration file is one line and exit code 1")
  void missingFile() {
    assertThat(Main.execute("run", "--config", dir.resolve("nope.yaml").toString())).isEqualTo(1);
    assertThat(stderr()).contains("nope.yaml").hasLineCount(1);
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("datahose-archiver.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8).strip();
  }
}
