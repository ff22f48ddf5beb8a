package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventIdentity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("WireVariants")
class WireVariantsTest {

  private static final List<JsonObject> EVENTS = new EventGenerator(21).next(1000);

  @Test
  @DisplayName("about the share P of events is spelled differently from encode(), as the same value and identity")
  void aShareIsRespelledAsTheSameValue() {
    WireVariants wire = new WireVariants(0.3, 5);
    int different = 0;
    for (JsonObject event : EVENTS) {
      String text = wire.spell(event);
      if (!text.equals(event.encode())) {
        different++;
      }
      assertThat(new JsonObject(text)).isEqualTo(event);
      assertThat(EventIdentity.of(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(EventIdentity.of(event));
      assertThat(new JsonObject(text).getLong("timestamp")).isEqualTo(event.getLong("timestamp"));
    }
    assertThat(different).isBetween(250, 350);
  }

  @Test
  @DisplayName("variants use escapes, whitespace, exponent forms and other key orders; P = 0 is always encode()")
  void variantsUseEveryKindOfSpelling() {
    WireVariants all = new WireVariants(1, 8);
    WireVariants none = new WireVariants(0, 8);
    StringBuilder variants = new StringBuilder();
    int reordered = 0;
    for (JsonObject event : EVENTS.subList(0, 200)) {
      String text = all.spell(event);
      assertThat(text).isNotEqualTo(event.encode());
      assertThat(none.spell(event)).isEqualTo(event.encode());
      variants.append(text);
      if (!List.copyOf(new JsonObject(text).fieldNames()).equals(List.copyOf(event.fieldNames()))) {
        reordered++;
      }
    }
    String text = variants.toString();
    assertThat(text).containsPattern("\\\\u00[0-9a-fA-F]{2}").contains("\\/", "\n", "\t")
        .containsPattern("\\d\\.0[^0-9]").containsPattern("\\d0e-1")
        .containsPattern("\"timestamp\"\\s*:\\s*1\\.7\\d*[eE]\\+?12");
    assertThat(reordered).isBetween(50, 150);
  }

  @Test
  @DisplayName("the same event is re-spelled on every call, and the same seed gives the same spellings")
  void redeliveriesAreRespelledDeterministically() {
    JsonObject event = EVENTS.get(0).copy()
        .put("odd", new JsonArray().add("\"quoted\" \\ back/slash\n\u0007").add("é中😀").add(0).add(-12_300).add(2.5));
    WireVariants first = new WireVariants(1, 99);
    WireVariants again = new WireVariants(1, 99);
    List<String> spellings = java.util.stream.IntStream.range(0, 20).mapToObj(i -> first.spell(event)).toList();

    assertThat(spellings).doesNotHaveDuplicates();
    assertThat(spellings).allSatisfy(text -> {
      assertThat(new JsonObject(text)).isEqualTo(event);
      assertThat(EventIdentity.of(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(EventIdentity.of(event));
    });
    assertThat(java.util.stream.IntStream.range(0, 20).mapToObj(i -> again.spell(event)).toList())
        .isEqualTo(spellings);
  }
}
