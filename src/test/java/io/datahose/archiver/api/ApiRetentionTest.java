package io.datahose.archiver.api;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 over the API: holds under /api/v1/admin/holds (admin), disposal on request, and what officers see of
 * disposed events afterwards (disposed, never missing). Retention 1ms: every event already received is past it.
 */
@DisplayName("Retention and legal holds over the API")
class ApiRetentionTest {

  @TempDir
  static Path dir;
  static ApiHarness h;

  @BeforeAll
  static void start() {
    h = ApiHarness.start(dir, 80, List.of(), new JsonObject().put("retention", new JsonObject().put("default", "1ms")));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  @DisplayName("holds: admin only, JSON reasons for bad input, a held stream survives disposal; disposed events say so")
  void holdsAndDisposal() throws Exception {
    List<JsonObject> streams = h.all("/api/v1/streams", 50);
    String held = streams.get(0).getString("streamId");
    assertThat(h.post("alice", "/api/v1/admin/holds?name=m1&reason=x&streams=" + held).status()).isEqualTo(403);
    ApiHarness.Reply noReason = h.post("adam", "/api/v1/admin/holds?name=m1");
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.json().getString("detail", noReason.body())).contains("reason");
    assertThat(h.post("adam", "/api/v1/admin/holds?name=bad%20name&reason=x").status()).isEqualTo(400);
    ApiHarness.Reply added = h.post("adam", "/api/v1/admin/holds?name=m1&reason=SEC%20inquiry&streams=" + held);
    assertThat(added.status()).as(added.body()).isEqualTo(200);
    assertThat(added.json().getString("createdBy")).isEqualTo("adam");
    assertThat(h.post("adam", "/api/v1/admin/holds?name=m1&reason=again").status()).isEqualTo(409);
    assertThat(h.get("adam", "/api/v1/admin/holds").json().getJsonArray("holds")).hasSize(1);

    List<JsonObject> before = h.all("/api/v1/events", 200);
    ApiHarness.Reply dry = h.post("adam", "/api/v1/admin/dispose?dryRun=true");
    assertThat(dry.status()).as(dry.body()).isEqualTo(200);
    long wouldGo = dry.json().getLong("disposed");
    assertThat(wouldGo).isPositive();
    ApiHarness.Reply refused = h.post("adam", "/api/v1/admin/dispose");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body()).contains("maxDisposePercent");
    ApiHarness.Reply done = h.post("adam", "/api/v1/admin/dispose?confirm=true");
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(done.json().getLong("disposed")).isEqualTo(wouldGo);
    assertThat(done.json().getLong("certificate")).isEqualTo(1L);

    List<JsonObject> after = h.all("/api/v1/events", 200);
    assertThat(after).as("disposed events are listed, not missing").hasSameSizeAs(before);
    for (JsonObject e : after) {
      if (held.equals(e.getString("streamId"))) {
        assertThat(e.getValue("event")).as("held stream keeps its events").isNotNull();
      } else {
        assertThat(e.getBoolean("disposed", false)).as("seq %s", e.getLong("seq")).isTrue();
        assertThat(e.getValue("event")).isNull();
        assertThat(e.getString("rawSha256")).hasSize(64);
        assertThat(e.getLong("disposalCertificate")).isEqualTo(1L);
      }
    }
    ApiHarness.Reply export = h.get("alice", "/api/v1/export");
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.body()).contains("\"disposed\":true").contains(",\"event\":null}");
    for (String format : List.of("actiance", "eml", "csv")) {
      assertThat(h.get("alice", "/api/v1/export?format=" + format).status()).as(format).isEqualTo(200);
    }
    ApiHarness.Reply verify = h.post("adam", "/api/v1/admin/verify");
    assertThat(verify.status()).as(verify.body()).isEqualTo(200);
    assertThat(verify.json().getBoolean("ok")).as(verify.body()).isTrue();

    assertThat(h.post("adam", "/api/v1/admin/holds/m1/release").status()).isEqualTo(400);
    assertThat(h.post("adam", "/api/v1/admin/holds/nope/release?reason=x").status()).isEqualTo(404);
    assertThat(h.post("adam", "/api/v1/admin/holds/m1/release?reason=closed").status()).isEqualTo(200);
    assertThat(h.post("adam", "/api/v1/admin/holds/m1/release?reason=closed").status()).isEqualTo(409);
  }
}
