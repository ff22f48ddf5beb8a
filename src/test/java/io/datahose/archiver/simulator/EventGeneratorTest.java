package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventType;
import io.datahose.archiver.symphony.EventTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class EventGeneratorTest {

  private static List<JsonObject> events;

  @BeforeAll
  static void generate() {
    events = new EventGenerator(7).next(3000);
  }

  private static String payloadKey(String type) {
    return EventType.fromWire(type).orElseThrow().payloadKey();
  }

  private static JsonObject payload(JsonObject event) {
    return event.getJsonObject("payload").getJsonObject(payloadKey(event.getString("type")));
  }

  private static JsonObject streamOf(JsonObject event) {
    JsonObject payload = payload(event);
    JsonObject message = payload.getJsonObject("message");
    return payload.getJsonObject("stream", message == null ? null : message.getJsonObject("stream"));
  }

  static List<String> types() {
    return EventTypes.ALL;
  }

  @Test
  @DisplayName("A realistic mix contains all 17 event types")
  void mixHasAllTypes() {
    assertThat(EventTypes.ALL).hasSize(17).doesNotHaveDuplicates();
    assertThat(events.stream().map(e -> e.getString("type")).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(EventTypes.ALL);
  }

  @ParameterizedTest
  @MethodSource("types")
  @DisplayName("one(type) returns a valid event of exactly that type")
  void oneOfEachType(String type) {
    JsonObject event = new EventGenerator(3).one(type);

    assertThat(event.getString("type")).isEqualTo(type);
    assertThat(event.getJsonObject("payload").fieldNames()).containsExactly(payloadKey(type));
    assertThat(event.getJsonObject("initiator").getJsonObject("user").getLong("userId")).isPositive();
  }

  @Test
  @DisplayName("The same seed yields the same events; another seed yields different ones")
  void deterministicPerSeed() {
    List<String> a = new EventGenerator(11).next(500).stream().map(JsonObject::encode).toList();
    List<String> b = new EventGenerator(11).next(500).stream().map(JsonObject::encode).toList();
    List<String> c = new EventGenerator(12).next(500).stream().map(JsonObject::encode).toList();

    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }

  @Test
  @DisplayName("Every event is valid JSON with id, increasing timestamp, initiator and one payload member matching its type")
  void everyEventIsWellFormed() {
    long previous = EventGenerator.DEFAULT_START;
    for (JsonObject event : events) {
      JsonObject reparsed = new JsonObject(event.encode());
      assertThat(reparsed).isEqualTo(event);
      assertThat(event.getString("id")).isNotBlank();
      assertThat(event.getLong("timestamp")).isGreaterThan(previous);
      previous = event.getLong("timestamp");
      assertThat(event.getJsonObject("payload").fieldNames())
          .containsExactly(payloadKey(event.getString("type")));
      assertThat(event.getJsonObject("initiator").getJsonObject("user").getLong("userId")).isNotNull();
    }
  }

  @Test
  @DisplayName("Some different events share one id (room created together with its first members)")
  void sharedIdPairsExist() {
    Map<String, Set<String>> byId = events.stream().collect(Collectors.groupingBy(e -> e.getString("id"),
        Collectors.mapping(JsonObject::encode, Collectors.toSet())));

    assertThat(byId.values().stream().filter(v -> v.size() > 1)).isNotEmpty();
  }

  @Test
  @DisplayName("Rooms are created before any event refers to them; edits and suppressions refer to earlier messages")
  void causalOrder() {
    Set<String> rooms = new HashSet<>();
    Set<String> messages = new HashSet<>();
    int edits = 0;
    for (JsonObject event : events) {
      String type = event.getString("type");
      JsonObject stream = streamOf(event);
      if ("ROOMCREATED".equals(type)) {
        rooms.add(stream.getString("streamId"));
      } else if (stream != null && "ROOM".equals(stream.getString("streamType"))) {
        assertThat(rooms).as(type).contains(stream.getString("streamId"));
      }
      if ("MESSAGESENT".equals(type)) {
        JsonObject message = payload(event).getJsonObject("message");
        if (message.containsKey("replacing")) {
          edits++;
          assertThat(messages).contains(message.getString("replacing"), message.getString("initialMessageId"));
          assertThat(message.getLong("initialTimestamp")).isLessThan(message.getLong("timestamp"));
        }
        messages.add(message.getString("messageId"));
      }
      if ("MESSAGESUPPRESSED".equals(type)) {
        assertThat(messages).contains(payload(event).getString("messageId"));
      }
    }
    assertThat(edits).isPositive();
  }

  @Test
  @DisplayName("Messages carry PresentationML with mentions, cashtags and hashtags, EntityJSON data, attachments and some ~60 KB bodies")
  void messagesAreRealistic() {
    List<JsonObject> sent = events.stream().filter(e -> "MESSAGESENT".equals(e.getString("type")))
        .map(e -> payload(e).getJsonObject("message")).toList();
    String allData = sent.stream().map(m -> m.getString("data")).collect(Collectors.joining());

    assertThat(sent).allSatisfy(m -> {
      assertThat(m.getString("message")).startsWith("<div data-format=\"PresentationML\" data-version=\"2.0\"");
      assertThat(new JsonObject(m.getString("data"))).isNotNull();
    });
    assertThat(allData).contains("com.symphony.user.mention", "org.symphonyoss.fin.security",
        "org.symphonyoss.taxonomy");
    assertThat(sent).anySatisfy(m -> assertThat(m.getString("message")).contains("class=\"entity\"", "@"));
    assertThat(sent).anySatisfy(m -> assertThat(m.getJsonArray("attachments", new JsonArray())).isNotEmpty());
    assertThat(sent).anySatisfy(m -> assertThat(m.getString("message").length()).isGreaterThan(50_000));
  }

  @Test
  @DisplayName("The world has non-ASCII names, external users and unknown future fields")
  void worldIsDiverse() {
    String all = events.stream().map(JsonObject::encode).collect(Collectors.joining());

    assertThat(all).contains("Zoë Ångström", "李", "Σωκράτης", "(Partner)", "futureField");
    assertThat(events).anySatisfy(e -> assertThat(e.getString("type")).isEqualTo("USERREQUESTEDTOJOINROOM"));
    assertThat(events.stream().filter(e -> "USERREQUESTEDTOJOINROOM".equals(e.getString("type"))))
        .allSatisfy(e -> assertThat(payload(e).getJsonArray("affectedUsers")).isNotEmpty());
    assertThat(events.stream().filter(e -> "SYMPHONYELEMENTSACTION".equals(e.getString("type"))))
        .allSatisfy(e -> assertThat(payload(e).getJsonObject("formValues").getString("action")).isEqualTo("submit"));
  }
}
