package io.datahose.archiver.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads YAML into a {@link JsonObject} and deep-merges it over the shipped defaults (classpath
 * {@code config/datahose-archiver.yaml}). SnakeYAML is used directly rather than vertx-config's
 * ConfigRetriever: configuration is read once, synchronously, before Vert.x exists, and the loader needs
 * the parse error's line. Every key of the result exists in the defaults: an unknown key fails here.
 * Stateless and thread-safe.
 */
final class ConfigLoader {

  static final String DEFAULTS_RESOURCE = "config/datahose-archiver.yaml";

  private ConfigLoader() {
  }

  /** @return the parsed file (empty file = empty object) */
  static JsonObject readFile(Path file) {
    String source = file.toString();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException("configuration file does not exist or is not readable", source, (Throwable) null);
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, source);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file (" + e.getMessage() + ")", source, e);
    }
  }

  /** @return the shipped defaults */
  static JsonObject defaults() {
    String source = "classpath:" + DEFAULTS_RESOURCE;
    InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE);
    if (in == null) {
      throw new ConfigException("shipped defaults are missing from the classpath", source, (Throwable) null);
    }
    try (Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
      return parse(reader, source);
    } catch (IOException e) {
      throw new ConfigException("cannot read shipped defaults", source, e);
    }
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  private static JsonObject parse(Reader reader, String source) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Object root;
    try {
      root = new Yaml(new SafeConstructor(options)).load(reader);
    } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
      // one line: SnakeYAML's own message spans several lines (context, snippet, caret)
      org.yaml.snakeyaml.error.Mark mark = e.getProblemMark();
      String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      throw new ConfigException("invalid YAML" + where + ": " + oneLine(e.getProblem()), source, e);
    } catch (YAMLException e) {
      throw new ConfigException("invalid YAML: " + oneLine(e.getMessage()), source, e);
    }
    if (root == null) {
      return new JsonObject();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException("the top level must be a mapping of keys", source, (Throwable) null);
    }
    return toJson(map);
  }

  /**
   * @return {@code defaults} with {@code overrides} merged in: mappings merge key by key, any other value
   *     (lists included) replaces the default
   * @throws ConfigException for a key absent from the defaults, or a scalar where a mapping is expected
   */
  static JsonObject merge(JsonObject defaults, JsonObject overrides, String source) {
    return merge(defaults, overrides, "", source);
  }

  private static JsonObject merge(JsonObject defaults, JsonObject overrides, String prefix, String source) {
    JsonObject merged = defaults.copy();
    for (Map.Entry<String, Object> entry : overrides) {
      String key = prefix + entry.getKey();
      if (!defaults.containsKey(entry.getKey())) {
        throw new ConfigException(key, "unknown key (check the spelling; see the sample datahose-archiver.yaml)",
            source);
      }
      Object def = defaults.getValue(entry.getKey());
      Object value = entry.getValue();
      if (def instanceof JsonObject defObject) {
        if (!(value instanceof JsonObject valueObject)) {
          throw new ConfigException(key, "must be a mapping with keys " + defObject.fieldNames(), source);
        }
        merged.put(entry.getKey(), merge(defObject, valueObject, key + ".", source));
      } else {
        merged.put(entry.getKey(), value);
      }
    }
    return merged;
  }

  private static JsonObject toJson(Map<?, ?> map) {
    JsonObject json = new JsonObject();
    map.forEach((k, v) -> json.put(String.valueOf(k), toJsonValue(v)));
    return json;
  }

  private static Object toJsonValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      return toJson(map);
    }
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(v -> array.add(toJsonValue(v)));
      return array;
    }
    return value;
  }
}
