package io.datahose.archiver.config;

import io.datahose.archiver.symphony.EventTypes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import io.vertx.core.json.JsonObject;

/**
 * Validates a merged configuration tree into the typed {@link AppConfig} records, applying the URL
 * defaults (keyManager, agent, sessionAuth → pod; keyAuth → keyManager). Stateless; fails with the
 * first problem found.
 */
final class ConfigBinder {

  private ConfigBinder() {
  }

  static AppConfig bind(JsonObject merged, String source, Function<String, String> env) {
    ConfigReader r = new ConfigReader(merged, source, env);
    return new AppConfig(symphony(r), datahose(r), database(r), http(r), capture(r), backup(r),
        evidence(r, database(r).path()), ExportsBinder.bind(merged, source, env), retention(r), source);
  }

  private static AppConfig.Symphony symphony(ConfigReader r) {
    String pod = r.optUrl("symphony.pod.url");
    if (pod == null) {
      throw r.error("symphony.pod.url", "is required");
    }
    String km = orElse(r.optUrl("symphony.keyManager.url"), pod);
    String agent = orElse(r.optUrl("symphony.agent.url"), pod);
    String sessionAuth = orElse(r.optUrl("symphony.sessionAuth.url"), pod);
    String keyAuth = orElse(r.optUrl("symphony.keyAuth.url"), km);
    AppConfig.Bot bot = new AppConfig.Bot(r.string("symphony.bot.username"),
        r.optReadableFile("symphony.bot.privateKey"), r.store("symphony.bot.certificate"));
    if (bot.privateKey() != null && bot.certificate().path() != null) {
      throw r.error("symphony.bot.certificate.path",
          "set either symphony.bot.privateKey (RSA) or symphony.bot.certificate.path (certificate), not both");
    }
    return new AppConfig.Symphony(pod, km, agent, sessionAuth, keyAuth, bot, r.store("symphony.trustStore"),
        r.duration("symphony.authTimeout"));
  }

  private static AppConfig.Retention retention(ConfigReader r) {
    RetentionPolicy policy = new RetentionPolicy(period(r, "retention.default"),
        periods(r, "retention.byType"), periods(r, "retention.byStreamType"));
    double max = r.number("retention.maxDisposePercent");
    if (!(max >= 0 && max <= 100)) {
      throw r.error("retention.maxDisposePercent", "must be a percentage 0..100 (got " + max + ")");
    }
    return new AppConfig.Retention(policy, r.duration("retention.disposeEvery"), max);
  }

  private static RetentionPolicy.Period period(ConfigReader r, String key) {
    Object value = r.raw(key);
    String text = value instanceof Number n ? n.toString() : value instanceof String s ? s : null;
    return RetentionPolicy.Period.parse(text).orElseThrow(() -> r.error(key,
        "must be a retention period like 7y, 90d or 12h, or 0 to keep forever (got " + value + ")"));
  }

  /** Every key of the mapping (the defaults list the allowed ones, with no value) that has a value. */
  private static java.util.Map<String, RetentionPolicy.Period> periods(ConfigReader r, String key) {
    java.util.Map<String, RetentionPolicy.Period> out = new java.util.TreeMap<>();
    if (r.raw(key) instanceof io.vertx.core.json.JsonObject map) {
      for (String name : map.fieldNames()) {
        if (map.getValue(name) != null) {
          out.put(name, period(r, key + "." + name));
        }
      }
    }
    return out;
  }

  private static AppConfig.Datahose datahose(ConfigReader r) {
    String tag = r.string("datahose.tag");
    if (tag.length() > 80) {
      throw r.error("datahose.tag", "must be 1..80 characters (got " + tag.length() + ")");
    }
    List<String> types = r.strings("datahose.eventTypes");
    if (types.isEmpty()) {
      throw r.error("datahose.eventTypes", "must list at least one event type");
    }
    checkValues(r, "datahose.eventTypes", types, EventTypes.ALL);
    List<String> scopes = r.strings("datahose.scopes");
    checkValues(r, "datahose.scopes", scopes, EventTypes.SCOPES);
    int readers = r.integer("datahose.readers", 1, 8);
    Duration readTimeout = r.duration("datahose.readTimeout");
    Duration drainQuiet = r.duration("datahose.drainQuietPeriod");
    return new AppConfig.Datahose(tag, types, scopes, readers, readTimeout, drainQuiet, retry(r));
  }

  private static AppConfig.Retry retry(ConfigReader r) {
    Duration initial = r.duration("datahose.retry.initialInterval");
    double multiplier = r.number("datahose.retry.multiplier");
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw r.error("datahose.retry.multiplier", "must be a number >= 1 (got " + multiplier + ")");
    }
    Duration max = r.duration("datahose.retry.maxInterval");
    if (max.compareTo(initial) < 0) {
      throw r.error("datahose.retry.maxInterval", "must not be shorter than datahose.retry.initialInterval");
    }
    return new AppConfig.Retry(initial, multiplier, max, r.duration("datahose.retry.fatalInterval"));
  }

  private static AppConfig.Database database(ConfigReader r) {
    Path path = r.optPath("database.path");
    if (path == null) {
      throw r.error("database.path", "is required");
    }
    String fsync = r.string("database.fsync");
    AppConfig.Fsync mode = switch (fsync.toLowerCase(Locale.ROOT)) {
      case "batch" -> AppConfig.Fsync.BATCH;
      case "never" -> AppConfig.Fsync.NEVER;
      default -> throw r.error("database.fsync", "must be batch or never (got " + fsync + ")");
    };
    String url = r.optString("database.url");
    if (url == null) {
      return new AppConfig.Database(path, mode, r.bytes("database.minFreeDisk")); // one daemon: its id is ""
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw r.error("database.url", "must be a jdbc:postgresql: URL (got " + url + "); leave it null for the H2 file");
    }
    String user = r.optString("database.user");
    if (user == null || user.isBlank()) {
      throw r.error("database.user", "is required with database.url");
    }
    AppConfig.Secret password = r.secret("database");
    String daemonId = r.optString("database.daemonId");
    if (daemonId == null) {
      daemonId = hostName();
    }
    if (daemonId.isBlank() || daemonId.length() > 100) {
      throw r.error("database.daemonId", "must be 1..100 characters (got \"" + daemonId + "\")");
    }
    return new AppConfig.Database(path, mode, r.bytes("database.minFreeDisk"), url, user, password, daemonId);
  }

  /** The default daemon id: this host's name (two daemons on one host need a daemonId each). */
  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  private static AppConfig.Capture capture(ConfigReader r) {
    return new AppConfig.Capture(r.duration("capture.gapThreshold"));
  }

  private static AppConfig.Backup backup(ConfigReader r) {
    Path dir = r.optPath("backup.dir");
    if (dir == null) {
      throw r.error("backup.dir", "is required");
    }
    return new AppConfig.Backup(dir, r.duration("backup.interval"), r.integer("backup.keep", 1, 1000),
        Duration.ofDays(r.integer("backup.keepDays", 1, 3650)));
  }

  private static AppConfig.Evidence evidence(ConfigReader r, Path databasePath) {
    Path dir = r.optPath("evidence.dir");
    if (dir == null) {
      dir = databasePath.resolveSibling(databasePath.getFileName() + ".evidence");
    }
    return new AppConfig.Evidence(r.optReadableFile("evidence.key"), dir, r.duration("evidence.checkpointInterval"),
        r.duration("evidence.verifyInterval"));
  }

  private static AppConfig.Http http(ConfigReader r) {
    Path cert = r.optReadableFile("http.tls.cert");
    Path key = r.optReadableFile("http.tls.key");
    if ((cert == null) != (key == null)) {
      throw r.error(cert == null ? "http.tls.cert" : "http.tls.key", "must be set together with "
          + (cert == null ? "http.tls.key" : "http.tls.cert"));
    }
    return new AppConfig.Http(r.string("http.host"), r.integer("http.port", 0, 65535), cert, key,
        r.duration("http.idleTimeout"), r.duration("http.requestTimeout"));
  }

  private static void checkValues(ConfigReader r, String key, List<String> values, List<String> allowed) {
    Set<String> seen = new HashSet<>();
    for (String value : values) {
      if (!allowed.contains(value)) {
        throw r.error(key, "unknown value " + value + " (allowed: " + String.join(", ", allowed) + ")");
      }
      if (!seen.add(value)) {
        throw r.error(key, "lists " + value + " twice");
      }
    }
  }

  private static String orElse(String value, String fallback) {
    return value != null ? value : fallback;
  }
}
