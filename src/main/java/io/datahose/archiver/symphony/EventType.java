package io.datahose.archiver.symphony;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The 17 Real-Time Event types (symphony-datahose.md §1.3, §2.1). Each constant's name is its wire name (the event's
 * {@code type} and a value of the feed's {@code eventTypes}), so the declaration order is the order of every list
 * derived from it. Each type carries the name of the single member of the event's {@code payload}
 * (MESSAGESENT → {@code messageSent}) and whether it is in the shipped default {@code eventTypes}.
 */
public enum EventType {

  MESSAGESENT("messageSent"),
  MESSAGESUPPRESSED("messageSuppressed"),
  SYMPHONYELEMENTSACTION("symphonyElementsAction"),
  SHAREDPOST("sharedPost"),
  INSTANTMESSAGECREATED("instantMessageCreated"),
  ROOMCREATED("roomCreated"),
  ROOMUPDATED("roomUpdated"),
  ROOMDEACTIVATED("roomDeactivated"),
  ROOMREACTIVATED("roomReactivated"),
  USERREQUESTEDTOJOINROOM("userRequestedToJoinRoom"),
  USERJOINEDROOM("userJoinedRoom"),
  USERLEFTROOM("userLeftRoom"),
  ROOMMEMBERPROMOTEDTOOWNER("roomMemberPromotedToOwner"),
  ROOMMEMBERDEMOTEDFROMOWNER("roomMemberDemotedFromOwner"),
  CONNECTIONREQUESTED("connectionRequested"),
  CONNECTIONACCEPTED("connectionAccepted"),
  /** Opt-in: accepted by Datahose since Agent 26.3.1 only, hence not in the shipped default. */
  GENERICSYSTEMEVENT("genericSystemEvent", false);

  private static final Map<String, EventType> BY_WIRE = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(EventType::wire, Function.identity()));

  private final String payloadKey;
  private final boolean inDefault;

  EventType(String payloadKey) {
    this(payloadKey, true);
  }

  EventType(String payloadKey, boolean inDefault) {
    this.payloadKey = payloadKey;
    this.inDefault = inDefault;
  }

  /** @return the type as on the wire, e.g. {@code MESSAGESENT} (the constant's name) */
  public String wire() {
    return name();
  }

  /** @return the name of the event's {@code payload} member, e.g. {@code messageSent} */
  public String payloadKey() {
    return payloadKey;
  }

  /** @return whether the type is in the shipped default {@code datahose.eventTypes} */
  public boolean inDefault() {
    return inDefault;
  }

  /** @return the type named exactly {@code wire} (case-sensitive), empty for null or an unknown name */
  public static Optional<EventType> fromWire(String wire) {
    return wire == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(wire));
  }
}
