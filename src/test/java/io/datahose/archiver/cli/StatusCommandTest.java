package io.datahose.archiver.cli;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.officer.OfficerStore;
import io.datahose.archiver.officer.OfficerTokens;
import io.datahose.archiver.simulator.EventGenerator;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestPod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("datahose-archiver status")
class StatusCommandTest {

  @TempDir
  Path dir;

  private static String[] run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = Main.execute(args);
      return new String[] {String.valueOf(code), buf.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
    }
  }

  @Test
  @DisplayName("daemon stopped: read from the file (events, last batch, cursors, gaps, disk); --json for scripts")
  void stopped() throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "symphony:\n  pod:\n    url: \"https://pod.example\"\ndatabase:\n  path: \""
        + dir.resolve("archive") + "\"\n");
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), false)) {
      new Archive(db).storeJson("t", 0, new EventGenerator(3).next(25), "ack-1");
    }
    String[] text = run("status", "--config", config.toString());
    assertThat(text[0]).isEqualTo("0");
    assertThat(text[1]).contains("daemon stopped").contains("events: 25 (last seq 25").contains("slot 0: 25 events");
    String[] json = run("status", "--config", config.toString(), "--json");
    JsonObject status = new JsonObject(json[1]);
    assertThat(status.getString("daemon")).isEqualTo("stopped");
    assertThat(status.getInteger("events")).isEqualTo(25);
    assertThat(status.getLong("freeDiskBytes")).isPositive();
  }

  @Test
  @DisplayName("daemon running: its /health, the detail per slot with an admin token file")
  void running() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(30), 50)) {
      pod.simulator().publish(pod.simulator().generator().next(20));
      AppConfig config = pod.config(1, new JsonObject().put("http", new JsonObject().put("port", port)));
      Path yaml = dir.resolve("running.yaml");
      Files.writeString(yaml, "symphony:\n  pod:\n    url: \"https://pod.example\"\ndatabase:\n  path: \""
          + config.database().path() + "\"\nhttp:\n  port: " + port + "\n");
      try (Daemon daemon = Daemon.start(config)) {
        Await.until(Duration.ofSeconds(20), "20 archived", () -> daemon.status().stored() == 20);
        String token = OfficerTokens.generate();
        new OfficerStore(daemon.database().dsl()).add("ops", "admin", OfficerTokens.hash(token));
        Path tokenFile = dir.resolve("admin.token");
        Files.writeString(tokenFile, token + "\n");
        String[] summary = run("status", "--config", yaml.toString(), "--json");
        JsonObject s = new JsonObject(summary[1]);
        assertThat(s.getString("daemon")).isEqualTo("running");
        assertThat(s.getJsonObject("health").getString("status")).isNotNull();
        String[] detail = run("status", "--config", yaml.toString(), "--token-file", tokenFile.toString());
        assertThat(detail[1]).contains("daemon running").contains("feed").contains("lastSuccessfulRead")
            .contains("backup").contains("evidence");
      }
    }
  }
}
