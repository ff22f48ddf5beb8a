package io.datahose.archiver.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.Field;
import org.jooq.Record;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * jOOQ records to API JSON: column names in camelCase, times as ISO-8601 UTC with milliseconds, JSON-in-text
 * columns left as strings unless {@link #json} is asked for. Pure; thread-safe.
 */
final class Rows {

  private Rows() {
  }

  static JsonObject toJson(Record record) {
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

  /** The received bytes of a raw-log row as text (UTF-8); {@code large} holds the rare event above the VARCHAR size. */
  static String rawText(byte[] raw, byte[] large) {
    byte[] bytes = raw != null ? raw : large;
    return bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** @return {@code text} parsed as JSON when it is an object, otherwise the text itself */
  static Object json(String text) {
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
