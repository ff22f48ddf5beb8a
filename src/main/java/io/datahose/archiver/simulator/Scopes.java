package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventType;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.function.Predicate;

/**
 * Datahose {@code scopes} filter: INTERNAL, EXTERNAL (includes connection events) and FEDERATED (cross-pod streams;
 * never stream-less events). Shared wall posts count as INTERNAL. Pure.
 */
final class Scopes {

  static final Set<String> ALL = Set.of("INTERNAL", "EXTERNAL", "FEDERATED");

  private Scopes() {
  }

  /** @return a predicate accepting events in any of {@code scopes}; everything when {@code scopes} is empty */
  static Predicate<JsonObject> filter(Set<String> scopes) {
    return scopes.isEmpty() ? event -> true : event -> scopes.contains(scopeOf(event));
  }

  static String scopeOf(JsonObject event) {
    String type = event.getString("type", "");
    if (type.startsWith("CONNECTION")) {
      return "EXTERNAL";
    }
    if ("SHAREDPOST".equals(type)) {
      return "INTERNAL";
    }
    String key = EventType.fromWire(type).map(EventType::payloadKey)
        .orElseThrow(() -> new IllegalArgumentException("unknown event type " + type));
    JsonObject payload = event.getJsonObject("payload", new JsonObject()).getJsonObject(key, new JsonObject());
    JsonObject message = payload.getJsonObject("message");
    JsonObject stream = payload.getJsonObject("stream", message == null ? null : message.getJsonObject("stream"));
    if (stream == null) {
      return "INTERNAL";
    }
    if (stream.getBoolean("crossPod", false)) {
      return "FEDERATED";
    }
    boolean external = stream.getBoolean("external", false)
        || (message != null && message.getBoolean("externalRecipients", false));
    return external ? "EXTERNAL" : "INTERNAL";
  }
}
