package io.datahose.archiver.symphony;

import io.datahose.archiver.simulator.EventGenerator;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("FeedParser")
class FeedParserTest {

  /** Separators cycled between elements: every JSON whitespace, before and after the comma. */
  private static final String[] SEPARATORS = {",", " ,", ", ", "\n,\n", "\t,\r\n\t", " \r\n , \t "};

  static Stream<Arguments> elements() {
    return Stream.of(
        Arguments.of("escapes and escaped quotes", List.of(
            "{\"name\":\"caf\\u00e9\",\"q\":\"say \\\"hi\\\" \\\\ \\/ \\n\"}",
            "{\"A\":\"\\u0041\\u00E9\\uD83D\\uDE00\"}")),
        Arguments.of("odd whitespace inside elements", List.of(
            "{ \"a\" :\t1 ,\n\"b\"\r\n:\n[ 1 ,\t2 ]\t}",
            "{\n}",
            "[ ]")),
        Arguments.of("exponents, -0 and long decimals", List.of(
            "{\"n\":1.50E1,\"z\":-0,\"big\":1e400,\"tiny\":0.10000000000000001,\"neg\":-2.5e-3}",
            "-0",
            "1E+2")),
        Arguments.of("lone surrogates", List.of("{\"s\":\"\\ud83d\",\"t\":\"x\\udc00y\"}", "\"\\ud83d\"")),
        Arguments.of("duplicate keys", List.of("{\"a\":1,\"a\":2}", "{\"x\":{\"k\":true,\"k\":false}}")),
        Arguments.of("elements that are not objects", List.of("42", "\"x\"", "null", "[1,2]", "true", "false")),
        Arguments.of("brackets, commas and braces inside strings", List.of(
            "{\"nested\":[[\"]\",\",\"],{\"k\":\"}\"},\"\\\"]\"],\"after\":\"],}\"}",
            "\"ends with a comma and spaces ,  \"",
            "[\"]\",\"\\\\\",\"\\\"\"]")),
        Arguments.of("UTF-8 multi-byte characters", List.of(
            "{\"text\":\"é中😀\",\"ключ\":\"значение\"}",
            "\"ß\"")),
        Arguments.of("one element", List.of("{\"id\":\"only\"}")),
        Arguments.of("no element", List.of()));
  }

  static Stream<Arguments> bodies() {
    return elements().flatMap(a -> Stream.of(
        Arguments.of(a.get()[0] + ", ackId after events", a.get()[1], false),
        Arguments.of(a.get()[0] + ", ackId before events", a.get()[1], true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  @DisplayName("each element's raw bytes are exactly the bytes between its delimiters, and rawSha256 is their hash")
  void slicesTheReceivedBytes(String name, List<String> elements, boolean ackIdFirst) throws Exception {
    byte[] body = body(elements, ackIdFirst);

    FeedBatch batch = FeedParser.parse(body);

    assertThat(batch.ackId()).isEqualTo("ack-1");
    assertThat(batch.events()).hasSize(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      byte[] expected = elements.get(i).getBytes(StandardCharsets.UTF_8);
      ReceivedEvent event = batch.events().get(i);
      assertThat(new String(event.raw(), StandardCharsets.UTF_8)).as("element %d", i).isEqualTo(elements.get(i));
      assertThat(event.raw()).as("element %d", i).isEqualTo(expected);
      assertThat(event.rawSha256()).isEqualTo(sha256(expected));
      assertThat(event.identity()).isEqualTo(EventIdentity.of(expected));
    }
  }

  @Test
  @DisplayName("a whole number spelled with a fraction or an exponent has the same view as its plain spelling")
  void integralSpellingsShareOneView() {
    ReceivedEvent plain = ReceivedEvent.parse(bytes("{\"t\":1767225600000,\"u\":349026222344891,\"f\":1.5,\"z\":0}"));
    ReceivedEvent spelled = ReceivedEvent.parse(bytes("{\"t\":1.7672256E12,\"u\":349026222344891.000,\"f\":15e-1,\"z\":-0.0}"));

    assertThat(spelled.json()).isEqualTo(plain.json());
    assertThat(spelled.json().getValue("t")).isEqualTo(1_767_225_600_000L);
    assertThat(spelled.json().getValue("u")).isEqualTo(349_026_222_344_891L);
    assertThat(spelled.json().getValue("f")).isEqualTo(1.5);
    assertThat(spelled.identity()).isEqualTo(plain.identity());
    assertThat(ReceivedEvent.parse(bytes("{\"big\":1e400}")).json().getValue("big")).isInstanceOf(Double.class);
  }

  @Test
  @DisplayName("the view of every generated event equals, with the same value types, what Vert.x's decoder builds (whole numbers spelled as fractions aside)")
  void viewMatchesTheVertxDecoder() {
    List<String> texts = new ArrayList<>(new EventGenerator(7).next(300).stream().map(JsonObject::encode).toList());
    texts.add("{\"i\":1,\"l\":3000000000,\"b\":123456789012345678901234567890,\"d\":1.5,\"e\":1E400,"
        + "\"x\":1.7672256E-12,\"neg\":-0,\"negd\":-0.5,\"nul\":null,\"t\":true,\"arr\":[1,{\"x\":[2.5,\"s\"]}],"
        + "\"s\":\"\\ud83d\",\"dup\":1,\"dup\":\"last\"}");

    FeedBatch batch = FeedParser.parse(body(texts, false));

    for (int i = 0; i < texts.size(); i++) {
      JsonObject expected = new JsonObject(texts.get(i));
      JsonObject view = batch.events().get(i).json();
      assertThat(view).isEqualTo(expected);
      assertSameTypes(view.getMap(), expected.getMap());
      assertThat(batch.events().get(i).rejection()).isNull();
    }
  }

  @Test
  @DisplayName("an element that is not an object is kept without a view and with the reason, next to valid events")
  void nonObjectsAreRejectedNotDropped() {
    FeedBatch batch = FeedParser.parse(body(List.of("42", "\"x\"", "null", "[1,2]", "true", "{\"ok\":1}"), false));

    assertThat(batch.events()).extracting(ReceivedEvent::rejection).containsExactly(
        "event is not a JSON object (a number)", "event is not a JSON object (a string)",
        "event is not a JSON object (null)", "event is not a JSON object (an array)",
        "event is not a JSON object (a boolean)", null);
    assertThat(batch.events()).extracting(ReceivedEvent::json)
        .containsExactly(null, null, null, null, null, new JsonObject().put("ok", 1));
  }

  @Test
  @DisplayName("an event with a duplicate key keeps Vert.x's last-wins view and is identified by its received bytes")
  void duplicateKeysAreNotedAndIdentifiedByBytes() throws Exception {
    String raw = "{\"a\":1,\"b\":{\"x\":1,\"x\":2}}";

    ReceivedEvent event = FeedParser.parse(body(List.of(raw), false)).events().get(0);

    assertThat(event.json()).isEqualTo(new JsonObject(raw));
    assertThat(event.note()).isEqualTo("duplicate key \"x\": identity is the received bytes");
    assertThat(event.identity()).isEqualTo(sha256(concat((byte) 'R', raw.getBytes(StandardCharsets.UTF_8))));
    assertThat(event.rejection()).isNull();
  }

  @Test
  @DisplayName("an event nested deeper than 1,000 levels, or with a 1,001-digit number, has no view but never fails the batch")
  void whatTheViewCannotHoldIsRejected() {
    String deep = "{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
    String fine = "{\"a\":" + "[".repeat(999) + "]".repeat(999) + "}";
    String longNumber = "{\"n\":1" + "0".repeat(1000) + "}";

    List<ReceivedEvent> events = FeedParser.parse(body(List.of(deep, fine, longNumber, "{\"ok\":1}"), false)).events();

    assertThat(events.get(0).rejection()).isEqualTo("event nests deeper than 1000 levels");
    assertThat(events.get(0).note()).isEqualTo("nests deeper than 1000 levels: identity is the received bytes");
    assertThat(new String(events.get(0).raw(), StandardCharsets.UTF_8)).isEqualTo(deep);
    assertThat(events.get(1).json()).isNotNull();
    assertThat(events.get(2).rejection()).contains("1001 characters");
    assertThat(events.get(2).identity()).isEqualTo(EventIdentity.of(("{\"n\":1e1000}").getBytes(StandardCharsets.UTF_8)));
    assertThat(events.get(3).json()).isEqualTo(new JsonObject().put("ok", 1));
  }

  @Test
  @DisplayName("\"events\": null, a missing events member and unknown members give an empty batch with the ackId")
  void emptyBatches() {
    for (String body : List.of("{\"events\":null,\"ackId\":\"a\"}", "{\"ackId\":\"a\"}",
        "{\"ackId\":\"a\",\"other\":{\"events\":[1,2]},\"events\":[]}")) {
      FeedBatch batch = FeedParser.parse(body.getBytes(StandardCharsets.UTF_8));
      assertThat(batch.events()).as(body).isEmpty();
      assertThat(batch.ackId()).isEqualTo("a");
    }
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("not JSON", bytes("not json")),
        Arguments.of("empty", new byte[0]),
        Arguments.of("an array", bytes("[{\"ackId\":\"a\"}]")),
        Arguments.of("no ackId", bytes("{\"events\":[{\"a\":1}]}")),
        Arguments.of("an empty ackId", bytes("{\"events\":[],\"ackId\":\"\"}")),
        Arguments.of("a numeric ackId", bytes("{\"events\":[],\"ackId\":5}")),
        Arguments.of("ackId twice", bytes("{\"ackId\":\"a\",\"events\":[],\"ackId\":\"b\"}")),
        Arguments.of("events twice", bytes("{\"events\":[],\"events\":[{}],\"ackId\":\"a\"}")),
        Arguments.of("events an object", bytes("{\"events\":{},\"ackId\":\"a\"}")),
        Arguments.of("events a string", bytes("{\"events\":\"[]\",\"ackId\":\"a\"}")),
        Arguments.of("a trailing comma", bytes("{\"events\":[{\"a\":1},],\"ackId\":\"a\"}")),
        Arguments.of("truncated", bytes("{\"events\":[{\"a\":1},{\"b\":")),
        Arguments.of("content after the object", bytes("{\"events\":[],\"ackId\":\"a\"} {}")),
        Arguments.of("invalid UTF-8 in a string", concat(bytes("{\"events\":[{\"a\":\""),
            new byte[] {(byte) 0xFF}, bytes("\"}],\"ackId\":\"a\"}"))),
        Arguments.of("a cut multi-byte sequence", concat(bytes("{\"events\":[{\"a\":\""),
            new byte[] {(byte) 0xC3}, bytes("\"}],\"ackId\":\"a\"}"))),
        Arguments.of("UTF-16", "{\"events\":[{}],\"ackId\":\"a\"}".getBytes(StandardCharsets.UTF_16BE)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  @DisplayName("a body that is not a well-formed batch is refused as a whole")
  void refusesMalformedBodies(String name, byte[] body) {
    assertThatThrownBy(() -> FeedParser.parse(body)).isInstanceOf(IllegalArgumentException.class);
  }

  static byte[] body(List<String> elements, boolean ackIdFirst) {
    StringBuilder events = new StringBuilder("[").append(elements.isEmpty() ? " \n " : "\n  ");
    for (int i = 0; i < elements.size(); i++) {
      events.append(i == 0 ? "" : SEPARATORS[i % SEPARATORS.length]).append(elements.get(i));
    }
    events.append(elements.isEmpty() ? "" : " \t\n").append(']');
    String text = ackIdFirst
        ? "{\"ackId\" : \"ack-1\",\n \"events\" :" + events + " }"
        : "{\"events\":" + events + ",\"ackId\":\"ack-1\"}";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static void assertSameTypes(Object actual, Object expected) {
    assertThat(actual == null ? null : actual.getClass()).isEqualTo(expected == null ? null : expected.getClass());
    if (expected instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).forEach((k, v) -> assertSameTypes(((Map<String, Object>) actual).get(k), v));
    } else if (expected instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        assertSameTypes(((List<Object>) actual).get(i), list.get(i));
      }
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof Byte b) {
        out.write(b);
      } else {
        out.writeBytes((byte[]) part);
      }
    }
    return out.toByteArray();
  }
}
