package io.datahose.archiver.harness;

// PENDING (issue 5, part 4): enable after the query API (issue 3) is merged:
//   git mv src/harness-pending/ApiRandomWalkIT.java.txt src/test/java/io/datahose/archiver/harness/ApiRandomWalkIT.java
// It needs: `officer add NAME --role officer --config F` printing the token (last non-empty stdout line),
// the API on http.host/http.port of the config, and GET /health answering 200 when healthy.

import io.datahose.archiver.harness.Harness.Simulator;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import io.datahose.archiver.testing.RawHttp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input against the real process: a seeded random walk over the query API's routes and parameters (dates,
 * limits, cursors, ids, unicode, SQL and JSON metacharacters, huge values, with and without a valid token). No
 * answer may be a 5xx, none may take longer than 10 s, and the daemon is healthy afterwards.
 * Figures: {@code api walk: requests: N, 5xx: 0, hangs: 0, healthy after: true}. Soak: -Dharness.apiRequests=20000.
 */
@DisplayName("A seeded random walk over the query API with hostile parameters never gets a 5xx or a hang")
class ApiRandomWalkIT {

  private static final List<String> ROUTES = List.of("/api/v1/messages", "/api/v1/messages/{id}", "/api/v1/streams",
      "/api/v1/streams/{id}", "/api/v1/streams/{id}/transcript", "/api/v1/users", "/api/v1/users/{id}",
      "/api/v1/events", "/api/v1/export", "/api/v1/access-log", "/api/v1/capture", "/health");
  /** Malformed percent-escapes, sent as they are (a well-behaved client cannot send them): issue 11 item 4. */
  private static final List<String> RAW_ESCAPES = List.of("%G1", "abc%", "%", "%2", "%zz%", "%E0%A4%", "%%41");
  private static final List<String> PARAMS = List.of("from", "to", "limit", "cursor", "offset", "stream", "streamId",
      "user", "userId", "sender", "q", "text", "type", "types", "format", "at", "order", "sort", "page", "id");
  private static final List<String> HOSTILE = List.of("", " ", "0", "-1", "1", "100", "2147483648",
      "99999999999999999999999999", "-9223372036854775809", "1e309", "NaN", "Infinity", "null", "true", "[]", "{}",
      "2026-01-01", "2026-01-01T00:00:00Z", "2026-13-45T25:61:61Z", "0000-00-00", "9999-12-31T23:59:59.999999999Z",
      "1970-01-01T00:00:00+25:00", "yesterday", "1767225600000", "-62135596800001",
      "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "-999999999999999", "999999999999999",
      "\\text:deal", "/.*/", "{* TO *}", "[a TO z]", "deal~2", "de?l", "deal^10", "text:deal", "+deal -deal",
      "' OR '1'='1", "1; DROP TABLE event; --", "\" OR \"\"=\"", "%", "_", "\\", "%00", "\u0000", "\u202e",
      "😀🏦", "Ω≈ç√∫", "名前", "<script>alert(1)</script>", "{\"a\":", "]}", "\\u0000", "${jndi:ldap://x}",
      "../../etc/passwd", "%2e%2e%2f", "a".repeat(10_000), "9".repeat(5_000), "eyJhbGciOiJub25lIn0.e30.",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", "cursor-" + "x".repeat(300));

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private Simulator simulator;
  private Process daemon;

  @AfterEach
  void cleanUp() {
    Harness.kill9(daemon);
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  @DisplayName("no 5xx, no hang, healthy afterwards")
  void randomWalk() throws Exception {
    int requests = Harness.intProperty("harness.apiRequests", 1500);
    long seed = Harness.longProperty("harness.seed", 20260501L);
    Random random = new Random(seed);
    Path dir = Harness.workDir("api-walk");
    Path key = Harness.botKey(dir);
    simulator = Simulator.start(dir, key, List.of("--seed", String.valueOf(seed), "--preload", "1000",
        "--stop-after", "1000", "--long-poll", "1s"));
    Path config = Harness.daemonConfig(dir, simulator.baseUrl, key, 1, "");
    String port = Files.readAllLines(config).stream().filter(l -> l.trim().startsWith("port:"))
        .reduce((a, b) -> b).orElseThrow().replaceAll("\\D", "");
    String api = "http://127.0.0.1:" + port;
    String token = Harness.officerToken(dir, config, "harness", "officer");
    Path log = dir.resolve("daemon.log");
    daemon = Harness.startDaemon(config, log);
    assertThat(simulator.awaitCounts(c -> c.getInteger("acknowledged") >= 1000, Duration.ofSeconds(60), 100,
        daemon)).as("archive filled (see %s)", log).isNotNull();

    // real ids to walk from, taken from the API itself
    List<String> ids = new ArrayList<>(List.of("1", "0", "-1", "abc", "%2F", "x".repeat(2000)));
    harvest(api + "/api/v1/messages?limit=20", token, ids);
    harvest(api + "/api/v1/streams?limit=20", token, ids);
    harvest(api + "/api/v1/users?limit=20", token, ids);

    int fiveHundreds = 0;
    int hangs = 0;
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String route = ROUTES.get(random.nextInt(ROUTES.size()));
      String id = random.nextInt(3) == 0 ? pick(random, HOSTILE) : pick(random, ids);
      StringBuilder url = new StringBuilder(api).append(route.replace("{id}", enc(id)));
      int params = random.nextInt(4);
      for (int p = 0; p < params; p++) {
        url.append(p == 0 ? '?' : '&').append(pick(random, PARAMS)).append('=').append(enc(pick(random, HOSTILE)));
      }
      if (random.nextInt(8) == 0) {
        url.append(params == 0 ? '?' : '&').append(pick(random, PARAMS)).append('=').append(pick(random, RAW_ESCAPES));
        String target = url.substring(api.length());
        try (RawHttp raw = RawHttp.connect(Integer.parseInt(port), Duration.ofSeconds(10))) {
          raw.send("GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\nAuthorization: Bearer " + token
              + "\r\n\r\n");
          int status = RawHttp.status(raw.readAll());
          statuses.merge(status, 1, Integer::sum);
          if (status >= 500 || status < 0) {
            fiveHundreds += status >= 500 ? 1 : 0;
            hangs += status < 0 ? 1 : 0;
            failures.add(status + " (raw) " + url);
          }
        }
        continue;
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(10));
      switch (random.nextInt(6)) {
        case 0 -> { } // no token
        case 1 -> request.header("Authorization", "Bearer " + pick(random, HOSTILE).replaceAll("[^\\x20-\\x7e]", ""));
        case 2 -> request.header("Authorization", "Basic " + token);
        default -> request.header("Authorization", "Bearer " + token);
      }
      try {
        int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        statuses.merge(status, 1, Integer::sum);
        if (status >= 500) {
          fiveHundreds++;
          failures.add(status + " " + url);
        }
      } catch (HttpTimeoutException e) {
        hangs++;
        failures.add("hang " + url);
      }
    }
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(api + "/health"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    boolean healthy = health.statusCode() == 200 && daemon.isAlive();
    Harness.figures(String.format("api walk: requests: %d, 5xx: %d, hangs: %d, healthy after: %s  [statuses %s]",
        requests, fiveHundreds, hangs, healthy, statuses));
    assertThat(failures).as("5xx answers and hangs (first 20): %s",
        String.join("\n", failures.subList(0, Math.min(20, failures.size())))).isEmpty();
    assertThat(healthy).as("healthy afterwards: %s", health.body()).isTrue();
  }

  private void harvest(String url, String token, List<String> ids) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
    collectIds(new JsonObject(response.body()).getMap(), ids);
  }

  @SuppressWarnings("unchecked")
  private static void collectIds(Object node, List<String> ids) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        if (String.valueOf(k).toLowerCase().endsWith("id") && v != null && !(v instanceof Map) && !(v instanceof List)) {
          ids.add(String.valueOf(v));
        }
        collectIds(v, ids);
      });
    } else if (node instanceof List<?> list) {
      list.forEach(v -> collectIds(v, ids));
    }
  }

  private static String pick(Random random, List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
