package io.datahose.archiver.config;

import io.datahose.archiver.symphony.FeedIdentity;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The daemon's validated, immutable configuration: the shipped defaults (classpath
 * {@code config/datahose-archiver.yaml}) with the operator's file merged over them. Built once at start-up
 * by {@link #load(Path)}; every problem fails fast with a {@link ConfigException} naming the dotted key and
 * the file. Secrets are {@link Secret}s whose {@code toString()} is masked; {@link #summary()} is safe to log.
 *
 * @param source the file (or test source name) the configuration was read from
 */
public record AppConfig(Symphony symphony, Datahose datahose, Database database, Http http, Capture capture,
                        Backup backup, Evidence evidence, List<Delivery> exports, Retention retention,
                        String source) {

  /**
   * Retention and disposal: the policy ({@code retention.default}, {@code byType}, {@code byStreamType}), how often
   * the daemon disposes ({@code disposeEvery}), and the share of the archive one run may dispose of before it needs
   * {@code --confirm} ({@code maxDisposePercent}).
   */
  public record Retention(RetentionPolicy policy, Duration disposeEvery,
                          double maxDisposePercent) {
  }

  /**
   * A scheduled delivery ({@code exports:} item): the events archived since its last delivery, in {@code format}
   * (jsonl, actiance, eml, csv), filtered by event {@code type}, {@code stream}, initiator {@code user} (each null =
   * all), every {@code every}, to a directory ({@code dir}) or an SMTP server ({@code smtp}; eml only); an eml
   * message's bodies are split past {@code emlMaxBytes}.
   */
  public record Delivery(String name, String format, String type, String stream, Long user, Duration every,
                         Path dir, Smtp smtp, long emlMaxBytes) {
  }

  /** An SMTP target: envelope/From address, recipients, STARTTLS (required when true), optional login. */
  public record Smtp(String host, int port, String from, List<String> to, boolean starttls, String user,
                     Secret password) {
  }

  /** Base URLs (no trailing '/'; unset ones already defaulted), the bot's credentials and the extra CAs. */
  public record Symphony(String podUrl, String keyManagerUrl, String agentUrl, String sessionAuthUrl,
                         String keyAuthUrl, Bot bot, Store trustStore, Duration authTimeout) {
  }

  /** The service account: RSA when {@code privateKey} is set, certificate when {@code certificate.path} is. */
  public record Bot(String username, Path privateKey, Store certificate) {
    /** @return true for RSA-JWT authentication, false for certificate authentication */
    public boolean usesRsa() {
      return privateKey != null;
    }
  }

  /** A key or trust store file; {@code path == null} means not configured; {@code password} may be null. */
  public record Store(Path path, Secret password) {
    /** @return the password's value, or null */
    public String passwordValue() {
      return password == null ? null : password.value();
    }
  }

  /** A secret value (inline or from {@code passwordEnv}); never printed. */
  public record Secret(String value) {
    @Override
    public String toString() {
      return "****";
    }
  }

  /** The feed: {@code POST /agent/v5/events/read} body and the read loop's timing. */
  public record Datahose(String tag, List<String> eventTypes, List<String> scopes, int readers,
                         Duration readTimeout, Duration drainQuietPeriod, Retry retry) {

    /** @return the feed this configuration reads: tag + sorted event types + sorted scopes */
    public FeedIdentity identity() {
      return new FeedIdentity(tag, eventTypes, scopes);
    }
  }

  /** Exponential back-off; {@code fatalInterval} is the wait after a non-retryable error. */
  public record Retry(Duration initialInterval, double multiplier, Duration maxInterval, Duration fatalInterval) {
  }

  /**
   * The H2 archive file (absolute), whether each batch is forced to disk before it is acknowledged, and the free
   * disk space under which reading stops; or, when {@code url} is set, a PostgreSQL database ({@code user},
   * {@code password}) shared by several daemons, each named by {@code daemonId} in its cursor rows, and {@code path}
   * only names this daemon's local files (search index, default key and evidence paths).
   */
  public record Database(Path path, Fsync fsync, long minFreeDisk, String url, String user, Secret password,
                         String daemonId) {

    /** The embedded H2 file at {@code path}: one daemon, daemon id "". */
    public Database(Path path, Fsync fsync, long minFreeDisk) {
      this(path, fsync, minFreeDisk, null, null, null, "");
    }

    /** @return true when the archive is the PostgreSQL database at {@code url}, false for the H2 file */
    public boolean postgresql() {
      return url != null;
    }

    /** @return {@code password}'s value, or null */
    public String passwordValue() {
      return password == null ? null : password.value();
    }
  }

  /** Capture ledger: no successful read for {@code gapThreshold} opens a capture gap. */
  public record Capture(Duration gapThreshold) {
  }

  /** Scheduled online backups: directory (absolute), interval and how many verified backups are kept. */
  public record Backup(Path dir, Duration interval, int keep, Duration keepDays) {
  }

  /**
   * The archive's evidence: its Ed25519 key ({@code key}, PEM PKCS#8; null = {@code <database.path>.key.pem}, made at
   * first start), the directory that receives the public key and one file per signed tree head ({@code dir}, absolute;
   * meant for another host's mount or a WORM mount), how often a tree head is signed and how often the archive is
   * verified while running.
   */
  public record Evidence(Path key, Path dir, Duration checkpointInterval, Duration verifyInterval) {
  }

  /** {@code database.fsync}. */
  public enum Fsync { BATCH, NEVER }

  /**
   * The query API's bind address, optional TLS (PEM certificate chain and private key; both or neither), how long a
   * connection may stay idle and how long a request's headers may take to arrive.
   */
  public record Http(String host, int port, Path tlsCert, Path tlsKey, Duration idleTimeout, Duration requestTimeout) {
    /** Plain HTTP on {@code host:port} with the shipped timeouts. */
    public Http(String host, int port) {
      this(host, port, null, null, Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    /** @return true when the API serves HTTPS */
    public boolean tls() {
      return tlsCert != null;
    }
  }

  /** @return the shipped defaults merged with {@code file}, validated; environment from the process */
  public static AppConfig load(Path file) throws ConfigException {
    return load(file, System.getenv());
  }

  /** @return as {@link #load(Path)}, reading {@code passwordEnv} variables from {@code env} */
  public static AppConfig load(Path file, Map<String, String> env) throws ConfigException {
    JsonObject overrides = ConfigLoader.readFile(file);
    String source = file.toString();
    return ConfigBinder.bind(ConfigLoader.merge(ConfigLoader.defaults(), overrides, source), source, env::get);
  }

  /** @return the shipped defaults deep-merged with {@code overrides} (same keys as the YAML), validated */
  public static AppConfig fromJson(JsonObject overrides, String source) throws ConfigException {
    return fromJson(overrides, source, System.getenv());
  }

  /** @return as {@link #fromJson(JsonObject, String)}, reading {@code passwordEnv} variables from {@code env} */
  public static AppConfig fromJson(JsonObject overrides, String source, Map<String, String> env)
      throws ConfigException {
    return ConfigBinder.bind(ConfigLoader.merge(ConfigLoader.defaults(), overrides, source), source, env::get);
  }

  /**
   * Checks the bot has credentials (both at once is already refused at load time).
   *
   * @return this
   * @throws ConfigException naming {@code symphony.bot.privateKey} when neither credential is set
   */
  public AppConfig requireCredentials() throws ConfigException {
    if (symphony.bot().privateKey() == null && symphony.bot().certificate().path() == null) {
      throw new ConfigException("symphony.bot.privateKey",
          "is required (or symphony.bot.certificate.path for certificate authentication)", source);
    }
    return this;
  }

  /** @return a copy archiving to {@code path} (made absolute) */
  public AppConfig withDatabasePath(Path path) {
    return new AppConfig(symphony, datahose, new Database(path.toAbsolutePath().normalize(), database.fsync(),
        database.minFreeDisk(), database.url(), database.user(), database.password(), database.daemonId()), http,
        capture, backup, evidence, exports, retention, source);
  }

  /** @return a copy whose pod, key manager, agent, sessionAuth and keyAuth URLs are all {@code baseUrl} */
  public AppConfig withSymphonyUrl(String baseUrl) {
    String url = Objects.requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", "");
    return new AppConfig(new Symphony(url, url, url, url, url, symphony.bot(), symphony.trustStore(),
        symphony.authTimeout()),
        datahose, database, http, capture, backup, evidence, exports, retention, source);
  }

  /** @return a copy with the bot's credentials replaced (tests, demo) */
  public AppConfig withBot(Bot bot) {
    Symphony s = symphony;
    return new AppConfig(new Symphony(s.podUrl(), s.keyManagerUrl(), s.agentUrl(), s.sessionAuthUrl(),
        s.keyAuthUrl(), bot, s.trustStore(), s.authTimeout()), datahose, database, http, capture, backup, evidence,
        exports, retention, source);
  }

  /** @return a copy with capture and backup settings replaced (tests, demo) */
  public AppConfig withOps(Capture capture, Backup backup) {
    return new AppConfig(symphony, datahose, database, http, capture, backup, evidence, exports, retention, source);
  }

  /** @return a copy with the scheduled deliveries replaced (tests) */
  public AppConfig withExports(List<Delivery> deliveries) {
    return new AppConfig(symphony, datahose, database, http, capture, backup, evidence, List.copyOf(deliveries),
        retention, source);
  }

  /** @return a copy with the evidence settings replaced (tests) */
  public AppConfig withEvidence(Evidence evidence) {
    return new AppConfig(symphony, datahose, database, http, capture, backup, evidence, exports, retention, source);
  }

  /** @return the key file the archive signs with: {@code evidence.key}, or {@code <database.path>.key.pem} */
  public Path evidenceKeyPath() {
    return evidence.key() != null ? evidence.key()
        : database.path().resolveSibling(database.path().getFileName() + ".key.pem");
  }

  /** @return the configuration as JSON without any secret value: safe to log */
  public JsonObject summary() {
    Symphony s = symphony;
    return new JsonObject()
        .put("source", source)
        .put("symphony", new JsonObject()
            .put("podUrl", s.podUrl()).put("keyManagerUrl", s.keyManagerUrl()).put("agentUrl", s.agentUrl())
            .put("sessionAuthUrl", s.sessionAuthUrl()).put("keyAuthUrl", s.keyAuthUrl())
            .put("bot", new JsonObject().put("username", s.bot().username())
                .put("auth", s.bot().usesRsa() ? "rsa" : s.bot().certificate().path() != null ? "certificate" : "none")
                .put("privateKey", str(s.bot().privateKey()))
                .put("certificate", str(s.bot().certificate().path())))
            .put("trustStore", str(s.trustStore().path()))
            .put("authTimeout", s.authTimeout().toString()))
        .put("datahose", new JsonObject()
            .put("tag", datahose.tag()).put("eventTypes", new JsonArray(datahose.eventTypes()))
            .put("scopes", new JsonArray(datahose.scopes())).put("readers", datahose.readers())
            .put("readTimeout", datahose.readTimeout().toString())
            .put("retry", new JsonObject()
                .put("initialInterval", datahose.retry().initialInterval().toString())
                .put("multiplier", datahose.retry().multiplier())
                .put("maxInterval", datahose.retry().maxInterval().toString())
                .put("fatalInterval", datahose.retry().fatalInterval().toString())))
        .put("database", new JsonObject().put("path", str(database.path()))
            .put("fsync", database.fsync().name().toLowerCase(java.util.Locale.ROOT))
            .put("minFreeDisk", database.minFreeDisk()).put("url", database.url()).put("user", database.user())
            .put("daemonId", database.daemonId()))
        .put("capture", new JsonObject().put("gapThreshold", capture.gapThreshold().toString()))
        .put("backup", new JsonObject().put("dir", str(backup.dir())).put("interval", backup.interval().toString())
            .put("keep", backup.keep()).put("keepDays", backup.keepDays().toDays()))
        .put("evidence", new JsonObject().put("key", str(evidence.key())).put("dir", str(evidence.dir()))
            .put("checkpointInterval", evidence.checkpointInterval().toString())
            .put("verifyInterval", evidence.verifyInterval().toString()))
        .put("http", new JsonObject().put("host", http.host()).put("port", http.port())
            .put("tls", new JsonObject().put("cert", str(http.tlsCert())).put("key", str(http.tlsKey())))
            .put("idleTimeout", http.idleTimeout().toString()).put("requestTimeout", http.requestTimeout().toString()))
        .put("exports", new JsonArray(exports.stream().map(d -> new JsonObject().put("name", d.name())
            .put("format", d.format()).put("every", d.every().toString()).put("dir", str(d.dir()))
            .put("smtp", d.smtp() == null ? null : d.smtp().host() + ":" + d.smtp().port())).toList()));
  }

  private static String str(Path path) {
    return path == null ? null : path.toString();
  }
}
