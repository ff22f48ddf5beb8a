package io.datahose.archiver.symphony;

import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * One JSON value as {@link ValueReader} read it, before its received bytes are known.
 *
 * @param first             its first token (START_OBJECT for an event proper)
 * @param view              the parsed tree (a Map for an object), null when {@code viewProblem} is set
 * @param canonicalIdentity the identity of its canonical form, or null when it has none (see {@code note})
 * @param note              why the identity is the received bytes, or null
 * @param viewProblem       why there is no parsed view, or null
 */
record ParsedValue(JsonToken first, Object view, String canonicalIdentity, String note, String viewProblem) {

  /** @return the dedup identity of the value whose received bytes are {@code raw} */
  String identity(byte[] raw) {
    return canonicalIdentity != null ? canonicalIdentity : EventIdentity.ofReceivedBytes(raw);
  }

  /** @return the event as received: {@code raw} is kept as is (not copied) */
  @SuppressWarnings("unchecked")
  ReceivedEvent toEvent(byte[] raw) {
    String rejection = first != JsonToken.START_OBJECT ? "event is not a JSON object (" + kind() + ")" : viewProblem;
    JsonObject json = rejection == null ? new JsonObject((Map<String, Object>) view) : null;
    return new ReceivedEvent(raw, json, identity(raw), EventIdentity.sha256Hex(raw), note, rejection);
  }

  private String kind() {
    return switch (first) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> first.name();
    };
  }
}
