package io.datahose.archiver.symphony;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The identity of a Real-Time Event: its canonical JSON (object keys sorted, no insignificant
 * whitespace) and the SHA-256 of that text. Event {@code id} alone is not unique (simultaneous
 * activities share one), so the archive deduplicates redeliveries on this hash.
 * Pure and thread-safe.
 */
public final class CanonicalJson {

  private CanonicalJson() {
  }

  /** @return the canonical text of {@code value} (JsonObject, JsonArray, Map, List or a JSON scalar) */
  public static String canonical(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(value, out);
    return out.toString();
  }

  /** @return lower-case hex SHA-256 of the canonical UTF-8 text of {@code event} */
  public static String sha256(JsonObject event) {
    return sha256Hex(canonical(event));
  }

  /** @return lower-case hex SHA-256 of {@code text} encoded as UTF-8 */
  public static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void write(Object value, StringBuilder out) {
    if (value instanceof JsonObject object) {
      writeObject(object.getMap(), out);
    } else if (value instanceof Map<?, ?> map) {
      writeObject((Map<String, Object>) map, out);
    } else if (value instanceof JsonArray array) {
      writeArray(array.getList(), out);
    } else if (value instanceof List<?> list) {
      writeArray(list, out);
    } else {
      out.append(Json.encode(value));
    }
  }

  private static void writeObject(Map<String, Object> map, StringBuilder out) {
    List<String> keys = new ArrayList<>(map.keySet());
    Collections.sort(keys);
    out.append('{');
    boolean first = true;
    for (String key : keys) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append(Json.encode(key)).append(':');
      write(map.get(key), out);
    }
    out.append('}');
  }

  private static void writeArray(List<?> list, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(list.get(i), out);
    }
    out.append(']');
  }
}
