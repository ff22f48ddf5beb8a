package io.datahose.archiver.capture;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.symphony.EventTypes;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestDatabases;
import io.datahose.archiver.testing.TestPod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the read loop sends, where it resumes, and the Agent preflight, as the simulated pod saw it. */
@DisplayName("The read loop")
class ReadLoopTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  @DisplayName("Reads carry exactly type, tag, eventTypes (sorted: the feed's identity), ackId and updatePresence=false, "
      + "plus scopes when configured")
  void readBody() {
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(30), 50)) {
      pod.simulator().publish(pod.simulator().generator().next(10));
      JsonObject scopes = new JsonObject().put("datahose", new JsonObject().put("scopes", new JsonArray().add("INTERNAL")));
      try (Daemon daemon = Daemon.start(pod.config(1, scopes))) {
        Await.until(WAIT, "two reads", () -> pod.simulator().ledger().readBodies().size() >= 2);
      }
      List<JsonObject> bodies = pod.simulator().ledger().readBodies();
      assertThat(bodies.get(0)).isEqualTo(new JsonObject()
          .put("type", "datahose")
          .put("tag", "datahose-archiver")
          .put("eventTypes", new JsonArray(EventTypes.ALL.stream().sorted().toList()))
          .put("scopes", new JsonArray().add("INTERNAL"))
          .put("ackId", "")
          .put("updatePresence", false));
      assertThat(bodies.get(1).getString("ackId")).isNotEmpty();
    }
  }

  @Test
  @DisplayName("After a restart the first read presents the ackId committed in the archive, never an empty one")
  void resumesFromCommittedAckId() {
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(30), 50)) {
      pod.simulator().publish(pod.simulator().generator().next(20));
      try (Daemon daemon = Daemon.start(pod.config(1))) {
        Await.until(WAIT, "20 events archived", () -> daemon.status().stored() == 20);
      }
      String committed;
      try (ArchiveDatabase db = TestDatabases.open(dir.resolve("archive"))) {
        committed = new Archive(db).ackId(pod.config(1).datahose().identity(), 0).orElseThrow();
      }
      int before = pod.simulator().ledger().ackIdsPresented().size();
      try (Daemon daemon = Daemon.start(pod.config(1))) {
        pod.simulator().publish(pod.simulator().generator().next(5));
        Await.until(WAIT, "5 more events archived", () -> daemon.status().stored() == 5);
      }
      List<String> presented = pod.simulator().ledger().ackIdsPresented();
      assertThat(presented.get(before)).as("first read after the restart").isEqualTo(committed);
      assertThat(presented.subList(1, presented.size())).doesNotContain("");
    }
  }

  @Test
  @DisplayName("When the Agent's ceservice is DOWN the preflight reports the Agent's message and capture continues")
  void ceserviceDown() {
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(30), 50)) {
      pod.simulator().setCeservice(false, "Content export service account not configured");
      pod.simulator().publish(pod.simulator().generator().next(15));
      try (Daemon daemon = Daemon.start(pod.config(1))) {
        Await.until(WAIT, "ceservice reported DOWN", () -> !daemon.status().ceserviceUp());
        assertThat(daemon.status().ceserviceMessage()).isEqualTo("Content export service account not configured");
        Await.until(WAIT, "15 events archived", () -> daemon.status().stored() == 15);
      }
    }
  }
}
