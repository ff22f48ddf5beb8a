package io.datahose.archiver.api;

import io.datahose.archiver.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/** Connections cannot be held open: idle sockets, dribbled headers, endless bodies; no cleartext HTTP/2. */
@DisplayName("Query API connection limits (raw socket client)")
class ApiTimeoutsTest {

  @TempDir
  static Path dir;
  static ApiHarness h;

  @BeforeAll
  static void start() {
    h = ApiHarness.start(dir, 0, List.of(), new JsonObject().put("http", new JsonObject()
        .put("idleTimeout", "1s").put("requestTimeout", "2s")));
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  @DisplayName("An idle connection is closed by the server")
  void idle() {
    try (RawHttp raw = RawHttp.connect(h.daemon.apiPort(), Duration.ofSeconds(15))) {
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  @DisplayName("Headers dribbled one byte at a time (never idle) are cut off by the request timeout")
  void dribbledHeaders() throws Exception {
    ExecutorService dribbler = Executors.newSingleThreadExecutor();
    try (RawHttp raw = RawHttp.connect(h.daemon.apiPort(), Duration.ofSeconds(15))) {
      raw.send("GET /api/v1/messages HTTP/1.1\r\nHost: a\r\nX-Slow: ");
      dribbler.submit(() -> {
        for (int i = 0; i < 100 && raw.send("z"); i++) {
          Thread.sleep(300);
        }
        return null;
      });
      long start = System.nanoTime();
      assertThat(raw.closedByServer()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    } finally {
      dribbler.shutdownNow();
    }
  }

  @Test
  @DisplayName("A never-ending chunked body is refused with a JSON 413 and the connection closed")
  void endlessBody() {
    try (RawHttp raw = RawHttp.connect(h.daemon.apiPort(), Duration.ofSeconds(15))) {
      raw.send("POST /api/v1/admin/backups HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + h.tokens.get("adam")
          + "\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < 20; i++) {
        raw.send("400\r\n" + "b".repeat(1024) + "\r\n");
      }
      String answer = raw.readAll();
      assertThat(RawHttp.status(answer)).as(answer).isEqualTo(413);
      assertThat(answer).contains("\"error\":\"too_large\"");
    }
  }

  @Test
  @DisplayName("Without TLS there is no HTTP/2: an h2c upgrade is answered in HTTP/1.1, never 101")
  void noCleartextHttp2() {
    try (RawHttp raw = RawHttp.connect(h.daemon.apiPort(), Duration.ofSeconds(15))) {
      raw.send("GET /health HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n");
      String answer = raw.readAll();
      assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
    }
  }
}
