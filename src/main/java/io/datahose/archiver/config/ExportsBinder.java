package io.datahose.archiver.config;

import io.datahose.archiver.symphony.EventTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Validates the {@code exports:} list into {@link AppConfig.Delivery} records. List items are not covered by the
 * defaults merge, so each item's keys are checked here; every problem names the key as {@code exports[i].key} and
 * the file. Stateless.
 */
final class ExportsBinder {

  private static final List<String> FORMATS = List.of("jsonl", "actiance", "eml", "csv");
  private static final Set<String> ITEM_KEYS = Set.of("name", "format", "every", "filter", "target", "emlMaxBytes");
  private static final Set<String> FILTER_KEYS = Set.of("type", "stream", "user");
  private static final Set<String> TARGET_KEYS = Set.of("dir", "smtp");
  private static final Set<String> SMTP_KEYS = Set.of("host", "port", "from", "to", "starttls", "user", "password",
      "passwordEnv");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private ExportsBinder() {
  }

  static List<AppConfig.Delivery> bind(JsonObject merged, String source, Function<String, String> env) {
    Object value = merged.getValue("exports");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray items)) {
      throw new ConfigException("exports", "must be a list of deliveries", source);
    }
    List<AppConfig.Delivery> deliveries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String key = "exports[" + i + "]";
      if (!(items.getValue(i) instanceof JsonObject item)) {
        throw new ConfigException(key, "must be a mapping with keys " + ITEM_KEYS, source);
      }
      // a reader rooted at {"exports[i]": item}, so its dotted keys read exports[i].name, exports[i].target.dir, …
      ConfigReader r = new ConfigReader(new JsonObject().put(key, item), source, env);
      AppConfig.Delivery d = delivery(r, key, item, source);
      if (!names.add(d.name())) {
        throw new ConfigException(key + ".name", "names another delivery too (" + d.name() + ")", source);
      }
      deliveries.add(d);
    }
    return List.copyOf(deliveries);
  }

  private static AppConfig.Delivery delivery(ConfigReader r, String key, JsonObject item, String source) {
    known(item, key, ITEM_KEYS, source);
    String name = r.string(key + ".name");
    if (!NAME.matcher(name).matches()) {
      throw r.error(key + ".name", "must be 1..64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    String format = r.string(key + ".format");
    if (!FORMATS.contains(format)) {
      throw r.error(key + ".format", "must be one of " + FORMATS + " (got " + format + ")");
    }
    if (r.raw(key + ".every") == null) {
      throw r.error(key + ".every", "is required (e.g. 1d, 6h, 15m)");
    }
    var every = r.duration(key + ".every");
    String type = null;
    String stream = null;
    Long user = null;
    if (item.getValue("filter") != null) {
      JsonObject filter = mapping(item, "filter", key, FILTER_KEYS, source);
      type = r.optString(key + ".filter.type");
      if (type != null && !EventTypes.ALL.contains(type)) {
        throw r.error(key + ".filter.type", "unknown event type " + type + " (allowed: " + EventTypes.ALL + ")");
      }
      stream = r.optString(key + ".filter.stream");
      Object u = filter.getValue("user");
      if (u != null && !(u instanceof Integer || u instanceof Long)) {
        throw r.error(key + ".filter.user", "must be a Symphony user id (a number)");
      }
      user = u == null ? null : ((Number) u).longValue();
    }
    JsonObject target = mapping(item, "target", key, TARGET_KEYS, source);
    Path dir = r.optPath(key + ".target.dir");
    AppConfig.Smtp smtp = target.getValue("smtp") == null ? null : smtp(r, key + ".target.smtp",
        mapping(target, "smtp", key + ".target", SMTP_KEYS, source));
    if ((dir == null) == (smtp == null)) {
      throw r.error(key + ".target", "must set exactly one of dir or smtp");
    }
    if (smtp != null && !format.equals("eml")) {
      throw r.error(key + ".format", "must be eml for an smtp target (got " + format + ")");
    }
    long emlMaxBytes = item.getValue("emlMaxBytes") == null ? 50_000_000L : r.bytes(key + ".emlMaxBytes");
    return new AppConfig.Delivery(name, format, type, stream, user, every, dir, smtp, emlMaxBytes);
  }

  private static AppConfig.Smtp smtp(ConfigReader r, String key, JsonObject smtp) {
    String host = r.string(key + ".host");
    int port = r.raw(key + ".port") == null ? 25 : r.integer(key + ".port", 1, 65535);
    String from = r.string(key + ".from");
    List<String> to = r.raw(key + ".to") instanceof String one ? List.of(one) : r.strings(key + ".to");
    if (to.isEmpty()) {
      throw r.error(key + ".to", "must name at least one recipient");
    }
    Object starttls = smtp.getValue("starttls");
    if (starttls != null && !(starttls instanceof Boolean)) {
      throw r.error(key + ".starttls", "must be true or false");
    }
    AppConfig.Store login = r.store(key);
    String user = r.optString(key + ".user");
    if ((user == null) != (login.password() == null)) {
      throw r.error(key + ".user", "user and password (or passwordEnv) go together");
    }
    return new AppConfig.Smtp(host, port, from, to, starttls == null || (Boolean) starttls, user, login.password());
  }

  private static JsonObject mapping(JsonObject parent, String field, String key, Set<String> allowed, String source) {
    Object value = parent.getValue(field);
    if (!(value instanceof JsonObject object)) {
      throw new ConfigException(key + "." + field, value == null ? "is required" : "must be a mapping with keys "
          + allowed, source);
    }
    known(object, key + "." + field, allowed, source);
    return object;
  }

  private static void known(JsonObject object, String key, Set<String> allowed, String source) {
    for (String field : object.fieldNames()) {
      if (!allowed.contains(field)) {
        throw new ConfigException(key + "." + field, "unknown key (allowed: " + allowed.stream().sorted().toList()
            + ")", source);
      }
    }
  }
}
