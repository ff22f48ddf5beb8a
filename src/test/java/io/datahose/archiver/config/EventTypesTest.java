package io.datahose.archiver.config;

import io.datahose.archiver.symphony.EventTypes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("EventTypes")
class EventTypesTest {

  private static final List<String> SPEC_16 = List.of("MESSAGESENT", "MESSAGESUPPRESSED", "SYMPHONYELEMENTSACTION",
      "SHAREDPOST", "INSTANTMESSAGECREATED", "ROOMCREATED", "ROOMUPDATED", "ROOMDEACTIVATED", "ROOMREACTIVATED",
      "USERREQUESTEDTOJOINROOM", "USERJOINEDROOM", "USERLEFTROOM", "ROOMMEMBERPROMOTEDTOOWNER",
      "ROOMMEMBERDEMOTEDFROMOWNER", "CONNECTIONREQUESTED", "CONNECTIONACCEPTED");

  @Test
  @DisplayName("DEFAULT is the spec's 16 types in the spec's order; ALL adds GENERICSYSTEMEVENT last")
  void lists() {
    List<String> all = new ArrayList<>(SPEC_16);
    all.add("GENERICSYSTEMEVENT");

    assertThat(EventTypes.DEFAULT).containsExactlyElementsOf(SPEC_16);
    assertThat(EventTypes.ALL).containsExactlyElementsOf(all);
  }

  @Test
  @DisplayName("the lists are immutable and, like List.of, refuse a null lookup")
  void immutable() {
    assertThatThrownBy(() -> EventTypes.ALL.add("X")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> EventTypes.DEFAULT.contains(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  @DisplayName("the shipped defaults list exactly the valid types as retention.byType keys and DEFAULT as eventTypes")
  void shippedYamlMatches() {
    JsonObject defaults = ConfigLoader.defaults();

    assertThat(defaults.getJsonObject("retention").getJsonObject("byType").fieldNames())
        .containsExactlyElementsOf(EventTypes.ALL);
    assertThat(defaults.getJsonObject("datahose").getJsonArray("eventTypes").getList())
        .containsExactlyElementsOf(EventTypes.DEFAULT);
  }
}
