package io.datahose.archiver.config;

import io.datahose.archiver.symphony.EventTypes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;

@DisplayName("AppConfig")
class ConfigTest {

  @TempDir
  Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("datahose-archiver.yaml");
    Files.writeString(file, text);
    return file;
  }

  private void assertRefused(String text, String key, String... fragments) throws IOException {
    Path file = yaml(text);
    assertThatThrownBy(() -> AppConfig.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(key + ": ")
        .hasMessageEndingWith(" in " + file)
        .hasMessageContaining(fragments.length == 0 ? key : fragments[0])
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
  }

  @Test
  @DisplayName("an empty file yields the shipped defaults, equal to the documented values")
  void shippedDefaults() throws IOException {
    AppConfig cfg = AppConfig.load(yaml(""), Map.of());
    AppConfig.Symphony s = cfg.symphony();
    assertThat(List.of(s.podUrl(), s.keyManagerUrl(), s.agentUrl(), s.sessionAuthUrl(), s.keyAuthUrl()))
        .containsOnly("https://mypod.symphony.com");
    assertThat(s.bot()).isEqualTo(new AppConfig.Bot("archiver-bot", null, new AppConfig.Store(null, null)));
    assertThat(s.trustStore()).isEqualTo(new AppConfig.Store(null, null));
    assertThat(cfg.datahose()).isEqualTo(new AppConfig.Datahose("datahose-archiver", EventTypes.DEFAULT, List.of(), 1,
        Duration.ofSeconds(60), Duration.ofSeconds(35), new AppConfig.Retry(Duration.ofMillis(500), 2.0, Duration.ofSeconds(60),
        Duration.ofSeconds(60))));
    assertThat(cfg.datahose().eventTypes()).hasSize(16).doesNotContain("GENERICSYSTEMEVENT");
    assertThat(cfg.database()).isEqualTo(new AppConfig.Database(Path.of("/var/lib/datahose-archiver/archive"),
        AppConfig.Fsync.BATCH, 1L << 30));
    assertThat(cfg.capture()).isEqualTo(new AppConfig.Capture(Duration.ofMinutes(2)));
    assertThat(cfg.backup()).isEqualTo(new AppConfig.Backup(Path.of("/var/lib/datahose-archiver/backups"),
        Duration.ofHours(24), 7, Duration.ofDays(1)));
    assertThat(cfg.http()).isEqualTo(new AppConfig.Http("127.0.0.1", 8080));
    assertThat(cfg.source()).isEqualTo(dir.resolve("datahose-archiver.yaml").toString());
  }

  @Test
  @DisplayName("a tag of 81 characters is refused naming datahose.tag and the file")
  void tagTooLong() throws IOException {
    assertRefused("datahose:\n  tag: " + "x".repeat(81) + "\n", "datahose.tag", "must be 1..80 characters (got 81)");
  }

  @Test
  @DisplayName("an unknown key (a typo) is refused naming it")
  void unknownKey() throws IOException {
    assertRefused("datahose:\n  tga: x\n", "datahose.tga", "unknown key");
  }

  @Test
  @DisplayName("a duration that is not ms/s/m/h is refused naming datahose.readTimeout")
  void badDuration() throws IOException {
    assertRefused("datahose:\n  readTimeout: 5 parsecs\n", "datahose.readTimeout", "5 parsecs");
  }

  @Test
  @DisplayName("durations accept ms, s, m and h")
  void durations() {
    AppConfig cfg = AppConfig.fromJson(new JsonObject().put("datahose", new JsonObject().put("readTimeout", "5m")
        .put("retry", new JsonObject().put("initialInterval", "250ms").put("maxInterval", "1h"))), "test");
    assertThat(cfg.datahose().readTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(cfg.datahose().retry().initialInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(cfg.datahose().retry().maxInterval()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  @DisplayName("a URL that is not http(s) is refused naming the key; trailing slashes are stripped")
  void urls() throws IOException {
    assertRefused("symphony:\n  agent: { url: \"ftp://agent\" }\n", "symphony.agent.url", "http");
    AppConfig cfg = AppConfig.fromJson(new JsonObject().put("symphony", new JsonObject()
        .put("pod", new JsonObject().put("url", "https://pod.bank.local/"))), "test");
    assertThat(cfg.symphony().podUrl()).isEqualTo("https://pod.bank.local");
  }

  @Test
  @DisplayName("nine readers are refused naming datahose.readers")
  void readers() throws IOException {
    assertRefused("datahose:\n  readers: 9\n", "datahose.readers", "between 1 and 8 (got 9)");
  }

  @Test
  @DisplayName("an unknown event type or a duplicate is refused; GENERICSYSTEMEVENT is allowed")
  void eventTypes() throws IOException {
    assertRefused("datahose:\n  eventTypes: [MESSAGESENT, MESSAGE_SENT]\n", "datahose.eventTypes", "MESSAGE_SENT");
    assertRefused("datahose:\n  eventTypes: [MESSAGESENT, MESSAGESENT]\n", "datahose.eventTypes", "twice");
    assertRefused("datahose:\n  eventTypes: []\n", "datahose.eventTypes", "at least one");
    assertRefused("datahose:\n  scopes: [INTERNAL, PUBLIC]\n", "datahose.scopes", "PUBLIC");
    AppConfig cfg = AppConfig.load(yaml("datahose:\n  eventTypes: [GENERICSYSTEMEVENT]\n  scopes: [EXTERNAL]\n"),
        Map.of());
    assertThat(cfg.datahose().eventTypes()).containsExactly("GENERICSYSTEMEVENT");
    assertThat(cfg.datahose().scopes()).containsExactly("EXTERNAL");
  }

  @Test
  @DisplayName("a wrong type or a missing required value is refused naming the key")
  void typesAndRequired() throws IOException {
    assertRefused("http:\n  port: \"eighty\"\n", "http.port", "integer");
    assertRefused("symphony:\n  bot: { username: null }\n", "symphony.bot.username", "required");
    assertRefused("datahose: 3\n", "datahose", "mapping");
    assertRefused("database:\n  fsync: sometimes\n", "database.fsync", "batch or never");
    assertRefused("datahose:\n  retry: { multiplier: 0.5 }\n", "datahose.retry.multiplier", ">= 1");
  }

  @Test
  @DisplayName("passwordEnv reads the environment; a missing variable is refused naming the key")
  void passwordEnv() throws IOException {
    Path store = Files.writeString(dir.resolve("trust.p12"), "not really");
    String text = "symphony:\n  trustStore: { path: \"" + store + "\", passwordEnv: TRUST_PW }\n";
    assertRefused(text, "symphony.trustStore.passwordEnv", "TRUST_PW");
    AppConfig cfg = AppConfig.load(yaml(text), Map.of("TRUST_PW", "s3cret"));
    assertThat(cfg.symphony().trustStore().passwordValue()).isEqualTo("s3cret");
    assertThat(cfg.toString()).doesNotContain("s3cret");
    assertThat(cfg.summary().encode()).doesNotContain("s3cret");
  }

  @Test
  @DisplayName("database.url: PostgreSQL only, with a user; the password from the environment, never printed; "
      + "the daemon id defaults to the host name")
  void postgresql() throws IOException {
    assertRefused("database:\n  url: \"jdbc:mysql://db/archive\"\n", "database.url", "jdbc:postgresql:");
    assertRefused("database:\n  url: \"jdbc:postgresql://db/archive\"\n", "database.user", "required");
    assertRefused("database:\n  url: \"jdbc:postgresql://db/archive\"\n  user: a\n  passwordEnv: DB_PW\n",
        "database.passwordEnv", "DB_PW");
    assertRefused("database:\n  url: \"jdbc:postgresql://db/archive\"\n  user: a\n  daemonId: \" \"\n",
        "database.daemonId", "1..100");
    AppConfig cfg = AppConfig.load(yaml("database:\n  url: \"jdbc:postgresql://db/archive\"\n  user: archiver\n"
        + "  passwordEnv: DB_PW\n"), Map.of("DB_PW", "pg-s3cret"));
    assertThat(cfg.database().postgresql()).isTrue();
    assertThat(cfg.database().passwordValue()).isEqualTo("pg-s3cret");
    assertThat(cfg.database().daemonId()).isEqualTo(java.net.InetAddress.getLocalHost().getHostName());
    assertThat(cfg.toString()).doesNotContain("pg-s3cret");
    assertThat(cfg.summary().encode()).doesNotContain("pg-s3cret").contains("jdbc:postgresql://db/archive");
    AppConfig h2 = AppConfig.load(yaml(""), Map.of());
    assertThat(h2.database().postgresql()).isFalse();
    assertThat(h2.database().daemonId()).as("one daemon on an H2 file").isEmpty();
  }

  @Test
  @DisplayName("a private key file that does not exist is refused naming symphony.bot.privateKey")
  void missingPrivateKey() throws IOException {
    assertRefused("symphony:\n  bot: { privateKey: \"" + dir.resolve("nope.pem") + "\" }\n",
        "symphony.bot.privateKey", "does not exist");
  }

  @Test
  @DisplayName("credentials: neither is refused by requireCredentials, both are refused at load")
  void credentials() throws IOException {
    Path key = Files.writeString(dir.resolve("bot.pem"), "x");
    Path cert = Files.writeString(dir.resolve("bot.p12"), "x");
    AppConfig none = AppConfig.fromJson(new JsonObject(), "test");
    assertThatThrownBy(none::requireCredentials).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("symphony.bot.privateKey: ");
    assertRefused("symphony:\n  bot: { privateKey: \"" + key + "\", certificate: { path: \"" + cert + "\" } }\n",
        "symphony.bot.certificate.path", "not both");
    AppConfig rsa = AppConfig.load(yaml("symphony:\n  bot: { privateKey: \"" + key + "\" }\n"), Map.of());
    assertThat(rsa.requireCredentials().symphony().bot().usesRsa()).isTrue();
  }

  @Test
  @DisplayName("keyManager, agent and sessionAuth default to pod.url; keyAuth defaults to keyManager.url")
  void urlDefaults() {
    AppConfig cfg = AppConfig.fromJson(new JsonObject().put("symphony", new JsonObject()
        .put("pod", new JsonObject().put("url", "https://pod"))
        .put("keyManager", new JsonObject().put("url", "https://km:8443"))), "test");
    AppConfig.Symphony s = cfg.symphony();
    assertThat(List.of(s.podUrl(), s.agentUrl(), s.sessionAuthUrl())).containsOnly("https://pod");
    assertThat(List.of(s.keyManagerUrl(), s.keyAuthUrl())).containsOnly("https://km:8443");
    AppConfig one = cfg.withSymphonyUrl("http://127.0.0.1:9999/");
    assertThat(List.of(one.symphony().podUrl(), one.symphony().keyManagerUrl(), one.symphony().agentUrl(),
        one.symphony().sessionAuthUrl(), one.symphony().keyAuthUrl())).containsOnly("http://127.0.0.1:9999");
  }

  @Test
  @DisplayName("a relative database path is resolved against the working directory")
  void relativeDatabasePath() {
    AppConfig cfg = AppConfig.fromJson(new JsonObject().put("database", new JsonObject()
        .put("path", "./data/archive").put("fsync", "never")), "test");
    assertThat(cfg.database().path()).isEqualTo(Path.of("").toAbsolutePath().resolve("data/archive"));
    assertThat(cfg.database().fsync()).isEqualTo(AppConfig.Fsync.NEVER);
    assertThat(cfg.withDatabasePath(dir).database().path()).isEqualTo(dir.toAbsolutePath());
  }

  @Test
  @DisplayName("Secret.toString masks the value")
  void secretMasked() {
    assertThat(new AppConfig.Secret("hunter2").toString()).isEqualTo("****");
    assertThat(new AppConfig.Store(Path.of("/x"), new AppConfig.Secret("hunter2")).toString()).doesNotContain("hunter2");
  }

  @Test
  @DisplayName("invalid YAML is refused naming the file")
  void invalidYaml() throws IOException {
    Path file = yaml("datahose:\n  tag: [unclosed\n");
    assertThatThrownBy(() -> AppConfig.load(file, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": invalid YAML");
  }

  @Test
  @DisplayName("operations keys: sizes accept KB/MB/GB/TB, a bad size or backup.keep 0 is refused naming the key")
  void operationsKeys() throws IOException {
    AppConfig cfg = AppConfig.load(yaml("database:\n  minFreeDisk: 512MB\ncapture:\n  gapThreshold: 500ms\n"
        + "backup:\n  dir: ./b\n  interval: 1h\n  keep: 3\n"), Map.of());
    assertThat(cfg.database().minFreeDisk()).isEqualTo(512L << 20);
    assertThat(cfg.capture().gapThreshold()).isEqualTo(Duration.ofMillis(500));
    assertThat(cfg.backup().dir()).isAbsolute();
    assertThat(cfg.backup().keep()).isEqualTo(3);
    assertThatThrownBy(() -> AppConfig.load(yaml("database:\n  minFreeDisk: lots\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("database.minFreeDisk");
    assertThatThrownBy(() -> AppConfig.load(yaml("backup:\n  keep: 0\n"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("backup.keep");
  }
}
