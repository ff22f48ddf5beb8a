package io.datahose.archiver.api;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.officer.OfficerStore;
import io.datahose.archiver.officer.OfficerTokens;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestPod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A simulated pod, a daemon archiving it through the real ingest path, the query API on a free port, and four
 * officers: "alice" (officer), "audrey" (auditor), "adam" (admin) and "rex" (officer, revoked).
 */
final class ApiHarness implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);

  final TestPod pod;
  final Daemon daemon;
  final Map<String, String> tokens = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  private ApiHarness(TestPod pod, Daemon daemon) {
    this.pod = pod;
    this.daemon = daemon;
  }

  /** Starts everything and archives {@code generated} simulator events plus {@code extra} hand-made ones. */
  static ApiHarness start(Path dir, int generated, List<JsonObject> extra) {
    return start(dir, generated, extra, new JsonObject());
  }

  /** As {@link #start(Path, int, List)} with configuration {@code overrides} deep-merged over the pod's. */
  static ApiHarness start(Path dir, int generated, List<JsonObject> extra, JsonObject overrides) {
    TestPod pod = TestPod.start(dir, Duration.ofMillis(500), 500);
    Daemon daemon = Daemon.start(pod.config(1, overrides));
    ApiHarness h = new ApiHarness(pod, daemon);
    OfficerStore officers = new OfficerStore(daemon.database().dsl());
    for (String[] o : new String[][] {{"alice", "officer"}, {"audrey", "auditor"}, {"adam", "admin"}, {"rex", "officer"}}) {
      String token = OfficerTokens.generate();
      officers.add(o[0], o[1], OfficerTokens.hash(token));
      h.tokens.put(o[0], token);
    }
    officers.revoke("rex");
    if (generated > 0) {
      pod.simulator().publish(pod.simulator().generator().next(generated));
    }
    if (!extra.isEmpty()) {
      pod.simulator().publish(extra);
    }
    int expected = pod.simulator().ledger().generatedCount();
    Await.until(WAIT, expected + " events archived", () -> daemon.status().stored() >= expected,
        () -> daemon.status().stored());
    return h;
  }

  /** An HTTP answer. */
  record Reply(int status, String body, String contentType, java.net.http.HttpHeaders headers) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  Reply get(String officer, String pathAndQuery) {
    return send(officer, HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).GET());
  }

  Reply post(String officer, String pathAndQuery) {
    return send(officer, HttpRequest.newBuilder(URI.create(base() + pathAndQuery))
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  Reply delete(String officer, String pathAndQuery) {
    return send(officer, HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).DELETE());
  }

  Reply method(String officer, String method, String pathAndQuery) {
    return send(officer, HttpRequest.newBuilder(URI.create(base() + pathAndQuery))
        .method(method, HttpRequest.BodyPublishers.noBody()));
  }

  private Reply send(String officer, HttpRequest.Builder request) {
    if (officer != null) {
      request.header("Authorization", "Bearer " + tokens.getOrDefault(officer, officer));
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(),
          response.headers().firstValue("Content-Type").orElse(""), response.headers());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String base() {
    return "http://127.0.0.1:" + daemon.apiPort();
  }

  /** @return every item of a list route, following nextCursor with {@code limit} per page */
  List<JsonObject> all(String path, int limit) {
    List<JsonObject> items = new ArrayList<>();
    String sep = path.contains("?") ? "&" : "?";
    String cursor = null;
    do {
      Reply reply = get("alice", path + sep + "limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
      if (reply.status() != 200) {
        throw new AssertionError(path + " -> " + reply.status() + " " + reply.body());
      }
      JsonObject page = reply.json();
      JsonArray array = page.getJsonArray("items");
      array.forEach(o -> items.add((JsonObject) o));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return items;
  }

  static <T> List<T> map(List<JsonObject> items, Function<JsonObject, T> f) {
    return items.stream().map(f).toList();
  }

  @Override
  public void close() {
    daemon.close();
    pod.close();
  }
}
