package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventType;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
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

  /** 2026-01-01T00:00:00Z */
  public static final long DEFAULT_START = 1_767_225_600_000L;

  private final EventContext ctx;
  private final Deque<JsonObject> overflow = new ArrayDeque<>();
  private final Map<EventType, Supplier<List<JsonObject>>> byType = new EnumMap<>(EventType.class);
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
    register(EventType.MESSAGESENT, 45, conversations::messageSent);
    register(EventType.MESSAGESUPPRESSED, 3, conversations::messageSuppressed);
    register(EventType.SYMPHONYELEMENTSACTION, 4, conversations::elementsAction);
    register(EventType.SHAREDPOST, 3, conversations::sharedPost);
    register(EventType.INSTANTMESSAGECREATED, 5, conversations::imCreated);
    register(EventType.ROOMCREATED, 5, rooms::roomCreated);
    register(EventType.ROOMUPDATED, 3, rooms::roomUpdated);
    register(EventType.ROOMDEACTIVATED, 1, rooms::roomDeactivated);
    register(EventType.ROOMREACTIVATED, 1, rooms::roomReactivated);
    register(EventType.USERREQUESTEDTOJOINROOM, 2, rooms::requestedToJoin);
    register(EventType.USERJOINEDROOM, 4, rooms::joined);
    register(EventType.USERLEFTROOM, 3, rooms::left);
    register(EventType.ROOMMEMBERPROMOTEDTOOWNER, 2, rooms::promoted);
    register(EventType.ROOMMEMBERDEMOTEDFROMOWNER, 2, rooms::demoted);
    register(EventType.CONNECTIONREQUESTED, 2, contacts::connectionRequested);
    register(EventType.CONNECTIONACCEPTED, 2, contacts::connectionAccepted);
    register(EventType.GENERICSYSTEMEVENT, 2, contacts::genericSystemEvent);
    mix.add(Map.entry(4, conversations::edit));
    mix.add(Map.entry(3, conversations::wallPost));
    mix.add(Map.entry(2, conversations::formMessage));
    totalWeight = mix.stream().mapToInt(Map.Entry::getKey).sum();
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
    Supplier<List<JsonObject>> supplier = EventType.fromWire(type).map(byType::get).orElse(null);
    if (supplier == null) {
      throw new IllegalArgumentException("unknown event type " + type);
    }
    return supplier.get().stream().filter(e -> type.equals(e.getString("type"))).findFirst().orElseThrow();
  }

  private void register(EventType type, int weight, Supplier<List<JsonObject>> supplier) {
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
