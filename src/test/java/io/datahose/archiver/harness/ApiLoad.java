package io.datahose.archiver.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Officers hammering a daemon's API while the crash harness kills it: searches, message lists, coverage and
 * transcripts from {@code searchers} threads, and an admin asking for a backup every half second. Connection
 * errors (the daemon starting, or killed) are counted, not failures; every answer's status is counted, so a test
 * can require that none was a 500.
 */
final class ApiLoad implements AutoCloseable {

  private static final List<String> READS = List.of("/api/v1/messages?q=deal&limit=50",
      "/api/v1/messages?limit=100", "/api/v1/streams?limit=50", "/api/v1/events?limit=200",
      "/api/v1/capture?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z", "/api/v1/users?q=a");

  private final String api;
  private final String officer;
  private final String admin;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
  private final AtomicLong unreachable = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads;

  ApiLoad(String api, String officerToken, String adminToken, int searchers) {
    this.api = api;
    this.officer = officerToken;
    this.admin = adminToken;
    List<Thread> started = new java.util.ArrayList<>();
    for (int i = 0; i < searchers; i++) {
      int offset = i;
      started.add(start("api-load-" + i, () -> searchLoop(offset)));
    }
    started.add(start("api-load-backups", this::backupLoop));
    started.add(start("api-load-health", this::stallLoop));
    threads = started;
  }

  private final AtomicLong longestStallMillis = new AtomicLong();

  /**
   * Samples {@code /health} (admin detail) every 200 ms: for each slot, the time since its last successful read. A
   * slot that stalls while officers and backups load the API shows here (a restarted daemon's slots, with no read
   * yet, are skipped: that is the kill, not a stall).
   */
  private void stallLoop() {
    while (running.get()) {
      try {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(api + "/health"))
            .header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 || response.statusCode() == 503) {
          var slots = new io.vertx.core.json.JsonObject(response.body()).getJsonObject("checks")
              .getJsonObject("feed").getJsonArray("slots");
          java.time.Instant now = java.time.Instant.now();
          for (Object o : slots) {
            String last = ((io.vertx.core.json.JsonObject) o).getString("lastSuccessfulRead");
            if (last != null) {
              long stall = Duration.between(java.time.Instant.parse(last), now).toMillis();
              longestStallMillis.accumulateAndGet(stall, Math::max);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // daemon killed or restarting: nothing to sample
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Harness.pause(200);
    }
  }

  /** @return the longest time any slot went without a successful read while the daemon answered /health */
  long longestStallMillis() {
    return longestStallMillis.get();
  }

  private static Thread start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void searchLoop(int offset) {
    for (int n = offset; running.get(); n++) {
      send(HttpRequest.newBuilder(URI.create(api + READS.get(n % READS.size()))).GET(), officer);
    }
  }

  private void backupLoop() {
    while (running.get()) {
      send(HttpRequest.newBuilder(URI.create(api + "/api/v1/admin/backups")).POST(HttpRequest.BodyPublishers.noBody()),
          admin);
      Harness.pause(500);
    }
  }

  private void send(HttpRequest.Builder request, String token) {
    try {
      HttpResponse<Void> response = client.send(request.header("Authorization", "Bearer " + token)
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
      statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
    } catch (IOException e) {
      unreachable.incrementAndGet();
      Harness.pause(20); // not up yet, or just killed: do not spin
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
    }
  }

  /** @return answers by status code so far */
  Map<Integer, Long> statuses() {
    Map<Integer, Long> out = new TreeMap<>();
    statuses.forEach((status, count) -> out.put(status, count.get()));
    return out;
  }

  long unreachable() {
    return unreachable.get();
  }

  @Override
  public void close() {
    running.set(false);
    for (Thread t : threads) {
      try {
        t.join(Duration.ofSeconds(40).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
