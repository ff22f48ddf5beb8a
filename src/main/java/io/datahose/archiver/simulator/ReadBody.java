package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Validation of a {@code V5EventsReadBody} as the agent does it (400 on violation). Pure. */
final class ReadBody {

  private ReadBody() {
  }

  /** @return null when {@code body} is valid, otherwise the reason */
  static String validate(JsonObject body) {
    if (!"datahose".equals(body.getValue("type"))) {
      return "type must be \"datahose\"";
    }
    if (!(body.getValue("tag") instanceof String tag) || tag.isEmpty() || tag.length() > 80) {
      return "tag must be a string of 1..80 characters";
    }
    if (!(body.getValue("eventTypes") instanceof JsonArray types) || types.isEmpty()) {
      return "eventTypes: at least one value is required";
    }
    for (Object type : types) {
      if (!(type instanceof String name) || EventType.fromWire(name).isEmpty()) {
        return "eventTypes: unknown event type " + type;
      }
    }
    Object scopes = body.getValue("scopes");
    if (scopes != null) {
      if (!(scopes instanceof JsonArray array)) {
        return "scopes must be an array";
      }
      for (Object scope : array) {
        if (!(scope instanceof String name) || !Scopes.ALL.contains(name)) {
          return "scopes: unknown scope " + scope;
        }
      }
    }
    Object ackId = body.getValue("ackId");
    if (ackId != null && !(ackId instanceof String)) {
      return "ackId must be a string";
    }
    Object presence = body.getValue("updatePresence");
    if (presence != null && !(presence instanceof Boolean)) {
      return "updatePresence must be a boolean";
    }
    return null;
  }
}
