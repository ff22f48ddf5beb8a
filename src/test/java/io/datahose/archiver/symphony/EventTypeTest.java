package io.datahose.archiver.symphony;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("EventType")
class EventTypeTest {

  @Test
  @DisplayName("the 17 wire names, in order, with the payload member each carries")
  void wireNamesAndPayloadKeys() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("MESSAGESENT", "messageSent");
    expected.put("MESSAGESUPPRESSED", "messageSuppressed");
    expected.put("SYMPHONYELEMENTSACTION", "symphonyElementsAction");
    expected.put("SHAREDPOST", "sharedPost");
    expected.put("INSTANTMESSAGECREATED", "instantMessageCreated");
    expected.put("ROOMCREATED", "roomCreated");
    expected.put("ROOMUPDATED", "roomUpdated");
    expected.put("ROOMDEACTIVATED", "roomDeactivated");
    expected.put("ROOMREACTIVATED", "roomReactivated");
    expected.put("USERREQUESTEDTOJOINROOM", "userRequestedToJoinRoom");
    expected.put("USERJOINEDROOM", "userJoinedRoom");
    expected.put("USERLEFTROOM", "userLeftRoom");
    expected.put("ROOMMEMBERPROMOTEDTOOWNER", "roomMemberPromotedToOwner");
    expected.put("ROOMMEMBERDEMOTEDFROMOWNER", "roomMemberDemotedFromOwner");
    expected.put("CONNECTIONREQUESTED", "connectionRequested");
    expected.put("CONNECTIONACCEPTED", "connectionAccepted");
    expected.put("GENERICSYSTEMEVENT", "genericSystemEvent");

    Map<String, String> actual = Arrays.stream(EventType.values()).collect(Collectors.toMap(EventType::wire,
        EventType::payloadKey, (a, b) -> a, LinkedHashMap::new));
    assertThat(actual).containsExactlyEntriesOf(expected);
    assertThat(EventType.values()).allSatisfy(type -> assertThat(type.wire()).isEqualTo(type.name()));
  }

  @Test
  @DisplayName("only GENERICSYSTEMEVENT (Agent 26.3.1+) is left out of the shipped default")
  void defaultLeavesOutGenericSystemEvent() {
    assertThat(Arrays.stream(EventType.values()).filter(type -> !type.inDefault()))
        .containsExactly(EventType.GENERICSYSTEMEVENT);
  }

  @Test
  @DisplayName("fromWire finds every type by its exact wire name only")
  void fromWire() {
    assertThat(Arrays.stream(EventType.values()).collect(Collectors.toMap(EventType::wire, Function.identity())))
        .allSatisfy((wire, type) -> assertThat(EventType.fromWire(wire)).contains(type));
    assertThat(EventType.fromWire("messageSent")).isEmpty();
    assertThat(EventType.fromWire("MessageSent")).isEmpty();
    assertThat(EventType.fromWire("MESSAGE_SENT")).isEmpty();
    assertThat(EventType.fromWire(" MESSAGESENT")).isEmpty();
    assertThat(EventType.fromWire("")).isEmpty();
    assertThat(EventType.fromWire(null)).isEmpty();
  }
}
