package io.datahose.archiver.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.datahose.archiver.Daemon;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestPod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Every archiver metric still reads a number after a full GC, and a start logs no meter-registration warning. */
@DisplayName("Metrics that alert")
class MetricsAfterGcTest {

  private static final List<String> GAUGES = List.of("archiver_capture_gap_open", "archiver_database_size_bytes",
      "archiver_backup_age_seconds", "archiver_ingest_lag_seconds", "archiver_reauthentications_total");

  @TempDir
  Path dir;

  @Test
  @DisplayName("After System.gc() every archiver_ metric is a number; no Micrometer warning at start")
  void metricsSurviveGcAndStartIsQuiet() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(30), 20)) {
      Daemon daemon = Daemon.start(pod.config(1, new JsonObject()
          .put("backup", new JsonObject().put("dir", dir.resolve("backups").toString()))));
      try {
        pod.simulator().publish(pod.simulator().generator().next(40));
        Await.until(Duration.ofSeconds(30), "40 events archived",
            () -> TestPod.archivedHashes(daemon.database()).size() >= 40);
        // a query so the HTTP server and client pools have registered their meters too
        for (int i = 0; i < 3; i++) {
          System.gc();
        }
        Map<String, String> values = archiverValues(daemon.ops().registry().scrape());
        assertThat(values.keySet()).containsAll(GAUGES);
        values.forEach((name, value) -> assertThat(value).as(name + " after GC").isNotEqualTo("NaN"));
      } finally {
        daemon.close();
      }
    } finally {
      root.detachAppender(appender);
    }
    List<String> meterWarnings = appender.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) && e.getLoggerName().startsWith("io.micrometer"))
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(meterWarnings).as("Micrometer warnings during a start and a capture").isEmpty();
  }

  /** Prometheus text: the value of each un-labelled archiver_ sample (labelled ones: first seen). */
  private static Map<String, String> archiverValues(String scrape) {
    Map<String, String> values = new TreeMap<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith("archiver_")) {
        String name = line.substring(0, line.indexOf(line.contains("{") ? '{' : ' '));
        values.putIfAbsent(name, line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return values;
  }
}
