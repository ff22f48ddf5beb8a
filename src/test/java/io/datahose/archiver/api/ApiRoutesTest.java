package io.datahose.archiver.api;

import io.datahose.archiver.symphony.EventIdentity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.datahose.archiver.api.ApiHarness.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query routes end to end: the archive is filled through the real ingest path from the simulator (1,500
 * generated events plus one hand-made room story), then every route is asked over HTTP and checked against the
 * simulator's ledger.
 */
@DisplayName("Query API routes")
class ApiRoutesTest {

  @TempDir
  static Path dir;
  static ApiHarness h;

  @BeforeAll
  static void start() {
    h = ApiHarness.start(dir, 1500, RoomStory.events());
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  @DisplayName("Paging through /events returns every event of the simulator's ledger exactly once, in seq order")
  void eventsMatchTheLedger() {
    List<JsonObject> events = h.all("/api/v1/events", 997);
    List<Long> seqs = map(events, e -> e.getLong("seq"));
    assertThat(seqs).isSorted().doesNotHaveDuplicates();
    assertThat(map(events, e -> e.getString("sha256")))
        .containsExactlyInAnyOrderElementsOf(h.pod.simulator().ledger().generatedHashes());
    JsonObject first = events.get(0);
    assertThat(EventIdentity.of(first.getJsonObject("event"))).isEqualTo(first.getString("sha256"));
  }

  @Test
  @DisplayName("Small pages and one big page list the same messages in the same order (no gaps, no repeats)")
  void messagePagesHaveNoGapsOrRepeats() {
    List<String> big = map(h.all("/api/v1/messages", 1000), m -> m.getString("messageId"));
    List<String> small = map(h.all("/api/v1/messages", 37), m -> m.getString("messageId"));
    assertThat(small).isEqualTo(big).doesNotHaveDuplicates();
    Set<String> sent = h.pod.simulator().ledger().generated().stream()
        .filter(e -> "MESSAGESENT".equals(e.getString("type")))
        .map(e -> e.getJsonObject("payload").getJsonObject("messageSent").getJsonObject("message").getString("messageId"))
        .collect(Collectors.toSet());
    assertThat(big).containsAll(sent);
  }

  @Test
  @DisplayName("Message filters combine with AND: sender, stream, time range, attachments, external")
  void messageFilters() {
    List<JsonObject> all = h.all("/api/v1/messages", 1000);
    JsonObject sample = all.get(all.size() / 2);
    long user = sample.getLong("senderUserId");
    String stream = sample.getString("streamId");
    List<JsonObject> byUser = h.all("/api/v1/messages?user=" + user, 100);
    assertThat(byUser).isNotEmpty().allSatisfy(m -> assertThat(m.getLong("senderUserId")).isEqualTo(user));
    assertThat(byUser).hasSize((int) all.stream().filter(m -> m.getLong("senderUserId") == user).count());
    List<JsonObject> both = h.all("/api/v1/messages?user=" + user + "&stream=" + stream, 100);
    assertThat(both).isNotEmpty().allSatisfy(m -> assertThat(m.getString("streamId")).isEqualTo(stream));
    String from = sample.getString("sentAt");
    long toMs = Instant.parse(from).toEpochMilli() + 3_600_000;
    List<JsonObject> ranged = h.all("/api/v1/messages?from=" + from + "&to=" + toMs, 100);
    assertThat(ranged).isNotEmpty().allSatisfy(m -> assertThat(Instant.parse(m.getString("sentAt")))
        .isBetween(Instant.parse(from), Instant.ofEpochMilli(toMs - 1)));
    assertThat(h.all("/api/v1/messages?hasAttachments=true", 500))
        .allSatisfy(m -> assertThat(m.getInteger("attachmentCount")).isPositive());
    assertThat(h.all("/api/v1/messages?external=true", 500))
        .allSatisfy(m -> assertThat(m.getBoolean("externalRecipients")).isTrue());
  }

  @Test
  @DisplayName("Full-text q finds cashtags, words and phrases, and combines with the other filters")
  void fullTextSearch() {
    List<JsonObject> acme = h.all("/api/v1/messages?q=%24ACME", 100);
    assertThat(map(acme, m -> m.getString("messageId"))).contains("story-m1");
    List<JsonObject> phrase = h.all("/api/v1/messages?q=%22edited+wording%22", 100);
    assertThat(map(phrase, m -> m.getString("messageId"))).containsExactly("story-m2e");
    assertThat(h.all("/api/v1/messages?q=wording+OR+noon&stream=" + RoomStory.ROOM, 100)).hasSize(3);
    assertThat(h.all("/api/v1/messages?q=wording&user=" + RoomStory.BOB, 100)).isEmpty();
    List<JsonObject> tickers = h.all("/api/v1/messages?q=%24AAPL", 7);
    assertThat(tickers).isNotEmpty().allSatisfy(m -> assertThat(m.getString("plainText")).containsIgnoringCase("AAPL"));
    assertThat(map(tickers, m -> m.getString("messageId"))).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("participant= matches messages sent while the user was a member, not after they left")
  void participantMatchesMembershipAtTheTime() {
    List<String> carol = map(h.all("/api/v1/messages?participant=" + RoomStory.CAROL + "&stream=" + RoomStory.ROOM, 100),
        m -> m.getString("messageId"));
    assertThat(carol).containsExactly("story-m1", "story-m2", "story-m2e", "story-m3");
  }

  @Test
  @DisplayName("A message shows its version chain, its suppression and its raw event")
  void messageDetail() {
    JsonObject edited = h.get("alice", "/api/v1/messages/story-m2e").json();
    assertThat(map(list(edited.getJsonArray("versions")), v -> v.getString("messageId")))
        .containsExactly("story-m2", "story-m2e");
    assertThat(edited.getJsonObject("sender").getLong("userId")).isEqualTo(RoomStory.CAROL);
    assertThat(edited.getJsonArray("rawEvents").getJsonObject(0).getString("type")).isEqualTo("MESSAGESENT");
    JsonObject suppressed = h.get("alice", "/api/v1/messages/story-m3").json();
    assertThat(suppressed.getBoolean("suppressed")).isTrue();
    assertThat(suppressed.getJsonArray("suppressions").getJsonObject(0).getLong("suppressedBy")).isEqualTo(RoomStory.CREATOR);
    assertThat(h.get("alice", "/api/v1/messages/nope").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("The transcript interleaves messages, edits and a suppression with every system line type")
  void transcript() {
    List<JsonObject> lines = h.all("/api/v1/streams/" + RoomStory.ROOM + "/transcript", 3);
    assertThat(map(lines, l -> l.getString("kind"))).containsExactly("created", "joined", "joined", "promoted",
        "message", "message", "message", "message", "suppressed", "renamed", "demoted", "left", "deactivated",
        "reactivated");
    JsonObject original = lines.get(5);
    assertThat(original.getBoolean("edited")).isTrue();
    assertThat(original.getString("replacedBy")).isEqualTo("story-m2e");
    assertThat(lines.get(6).getString("replacing")).isEqualTo("story-m2");
    assertThat(lines.get(7).getBoolean("suppressed")).isTrue();
    assertThat(lines.get(9).getString("previousName")).isEqualTo("Rates desk");
    assertThat(lines.get(11).getJsonArray("users").getLong(0)).isEqualTo(RoomStory.CAROL);
    String from = Instant.ofEpochMilli(RoomStory.at(4)).toString();
    assertThat(h.all("/api/v1/streams/" + RoomStory.ROOM + "/transcript?from=" + from + "&to=" + RoomStory.at(8), 100))
        .hasSize(4);
  }

  @Test
  @DisplayName("A stream at=T shows the members, owners and properties as they were then")
  void streamAtTime() {
    JsonObject before = h.get("alice", "/api/v1/streams/" + RoomStory.ROOM + "?at=" + RoomStory.at(5)).json();
    assertThat(members(before)).containsExactlyInAnyOrder(RoomStory.CREATOR, RoomStory.BOB, RoomStory.CAROL);
    assertThat(before.getJsonObject("propertiesAt").getString("name")).isEqualTo("Rates desk");
    assertThat(owner(before, RoomStory.BOB)).isTrue();
    JsonObject after = h.get("alice", "/api/v1/streams/" + RoomStory.ROOM + "?at=" + RoomStory.at(12)).json();
    assertThat(members(after)).containsExactlyInAnyOrder(RoomStory.CREATOR, RoomStory.BOB);
    assertThat(owner(after, RoomStory.BOB)).isFalse();
    assertThat(after.getJsonObject("propertiesAt").getString("name")).isEqualTo("Rates desk (EU)");
    assertThat(after.getBoolean("deactivatedAt")).isTrue();
    JsonObject now = h.get("alice", "/api/v1/streams/" + RoomStory.ROOM).json();
    assertThat(now.getString("roomName")).isEqualTo("Rates desk (EU)");
    assertThat(now.getJsonArray("propertyHistory")).hasSize(2);
  }

  @Test
  @DisplayName("Streams and users list with filters and stable keyset pages; a user shows history and activity")
  void streamsAndUsers() {
    List<JsonObject> rooms = h.all("/api/v1/streams?type=ROOM", 13);
    assertThat(rooms).isNotEmpty().allSatisfy(s -> assertThat(s.getString("streamType")).isEqualTo("ROOM"));
    assertThat(map(rooms, s -> s.getString("streamId"))).isSorted().doesNotHaveDuplicates();
    assertThat(map(h.all("/api/v1/streams?name=rates", 10), s -> s.getString("streamId"))).contains(RoomStory.ROOM);
    List<JsonObject> users = h.all("/api/v1/users", 11);
    assertThat(map(users, u -> u.getLong("userId"))).isSorted().doesNotHaveDuplicates();
    assertThat(map(h.all("/api/v1/users?q=u502", 10), u -> u.getLong("userId"))).containsExactly(RoomStory.BOB);
    JsonObject bob = h.get("alice", "/api/v1/users/" + RoomStory.BOB).json();
    assertThat(bob.getJsonObject("activity").getInteger("messagesSent")).isEqualTo(2);
    assertThat(bob.getJsonArray("identityHistory")).isNotEmpty();
  }

  @Test
  @DisplayName("/events filters by type, stream and initiator")
  void eventFilters() {
    List<JsonObject> story = h.all("/api/v1/events?stream=" + RoomStory.ROOM, 5);
    assertThat(story).hasSize(RoomStory.events().size());
    assertThat(h.all("/api/v1/events?type=USERJOINEDROOM&stream=" + RoomStory.ROOM, 5)).hasSize(2);
    assertThat(h.all("/api/v1/events?user=" + RoomStory.CAROL, 5)).hasSize(4);
  }

  private static List<JsonObject> list(JsonArray array) {
    return array.stream().map(o -> (JsonObject) o).toList();
  }

  private static Set<Long> members(JsonObject stream) {
    return new HashSet<>(map(list(stream.getJsonArray("members")), m -> m.getLong("userId")));
  }

  private static boolean owner(JsonObject stream, long user) {
    return list(stream.getJsonArray("members")).stream().filter(m -> m.getLong("userId") == user).findFirst()
        .orElseThrow().getBoolean("owner");
  }
}
