package io.datahose.archiver.api;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.query.OfficerStore;
import io.datahose.archiver.search.SearchIndex;
import io.datahose.archiver.simulator.EventGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Not a timed test: prints p50/p95 latency of a message search and a transcript page over an archive of
 * 100,000 generated events (built once in target/probe through the archive's write side). Run with
 * {@code mvn -B test -Dtest=QueryLatencyProbe -Dprobe=true}; the figures are in
 * target/surefire-reports/io.datahose.archiver.api.QueryLatencyProbe-output.txt.
 */
@DisplayName("Query latency probe")
@EnabledIfSystemProperty(named = "probe", matches = "true")
class QueryLatencyProbe {

  private static final int EVENTS = 100_000;

  @Test
  @DisplayName("Prints p50/p95 of a message search and a transcript page over 100,000 events")
  void probe() throws Exception {
    Path dir = Path.of("target/probe").toAbsolutePath();
    Files.createDirectories(dir);
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), false)) {
      Archive archive = new Archive(db);
      long have = db.dsl().fetchCount(db.dsl().selectOne().from("event"));
      if (have < EVENTS) {
        EventGenerator generator = new EventGenerator(99);
        for (int i = (int) have; i < EVENTS; i += 1000) {
          archive.store("probe", 0, generator.next(1000), "probe-" + i);
        }
      }
      String token = OfficerTokens.generate();
      new OfficerStore(db.dsl()).reissue("probe", "officer", OfficerTokens.hash(token));
      Vertx vertx = Vertx.vertx();
      ApiVerticle api = new ApiVerticle(new AppConfig.Http("127.0.0.1", 0), db, SearchIndex.open(dir.resolve("archive.search")));
      vertx.deployVerticle(api).await();
      try {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + api.actualPort() + "/api/v1";
        get(http, token, base + "/messages?q=warmup"); // index catch-up
        List<String> streams = new ArrayList<>();
        new JsonObject(get(http, token, base + "/streams?type=ROOM&limit=200").body()).getJsonArray("items")
            .forEach(o -> streams.add(((JsonObject) o).getString("streamId")));
        String[] queries = {"%24AAPL", "%23rates", "deal", "%22the+deal%22", "closes+OR+today", "%24MSFT+AND+deal"};
        List<Long> search = new ArrayList<>();
        List<Long> transcript = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          search.add(time(http, token, base + "/messages?limit=100&q=" + queries[i % queries.length]));
          transcript.add(time(http, token, base + "/streams/" + streams.get(i % streams.size()) + "/transcript?limit=100"));
        }
        System.out.printf("probe over %,d events: message search p50 %.1f ms p95 %.1f ms; transcript page p50 %.1f ms "
            + "p95 %.1f ms%n", EVENTS, pct(search, 50), pct(search, 95), pct(transcript, 50), pct(transcript, 95));
      } finally {
        vertx.close().await();
      }
    }
  }

  private static HttpResponse<String> get(HttpClient http, String token, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError(url + " -> " + r.statusCode() + " " + r.body());
    }
    return r;
  }

  private static long time(HttpClient http, String token, String url) throws Exception {
    long start = System.nanoTime();
    get(http, token, url);
    return System.nanoTime() - start;
  }

  private static double pct(List<Long> nanos, int p) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
  }
}
