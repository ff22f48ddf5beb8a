package io.datahose.archiver.ops;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.StoreHook;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.simulator.Fault;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestPod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Capture gaps, database faults, /health and /metrics: a Daemon against the simulated pod. */
@DisplayName("Capture operations")
class CaptureOpsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;
  private TestPod pod;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
    if (pod != null) {
      pod.close();
    }
  }

  private AppConfig config() {
    return pod.config(1, new JsonObject()
        .put("capture", new JsonObject().put("gapThreshold", "500ms"))
        .put("backup", new JsonObject().put("dir", dir.resolve("backups").toString())));
  }

  @Test
  @DisplayName("A feed that stops answering longer than the threshold opens a gap row and DEGRADED health, closed when reads succeed")
  void gapOpensAndCloses() {
    pod = TestPod.start(dir, Duration.ofMillis(300), 20);
    daemon = Daemon.start(config());
    Await.until(WAIT, "first read", () -> daemon.status().up());
    Instant firstRead = daemon.status().slot(0).lastSuccessfulRead();
    pod.simulator().faults().next(Fault.HTTP_503, 100_000);
    Await.until(WAIT, "gap open", () -> daemon.ops().ledger().openGap() != null);
    assertThat(daemon.ops().health().health().getString("status")).isIn("DEGRADED", "DOWN");
    assertThat(daemon.ops().health().health().getJsonObject("checks").getJsonObject("gaps").getString("status"))
        .isEqualTo("DEGRADED");
    pod.simulator().faults().clear();
    Await.until(WAIT, "gap closed", () -> daemon.ops().ledger().openGap() == null);
    daemon.ops().ledger().persist();
    JsonObject coverage = daemon.ops().coverage().coverage(Instant.now().minusSeconds(60), Instant.now());
    List<JsonObject> gaps = gapsSince(coverage, firstRead);
    assertThat(gaps).hasSize(1);
    assertThat(gaps.get(0).getBoolean("open")).isFalse();
    assertThat(gaps.get(0).getString("cause")).contains("503");
    assertThat(coverage.getBoolean("complete")).isFalse();
    assertThat(coverage.getLong("reads")).isPositive();
    Await.until(WAIT, "health UP", () -> daemon.ops().health().status() == HealthCheck.Status.UP);
  }

  @Test
  @DisplayName("A restart after downtime longer than the threshold records the downtime as a gap")
  void downtimeGap() throws InterruptedException {
    pod = TestPod.start(dir, Duration.ofMillis(300), 20);
    daemon = Daemon.start(config());
    Await.until(WAIT, "first read", () -> daemon.status().up());
    Instant firstRead = daemon.status().slot(0).lastSuccessfulRead();
    daemon.close();
    Instant stoppedAt = Instant.now();
    Thread.sleep(800); // the downtime itself is what is under test: nothing to await
    daemon = Daemon.start(config());
    Await.until(WAIT, "downtime gap closed by a read", () -> daemon.status().up() && daemon.ops().ledger().openGap() == null);
    daemon.ops().ledger().persist();
    JsonObject coverage = daemon.ops().coverage().coverage(stoppedAt.minusSeconds(60), Instant.now());
    List<JsonObject> gaps = gapsSince(coverage, firstRead);
    assertThat(gaps).hasSize(1);
    assertThat(gaps.get(0).getString("cause")).startsWith("daemon not running");
  }

  /**
   * The gaps without the start-up one: on a loaded machine the first read of a start can take longer than this
   * test's 500 ms threshold, which opens a real gap ("no successful read", before {@code firstRead}) that is not
   * the one under test.
   */
  private static List<JsonObject> gapsSince(JsonObject coverage, Instant firstRead) {
    return coverage.getJsonArray("gaps").stream().map(JsonObject.class::cast)
        .filter(g -> !(g.getString("cause").equals("no successful read")
            && Instant.parse(g.getString("from")).isBefore(firstRead))).toList();
  }

  @Test
  @DisplayName("Failing commits advance no ack, make health DOWN, and capture recovers with nothing lost or doubled")
  void commitFailure() {
    pod = TestPod.start(dir, Duration.ofMillis(300), 20);
    AtomicBoolean failing = new AtomicBoolean(true);
    daemon = Daemon.start(config(), new StoreHook() {
      @Override
      public void beforeCommit(String tag, int slot, List<io.datahose.archiver.symphony.ReceivedEvent> events) {
        if (failing.get() && !events.isEmpty()) {
          throw new IllegalStateException("simulated: disk full");
        }
      }
    });
    pod.simulator().publish(pod.simulator().generator().next(40));
    Await.until(WAIT, "health DOWN with the commit failure", () -> daemon.ops().health().status()
        == HealthCheck.Status.DOWN && daemon.ops().health().health().encode().contains("simulated: disk full"));
    assertThat(pod.simulator().ledger().acknowledgedHashes()).isEmpty();
    assertThat(TestPod.archivedHashes(daemon.database())).as("nothing of a failed batch kept").isEmpty();
    failing.set(false);
    Await.until(WAIT, "all archived", () -> TestPod.archivedHashes(daemon.database()).size() == 40);
    Await.until(WAIT, "health UP", () -> daemon.ops().health().status() != HealthCheck.Status.DOWN);
    TestPod.assertNothingDoubled(daemon.database());
  }

  @Test
  @DisplayName("GET /health answers the checks without a token and GET /metrics the Prometheus meters")
  void healthAndMetricsRoutes() {
    pod = TestPod.start(dir, Duration.ofMillis(300), 20);
    daemon = Daemon.start(config());
    pod.simulator().publish(pod.simulator().generator().next(30));
    Await.until(WAIT, "archived", () -> TestPod.archivedHashes(daemon.database()).size() == 30);
    Router router = Router.router(daemon.vertx());
    OpsRoutes.mount(router, daemon.ops().health(), daemon.ops().registry(),
        header -> io.vertx.core.Future.succeededFuture(header.equals("Bearer admin")));
    HttpServer server = daemon.vertx().createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    WebClient client = WebClient.create(daemon.vertx());
    var health = client.get(server.actualPort(), "127.0.0.1", "/health").putHeader("Authorization", "Bearer admin")
        .send().await();
    assertThat(health.statusCode()).isEqualTo(200);
    JsonObject body = health.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getJsonObject("checks").fieldNames()).containsExactlyInAnyOrder("feed", "agent", "database",
        "backup", "gaps", "evidence", "retention");
    assertThat(body.getJsonObject("checks").getJsonObject("database").getBoolean("writable")).isTrue();
    String metrics = client.get(server.actualPort(), "127.0.0.1", "/metrics").send().await().bodyAsString();
    assertThat(metrics).contains("archiver_events_archived_total{type=", "archiver_feed_read_seconds_count",
        "archiver_commit_seconds", "archiver_batch_size", "archiver_database_size_bytes", "archiver_ingest_lag_seconds",
        "vertx_http_server_requests_total{code=\"200\"");
    System.out.println(body.encodePrettily());
  }
}
