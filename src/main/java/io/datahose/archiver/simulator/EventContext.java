package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Random;

/**
 * State shared by the event factories of one {@link EventGenerator}: the seeded random, the simulated {@link World},
 * the message builder and the clock, plus the {@code V4Event} envelope. Confined to its generator (not thread-safe).
 */
final class EventContext {

  final Random random;
  final World world = new World();
  final Messages messages;
  long clock;

  EventContext(long seed, long startMillis) {
    this.random = new Random(seed);
    this.messages = new Messages(random);
    this.clock = startMillis;
  }

  JsonObject event(EventType type, String id, String messageId, World.User initiator, JsonObject payload) {
    clock += 1 + random.nextInt(3000);
    JsonObject event = new JsonObject().put("id", id);
    if (messageId != null) {
      event.put("messageId", messageId);
    }
    event.put("timestamp", clock).put("type", type.wire())
        .put("initiator", new JsonObject().put("user", initiator.json()))
        .put("payload", new JsonObject().put(type.payloadKey(), payload));
    if (random.nextInt(33) == 0) {
      JsonObject future = new JsonObject().put("introducedIn", "27.2").put("flags", new JsonArray().add("ß").add(7));
      if (random.nextBoolean()) {
        event.put("futureField", future);
      } else {
        payload.put("futureField", future);
      }
    }
    return event;
  }

  JsonObject event(EventType type, World.User initiator, JsonObject payload) {
    return event(type, Ids.eventId(random), Ids.streamOrMessageId(random), initiator, payload);
  }
}
