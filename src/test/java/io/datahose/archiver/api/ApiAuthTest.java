package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogStore;
import io.datahose.archiver.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Officer authentication, roles and the access log, over HTTP against a running daemon. */
@DisplayName("Query API authentication and access log")
class ApiAuthTest {

  @TempDir
  static Path dir;
  static ApiHarness h;

  @BeforeAll
  static void start() {
    h = ApiHarness.start(dir, 0, RoomStory.events());
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @ParameterizedTest(name = "{0} on {1} gets {2}")
  @CsvSource({
      "'',           /api/v1/messages,   401",
      "not-a-token,  /api/v1/messages,   401",
      "rex,          /api/v1/messages,   401",
      "audrey,       /api/v1/messages,   403",
      "adam,         /api/v1/export,     403",
      "alice,        /api/v1/access-log, 403",
      "adam,         /api/v1/access-log, 403",
      "audrey,       /api/v1/access-log, 200",
      "alice,        /api/v1/streams,    200",
  })
  @DisplayName("Missing, bad and revoked tokens get 401 and the wrong role 403, all as JSON")
  void tokensAndRoles(String officer, String path, int status) {
    ApiHarness.Reply reply = h.get(officer.isEmpty() ? null : officer, path);
    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/json");
    if (status != 200) {
      assertThat(reply.json().fieldNames()).containsExactlyInAnyOrder("error", "detail");
    }
  }

  @Test
  @DisplayName("Every request, refused ones included, is in the access log with officer, route, parameters, status and count")
  void accessLogRecordsEveryRequest() {
    AccessLogStore store = new AccessLogStore(h.daemon.database().dsl());
    long before = store.count();
    h.get(null, "/api/v1/messages?user=1");
    h.get("rex", "/api/v1/streams");
    h.get("audrey", "/api/v1/messages?q=secret");
    h.get("alice", "/api/v1/events?stream=" + RoomStory.ROOM + "&limit=3");
    h.get("alice", "/api/v1/nowhere");
    Await.until(ApiHarness.WAIT, "5 access log rows", () -> store.count() >= before + 5);
    JsonObject page = h.get("audrey", "/api/v1/access-log?limit=1000").json();
    List<JsonObject> log = page.getJsonArray("items").stream().map(o -> (JsonObject) o).toList();
    assertThat(log).anySatisfy(r -> {
      assertThat(r.getString("officer")).isNull();
      assertThat(r.getString("route")).isEqualTo("/api/v1/messages");
      assertThat(r.getInteger("status")).isEqualTo(401);
      assertThat(r.getJsonObject("parameters").getString("user")).isEqualTo("1");
    });
    assertThat(log).anySatisfy(r -> {
      assertThat(r.getString("officer")).as("a revoked officer is named").isEqualTo("rex");
      assertThat(r.getString("route")).isEqualTo("/api/v1/streams");
      assertThat(r.getInteger("status")).isEqualTo(401);
    });
    assertThat(log).anySatisfy(r -> {
      assertThat(r.getString("officer")).isEqualTo("audrey");
      assertThat(r.getInteger("status")).isEqualTo(403);
      assertThat(r.getJsonObject("parameters").getString("q")).isEqualTo("secret");
    });
    assertThat(log).anySatisfy(r -> {
      assertThat(r.getString("officer")).isEqualTo("alice");
      assertThat(r.getString("route")).isEqualTo("/api/v1/events");
      assertThat(r.getInteger("status")).isEqualTo(200);
      assertThat(r.getLong("resultCount")).isEqualTo(3);
      assertThat(r.getString("remoteAddress")).isEqualTo("127.0.0.1");
    });
    assertThat(log).anySatisfy(r -> {
      assertThat(r.getString("route")).isEqualTo("(no route)");
      assertThat(r.getString("path")).isEqualTo("/api/v1/nowhere");
      assertThat(r.getInteger("status")).isEqualTo(404);
    });
    assertThat(page.encode()).doesNotContain(h.tokens.get("alice"));
  }

  @Test
  @DisplayName("The API offers no way to change or delete the access log")
  void accessLogIsReadOnly() {
    for (String method : List.of("DELETE", "PUT", "POST", "PATCH")) {
      java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(h.base() + "/api/v1/access-log"))
          .header("Authorization", "Bearer " + h.tokens.get("audrey"))
          .method(method, java.net.http.HttpRequest.BodyPublishers.noBody()).build();
      try {
        int status = java.net.http.HttpClient.newHttpClient()
            .send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
        assertThat(status).as(method).isIn(404, 405);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }
}
