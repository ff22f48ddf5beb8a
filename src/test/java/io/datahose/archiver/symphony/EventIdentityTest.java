package io.datahose.archiver.symphony;

import io.datahose.archiver.simulator.EventGenerator;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("EventIdentity")
class EventIdentityTest {

  static Stream<Arguments> sameEvent() {
    return Stream.of(
        Arguments.of("{\"a\":1,\"b\":{\"y\":2,\"x\":[3]}}", "{\"b\":{\"x\":[3],\"y\":2},\"a\":1}"),
        Arguments.of("{\"a\":[1,2],\"s\":\"t\"}", " {\n\t\"a\" : [ 1 ,\r\n 2 ] , \"s\":\"t\" } "),
        Arguments.of("\"\\u0041\"", "\"A\""),
        Arguments.of("{\"k\\u00e9y\":\"caf\\u00E9\"}", "{\"kéy\":\"café\"}"),
        Arguments.of("\"\\ud83d\\ude00\"", "\"😀\""),
        Arguments.of("\"\\/\\\"\"", "\"/\\u0022\""),
        Arguments.of("1.0", "1"),
        Arguments.of("1e0", "1"),
        Arguments.of("10E-1", "1"),
        Arguments.of("1.50E1", "15"),
        Arguments.of("100", "1E+2"),
        Arguments.of("1767225600000", "1.7672256E12"),
        Arguments.of("-0", "0"),
        Arguments.of("-0.0e7", "0"),
        Arguments.of("0.001", "1e-3"),
        Arguments.of("{\"\\ue000\":1,\"\\ud83d\\ude00\":2}", "{\"\uD83D\uDE00\":2,\"\uE000\":1}"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("sameEvent")
  @DisplayName("two spellings of the same JSON value have the same identity")
  void sameValueSameIdentity(String a, String b) {
    assertThat(EventIdentity.of(bytes(a))).isEqualTo(EventIdentity.of(bytes(b)));
  }

  static Stream<Arguments> distinctEvents() {
    return Stream.of(
        Arguments.of("0.1", "0.10000000000000001"),
        Arguments.of("1e400", "2e400"),
        Arguments.of("1e-400", "0"),
        Arguments.of("9007199254740993", "9007199254740992"),
        Arguments.of("\"\\ud83d\"", "\"?\""),
        Arguments.of("\"\\ud83d\"", "\"\\ud83d\\ude00\""),
        Arguments.of("{\"a\":1,\"a\":2}", "{\"a\":2}"),
        Arguments.of("{\"a\":1,\"a\":2}", "{\"a\":2,\"a\":1}"),
        Arguments.of("1", "\"1\""),
        Arguments.of("true", "\"true\""),
        Arguments.of("null", "\"null\""),
        Arguments.of("[1,2]", "[2,1]"),
        Arguments.of("{\"a\":null}", "{}"),
        Arguments.of("{\"a\":{}}", "{\"a\":[]}"),
        Arguments.of("-1", "1"),
        Arguments.of("\"a\"", "\"a \""),
        Arguments.of("{\"a\":\"b\"}", "{\"a\\\"\":\"b\"}"));
  }

  @ParameterizedTest(name = "{0} ≠ {1}")
  @MethodSource("distinctEvents")
  @DisplayName("distinct JSON values have distinct identities")
  void distinctValuesDistinctIdentities(String a, String b) {
    assertThat(EventIdentity.of(bytes(a))).isNotEqualTo(EventIdentity.of(bytes(b)));
  }

  static Stream<Arguments> canonicalForms() {
    return Stream.of(
        Arguments.of("{ \"b\" : 1.50E1, \"a\" : \"\\u00e9\" }", "{\"a\":\"\\u00e9\",\"b\":15}"),
        Arguments.of("{\"\uD83D\uDE00\":1,\"\\ue000\":2,\"z\":3}", "{\"z\":3,\"\\ue000\":2,\"\\ud83d\\ude00\":1}"),
        Arguments.of("\"é\\n\\u0007\\\"\\\\\\ud83d\"", "\"\\u00e9\\u000a\\u0007\\\"\\\\\\ud83d\""),
        Arguments.of("[0.1, -0.0012e-3, 120, 1e1000000000]", "[1e-1,-12e-7,12e1,1e1000000000]"),
        Arguments.of("1.5e99999999999999999999", "15e99999999999999999998"),
        Arguments.of("[true,false,null,{}]", "[true,false,null,{}]"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("canonicalForms")
  @DisplayName("the canonical form sorts keys by code point, normalizes numbers exactly and escapes to ASCII")
  void canonicalForm(String json, String canonical) {
    assertThat(EventIdentity.canonical(bytes(json))).contains(canonical);
  }

  @Test
  @DisplayName("identities are SHA-256 over 'C' + canonical form, or 'R' + received bytes for duplicate keys")
  void domainsAreSeparated() throws Exception {
    assertThat(EventIdentity.of(bytes("{ \"a\" : 1 }")))
        .isEqualTo(FeedParserTest.sha256(FeedParserTest.concat((byte) 'C', bytes("{\"a\":1}"))));
    assertThat(EventIdentity.of(bytes("{\"a\":1,\"a\":1}")))
        .isEqualTo(FeedParserTest.sha256(FeedParserTest.concat((byte) 'R', bytes("{\"a\":1,\"a\":1}"))));
    assertThat(EventIdentity.canonical(bytes("{\"a\":1,\"a\":1}"))).isEmpty();
  }

  @Test
  @DisplayName("number normalization agrees with BigDecimal on 20,000 random numbers")
  void numbersAgreeWithBigDecimal() {
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      String text = randomNumber(random);
      BigDecimal exact = new BigDecimal(text).stripTrailingZeros();
      String expected = exact.signum() == 0 ? "0"
          : exact.unscaledValue() + (exact.scale() == 0 ? "" : "e" + -exact.scale());
      assertThat(CanonicalNumber.of(text.toCharArray(), 0, text.length())).as(text).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("keys compare by code point, not by UTF-16 unit, lone surrogates included")
  void keysCompareByCodePoint() {
    assertThat(KeyOrder.compare("\uE000", "\uD83D\uDE00")).isNegative();
    assertThat("\uE000".compareTo("\uD83D\uDE00")).isPositive(); // why String.compareTo is not used
    char[] alphabet = {'a', 'z', '\u00e9', '\uE000', '\uFFFF', '\uD83D', '\uDE00', '\uD800', '\uDFFF'};
    Random random = new Random(5);
    for (int i = 0; i < 20_000; i++) {
      String a = randomString(random, alphabet);
      String b = randomString(random, alphabet);
      int expected = Integer.signum(Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray()));
      assertThat(Integer.signum(KeyOrder.compare(a, b))).as("%s vs %s", escape(a), escape(b))
          .isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("3,000 generated events have 3,000 distinct identities, equal to those of their re-encoded views")
  void generatedEventsAreDistinct() {
    List<JsonObject> events = new EventGenerator(3).next(3_000);
    Map<String, JsonObject> seen = new HashMap<>();
    for (JsonObject event : events) {
      String identity = EventIdentity.of(event);
      JsonObject earlier = seen.put(identity, event);
      assertThat(earlier == null || earlier.equals(event)).as("collision of %s and %s", earlier, event).isTrue();
      assertThat(EventIdentity.of(new JsonObject(event.encode()))).isEqualTo(identity);
    }
    assertThat(seen).hasSize((int) events.stream().distinct().count());
  }

  private static String randomNumber(Random random) {
    StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
    boolean zero = random.nextInt(4) == 0;
    text.append(zero ? "0" : String.valueOf(1 + random.nextInt(9)));
    for (int n = zero ? 0 : random.nextInt(6); n > 0; n--) {
      text.append(random.nextInt(3) == 0 ? 0 : random.nextInt(10));
    }
    if (random.nextBoolean()) {
      text.append('.');
      for (int n = 1 + random.nextInt(6); n > 0; n--) {
        text.append(random.nextInt(3) == 0 ? 0 : random.nextInt(10));
      }
    }
    if (random.nextBoolean()) {
      text.append(random.nextBoolean() ? 'e' : 'E').append(new String[] {"", "+", "-"}[random.nextInt(3)]);
      text.append(random.nextInt(3) == 0 ? "0" : "").append(random.nextInt(400));
    }
    return text.toString();
  }

  private static String randomString(Random random, char[] alphabet) {
    char[] chars = new char[random.nextInt(5)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return new String(chars);
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    s.chars().forEach(c -> out.append(String.format("\\u%04x", c)));
    return out.toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
