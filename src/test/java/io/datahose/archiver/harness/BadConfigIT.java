package io.datahose.archiver.harness;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed configuration files against the real process: each is refused at start with exit code 1 and exactly
 * one line on stderr naming the key (or, for a YAML syntax error, the file).
 */
@DisplayName("The daemon refuses a malformed configuration file with exit 1 and one stderr line naming the key")
class BadConfigIT {

  record Case(String name, String yaml, String named) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Path dir;
  private static Path key;
  private static final AtomicInteger REFUSED = new AtomicInteger();
  private static final AtomicInteger CASES = new AtomicInteger();

  @BeforeAll
  static void keys() {
    dir = Harness.workDir("bad-config");
    key = Harness.botKey(dir);
  }

  @AfterAll
  static void figures() {
    Harness.figures(String.format("bad config files: %d, refused with exit 1 and the key named: %d, accepted: %d",
        CASES.get(), REFUSED.get(), CASES.get() - REFUSED.get()));
  }

  static Stream<Case> cases() {
    String pod = "symphony:\n  pod:\n    url: \"http://127.0.0.1:9\"\n";
    String bot = "  bot:\n    username: \"archiver-bot\"\n    privateKey: \"KEY\"\n";
    String db = "database:\n  path: \"DIR/archive\"\n";
    return Stream.of(
        new Case("unknown key", pod + bot + "datahose:\n  readerz: 2\n" + db, "datahose.readerz"),
        new Case("bad duration", pod + bot + "datahose:\n  readTimeout: 10 parsecs\n" + db, "datahose.readTimeout"),
        new Case("tag of 81 characters", pod + bot + "datahose:\n  tag: \"" + "t".repeat(81) + "\"\n" + db,
            "datahose.tag"),
        new Case("readers 9", pod + bot + "datahose:\n  readers: 9\n" + db, "datahose.readers"),
        new Case("bad URL", "symphony:\n  pod:\n    url: \"htp:/pod example\"\n" + bot + db, "symphony.pod.url"),
        new Case("missing private key file", pod + "  bot:\n    username: \"archiver-bot\"\n"
            + "    privateKey: \"DIR/no-such-key.pem\"\n" + db, "symphony.bot.privateKey"),
        new Case("YAML syntax error", pod + bot + "datahose:\n  readers: [1\n  tag: x: y\n" + db,
            "datahose-archiver.yaml"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @DisplayName("refused:")
  void refused(Case c) throws IOException, InterruptedException {
    CASES.incrementAndGet();
    Path caseDir = Files.createDirectories(dir.resolve(c.name().replace(' ', '-')));
    Path config = caseDir.resolve("datahose-archiver.yaml");
    Files.writeString(config, c.yaml().replace("KEY", key.toString()).replace("DIR", caseDir.toString()),
        StandardCharsets.UTF_8);
    Path out = caseDir.resolve("stdout.log");
    Path err = caseDir.resolve("stderr.log");
    ProcessBuilder builder = Harness.jarProcess(out, "128m", List.of("run", "--config", config.toString()))
        .redirectErrorStream(false).redirectError(err.toFile());
    Process process = builder.start();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
      List<String> stderr = Files.readAllLines(err, StandardCharsets.UTF_8);
      System.out.println(c.name() + " -> exit " + process.exitValue() + ": " + stderr);
      assertThat(process.exitValue()).as("exit code").isEqualTo(1);
      assertThat(stderr).as("stderr").hasSize(1);
      assertThat(stderr.get(0)).as("stderr").contains(c.named());
      assertThat(caseDir.resolve("archive.mv.db")).as("no archive created").doesNotExist();
      REFUSED.incrementAndGet();
    } finally {
      Harness.kill9(process);
    }
  }
}
