package io.datahose.archiver.simulator;

import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Deterministic (per seed) generator of realistic Real-Time Events ({@code V4Event}) of all 17 types in a small
 * simulated pod (see {@link World}): rooms are created before use, edits and suppressions refer to earlier messages,
 * actions to earlier forms, acceptances to earlier requests. Timestamps strictly increase from the start time.
 * Room creation with initial members yields a ROOMCREATED and USERJOINEDROOM events sharing one {@code id}; about 3%
 * of events carry an unknown {@code futureField}. Thread-safe (methods synchronized).
 */
public final class EventGenerator {

  /** The 17 event types: the 16 of the datahose spec plus GENERICSYSTEMEVENT. */
  public static final List<String> ALL_TYPES = List.of("MESSAGESENT", "MESSAGESUPPRESSED", "SYMPHONYELEMENTSACTION",
      "SHAREDPOST", "INSTANTMESSAGECREATED", "ROOMCREATED", "ROOMUPDATED", "ROOMDEACTIVATED", "ROOMREACTIVATED",
      "USERREQUESTEDTOJOINROOM", "USERJOINEDROOM", "USERLEFTROOM", "ROOMMEMBERPROMOTEDTOOWNER",
      "ROOMMEMBERDEMOTEDFROMOWNER", "CONNECTIONREQUESTED", "CONNECTIONACCEPTED", "GENERICSYSTEMEVENT");

  /** 2026-01-01T00:00:00Z */
  public static final long DEFAULT_START = 1_767_225_600_000L;

  private final EventContext ctx;
  private final Deque<JsonObject> overflow = new ArrayDeque<>();
  private final Map<String, Supplier<List<JsonObject>>> byType = new LinkedHashMap<>();
  private final List<Map.Entry<Integer, Supplier<List<JsonObject>>>> mix = new ArrayList<>();
  private int totalWeight;

  public EventGenerator(long seed) {
    this(seed, DEFAULT_START);
  }

  public EventGenerator(long seed, long startMillis) {
    this.ctx = new EventContext(seed, startMillis);
    RoomEvents rooms = new RoomEvents(ctx);
    MessageEvents conversations = new MessageEvents(ctx, rooms);
    ContactEvents contacts = new ContactEvents(ctx, conversations);
    register("MESSAGESENT", 45, conversations::messageSent);
    register("MESSAGESUPPRESSED", 3, conversations::messageSuppressed);
    register("SYMPHONYELEMENTSACTION", 4, conversations::elementsAction);
    register("SHAREDPOST", 3, conversations::sharedPost);
    register("INSTANTMESSAGECREATED", 5, conversations::imCreated);
    register("ROOMCREATED", 5, rooms::roomCreated);
    register("ROOMUPDATED", 3, rooms::roomUpdated);
    register("ROOMDEACTIVATED", 1, rooms::roomDeactivated);
    register("ROOMREACTIVATED", 1, rooms::roomReactivated);
    register("USERREQUESTEDTOJOINROOM", 2, rooms::requestedToJoin);
    register("USERJOINEDROOM", 4, rooms::joined);
    register("USERLEFTROOM", 3, rooms::left);
    register("ROOMMEMBERPROMOTEDTOOWNER", 2, rooms::promoted);
    register("ROOMMEMBERDEMOTEDFROMOWNER", 2, rooms::demoted);
    register("CONNECTIONREQUESTED", 2, contacts::connectionRequested);
    register("CONNECTIONACCEPTED", 2, contacts::connectionAccepted);
    register("GENERICSYSTEMEVENT", 2, contacts::genericSystemEvent);
    mix.add(Map.entry(4, conversations::edit));
    mix.add(Map.entry(3, conversations::wallPost));
    mix.add(Map.entry(2, conversations::formMessage));
    totalWeight = mix.stream().mapToInt(Map.Entry::getKey).sum();
  }

  /** @return the {@code payload} member name of {@code type} (e.g. MESSAGESENT → messageSent) */
  public static String payloadKey(String type) {
    return switch (type) {
      case "MESSAGESENT" -> "messageSent";
      case "MESSAGESUPPRESSED" -> "messageSuppressed";
      case "SYMPHONYELEMENTSACTION" -> "symphonyElementsAction";
      case "SHAREDPOST" -> "sharedPost";
      case "INSTANTMESSAGECREATED" -> "instantMessageCreated";
      case "ROOMCREATED" -> "roomCreated";
      case "ROOMUPDATED" -> "roomUpdated";
      case "ROOMDEACTIVATED" -> "roomDeactivated";
      case "ROOMREACTIVATED" -> "roomReactivated";
      case "USERREQUESTEDTOJOINROOM" -> "userRequestedToJoinRoom";
      case "USERJOINEDROOM" -> "userJoinedRoom";
      case "USERLEFTROOM" -> "userLeftRoom";
      case "ROOMMEMBERPROMOTEDTOOWNER" -> "roomMemberPromotedToOwner";
      case "ROOMMEMBERDEMOTEDFROMOWNER" -> "roomMemberDemotedFromOwner";
      case "CONNECTIONREQUESTED" -> "connectionRequested";
      case "CONNECTIONACCEPTED" -> "connectionAccepted";
      case "GENERICSYSTEMEVENT" -> "genericSystemEvent";
      default -> throw new IllegalArgumentException("unknown event type " + type);
    };
  }

  /** @return the next {@code n} events of a realistic mix, in causal order */
  public synchronized List<JsonObject> next(int n) {
    List<JsonObject> out = new ArrayList<>(n);
    while (out.size() < n) {
      if (overflow.isEmpty()) {
        overflow.addAll(pickFromMix().get());
      }
      out.add(overflow.pollFirst());
    }
    return out;
  }

  /**
   * @return one valid event of {@code type}. Prerequisite events (e.g. the room it happens in) are created in the
   * world but not returned.
   */
  public synchronized JsonObject one(String type) {
    Supplier<List<JsonObject>> supplier = byType.get(type);
    if (supplier == null) {
      throw new IllegalArgumentException("unknown event type " + type);
    }
    return supplier.get().stream().filter(e -> type.equals(e.getString("type"))).findFirst().orElseThrow();
  }

  private void register(String type, int weight, Supplier<List<JsonObject>> supplier) {
    byType.put(type, supplier);
    mix.add(Map.entry(weight, supplier));
  }

  private Supplier<List<JsonObject>> pickFromMix() {
    int roll = ctx.random.nextInt(totalWeight);
    for (Map.Entry<Integer, Supplier<List<JsonObject>>> entry : mix) {
      roll -= entry.getKey();
      if (roll < 0) {
        return entry.getValue();
      }
    }
    throw new IllegalStateException("weights");
  }
}
