package io.datahose.archiver.cli;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.export.BundleVerifier;
import io.datahose.archiver.officer.LocalAdmin;
import io.datahose.archiver.officer.OfficerStore;
import io.datahose.archiver.officer.OfficerTokens;
import io.datahose.archiver.ops.BackupVerifier;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.Certificates;
import io.datahose.archiver.testing.TestDatabases;
import io.datahose.archiver.testing.TestPod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.datahose.archiver.db.Tables.ACCESS_LOG;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.FEED_READ;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every archive command with the daemon running acts through its local admin channel (loopback HTTP, token file),
 * with the same output and exit code as with the daemon stopped, and its effect visible; and the channel's refusals.
 */
@DisplayName("CLI commands while the daemon runs")
class RunningDaemonCommandsTest {

  private static final int EVENTS = 30;

  @TempDir
  Path dir;

  private TestPod pod;
  private AppConfig config;
  private String yaml;

  /** @return exit code, stdout and stderr of one command */
  private record Run(int code, String out, String err) {
  }

  private static Run cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = Main.execute(args);
      return new Run(code, withoutLog(o), withoutLog(e));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** @return what the command printed: the daemon runs in this JVM, so its log lines are left out */
  private static String withoutLog(ByteArrayOutputStream printed) {
    return printed.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> !l.matches("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z (TRACE|DEBUG|INFO|WARN|ERROR) .*"))
        .map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
  }

  /** A pod with {@link #EVENTS} events; the daemon's configuration and the same archive as a YAML file for the CLI. */
  private void setUp(JsonObject overrides, String yamlExtra) throws Exception {
    pod = TestPod.start(dir, Duration.ofSeconds(30), 50);
    pod.simulator().publish(pod.simulator().generator().next(EVENTS));
    config = pod.config(1, new JsonObject().put("backup", new JsonObject().put("dir", dir.resolve("backups")
        .toString())).mergeIn(overrides, true));
    Path file = dir.resolve("cli.yaml");
    Files.writeString(file, TestDatabases.yaml(config.database().path()) + "backup:\n  dir: \""
        + dir.resolve("backups") + "\"\n" + yamlExtra);
    yaml = file.toString();
  }

  private void setUp() throws Exception {
    setUp(new JsonObject(), "");
  }

  /** @return the daemon, started, once the archive holds the pod's events */
  private Daemon start() {
    Daemon daemon = Daemon.start(config);
    try {
      Await.until(Duration.ofSeconds(30), EVENTS + " archived",
          () -> daemon.database().dsl().fetchCount(EVENT) == EVENTS);
    } catch (RuntimeException | AssertionError e) {
      daemon.close();
      throw e;
    }
    return daemon;
  }

  @AfterEach
  void tearDown() {
    if (pod != null) {
      pod.close();
    }
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String token) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String api(Daemon daemon) {
    return "http://127.0.0.1:" + daemon.apiPort();
  }

  @Test
  @DisplayName("officer add, list, revoke: through the daemon (the new officer can use the API at once), as when stopped")
  void officers() throws Exception {
    setUp();
    Run list;
    Run duplicate;
    Run revokedTwice;
    try (Daemon daemon = start()) {
      Run add = cli("officer", "add", "ann", "--role", "officer", "--config", yaml);
      assertThat(add.code()).as(add.err()).isZero();
      List<String> lines = add.out().lines().toList();
      assertThat(lines.get(0)).isEqualTo("officer 'ann' (officer) added. Bearer token (shown only once):");
      String token = lines.get(1);
      assertThat(token).matches("[A-Za-z0-9_-]{43}");
      assertThat(get(api(daemon) + "/api/v1/session", token).body()).as("the new officer, at once")
          .contains("\"name\":\"ann\"");
      duplicate = cli("officer", "add", "ann", "--role", "officer", "--config", yaml);
      assertThat(duplicate.code()).isEqualTo(1);
      assertThat(duplicate.err()).contains("officer 'ann' already exists");
      assertThat(cli("officer", "add", "bad name", "--role", "officer", "--config", yaml).code()).isEqualTo(1);
      Run revoke = cli("officer", "revoke", "ann", "--config", yaml);
      assertThat(revoke.out()).isEqualTo("officer 'ann' revoked\n");
      assertThat(get(api(daemon) + "/api/v1/session", token).statusCode()).as("revoked at once").isEqualTo(401);
      revokedTwice = cli("officer", "revoke", "ann", "--config", yaml);
      assertThat(revokedTwice.code()).isEqualTo(1);
      assertThat(revokedTwice.err()).contains("no active officer named 'ann'");
      list = cli("officer", "list", "--config", yaml);
      assertThat(list.code()).isZero();
      assertThat(list.out()).contains("ann").contains("REVOKED");
      assertThat(daemon.database().dsl().fetch(ACCESS_LOG, ACCESS_LOG.ROUTE.eq("/api/v1/admin/officers"))
          .map(r -> r.getOfficer())).as("the CLI's requests in the access log").contains(LocalAdmin.PRINCIPAL);
    }
    assertThat(cli("officer", "list", "--config", yaml)).as("stopped: the same list").isEqualTo(list);
    assertThat(cli("officer", "add", "ann", "--role", "officer", "--config", yaml)).isEqualTo(duplicate);
    assertThat(cli("officer", "revoke", "ann", "--config", yaml)).isEqualTo(revokedTwice);
    Run add = cli("officer", "add", "bob", "--role", "admin", "--config", yaml);
    assertThat(add.out()).startsWith("officer 'bob' (admin) added. Bearer token (shown only once):\n");
  }

  @Test
  @DisplayName("hold add, list, release: through the daemon, refusals exit 2 with the same reason as when stopped")
  void holds() throws Exception {
    setUp();
    Run list;
    Run duplicate;
    Run releasedTwice;
    try (Daemon daemon = start()) {
      Run add = cli("hold", "add", "matter-1", "--reason", "FINRA exam", "--stream", "s1", "--stream", "s2",
          "--user", "42", "--from", "2026-01-01T00:00:00Z", "--config", yaml);
      assertThat(add.code()).as(add.err()).isZero();
      assertThat(add.out()).startsWith("hold matter-1 added: {\"name\":\"matter-1\",\"reason\":\"FINRA exam\","
          + "\"createdBy\":\"" + LocalAdmin.PRINCIPAL + "\"").contains("\"streams\":[\"s1\",\"s2\"],\"users\":[42]")
          .contains("\"from\":\"2026-01-01T00:00:00Z\"");
      duplicate = cli("hold", "add", "matter-1", "--reason", "again", "--config", yaml);
      assertThat(duplicate.code()).isEqualTo(2);
      assertThat(duplicate.err()).contains("hold refused: a hold named matter-1 exists already");
      assertThat(cli("hold", "release", "matter-1", "--reason", "closed", "--config", yaml).out())
          .startsWith("hold matter-1 released at 20");
      releasedTwice = cli("hold", "release", "matter-1", "--reason", "again", "--config", yaml);
      assertThat(releasedTwice.code()).isEqualTo(2);
      assertThat(releasedTwice.err()).contains("was released already");
      list = cli("hold", "list", "--config", yaml);
      assertThat(list.out()).contains("\"name\":\"matter-1\"").contains("\"active\":false");
      assertThat(daemon.database().dsl().fetch(ACCESS_LOG, ACCESS_LOG.ROUTE.eq("(legal hold)"))
          .map(r -> r.getOfficer())).containsExactly(LocalAdmin.PRINCIPAL, LocalAdmin.PRINCIPAL);
    }
    assertThat(cli("hold", "list", "--config", yaml)).as("stopped: the same list").isEqualTo(list);
    assertThat(cli("hold", "add", "matter-1", "--reason", "again", "--config", yaml)).isEqualTo(duplicate);
    assertThat(cli("hold", "release", "matter-1", "--reason", "again", "--config", yaml)).isEqualTo(releasedTwice);
  }

  @Test
  @DisplayName("backup: the daemon writes and verifies it (capture keeps running); the same lines as when stopped")
  void backup() throws Exception {
    setUp();
    Path to = dir.resolve("cli-backups");
    Run running;
    try (Daemon daemon = start()) {
      running = cli("backup", "--config", yaml);
      assertThat(running.code()).as(running.err()).isZero();
      assertThat(cli("backup", "--to", to.toString(), "--config", yaml).code()).isZero();
      assertThat(daemon.status().stored()).isEqualTo(EVENTS);
    }
    assertThat(shape(running.out())).isEqualTo(shape(cli("backup", "--config", yaml).out()));
    assertThat(running.out()).contains("(capture keeps running)").contains("verified: schema version");
    ArchiveKey key = ArchiveKey.load(config.evidenceKeyPath());
    for (Path backups : List.of(dir.resolve("backups"), to)) {
      try (Stream<Path> files = Files.list(backups)) {
        List<Path> zips = files.filter(f -> f.toString().endsWith(".zip")).toList();
        assertThat(zips).isNotEmpty();
        for (Path zip : zips) {
          assertThat(BackupVerifier.verify(zip, key.publicKey()).events()).isEqualTo(EVENTS);
        }
      }
    }
  }

  /** @return the backup's progress lines with what differs between two backups (time, directory, size) blanked */
  private static String shape(String out) {
    return out.replaceAll("archive-\\d{8}T\\d{6}Z", "archive-T").replaceAll("\\.backup-\\d+", ".backup-N")
        .replaceAll("written [^,]+,", "written N,");
  }

  @Test
  @DisplayName("verify and verify --deep: the daemon proves its live archive; the same verdicts as when stopped")
  void verify() throws Exception {
    setUp();
    Run running;
    try (Daemon daemon = start()) {
      running = cli("verify", "--deep", "--config", yaml);
    }
    assertThat(running.code()).as(running.err()).isZero();
    assertThat(running.out()).startsWith("verify: OK: " + EVENTS + " events")
        .contains("verify --deep: OK: " + EVENTS + " events re-projected, every projection table equal");
    Run stopped = cli("verify", "--deep", "--config", yaml);
    assertThat(stopped.code()).isZero();
    // the daemon signed a tree head at stop (covering the newest events), and the timings differ
    assertThat(verdicts(stopped.out())).isEqualTo(verdicts(running.out()));
  }

  private static String verdicts(String out) {
    return out.replaceAll("signed tree heads verified.*", "signed tree heads verified")
        .replaceAll("\\d+ signed tree heads", "N signed tree heads")
        .replaceAll("in [\\d.]+ s \\(\\d+ MB/s\\)", "in T").replaceAll("\\([\\d.]+ s\\)", "(T)");
  }

  @Test
  @DisplayName("export: the daemon's bytes, streamed to the file the CLI writes when stopped; a bundle that verifies")
  void export() throws Exception {
    setUp();
    Run csv;
    Run jsonl;
    Run bundle;
    try (Daemon daemon = start()) {
      // the capture ledger's first read is in the archive (flushed every few seconds): the manifests' gaps say so
      Await.until(Duration.ofSeconds(30), "the ledger flushed", () -> daemon.database().dsl().fetchCount(FEED_READ) > 0);
      csv = cli("export", "--config", yaml, "--format", "csv", "--out", dir.resolve("running.csv").toString());
      jsonl = cli("export", "--config", yaml, "--format", "jsonl", "--out", dir.resolve("running.jsonl").toString(),
          "--type", "MESSAGESENT");
      bundle = cli("export", "--config", yaml, "--out", dir.resolve("running-bundle").toString());
      for (String format : List.of("actiance", "eml")) {
        Run other = cli("export", "--config", yaml, "--format", format, "--out", dir.resolve("running." + format)
            .toString());
        assertThat(other.code()).as(other.err()).isZero();
        assertThat(other.out()).startsWith("export: " + format + ", " + EVENTS + " events (seq 1.." + EVENTS + ")");
      }
      assertThat(cli("export", "--config", yaml, "--format", "pdf", "--out", "x").code()).isEqualTo(2);
    }
    assertThat(csv.code()).as(csv.err()).isZero();
    assertThat(jsonl.code()).as(jsonl.err()).isZero();
    assertThat(bundle.code()).as(bundle.err()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("running.csv"))))
        .isEqualTo("rw-------");
    Run csvStopped = cli("export", "--config", yaml, "--format", "csv", "--out", dir.resolve("stopped.csv").toString());
    Run jsonlStopped = cli("export", "--config", yaml, "--format", "jsonl", "--out",
        dir.resolve("stopped.jsonl").toString(), "--type", "MESSAGESENT");
    assertThat(Files.readAllBytes(dir.resolve("running.csv"))).isEqualTo(Files.readAllBytes(dir.resolve("stopped.csv")));
    assertThat(Files.readAllBytes(dir.resolve("running.jsonl")))
        .isEqualTo(Files.readAllBytes(dir.resolve("stopped.jsonl")));
    assertThat(summary(csv.out())).isEqualTo(summary(csvStopped.out()).replace("stopped", "running"));
    assertThat(summary(jsonl.out())).isEqualTo(summary(jsonlStopped.out()).replace("stopped", "running"));
    assertThat(bundle.out()).startsWith("export: " + EVENTS + " events (seq 1.." + EVENTS + ") proven under a tree of");
    assertThat(BundleVerifier.verify(dir.resolve("running-bundle"), null).ok()).isTrue();
    Run bundleStopped = cli("export", "--config", yaml, "--out", dir.resolve("stopped-bundle").toString());
    assertThat(bundleStopped.out().replace("stopped", "running")).isEqualTo(bundle.out());
  }

  private static String summary(String out) {
    return out.replaceAll("in [\\d.]+ s", "in T");
  }

  @Test
  @DisplayName("dispose: the daemon's run; a refusal exits 2 with the same reason, a dry run says the same, as stopped")
  void dispose() throws Exception {
    setUp(new JsonObject().put("retention", new JsonObject().put("default", "1ms")),
        "retention:\n  default: 1ms\n");
    Run refused;
    Run dry;
    try (Daemon daemon = start()) {
      refused = cli("dispose", "--config", yaml);
      dry = cli("dispose", "--dry-run", "--config", yaml);
    }
    assertThat(refused.code()).as(refused.err()).isEqualTo(2);
    assertThat(refused.out()).startsWith("dispose REFUSED: ");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).startsWith("dispose --dry-run: " + EVENTS + " events would be disposed of");
    assertThat(cli("dispose", "--config", yaml)).isEqualTo(refused);
    assertThat(summary(cli("dispose", "--dry-run", "--config", yaml).out().replaceAll("\\([\\d.]+ s\\)", "in T s")))
        .isEqualTo(summary(dry.out().replaceAll("\\([\\d.]+ s\\)", "in T s")));
  }

  @Test
  @DisplayName("reindex: the daemon rebuilds the index it owns, searchable at once; the same line as when stopped")
  void reindex() throws Exception {
    setUp();
    Run running;
    try (Daemon daemon = start()) {
      String token = OfficerTokens.generate();
      new OfficerStore(daemon.database().dsl()).add("ann", "officer", OfficerTokens.hash(token));
      running = cli("reindex", "--config", yaml);
      assertThat(running.code()).as(running.err()).isZero();
      assertThat(running.out()).matches("reindex: [1-9]\\d* messages indexed into "
          + Daemon.searchIndexPath(config) + " in [\\d.]+ s\n");
      String word = new JsonObject(get(api(daemon) + "/api/v1/messages?limit=50", token).body())
          .getJsonArray("items").stream().map(m -> ((JsonObject) m).getString("plainText"))
          .filter(t -> t != null).flatMap(t -> Stream.of(t.split("[^A-Za-z]+"))).filter(w -> w.length() > 3)
          .findFirst().orElseThrow();
      assertThat(new JsonObject(get(api(daemon) + "/api/v1/messages?q=" + word, token).body()).getJsonArray("items"))
          .as("searchable after the rebuild").isNotEmpty();
    }
    assertThat(summary(cli("reindex", "--config", yaml).out())).isEqualTo(summary(running.out()));
  }

  @Test
  @DisplayName("status: the health detail through the token file, without an officer token")
  void status() throws Exception {
    setUp();
    try (Daemon daemon = start()) {
      Run status = cli("status", "--config", yaml);
      assertThat(status.code()).as(status.out()).isZero();
      assertThat(status.out()).contains("daemon running").contains("lastSuccessfulRead");
    }
  }

  @Test
  @DisplayName("the token file: 0600 with the loopback URL while the daemon runs, deleted at stop; a missing one is exit 1 naming it")
  void tokenFile() throws Exception {
    setUp();
    Path file = LocalAdmin.file(config.database());
    Daemon daemon = start();
    try {
      assertThat(daemon.adminTokenFile()).isEqualTo(file);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      LocalAdmin.Address address = LocalAdmin.read(file);
      assertThat(address.url()).startsWith("http://127.0.0.1:").isNotEqualTo(api(daemon));
      assertThat(address.token()).matches("[A-Za-z0-9_-]{43}");
      Files.delete(file);
      for (String[] args : List.of(new String[] {"officer", "list"}, new String[] {"backup"},
          new String[] {"verify"}, new String[] {"reindex"}, new String[] {"hold", "list"})) {
        String[] command = Stream.concat(Stream.of(args), Stream.of("--config", yaml)).toArray(String[]::new);
        Run refused = cli(command);
        assertThat(refused.code()).as(String.join(" ", args)).isEqualTo(1);
        assertThat(refused.err()).as(String.join(" ", args)).contains("is in use").contains(file.toString())
            .hasLineCount(1);
      }
    } finally {
      daemon.close();
    }
    assertThat(file).as("deleted at stop").doesNotExist();
    Files.writeString(file, "{\"url\":\"http://127.0.0.1:1\",\"token\":\"stale\"}"); // a killed daemon's
    assertThat(cli("officer", "list", "--config", yaml).code()).as("stopped: the leftover is not used").isZero();
    try (Daemon again = start()) {
      assertThat(LocalAdmin.read(file).token()).as("a fresh token at each start").isNotEqualTo("stale");
    }
    assertThat(file).doesNotExist();
  }

  @Test
  @DisplayName("the channel's token: a wrong one is a 401, logged; an officer cannot use the CLI-only routes")
  void refusals() throws Exception {
    setUp();
    try (Daemon daemon = start()) {
      String url = LocalAdmin.read(daemon.adminTokenFile()).url();
      assertThat(get(url + "/api/v1/admin/officers", OfficerTokens.generate()).statusCode()).isEqualTo(401);
      assertThat(get(url + "/api/v1/admin/officers", null).statusCode()).isEqualTo(401);
      assertThat(daemon.database().dsl().fetch(ACCESS_LOG, ACCESS_LOG.ROUTE.eq("/api/v1/admin/officers")
          .and(ACCESS_LOG.STATUS.eq(401))).map(r -> r.getOfficer())).as("both refusals logged").hasSize(2)
          .containsOnlyNulls();
      String admin = OfficerTokens.generate();
      new OfficerStore(daemon.database().dsl()).add("adam", "admin", OfficerTokens.hash(admin));
      assertThat(get(api(daemon) + "/api/v1/admin/export?format=csv", admin).statusCode())
          .as("the CLI's export is not an admin's").isEqualTo(403);
      assertThat(post(api(daemon) + "/api/v1/admin/backups?to=" + dir.resolve("elsewhere"), admin).statusCode())
          .as("a host path is the CLI's only").isEqualTo(403);
      assertThat(post(url + "/api/v1/admin/backups?to=relative", LocalAdmin.read(daemon.adminTokenFile()).token())
          .statusCode()).isEqualTo(400);
      assertThat(dir.resolve("elsewhere")).doesNotExist();
      Files.writeString(daemon.adminTokenFile(), new JsonObject().put("url", url).put("token", admin).encode());
      Run stale = cli("officer", "list", "--config", yaml);
      assertThat(stale.code()).isZero(); // an admin's token in the file is an admin's request: allowed
      Files.writeString(daemon.adminTokenFile(), new JsonObject().put("url", url).put("token", "forged").encode());
      Run forged = cli("officer", "list", "--config", yaml);
      assertThat(forged.code()).isEqualTo(1);
      assertThat(forged.err()).contains("refused the token in " + daemon.adminTokenFile());
    }
  }

  @Test
  @DisplayName("with http.tls set, the channel is HTTPS and the CLI trusts exactly the configured certificate")
  void tls() throws Exception {
    Path[] pem = Certificates.generate(TestPod.BOT).writeServerPem(Files.createDirectories(dir.resolve("tls")));
    JsonObject tls = new JsonObject().put("cert", pem[0].toString()).put("key", pem[1].toString());
    setUp(new JsonObject().put("http", new JsonObject().put("tls", tls)),
        "http:\n  tls:\n    cert: \"" + pem[0] + "\"\n    key: \"" + pem[1] + "\"\n");
    try (Daemon daemon = start()) {
      assertThat(LocalAdmin.read(daemon.adminTokenFile()).url()).startsWith("https://127.0.0.1:");
      Run add = cli("officer", "add", "ann", "--role", "auditor", "--config", yaml);
      assertThat(add.code()).as(add.err()).isZero();
      assertThat(cli("officer", "list", "--config", yaml).out()).contains("ann").contains("auditor");
      assertThat(cli("status", "--config", yaml).out()).contains("lastSuccessfulRead");
      // another certificate in http.tls.cert: the daemon's is not trusted
      Path other = Certificates.generate(TestPod.BOT).writeServerPem(Files.createDirectories(dir.resolve("other")))[0];
      Path otherYaml = dir.resolve("other.yaml");
      Files.writeString(otherYaml, Files.readString(Path.of(yaml)).replace(pem[0].toString(), other.toString()));
      Run untrusted = cli("officer", "list", "--config", otherYaml.toString());
      assertThat(untrusted.code()).isEqualTo(1);
      assertThat(untrusted.err()).contains("did not answer");
    }
  }
}
