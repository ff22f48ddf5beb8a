package io.datahose.archiver.cli;

import io.datahose.archiver.testing.TestKeys;
import io.datahose.archiver.testing.TestPod;
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
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check} against the simulated pod: all ✓ with the registered key, a ✗ with a fix hint otherwise. */
@DisplayName("The check command")
class CheckCommandTest {

  @TempDir
  Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream originalOut;

  @BeforeEach
  void captureStdout() {
    originalOut = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStdout() {
    System.setOut(originalOut);
  }

  @Test
  @DisplayName("With the registered key every check passes and the exit code is 0")
  void goodKey() throws IOException {
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(30), 50)) {
      int code = Main.execute("check", "--config", config(pod, pod.keyFile()).toString());

      assertThat(stdout()).as(stdout()).doesNotContain("✗").contains("✓ authenticated as " + TestPod.BOT)
          .contains("✓ Agent ceservice is UP").contains("all checks passed");
      assertThat(code).isZero();
    }
  }

  @Test
  @DisplayName("With a key the pod does not know, authentication is ✗ with a fix hint and the exit code is 1")
  void badKey() throws IOException {
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(30), 50)) {
      Path other = Files.createDirectories(dir.resolve("other"));
      int code = Main.execute("check", "--config", config(pod, TestKeys.writePrivateKey(TestKeys.rsa(), other, false)).toString());

      assertThat(stdout()).contains("✓ pod reachable").contains("✗ authentication as " + TestPod.BOT + " failed")
          .contains("fix: the pod admin must register");
      assertThat(code).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("An invalid configuration is ✗ naming the key")
  void badConfig() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "datahose:\n  readers: 9\n");

    assertThat(Main.execute("check", "--config", file.toString())).isEqualTo(1);
    assertThat(stdout()).contains("✗ configuration: datahose.readers");
  }

  private Path config(TestPod pod, Path key) throws IOException {
    Path file = dir.resolve("check.yaml");
    Files.writeString(file, "symphony:\n  pod: { url: \"" + pod.simulator().baseUrl() + "\" }\n"
        + "  bot:\n    username: \"" + TestPod.BOT + "\"\n    privateKey: \"" + key + "\"\n"
        + "database:\n  path: \"" + dir.resolve("archive") + "\"\n");
    return file;
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }
}
