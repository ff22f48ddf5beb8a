package io.datahose.archiver.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.datahose.archiver.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A table of bad inputs per route: each gets the expected 4xx with a JSON {error, detail} body, never a 500. */
@DisplayName("Query API bad inputs")
class ApiBadInputTest {

  @TempDir
  static Path dir;
  static ApiHarness h;
  static final String LONG = "x".repeat(1001);

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

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/api/v1/messages?from=yesterday                          | 400",
      "/api/v1/messages?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z | 400",
      "/api/v1/messages?from=1000&to=1000                       | 400",
      "/api/v1/messages?limit=0                                 | 400",
      "/api/v1/messages?limit=1000000000                        | 400",
      "/api/v1/messages?limit=ten                               | 400",
      "/api/v1/messages?cursor=garbage!!                        | 400",
      "/api/v1/messages?cursor=djF8YWJj                         | 400",
      "/api/v1/messages?user=1%27%20OR%201=1--                  | 400",
      "/api/v1/messages?stream=%27%3B%20DROP%20TABLE%20event--  | 200",
      "/api/v1/messages?q=%22unbalanced                         | 400",
      "/api/v1/messages?q=*wild                                 | 400",
      "/api/v1/messages?q=raw:field                             | 400",
      "/api/v1/messages?q=%FF%FE                                | 400",
      "/api/v1/messages?q=%E0%A4                                | 400",
      "/api/v1/messages?external=maybe                          | 400",
      "/api/v1/messages?hasAttachments=1                        | 400",
      "/api/v1/messages?bogus=1                                 | 400",
      "/api/v1/messages?user=1&user=2                           | 400",
      "/api/v1/messages?user=                                   | 400",
      "/api/v1/messages/does-not-exist                          | 404",
      "/api/v1/streams?type=CHANNEL                             | 400",
      "/api/v1/streams?external=yes                             | 400",
      "/api/v1/streams/nope                                     | 404",
      "/api/v1/streams/YuK1c2y2%2BUfQ%2F%2F%2FpQ%3D%3D          | 404",
      "/api/v1/streams/story-room-1?at=not-a-time               | 400",
      "/api/v1/streams/nope/transcript                          | 404",
      "/api/v1/streams/story-room-1/transcript?to=0&from=5      | 400",
      "/api/v1/streams/story-room-1/transcript?cursor=AAAA      | 400",
      "/api/v1/users/abc                                        | 400",
      "/api/v1/users/42                                         | 404",
      "/api/v1/users?limit=-1                                   | 400",
      "/api/v1/events?type=NOTATYPE                             | 400",
      "/api/v1/events?user=x                                    | 400",
      "/api/v1/events?from=2026-13-45T00:00:00Z                 | 400",
      "/api/v1/export?type=NOTATYPE                             | 400",
      "/api/v1/export?limit=5                                   | 400",
      "/api/v1/capture?from=-999999999-01-01T00:00:00Z&to=2026-01-01T00:00:00Z | 400",
      "/api/v1/capture?from=2026-01-01T00:00:00Z&to=+999999999-12-31T23:59:59Z | 400",
      "/api/v1/capture?from=-999999999999999&to=0               | 400",
      "/api/v1/streams/story-room-1/transcript?from=-999999999-01-01T00:00:00Z | 400",
      "/api/v1/export?from=-999999999-01-01T00:00:00Z           | 400",
      "/api/v1/export?to=+999999999-12-31T23:59:59Z             | 400",
      "/api/v1/messages?from=-999999999-01-01T00:00:00Z         | 400",
      "/api/v1/events?to=999999999999999                        | 400",
      "/api/v1/streams/story-room-1?at=-999999999-01-01T00:00:00Z | 400",
      "/api/v1/access-log?from=-999999999-01-01T00:00:00Z       | 403",
      "/api/v1/messages?q=%5Ctext:deal                          | 400",
      "/api/v1/messages?q=%2F.*%2F                              | 400",
      "/api/v1/messages?q=%7B*+TO+*%7D                          | 400",
      "/api/v1/messages?q=deal~2                                | 400",
      "/api/v1/messages?q=Buying+OR+nothing                     | 200",
      "/api/v1/nothing-here                                     | 404",
      "/not-the-api                                             | 404",
  })
  @DisplayName("Bad input gets a 4xx with a JSON error body")
  void badInput(String path, int status) {
    ApiHarness.Reply reply = h.get("alice", path);
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/json");
    if (status != 200) {
      assertThat(reply.json().fieldNames()).containsExactlyInAnyOrder("error", "detail");
      assertThat(reply.body()).doesNotContain("Exception").doesNotContain("at io.");
    }
  }

  @ParameterizedTest(name = "q={0}")
  @ValueSource(strings = {"%22unbalanced", "*wild", "raw:field", "deal~2", "Buying+OR"})
  @DisplayName("A search the syntax refuses is a 400 bad_request whose detail says what is wrong with q")
  void searchSyntax(String q) {
    ApiHarness.Reply reply = h.get("alice", "/api/v1/messages?q=" + q);
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().getString("error")).isEqualTo("bad_request");
    assertThat(reply.json().getString("detail")).as(reply.body()).startsWith("q");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/api/v1/messages?q=%G1", "/api/v1/messages?q=abc%", "/api/v1/messages?q=%", "/api/v1/messages?q=%2",
      "/api/v1/export?q=%zz", "/api/v1/capture?from=%&to=1", "/api/v1/events?type=%E0%A4%",
      "/api/v1/users/100?streamId=%G1", "/api/v1/messages/123?at=%%41", "/api/v1/streams/s1/transcript?to=%zz%"})
  @DisplayName("A malformed percent-escape (which no well-behaved client sends) gets a 400 with a JSON error body")
  void malformedEscapes(String path) {
    try (RawHttp raw = RawHttp.connect(h.daemon.apiPort(), Duration.ofSeconds(10))) {
      raw.send("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\nAuthorization: Bearer "
          + h.tokens.get("alice") + "\r\n\r\n");
      String answer = raw.readAll();
      assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
      assertThat(new JsonObject(RawHttp.body(answer)).fieldNames()).containsExactlyInAnyOrder("error", "detail");
    }
  }

  @ParameterizedTest(name = "{0} {1} as {2}")
  @CsvSource({
      "GET,    /api/v1/messages?limit=2,                  alice",
      "GET,    /api/v1/messages?limit=zzMARKERzz,         alice",
      "GET,    /api/v1/messages?zzMARKERzz=1,             alice",
      "GET,    /api/v1/messages/zzMARKERzz,               alice",
      "GET,    /api/v1/streams/zzMARKERzz,                alice",
      "GET,    /api/v1/users/123456789,                   alice",
      "GET,    /api/v1/zzMARKERzz,                        alice",
      "GET,    /api/v1/messages,                          zzMARKERzz",
      "DELETE, /api/v1/messages,                          alice",
      "PUT,    /api/v1/access-log,                        audrey",
      "POST,   /api/v1/streams/story-room-1,              alice",
      "DELETE, /api/v1/admin/officers/zzMARKERzz,         adam",
      "GET,    /health,                                   ''",
      "GET,    /metrics,                                  ''",
  })
  @DisplayName("Every answer is no-store and nosniff, a wrong method is a JSON 405, and no error echoes the input")
  void headersAndNoEcho(String method, String path, String officer) {
    ApiHarness.Reply reply = h.method(officer.isEmpty() ? null : officer, method, path);
    assertThat(reply.header("Cache-Control")).as(path).isEqualTo("no-store");
    assertThat(reply.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
    if (!method.equals("GET") && !path.startsWith("/api/v1/admin")) {
      assertThat(reply.status()).as(reply.body()).isEqualTo(405);
    }
    if (reply.status() >= 400) {
      assertThat(reply.contentType()).startsWith("application/json");
      assertThat(reply.json().fieldNames()).containsExactlyInAnyOrder("error", "detail");
      assertThat(reply.body()).doesNotContain("MARKER").doesNotContain("123456789");
    }
  }

  @ParameterizedTest(name = "a {0}-character value on {1}")
  @CsvSource({"1001, q", "1001, stream", "5000, user"})
  @DisplayName("Very long values are refused with 400")
  void longValues(int length, String param) {
    ApiHarness.Reply reply = h.get("alice", "/api/v1/messages?" + param + "=" + "7".repeat(length));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("error")).isEqualTo("bad_request");
  }
}
