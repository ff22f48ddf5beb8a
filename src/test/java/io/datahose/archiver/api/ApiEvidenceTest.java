package io.datahose.archiver.api;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.ArchiveVerifier;
import io.datahose.archiver.evidence.TreeHead;
import io.datahose.archiver.evidence.TreeHeads;
import io.datahose.archiver.evidence.TrustAnchor;
import io.datahose.archiver.evidence.Verification;
import io.datahose.archiver.export.BundleVerifier;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Evidence in the running daemon: /health, POST /admin/verify, GET /export/bundle, the shutdown tree head")
class ApiEvidenceTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("verify and bundles over HTTP, and a signed head at shutdown that an offline verify accepts")
  void evidenceRoutes() throws Exception {
    AppConfig config;
    long stored;
    try (ApiHarness h = ApiHarness.start(dir, 60, List.of())) {
      config = h.daemon.config();
      stored = h.daemon.status().stored();
      JsonObject health = h.get("adam", "/health").json().getJsonObject("checks")
          .getJsonObject("evidence"); // the detail needs an admin token (issue 11)
      assertThat(health.getString("status")).isEqualTo("UP");
      assertThat(health.getString("keyFingerprint")).hasSize(64);

      assertThat(h.post("alice", "/api/v1/admin/verify").status()).isEqualTo(403);
      ApiHarness.Reply verify = h.post("adam", "/api/v1/admin/verify");
      assertThat(verify.status()).isEqualTo(200);
      assertThat(verify.json().getBoolean("ok")).as(verify.body()).isTrue();
      assertThat(verify.json().getLong("events")).isEqualTo(stored);
      assertThat(h.get("adam", "/health").json().getJsonObject("checks").getJsonObject("evidence")
          .getJsonObject("lastVerification").getString("verdict")).startsWith("OK: " + stored + " events");

      ApiHarness.Reply bad = h.get("alice", "/api/v1/export/bundle?type=NOPE");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.json().getString("error")).isNotBlank();

      HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(h.base() + "/api/v1/export/bundle")).header("Authorization", "Bearer " + h.tokens.get("alice"))
          .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(zip.statusCode()).isEqualTo(200);
      assertThat(zip.headers().firstValue("Content-Type")).contains("application/zip");
      Path file = dir.resolve("bundle.zip");
      Files.write(file, zip.body());
      BundleVerifier.Result r = BundleVerifier.verify(file, TrustAnchor.of(config).publicKey());
      assertThat(r.ok()).as(r.verdict()).isTrue();
      assertThat(r.events()).isEqualTo(stored);
    }
    // the daemon signed a head at shutdown covering everything it stored, filed in evidence.dir
    List<TreeHead> filed = TreeHeads.filed(config.evidence().dir());
    assertThat(filed).isNotEmpty();
    assertThat(filed.get(filed.size() - 1).treeSize()).isEqualTo(stored);
    try (ArchiveDatabase db = ArchiveDatabase.open(config.database().path(), false)) {
      Verification v = new ArchiveVerifier(db.dsl(), TrustAnchor.of(config).publicKey(), config.evidence().dir())
          .verify();
      assertThat(v.ok()).as(v.verdict()).isTrue();
      assertThat(v.unsignedEvents()).isZero();
    }
  }
}
