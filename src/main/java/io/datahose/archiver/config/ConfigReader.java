package io.datahose.archiver.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Typed, validating access to a merged configuration tree by dotted key. Every failure is a
 * {@link ConfigException} naming the key and the source. Never puts a secret's value in a message.
 * Not thread-safe; used once per load.
 */
final class ConfigReader {

  private static final Pattern BYTES = Pattern.compile("(\\d{1,9})\\s*(B|KB|MB|GB|TB)?");

  private final JsonObject root;
  private final String source;
  private final Function<String, String> env;

  ConfigReader(JsonObject root, String source, Function<String, String> env) {
    this.root = root;
    this.source = source;
    this.env = env;
  }

  ConfigException error(String key, String problem) {
    return new ConfigException(key, problem, source);
  }

  Object raw(String key) {
    Object node = root;
    for (String part : key.split("\\.")) {
      if (!(node instanceof JsonObject object)) {
        return null;
      }
      node = object.getValue(part);
    }
    return node;
  }

  String optString(String key) {
    Object value = raw(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw error(key, "must be a string (quote the value)");
    }
    return s;
  }

  String string(String key) {
    String value = optString(key);
    if (value == null || value.isBlank()) {
      throw error(key, "is required");
    }
    return value;
  }

  int integer(String key, int min, int max) {
    Object value = raw(key);
    if (!(value instanceof Integer || value instanceof Long)) {
      throw error(key, value == null ? "is required" : "must be an integer");
    }
    long n = ((Number) value).longValue();
    if (n < min || n > max) {
      throw error(key, "must be between " + min + " and " + max + " (got " + n + ")");
    }
    return (int) n;
  }

  double number(String key) {
    Object value = raw(key);
    if (!(value instanceof Number n)) {
      throw error(key, value == null ? "is required" : "must be a number");
    }
    return n.doubleValue();
  }

  List<String> strings(String key) {
    Object value = raw(key);
    if (!(value instanceof JsonArray array)) {
      throw error(key, value == null ? "is required" : "must be a list");
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw error(key, "must be a list of strings (got " + item + ")");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  Duration duration(String key) {
    Object value = raw(key);
    Duration d = (value instanceof String s ? Durations.parse(s) : java.util.Optional.<Duration>empty())
        .orElseThrow(() -> error(key, "must be a duration like 500ms, 60s, 5m, 1h or 1d (got " + value + ")"));
    if (d.isZero()) {
      throw error(key, "must be positive (got " + value + ")");
    }
    return d;
  }

  /** @return a byte size like 512MB, 1GB (units B, KB, MB, GB, TB; powers of 1024); zero allowed */
  long bytes(String key) {
    Object value = raw(key);
    String text = value instanceof Number n ? n.toString() : value instanceof String s ? s.trim() : null;
    Matcher m = text == null ? null : BYTES.matcher(text);
    if (m == null || !m.matches()) {
      throw error(key, "must be a size like 500MB, 1GB or 0 (got " + value + ")");
    }
    int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
      case "KB" -> 10;
      case "MB" -> 20;
      case "GB" -> 30;
      case "TB" -> 40;
      default -> 0;
    };
    return Long.parseLong(m.group(1)) << shift;
  }

  /** @return an http(s) URL without trailing '/', or null when unset */
  String optUrl(String key) {
    String value = optString(key);
    if (value == null) {
      return null;
    }
    String url = value.trim().replaceAll("/+$", "");
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
          || uri.getQuery() != null || uri.getFragment() != null) {
        throw error(key, "must be an http:// or https:// URL like https://mypod.symphony.com (got " + value + ")");
      }
    } catch (URISyntaxException e) {
      throw error(key, "must be an http:// or https:// URL (got " + value + ")");
    }
    return url;
  }

  /** @return the path resolved against the working directory, or null when unset */
  Path optPath(String key) {
    String value = optString(key);
    if (value == null) {
      return null;
    }
    if (value.isBlank()) {
      throw error(key, "must not be empty (use null to unset)");
    }
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw error(key, "is not a valid path (" + e.getReason() + ")");
    }
  }

  /** @return {@link #optPath} after checking it names a readable regular file */
  Path optReadableFile(String key) {
    Path path = optPath(key);
    if (path != null && (!Files.isRegularFile(path) || !Files.isReadable(path))) {
      throw error(key, "file " + path + " does not exist or is not readable");
    }
    return path;
  }

  /** @return the store at {@code key} ({@code path}, {@code password} | {@code passwordEnv}) */
  AppConfig.Store store(String key) {
    return new AppConfig.Store(optReadableFile(key + ".path"), secret(key));
  }

  /** @return the secret at {@code key.password} or {@code key.passwordEnv} (one of the two), or null */
  AppConfig.Secret secret(String key) {
    String inline = optString(key + ".password");
    String var = optString(key + ".passwordEnv");
    if (inline != null && var != null) {
      throw error(key + ".passwordEnv", "set either " + key + ".password or " + key + ".passwordEnv, not both");
    }
    AppConfig.Secret secret = inline == null ? null : new AppConfig.Secret(inline);
    if (var != null) {
      String fromEnv = env.apply(var);
      if (fromEnv == null) {
        throw error(key + ".passwordEnv", "environment variable " + var + " is not set");
      }
      secret = new AppConfig.Secret(fromEnv);
    }
    return secret;
  }

  /** @return the environment lookup of the process */
  static Function<String, String> systemEnv() {
    Map<String, String> env = System.getenv();
    return env::get;
  }
}
