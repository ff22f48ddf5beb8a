package io.datahose.archiver.query;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.Field;
import org.jooq.Record;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * jOOQ records to API JSON: column names in camelCase, times as ISO-8601 UTC with milliseconds, JSON-in-text
 * columns left as strings unless {@link #json} is asked for, raw-log events by {@link #putEvent}. Pure; thread-safe.
 */
public final class Rows {

  private Rows() {
  }

  public static JsonObject toJson(Record record) {
    JsonObject json = new JsonObject();
    for (Field<?> field : record.fields()) {
      json.put(camel(field.getName()), value(record.get(field)));
    }
    return json;
  }

  static JsonArray toJson(List<? extends Record> records) {
    JsonArray array = new JsonArray();
    records.forEach(r -> array.add(toJson(r)));
    return array;
  }

  static Object value(Object value) {
    if (value instanceof OffsetDateTime time) {
      return time.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
    }
    return value;
  }

  /** @return the received bytes of a raw-log row; {@code large} holds the rare event above the VARBINARY size */
  static byte[] rawBytes(byte[] raw, byte[] large) {
    return raw != null ? raw : large;
  }

  /**
   * Puts a raw-log row's event into an API answer: {@code rawSha256} (the evidence hash of the stored bytes) and
   * {@code event}, the bytes parsed as JSON; bytes that are not JSON (an element stored as received for a reason)
   * give {@code event: null} and the bytes as text (UTF-8) under {@code eventText}, never a failure.
   *
   * @return {@code json}
   */
  static JsonObject putEvent(JsonObject json, String rawSha256, byte[] bytes) {
    json.put("rawSha256", rawSha256);
    if (bytes == null) {
      // disposed of after its retention: the tombstone keeps rawSha256 (the evidence still proves it), not the bytes
      return json.put("disposed", true).putNull("event");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    try {
      return json.put("event", Json.decodeValue(text));
    } catch (DecodeException e) {
      return json.putNull("event").put("eventText", text);
    }
  }

  /** @return {@code text} parsed as JSON when it is an object, otherwise the text itself */
  public static Object json(String text) {
    if (text == null) {
      return null;
    }
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      return text;
    }
  }

  static String camel(String column) {
    String lower = column.toLowerCase(java.util.Locale.ROOT);
    StringBuilder out = new StringBuilder(lower.length());
    boolean upper = false;
    for (char c : lower.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
