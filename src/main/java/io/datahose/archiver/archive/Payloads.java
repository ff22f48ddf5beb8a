package io.datahose.archiver.archive;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Small helpers to read Real-Time Event JSON. Two families: strict getters used by projections (a value of the
 * wrong JSON type throws, which turns the event into a raw-only one with a reason), and lenient ones
 * ({@code lenient*}) used for the raw log row, which must never fail. Pure and thread-safe.
 */
final class Payloads {

  private Payloads() {
  }

  /** Epoch milliseconds to UTC time; null or 0 (documentation placeholder) gives null. */
  static OffsetDateTime time(Long epochMs) {
    if (epochMs == null || epochMs == 0L) {
      return null;
    }
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
  }

  /** Strict: the object under {@code key}, or throws naming the key when it is absent. */
  static JsonObject required(JsonObject parent, String key) {
    JsonObject value = parent == null ? null : parent.getJsonObject(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }

  /** Strict: the array under {@code key}, empty when absent. */
  static JsonArray array(JsonObject parent, String key) {
    JsonArray value = parent == null ? null : parent.getJsonArray(key);
    return value == null ? new JsonArray() : value;
  }

  /** Strict: the text under {@code key}, or throws naming the key when it is absent. */
  static String requiredString(JsonObject parent, String key) {
    String value = parent == null ? null : parent.getString(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }

  /** JSON text of an object or array value (kept as text columns), null when absent. */
  static String jsonText(Object value) {
    if (value instanceof JsonObject object) {
      return object.encode();
    }
    if (value instanceof JsonArray arr) {
      return arr.encode();
    }
    return value == null ? null : io.vertx.core.json.Json.encode(value);
  }

  /** Lenient: nested object by path, null on absence or wrong type. */
  static JsonObject lenientObject(JsonObject root, String... path) {
    Object current = root;
    for (String key : path) {
      if (!(current instanceof JsonObject object)) {
        return null;
      }
      current = object.getValue(key);
    }
    return current instanceof JsonObject object ? object : null;
  }

  /** Lenient: a number as long, null on absence or wrong type. */
  static Long lenientLong(JsonObject parent, String key) {
    Object value = parent == null ? null : parent.getValue(key);
    return value instanceof Number number ? number.longValue() : null;
  }

  /** Lenient: a string cut to {@code max} characters, null on absence or wrong type. */
  static String lenientString(JsonObject parent, String key, int max) {
    Object value = parent == null ? null : parent.getValue(key);
    return value instanceof String text ? cut(text, max) : null;
  }

  /** {@code text} cut to at most {@code max} characters (null stays null). */
  static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
