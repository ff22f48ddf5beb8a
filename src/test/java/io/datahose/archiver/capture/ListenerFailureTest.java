package io.datahose.archiver.capture;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.StoreResult;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestDatabases;
import io.datahose.archiver.testing.TestPod;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A capture listener that throws after a committed batch (ledger, metrics) does not end the slot's read loop. */
@DisplayName("A failing capture listener does not stop the read loop")
class ListenerFailureTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("The listener throws on the first two batches: every event is still archived exactly once")
  void readingGoesOnAfterAListenerFault() {
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(30), 20)) {
      AppConfig config = pod.config(1);
      AtomicInteger calls = new AtomicInteger();
      CaptureListener failing = new CaptureListener() {
        @Override
        public void stored(int slot, List<JsonObject> events, StoreResult result, Duration latency, Duration commit) {
          if (calls.incrementAndGet() <= 2) {
            throw new IllegalStateException("listener fault " + calls.get());
          }
        }
      };
      try (ArchiveDatabase db = TestDatabases.open(config.database().path())) {
        Archive archive = new Archive(db);
        CaptureStatus status = new CaptureStatus(Duration.ofMinutes(2));
        TokenCache tokens = new TokenCache(SymphonyAuth.create(pod.vertx(), config.symphony()));
        String deployment = pod.vertx().deployVerticle(new IngestVerticle(0, config, archive, tokens, status, failing),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await();
        try {
          pod.simulator().publish(pod.simulator().generator().next(100));
          int expected = pod.simulator().ledger().generated().size();
          Await.until(Duration.ofSeconds(30), expected + " events archived",
              () -> TestPod.archivedHashes(db).size() >= expected, () -> TestPod.archivedHashes(db).size());
          Map<String, Integer> archived = TestPod.archivedHashes(db);
          assertThat(archived.keySet()).containsExactlyInAnyOrderElementsOf(pod.simulator().ledger().generatedHashes());
          assertThat(calls.get()).as("batches after the failing ones reached the listener").isGreaterThan(2);
          assertThat(status.slot(0).state()).isEqualTo(CaptureStatus.State.UP);
        } finally {
          pod.vertx().undeploy(deployment).await();
        }
      }
    }
  }
}
