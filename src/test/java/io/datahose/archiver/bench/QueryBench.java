package io.datahose.archiver.bench;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.DataSources;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Issue 6, part 3: query latency through the HTTP API, p50/p95/p99 over {@code --requests} (default 200) requests
 * per query type, and export throughput. Talks to the API only over HTTP, so it compiles without the API code.
 * Two phases, because H2 lets only one process open the archive:
 * <pre>
 * # 1. with the daemon stopped: pick realistic parameters from the archive (e.g. IngestBench's catch-up archive)
 * java -cp target/test-classes:target/classes:$(cat target/bench.cp) io.datahose.archiver.bench.QueryBench \
 *     sample --archive target/bench/catchup --out target/bench/query-samples.json
 * # 2. start the daemon with the API on that archive, create an officer token, then:
 * java -cp ... io.datahose.archiver.bench.QueryBench run --base-url http://127.0.0.1:8080 --token TOKEN \
 *     --samples target/bench/query-samples.json [--requests 200]
 * </pre>
 */
public final class QueryBench {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      opt.put(args[i], args[i + 1]);
    }
    if (args.length > 0 && args[0].equals("sample")) {
      sample(Path.of(opt.get("--archive")), Path.of(opt.getOrDefault("--out", "target/bench/query-samples.json")));
    } else if (args.length > 0 && args[0].equals("run")) {
      if (opt.containsKey("--only")) {
        only = List.of(opt.get("--only").split(","));
      }
      run(opt.getOrDefault("--base-url", "http://127.0.0.1:8080"), opt.get("--token"),
          new JsonObject(Files.readString(Path.of(opt.getOrDefault("--samples", "target/bench/query-samples.json")))),
          Integer.parseInt(opt.getOrDefault("--requests", "200")), String.join(" ", args));
    } else {
      System.err.println("usage: QueryBench sample --archive PATH [--out FILE] | run --token T [--base-url U] [--samples FILE] [--requests N]");
      System.exit(2);
    }
    System.exit(0);
  }

  // ---------------------------------------------------------------- phase 1: parameters from the archive

  static void sample(Path archive, Path out) throws SQLException, java.io.IOException {
    JsonObject samples = new JsonObject();
    try (ArchiveDatabase db = ArchiveDatabase.open(archive, false); Connection c = DataSources.of(db).getConnection()) {
      samples.put("events", longValue(c, "select count(*) from event"));
      JsonArray senderDays = new JsonArray();
      for (List<Object> r : rows(c, "select sender_user_id, cast(sent_at as date), count(*) from message"
          + " where sender_user_id is not null and sent_at is not null group by sender_user_id, cast(sent_at as date) order by count(*) desc limit 200")) {
        senderDays.add(new JsonObject().put("user", ((Number) r.get(0)).longValue()).put("day", r.get(1).toString())
            .put("messages", ((Number) r.get(2)).longValue()));
      }
      samples.put("senderDays", senderDays);
      List<List<Object>> busy = rows(c, "select stream_id, count(*), min(sent_at), max(sent_at) from message"
          + " where stream_id is not null group by stream_id order by count(*) desc limit 1");
      samples.put("busyRoom", new JsonObject().put("streamId", busy.get(0).get(0).toString())
          .put("messages", ((Number) busy.get(0).get(1)).longValue())
          .put("from", iso(busy.get(0).get(2))).put("to", iso(busy.get(0).get(3))));
      JsonArray ids = new JsonArray();
      rows(c, "select message_id from message order by rand() limit 400").forEach(r -> ids.add(r.get(0)));
      samples.put("messageIds", ids);
      JsonArray memberships = new JsonArray();
      rows(c, "select stream_id, occurred_at from membership where occurred_at is not null order by rand() limit 400")
          .forEach(r -> memberships.add(new JsonObject().put("streamId", r.get(0)).put("at", iso(r.get(1)))));
      samples.put("memberships", memberships);
      Map<String, Integer> words = new HashMap<>();
      List<String> phrases = new ArrayList<>();
      for (List<Object> r : rows(c, "select plain_text from message where plain_text is not null order by rand() limit 20000")) {
        String[] tokens = r.get(0).toString().toLowerCase(Locale.ROOT).split("[^\\p{L}]+");
        for (int i = 0; i < tokens.length; i++) {
          if (tokens[i].length() >= 4) {
            words.merge(tokens[i], 1, Integer::sum);
            if (i + 1 < tokens.length && tokens[i + 1].length() >= 4 && phrases.size() < 400) {
              phrases.add(tokens[i] + " " + tokens[i + 1]);
            }
          }
        }
      }
      List<Map.Entry<String, Integer>> byCount = new ArrayList<>(words.entrySet());
      byCount.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
      JsonArray common = new JsonArray();
      byCount.stream().limit(5).forEach(e -> common.add(e.getKey()));
      JsonArray rare = new JsonArray();
      byCount.stream().sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
          .limit(50).forEach(e -> rare.add(e.getKey())); // the least frequent words of the sample
      samples.put("commonWords", common).put("rareWords", rare).put("phrases", new JsonArray(phrases));
      List<List<Object>> range = rows(c, "select min(occurred_at), max(occurred_at) from event");
      samples.put("from", iso(range.get(0).get(0))).put("to", iso(range.get(0).get(1)));
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, samples.encodePrettily());
    System.out.println("query samples written to " + out + " (" + samples.getLong("events") + " events in archive)");
  }

  // ---------------------------------------------------------------- phase 2: latency over HTTP

  static void run(String base, String token, JsonObject s, int n, String args) throws Exception {
    if (token == null) {
      throw new IllegalArgumentException("--token is required (officer add NAME --role officer --config F)");
    }
    String api = base + "/api/v1";
    List<String[]> table = new ArrayList<>();
    JsonArray senderDays = s.getJsonArray("senderDays");
    JsonArray ids = s.getJsonArray("messageIds");
    JsonArray members = s.getJsonArray("memberships");
    JsonObject room = s.getJsonObject("busyRoom");
    JsonArray rare = s.getJsonArray("rareWords");
    JsonArray common = s.getJsonArray("commonWords");
    JsonArray phrases = s.getJsonArray("phrases");
    String from = s.getString("from");
    String to = s.getString("to");

    // The API indexes the archive for search in the background from start-up, and a search first catches the index
    // up (synchronized with the background catch-up). On a fresh index this is the full indexing time.
    long i0 = System.nanoTime();
    HttpResponse<byte[]> first = get(api + "/messages?q=" + enc(common.getString(0)) + "&limit=1", token);
    System.out.printf(Locale.ROOT, "query: first search (waits for the index to catch up): HTTP %d in %.1f s%n",
        first.statusCode(), (System.nanoTime() - i0) / 1e9);

    // from inclusive, to exclusive: the day is [day, day + 1)
    table.add(measure("messages by sender and day", n, token, i -> {
      JsonObject sd = senderDays.getJsonObject(i % senderDays.size());
      java.time.LocalDate day = java.time.LocalDate.parse(sd.getString("day"));
      return api + "/messages?user=" + sd.getLong("user") + "&from=" + enc(day + "T00:00:00Z")
          + "&to=" + enc(day.plusDays(1) + "T00:00:00Z") + "&limit=1000";
    }));
    table.add(measure("transcript page of busiest room", n, token, i -> {
      OffsetDateTime a = OffsetDateTime.parse(room.getString("from"));
      OffsetDateTime b = OffsetDateTime.parse(room.getString("to"));
      long span = Duration.between(a, b).toMillis();
      OffsetDateTime at = a.plusNanos((span * (i % 50) / 50) * 1_000_000L);
      return api + "/streams/" + enc(room.getString("streamId")) + "/transcript?from=" + enc(at.toString())
          + "&limit=100";
    }));
    table.add(measure("message by id", n, token, i -> api + "/messages/" + enc(ids.getString(i % ids.size()))));
    table.add(measure("keyword search, rare word", n, token, i ->
        api + "/messages?q=" + enc(rare.getString(i % rare.size()))));
    table.add(measure("keyword search, common word", n, token, i ->
        api + "/messages?q=" + enc(common.getString(i % common.size()))));
    table.add(measure("keyword search, phrase", n, token, i ->
        api + "/messages?q=" + enc("\"" + phrases.getString(i % phrases.size()) + "\"")));
    table.add(measure("membership at time T", n, token, i -> {
      JsonObject m = members.getJsonObject(i % members.size());
      return api + "/streams/" + enc(m.getString("streamId")) + "?at=" + enc(m.getString("at"));
    }));
    if (only.isEmpty() || only.stream().anyMatch("export"::contains)) {
      table.add(export(api + "/export", token));
    } // the whole archive (to is exclusive: no range)

    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "%nMachine (client side): %d cores, %,d MB RAM; archive of %,d events%n%n",
        rt.availableProcessors(), IngestBench.totalRamMb(), s.getLong("events"));
    System.out.println("| query | requests | p50 ms | p95 ms | p99 ms | note |");
    System.out.println("|---|---|---|---|---|---|");
    table.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
    System.out.println();
    System.out.println("Reproduce: java -cp target/test-classes:target/classes:$(cat target/bench.cp) "
        + QueryBench.class.getName() + " " + args.replaceAll("--token \\S+", "--token TOKEN"));
  }

  /** {@code --only a,b}: run only the query types whose name contains one of these (e.g. "search,export"). */
  static List<String> only = List.of();

  private static String[] measure(String name, int n, String token, IntFunction<String> url) throws Exception {
    if (!only.isEmpty() && only.stream().noneMatch(name::contains)) {
      return new String[] {name, "0", "-", "-", "-", "skipped (--only)"};
    }
    for (int i = 0; i < Math.min(20, n); i++) {
      get(url.apply(n + i), token); // warm-up, not counted
    }
    long[] nanos = new long[n];
    int errors = 0;
    long bytes = 0;
    long items = 0;
    String firstError = "";
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = get(url.apply(i), token);
      nanos[i] = System.nanoTime() - t0;
      bytes += r.body().length;
      if (r.statusCode() == 200 && r.body().length > 0 && r.body()[0] == '{') {
        Integer count = new JsonObject(new String(r.body(), StandardCharsets.UTF_8)).getInteger("count");
        items += count == null ? 1 : count;
      }
      if (r.statusCode() != 200) {
        if (errors++ == 0) {
          firstError = "HTTP " + r.statusCode() + " for " + r.uri();
        }
      }
    }
    Arrays.sort(nanos);
    String note = String.format(Locale.ROOT, "avg %,d bytes, %.1f items", bytes / n, (double) items / n) + (errors > 0 ? "; " + errors + " non-200, first: " + firstError : "");
    System.out.printf("query: %-34s p50 %6.1f  p95 %6.1f  p99 %6.1f ms  %s%n", name, pct(nanos, 50), pct(nanos, 95),
        pct(nanos, 99), note);
    return new String[] {name, String.valueOf(n), fmt(pct(nanos, 50)), fmt(pct(nanos, 95)), fmt(pct(nanos, 99)), note};
  }

  /** Streams the export and counts lines (one event per line assumed for NDJSON; bytes reported regardless). */
  private static String[] export(String url, String token) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = HTTP.send(request(url, token), HttpResponse.BodyHandlers.ofInputStream());
    long lines = 0;
    long chars = 0;
    String last = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines++;
        chars += line.length() + 1;
        last = line;
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    // JSON Lines, one event per line, then one manifest line {"manifest": {"count": n, ...}}
    boolean manifest = last != null && last.startsWith("{\"manifest\"");
    long events = manifest ? lines - 1 : lines;
    Long declared = manifest ? new JsonObject(last).getJsonObject("manifest").getLong("count") : null;
    String note = String.format(Locale.ROOT, "HTTP %d, %,d events (%,.0f events/s), %,.1f MB/s, %.1f s; %s",
        r.statusCode(), events, events / seconds, chars / 1e6 / seconds, seconds,
        manifest ? "manifest count " + declared + (declared == events ? " = lines - 1" : " != lines - 1!")
            : "NO manifest line (export cut short)");
    System.out.println("query: export " + note);
    return new String[] {"export throughput", "1", "-", "-", "-", note};
  }

  private static HttpResponse<byte[]> get(String url, String token) throws Exception {
    return HTTP.send(request(url, token), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpRequest request(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
        .header("Authorization", "Bearer " + token).GET().build();
  }

  private static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.1f", ms);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String iso(Object time) {
    if (time instanceof OffsetDateTime t) {
      return t.withOffsetSameInstant(ZoneOffset.UTC).toString();
    }
    return time == null ? null : time.toString();
  }

  private static long longValue(Connection c, String sql) throws SQLException {
    return ((Number) rows(c, sql).get(0).get(0)).longValue();
  }

  private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }
}
