package io.datahose.archiver.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.datahose.archiver.Daemon;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestPod;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 17: a clean start logs no warning, and a CLI command leaves no H2 trace file behind. */
@DisplayName("A quiet start")
class QuietStartTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("a clean start logs nothing at WARN or above; verify leaves no .trace.db file")
  void quiet() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    root.addAppender(seen);
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(30), 50)) {
      pod.simulator().publish(pod.simulator().generator().next(20));
      AppConfig config = pod.config(1);
      List<String> loud;
      try (Daemon daemon = Daemon.start(config)) {
        Await.until(Duration.ofSeconds(20), "20 archived", () -> daemon.status().stored() == 20);
        loud = seen.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
            .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
      }
      assertThat(loud).as("warnings of a clean start, up to the first batches archived").isEmpty();
      Path yaml = dir.resolve("c.yaml");
      Files.writeString(yaml, "symphony:\n  pod:\n    url: \"https://pod.example\"\ndatabase:\n  path: \""
          + config.database().path() + "\"\n");
      assertThat(Main.execute("verify", "--config", yaml.toString())).isZero();
      try (Stream<Path> files = Files.list(config.database().path().getParent())) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".trace.db"));
      }
    } finally {
      root.detachAppender(seen);
    }
  }
}
