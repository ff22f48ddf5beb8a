package io.datahose.archiver.api;

import io.datahose.archiver.capture.CaptureLedgerStore;
import io.datahose.archiver.officer.OfficerTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The operations routes on the daemon's HTTP server: health and metrics without a token, backups and coverage with one. */
@DisplayName("Operations routes of the API")
class ApiOpsRoutesTest {

  @TempDir
  static Path dir;
  private static ApiHarness h;

  @BeforeAll
  static void start() {
    h = ApiHarness.start(dir, 50, List.of());
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  @DisplayName("GET /health needs no token and reports UP with its checks")
  void health() {
    ApiHarness.Reply reply = h.get(null, "/health");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().getString("status")).isEqualTo("UP");
    assertThat(reply.json().getJsonObject("checks").fieldNames()).contains("feed", "agent", "database", "backup", "gaps");
  }

  @Test
  @DisplayName("GET /health without an admin token says status and check names only; an admin gets the detail")
  void healthDetailNeedsAnAdmin() {
    for (String who : new String[] {null, "alice", "rex", "nobody"}) {
      ApiHarness.Reply reply = h.get(who, "/health");
      assertThat(reply.json().fieldNames()).as(who).containsExactlyInAnyOrder("status", "checks");
      reply.json().getJsonObject("checks").forEach(c -> assertThat(c.getValue()).as(who).isInstanceOf(String.class));
      assertThat(reply.body()).as(who).doesNotContain("Bytes", "127.0.0.1", "Exception", "slots");
    }
    ApiHarness.Reply admin = h.get("adam", "/health");
    assertThat(admin.json().getJsonObject("checks").getJsonObject("database").getBoolean("writable")).isTrue();
    assertThat(admin.json().getJsonObject("checks").getJsonObject("feed").getJsonArray("slots")).isNotEmpty();
  }

  @Test
  @DisplayName("GET /metrics carries no per-route byte counts")
  void metricsWithoutRouteBytes() {
    h.get("alice", "/api/v1/messages?limit=1");
    String metrics = h.get(null, "/metrics").body();
    assertThat(metrics).contains("vertx_http_server_requests_total");
    assertThat(metrics.lines().filter(l -> l.startsWith("vertx_http_server_") && l.contains("bytes")).toList()).isEmpty();
  }

  @Test
  @DisplayName("GET /metrics needs no token and serves Prometheus text with the archive counters")
  void metrics() {
    ApiHarness.Reply reply = h.get(null, "/metrics");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).contains("archiver_events_archived_total");
  }

  @Test
  @DisplayName("POST /api/v1/admin/backups is refused to an officer and writes a verified backup for an admin")
  void backups() throws Exception {
    assertThat(h.post(null, "/api/v1/admin/backups").status()).isEqualTo(401);
    assertThat(h.post("alice", "/api/v1/admin/backups").status()).isEqualTo(403);

    ApiHarness.Reply reply = h.post("adam", "/api/v1/admin/backups");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject backup = reply.json();
    assertThat(backup.getBoolean("verified")).isTrue();
    assertThat(backup.getLong("events")).isGreaterThanOrEqualTo(50);
    assertThat(Files.exists(Path.of(backup.getString("file")))).isTrue();
  }

  @Test
  @DisplayName("Transcripts and exports overlapping a capture gap say so; those outside it do not")
  void gapsAreAnnounced() {
    Instant gapFrom = Instant.parse("2020-03-01T10:00:00Z");
    Instant gapTo = Instant.parse("2020-03-01T11:00:00Z");
    CaptureLedgerStore ledger = new CaptureLedgerStore(h.daemon.database());
    // the archive has read since before the ranges asked for (time before its first read is uncovered, a gap too)
    Instant firstRead = Instant.parse("2020-02-01T00:00:00Z");
    ledger.addReads(0, firstRead, firstRead, firstRead, 1, 0, 0, null);
    ledger.insertGap(gapFrom, gapTo, "test outage", gapTo);
    String stream = h.get("alice", "/api/v1/streams?limit=1").json().getJsonArray("items").getJsonObject(0)
        .getString("streamId");

    JsonObject transcript = h.get("alice", "/api/v1/streams/" + stream + "/transcript?from=2020-03-01T00:00:00Z").json();
    assertThat(transcript.getJsonArray("captureGaps")).hasSize(1);
    assertThat(transcript.getJsonArray("captureGaps").getJsonObject(0).getString("cause")).isEqualTo("test outage");
    JsonObject later = h.get("alice", "/api/v1/streams/" + stream + "/transcript?from=2020-03-01T11:00:00Z").json();
    assertThat(later.getJsonArray("captureGaps").stream().map(g -> ((JsonObject) g).getString("cause")))
        .doesNotContain("test outage");

    String[] lines = h.get("alice", "/api/v1/export?from=2020-03-01T10:30:00Z").body().split("\n");
    JsonObject manifest = new JsonObject(lines[lines.length - 1]).getJsonObject("manifest");
    assertThat(manifest.getJsonArray("captureGaps").stream().map(g -> ((JsonObject) g).getString("cause")))
        .contains("test outage");
  }

  @Test
  @DisplayName("An admin adds and revokes officers while capture runs; others may not")
  void officerAdministration() {
    assertThat(h.post("alice", "/api/v1/admin/officers?name=carol&role=officer").status()).isEqualTo(403);
    assertThat(h.post("adam", "/api/v1/admin/officers?name=carol&role=king").status()).isEqualTo(400);

    ApiHarness.Reply added = h.post("adam", "/api/v1/admin/officers?name=carol&role=officer");
    assertThat(added.status()).as(added.body()).isEqualTo(200);
    String token = added.json().getString("token");
    assertThat(h.get(token, "/api/v1/messages?limit=1").status()).isEqualTo(200);
    assertThat(h.post("adam", "/api/v1/admin/officers?name=carol&role=officer").status()).isEqualTo(409);

    assertThat(h.delete("adam", "/api/v1/admin/officers/carol").status()).isEqualTo(200);
    assertThat(h.get(token, "/api/v1/messages?limit=1").status()).isEqualTo(401);
    assertThat(h.delete("adam", "/api/v1/admin/officers/carol").status()).isEqualTo(404);
    assertThat(h.get("adam", "/api/v1/admin/officers").json().getJsonArray("items").stream()
        .map(o -> (JsonObject) o).filter(o -> o.getString("name").equals("carol")).findFirst().orElseThrow()
        .getBoolean("active")).isFalse();
  }

  @Test
  @DisplayName("Revoking the last active admin is refused with 409; with a second admin it is allowed")
  void lastAdminCannotBeRevoked() {
    ApiHarness.Reply refused = h.delete("adam", "/api/v1/admin/officers/adam");
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.json().fieldNames()).containsExactlyInAnyOrder("error", "detail");
    assertThat(h.get("adam", "/api/v1/admin/officers").status()).as("adam is still an admin").isEqualTo(200);

    String token = h.post("adam", "/api/v1/admin/officers?name=ada&role=admin").json().getString("token");
    assertThat(h.delete(token, "/api/v1/admin/officers/adam").status()).isEqualTo(200);
    ApiHarness.Reply last = h.delete(token, "/api/v1/admin/officers/ada");
    assertThat(last.status()).as(last.body()).isEqualTo(409);
    // adam back for the other tests of this class, through the store (the CLI path)
    new io.datahose.archiver.officer.OfficerStore(h.daemon.database().dsl())
        .reissue("adam", "admin", OfficerTokens.hash(h.tokens.get("adam")));
  }

  @Test
  @DisplayName("GET /api/v1/capture gives coverage for a range and refuses a range without both ends")
  void capture() {
    String from = Instant.now().minusSeconds(3600).toString();
    String to = Instant.now().plusSeconds(60).toString();

    ApiHarness.Reply reply = h.get("alice", "/api/v1/capture?from=" + from + "&to=" + to);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().containsKey("gaps")).isTrue();

    ApiHarness.Reply bad = h.get("alice", "/api/v1/capture?from=" + from);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("error")).isNotBlank();
  }
}
