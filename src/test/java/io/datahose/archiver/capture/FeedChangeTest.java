package io.datahose.archiver.capture;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.FeedCursors;
import io.datahose.archiver.config.AppConfig;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 6: a change of {@code datahose.eventTypes} (or tag, or scopes) names another Datahose feed, which the
 * Agent creates empty. Events the old feed held when the daemon stopped must still be archived: the old feed is read
 * on with its own filter until it is empty, and the change is recorded.
 */
@DisplayName("A change of the feed's event types or scopes")
class FeedChangeTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  @DisplayName("drains the old feed with its old filter: what it held while the daemon was stopped is archived once")
  void drainsTheOldFeed() {
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(1), 50)) {
      AppConfig before = pod.config(1, types(EventTypes.DEFAULT));
      List<JsonObject> published = new ArrayList<>();
      publish(pod, published, 120);
      try (Daemon daemon = Daemon.start(before)) {
        Await.until(WAIT, "the first events archived", () -> daemon.status().stored() == matching(published,
            EventTypes.DEFAULT));
      }
      // published while stopped: the old feed holds them; the new feed, made at the next start, never will
      List<JsonObject> whileStopped = new ArrayList<>();
      publish(pod, whileStopped, 150);
      published.addAll(whileStopped);

      AppConfig after = pod.config(1, types(EventTypes.ALL));
      long expected;
      try (Daemon daemon = Daemon.start(after)) {
        FeedCursors cursors = new FeedCursors(daemon.database());
        Await.until(WAIT, "the old feed drained", () -> cursors.changes().stream().anyMatch(c -> c.drainedAt() != null));
        List<JsonObject> afterSwitch = new ArrayList<>();
        publish(pod, afterSwitch, 60);
        published.addAll(afterSwitch);
        expected = matching(published.subList(0, published.size() - afterSwitch.size()), EventTypes.DEFAULT)
            + matching(afterSwitch, EventTypes.ALL);
        Await.until(WAIT, "every event of either feed archived", () -> rows(daemon.database()) == expected,
            () -> rows(daemon.database()));

        FeedCursors.Change change = cursors.changes().get(0);
        assertThat(cursors.changes()).hasSize(1);
        assertThat(change.from()).isEqualTo(before.datahose().identity());
        assertThat(change.to()).isEqualTo(after.datahose().identity());
        assertThat(change.drainedEvents()).as("events stored from the old feed, before and after the change")
            .isEqualTo(matching(published.subList(0, 270), EventTypes.DEFAULT));
      }
      try (ArchiveDatabase db = TestDatabases.open(dir.resolve("archive"))) {
        TestPod.assertNothingDoubled(db);
        Map<String, Integer> ids = TestPod.archivedEventIds(db);
        assertThat(ids).hasSize((int) expected);
        for (JsonObject event : whileStopped) {
          if (EventTypes.DEFAULT.contains(event.getString("type"))) {
            assertThat(ids).as("held by the old feed while stopped").containsKey(key(event));
          }
        }
        assertThat(new FeedCursors(db).all()).extracting(FeedCursors.Cursor::feed, c -> c.drainedAt() != null)
            .containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(before.datahose().identity(), true),
                org.assertj.core.groups.Tuple.tuple(after.datahose().identity(), false));
      }
      int changes;
      try (Daemon daemon = Daemon.start(after)) {
        Await.until(WAIT, "a read after the restart", () -> daemon.status().slots().values().stream()
            .allMatch(s -> s.state() == CaptureStatus.State.UP));
        changes = new FeedCursors(daemon.database()).changes().size();
      }
      assertThat(changes).as("a drained feed is not drained again at the next start").isEqualTo(1);
    }
  }

  @Test
  @DisplayName("the same types in another order are the same feed: nothing to drain")
  void reorderedIsTheSameFeed() {
    try (TestPod pod = TestPod.start(dir, Duration.ofSeconds(1), 50)) {
      pod.simulator().publish(pod.simulator().generator().next(30));
      List<String> reversed = new ArrayList<>(EventTypes.ALL);
      java.util.Collections.reverse(reversed);
      try (Daemon daemon = Daemon.start(pod.config(1, types(EventTypes.ALL)))) {
        Await.until(WAIT, "30 archived", () -> daemon.status().stored() == 30);
      }
      try (Daemon daemon = Daemon.start(pod.config(1, types(reversed)))) {
        pod.simulator().publish(pod.simulator().generator().next(10));
        Await.until(WAIT, "10 more archived", () -> daemon.status().stored() == 10);
        assertThat(new FeedCursors(daemon.database()).changes()).isEmpty();
        assertThat(new FeedCursors(daemon.database()).all()).hasSize(1);
      }
    }
  }

  private static JsonObject types(List<String> types) {
    return new JsonObject().put("datahose", new JsonObject().put("eventTypes", new JsonArray(types))
        .put("drainQuietPeriod", "1500ms"));
  }

  private static void publish(TestPod pod, List<JsonObject> into, int n) {
    List<JsonObject> events = pod.simulator().generator().next(n);
    into.addAll(events);
    pod.simulator().publish(events);
  }

  private static long matching(List<JsonObject> events, List<String> types) {
    return events.stream().filter(e -> types.contains(e.getString("type"))).count();
  }

  private static String key(JsonObject event) {
    return event.getValue("id") + "|" + event.getValue("type") + "|" + event.getValue("timestamp");
  }

  private static long rows(ArchiveDatabase db) {
    return db.dsl().fetch("select count(*) from event").get(0).get(0, Long.class);
  }

}
