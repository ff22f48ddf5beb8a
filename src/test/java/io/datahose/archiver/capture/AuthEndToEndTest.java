package io.datahose.archiver.capture;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.simulator.SimulatorOptions;
import io.datahose.archiver.simulator.SymphonySimulator;
import io.datahose.archiver.symphony.EventTypes;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.Certificates;
import io.datahose.archiver.testing.TestKeys;
import io.datahose.archiver.testing.TestPod;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon authenticating to the simulated pod: a wrong RSA key is refused, certificate auth works. */
@DisplayName("Daemon authentication against the simulated pod")
class AuthEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PW = "changeit";

  @TempDir
  Path dir;

  @Test
  @DisplayName("A bot key the pod does not know is refused: capture DOWN with the reason, nothing read or stored")
  void wrongKeyIsRefused() throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("other"));
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(30), 50)) {
      Path otherKey = TestKeys.writePrivateKey(TestKeys.rsa(), dir.resolve("other"), true);
      pod.simulator().publish(pod.simulator().generator().next(10));
      AppConfig config = pod.config(1, new JsonObject().put("symphony", new JsonObject()
          .put("bot", new JsonObject().put("privateKey", otherKey.toString()))));
      try (Daemon daemon = Daemon.start(config)) {
        Await.until(WAIT, "capture DOWN", () -> daemon.status().slot(0).state() == CaptureStatus.State.DOWN);
        assertThat(daemon.status().slot(0).reason()).contains("authentication refused").contains("401");
        assertThat(pod.simulator().ledger().sessionAuths()).isZero();
        assertThat(pod.simulator().ledger().reads()).isZero();
        assertThat(TestPod.archivedHashes(daemon.database())).isEmpty();
      }
    }
  }

  @Test
  @DisplayName("Certificate authentication over mutual TLS captures the feed")
  void certificateAuthentication() throws Exception {
    Certificates pki = Certificates.generate(TestPod.BOT);
    Path trust = pki.writeTrustStore(dir, PW);
    Vertx vertx = Vertx.vertx();
    try {
      SymphonySimulator simulator = SymphonySimulator.start(vertx, SimulatorOptions.builder()
          .botUsername(TestPod.BOT)
          .rsaPublicKey(TestKeys.rsa().getPublic())
          .longPoll(Duration.ofMillis(200))
          .tls(pki.writeServerKeyStore(dir, PW), PW, trust, PW)
          .build()).await();
      simulator.publish(simulator.generator().next(30));
      AppConfig config = AppConfig.fromJson(new JsonObject()
          .put("symphony", new JsonObject()
              .put("pod", new JsonObject().put("url", simulator.baseUrl()))
              .put("bot", new JsonObject().put("username", TestPod.BOT)
                  .put("certificate", new JsonObject().put("path", pki.writeClientKeyStore(dir, PW).toString())
                      .put("password", PW)))
              .put("trustStore", new JsonObject().put("path", trust.toString()).put("password", PW)))
          .put("datahose", new JsonObject().put("eventTypes", new JsonArray(EventTypes.ALL)))
          .put("database", new JsonObject().put("path", dir.resolve("archive").toString()).put("fsync", "never")), "test");
      try (Daemon daemon = Daemon.start(config)) {
        Await.until(WAIT, "30 events archived", () -> TestPod.archivedHashes(daemon.database()).size() == 30);
        assertThat(TestPod.archivedHashes(daemon.database()).keySet())
            .containsExactlyInAnyOrderElementsOf(simulator.ledger().generatedHashes());
        assertThat(simulator.ledger().sessionAuths()).isEqualTo(1);
      }
    } finally {
      vertx.close().await();
    }
  }
}
