package io.datahose.archiver.harness;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.ProjectionSnapshot;
import io.datahose.archiver.symphony.EventTypes;
import io.datahose.archiver.symphony.ReceivedEvent;
import org.jooq.DSLContext;

import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.FEED_CURSOR;

import io.datahose.archiver.testing.TestKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The process harness: starts the BUILT jar ({@code -Dharness.jar}, set by failsafe) as separate OS processes —
 * the simulator ({@code simulate}) and the daemon ({@code run}) — reads the simulator's ledger over loopback HTTP
 * and opens the archive file once the daemon has exited. Every process's output goes to a file under
 * {@code target/harness/<test>/} for diagnostics.
 */
final class Harness {

  /** JVM flags of the child processes: small and quick to start on a 2-core CI machine. */
  static final List<String> CHILD_JVM = List.of("-Xms32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-XX:-UsePerfData");

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Harness() {
  }

  static int intProperty(String name, int defaultValue) {
    return Integer.parseInt(System.getProperty(name, String.valueOf(defaultValue)));
  }

  static long longProperty(String name, long defaultValue) {
    return Long.parseLong(System.getProperty(name, String.valueOf(defaultValue)));
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("harness.jar", "target/datahose-archiver.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the harness runs against the built jar; not found: " + jar
          + " (run `mvn -B verify`, which packages first)");
    }
    return jar;
  }

  /** @return a fresh, empty working directory target/harness/{@code name} */
  static Path workDir(String name) {
    Path dir = Path.of(System.getProperty("harness.dir", "target/harness")).toAbsolutePath().resolve(name);
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the private key file (PKCS#8 PEM) of a fresh bot key pair in {@code dir} */
  static Path botKey(Path dir) {
    KeyPair keys = TestKeys.rsa();
    return TestKeys.writePrivateKey(keys, dir, false);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** @return a ProcessBuilder for {@code java <flags> -jar <jar> <args>} with output appended to {@code log} */
  static ProcessBuilder jarProcess(Path log, String maxHeap, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(CHILD_JVM);
    command.add("-Xmx" + maxHeap);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
  }

  /** SIGKILL (destroyForcibly is kill -9 on Linux) and wait for the process to be gone. */
  static void kill9(Process process) {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------------------------------ simulator

  /** The simulator process and its ledger endpoint. */
  static final class Simulator implements AutoCloseable {
    final Process process;
    final String baseUrl;
    final String ledgerUrl;

    private Simulator(Process process, String baseUrl, String ledgerUrl) {
      this.process = process;
      this.baseUrl = baseUrl;
      this.ledgerUrl = ledgerUrl;
    }

    /** Starts {@code simulate --public-key KEY <args>} and returns once both addresses are printed. */
    static Simulator start(Path dir, Path key, List<String> args) {
      Path log = dir.resolve("simulator.log");
      List<String> all = new ArrayList<>(List.of("simulate", "--public-key", key.toString()));
      all.addAll(args);
      ProcessBuilder builder = jarProcess(log, System.getProperty("harness.simulatorHeap", "768m"), all)
          .redirectOutput(ProcessBuilder.Redirect.PIPE);
      Process process;
      try {
        Files.writeString(log, String.join(" ", builder.command()) + "\n", StandardCharsets.UTF_8);
        process = builder.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      CompletableFuture<String[]> urls = new CompletableFuture<>();
      Thread pump = new Thread(() -> pump(process, log, urls), "simulator-output");
      pump.setDaemon(true);
      pump.start();
      try {
        String[] found = urls.get(60, TimeUnit.SECONDS);
        return new Simulator(process, found[0], found[1]);
      } catch (Exception e) {
        kill9(process);
        throw new IllegalStateException("the simulator did not start; see " + log, e);
      }
    }

    private static void pump(Process process, Path log, CompletableFuture<String[]> urls) {
      String base = null;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
           Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
        String line;
        while ((line = in.readLine()) != null) {
          out.write(line);
          out.write('\n');
          if (line.startsWith("simulator listening on ")) {
            base = line.substring("simulator listening on ".length()).trim();
          } else if (line.startsWith("ledger listening on ")) {
            urls.complete(new String[] {base, line.substring("ledger listening on ".length()).trim()});
            out.flush();
          }
        }
      } catch (IOException e) {
        urls.completeExceptionally(e);
      }
      urls.completeExceptionally(new IllegalStateException("simulator output ended"));
    }

    /** @return the ledger counts (cheap) */
    JsonObject counts() {
      return get(ledgerUrl);
    }

    /** @return counts plus every hash set and the batches served */
    JsonObject full() {
      return get(ledgerUrl + "?hashes=true");
    }

    private static JsonObject get(String url) {
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException("GET " + url + " -> " + response.statusCode());
        }
        return new JsonObject(response.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /**
     * Polls the ledger counts every {@code intervalMillis} until {@code condition} holds or the timeout passes.
     * The ledger lives in another process: polling is the only way to observe it.
     *
     * @return the counts that satisfied the condition, or null at the timeout or when {@code alive} turns false
     */
    JsonObject awaitCounts(Predicate<JsonObject> condition, Duration timeout, long intervalMillis, Process watched) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        JsonObject counts = counts();
        if (condition.test(counts)) {
          return counts;
        }
        if (watched != null && !watched.isAlive()) {
          return null;
        }
        pause(intervalMillis);
      }
      return null;
    }

    @Override
    public void close() {
      kill9(process);
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------------------------------ daemon

  /**
   * Writes a daemon config for the simulator at {@code podUrl}. {@code extraYaml} holds further top-level sections;
   * a {@code database:} section among them is merged into the one written here (its keys replace or join
   * {@code path} and {@code fsync}: the loader refuses a key twice), e.g. {@code database.url} and
   * {@code database.daemonId} of a PostgreSQL archive.
   */
  static Path daemonConfig(Path dir, String podUrl, Path key, int readers, String extraYaml) {
    Map<String, String> database = new java.util.LinkedHashMap<>();
    database.put("path", "\"" + dir.resolve("archive") + "\"");
    database.put("fsync", "batch");
    String rest = mergeDatabaseSection(extraYaml, database);
    StringBuilder yaml = new StringBuilder();
    yaml.append("symphony:\n  pod:\n    url: \"").append(podUrl).append("\"\n")
        .append("  bot:\n    username: \"archiver-bot\"\n    privateKey: \"").append(key).append("\"\n")
        .append("datahose:\n  tag: \"harness\"\n  readers: ").append(readers).append('\n')
        .append("  readTimeout: 3s\n  eventTypes:\n");
    // all 17 types, GENERICSYSTEMEVENT included: the simulator generates all of them
    EventTypes.ALL.forEach(t -> yaml.append("    - ").append(t).append('\n'));
    yaml.append("  retry:\n    initialInterval: 50ms\n    multiplier: 2.0\n    maxInterval: 400ms\n"
            + "    fatalInterval: 1s\n")
        .append("database:\n");
    database.forEach((k, v) -> yaml.append("  ").append(k).append(": ").append(v).append('\n'));
    yaml.append("http:\n  host: \"127.0.0.1\"\n  port: ").append(freePort()).append('\n')
        .append(rest);
    Path file = dir.resolve("datahose-archiver.yaml");
    try {
      Files.writeString(file, yaml.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * Takes the top-level {@code database:} section out of {@code yaml}, putting its {@code "  key: value"} lines into
   * {@code database}; @return the rest of {@code yaml}, unchanged
   */
  private static String mergeDatabaseSection(String yaml, Map<String, String> database) {
    List<String> rest = new ArrayList<>();
    boolean inDatabase = false;
    for (String line : yaml.split("\n", -1)) {
      if (!line.isEmpty() && !line.startsWith(" ")) {
        inDatabase = line.equals("database:");
        if (inDatabase) {
          continue;
        }
      }
      if (!inDatabase) {
        rest.add(line);
      } else if (!line.isBlank()) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^  ([A-Za-z]+): (.*)$").matcher(line);
        if (!m.matches()) {
          throw new IllegalArgumentException("database section lines must be \"  key: value\": " + line);
        }
        database.put(m.group(1), m.group(2));
      }
    }
    return String.join("\n", rest);
  }

  /**
   * Runs {@code officer add NAME --role ROLE --config F} (daemon stopped) and returns the printed token.
   */
  static String officerToken(Path dir, Path config, String name, String role) {
    Path out = dir.resolve("officer-" + name + ".log");
    if (cli(dir, "officer-" + name, List.of("officer", "add", name, "--role", role, "--config", config.toString()))
        != 0) {
      throw new AssertionError("officer add " + name + " failed (see " + out + ")");
    }
    try {
      // the token is the line after the announcement (log lines share stdout)
      List<String> lines = Files.readAllLines(out);
      for (int i = 0; i < lines.size() - 1; i++) {
        if (lines.get(i).contains("Bearer token (shown only once)")) {
          return lines.get(i + 1).trim();
        }
      }
      throw new AssertionError("no token in " + out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs the CLI ({@code java -jar … args}) to its end, output in {@code dir/<args[0]>.log}.
   *
   * @return its exit code
   */
  static int cli(Path dir, String name, List<String> args) {
    Path out = dir.resolve(name + ".log");
    try {
      Process process = jarProcess(out, "256m", args).start();
      try {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          throw new AssertionError(String.join(" ", args) + " did not end within 120 s (see " + out + ")");
        }
        return process.exitValue();
      } finally {
        kill9(process);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** @return the last line of {@code log} containing {@code marker}, or "" */
  static String lastLine(Path log, String marker) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).contains(marker)) {
          return lines.get(i).trim();
        }
      }
      return "";
    } catch (IOException e) {
      return "";
    }
  }

  /** @return the API base URL of a config written by {@link #daemonConfig} ({@code http://127.0.0.1:<port>}) */
  static String apiUrl(Path config) {
    try {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^  port: (\\d+)$").matcher(Files.readString(config));
      if (!m.find()) {
        throw new AssertionError("no http port in " + config);
      }
      return "http://127.0.0.1:" + m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code run --config CONFIG}, output appended to {@code log}. */
  static Process startDaemon(Path config, Path log) {
    try {
      Files.writeString(log, "---- start " + java.time.Instant.now() + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return jarProcess(log, System.getProperty("harness.daemonHeap", "512m"),
          List.of("run", "--config", config.toString())).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @return what the daemon of {@code log}'s last start printed (at most {@code lines} lines), for an assertion
   * message: CI keeps only the build's output, not the harness directory
   */
  static String lastStart(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      int from = 0;
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).startsWith("---- start ")) {
          from = i;
        }
      }
      from = Math.max(from, all.size() - lines);
      return String.join("\n", all.subList(from, all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** SIGTERM ({@link Process#destroy()} on Linux) and wait up to {@code timeout}; @return the exit code */
  static int sigterm(Process process, Duration timeout) {
    return sigterm(process, timeout, null);
  }

  /** As {@link #sigterm(Process, Duration)}; a daemon that does not exit is reported with {@code log}'s last start */
  static int sigterm(Process process, Duration timeout, Path log) {
    process.destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill9(process);
        throw new AssertionError("daemon " + process.pid() + " did not exit within " + timeout + " of SIGTERM"
            + (log == null ? "" : "; its last start:\n" + lastStart(log, 60)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  // ------------------------------------------------------------------------------------------ archive

  /**
   * What the archive file holds; read once the daemon has exited (H2 locks the file).
   *
   * @param rows               raw-log rows
   * @param hashes             their identities
   * @param rawHashes          their {@code raw_sha256}
   * @param altered            rows whose stored bytes no longer hash to their {@code raw_sha256} or identity
   * @param projectionMismatch how the projection tables differ from those of one clean pass over the same raw
   *                           events ("" when equal): a doubled, lost or changed projection row shows here
   */
  record ArchiveContents(long rows, Set<String> hashes, Set<String> rawHashes, long altered,
                         String projectionMismatch, Map<Integer, String> cursors, Map<Long, String> bySeq) {
  }

  static ArchiveContents readArchive(Path dir) {
    Path file = dir.resolve("archive.mv.db");
    if (!Files.exists(file)) {
      return new ArchiveContents(0, Set.of(), Set.of(), 0, "", Map.of(), Map.of());
    }
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), false, 0)) {
      return readArchive(db);
    }
  }

  /**
   * What the open archive {@code db} holds (H2 or PostgreSQL); {@code cursors} are by slot, so with several daemons
   * on one archive a slot's row of one daemon hides the other's.
   */
  static ArchiveContents readArchive(ArchiveDatabase db) {
    DSLContext sql = db.dsl();
    long rows = 0;
    long altered = 0;
    Set<String> hashes = new HashSet<>();
    Set<String> rawHashes = new HashSet<>();
    List<ReceivedEvent> received = new ArrayList<>();
    Map<Long, String> bySeq = new HashMap<>();
    for (var r : sql.select(EVENT.SHA256, EVENT.RAW_SHA256, EVENT.RAW_BYTES, EVENT.RAW_BYTES_LARGE, EVENT.SEQ)
        .from(EVENT).orderBy(EVENT.SEQ).fetch()) {
      rows++;
      hashes.add(r.value1());
      bySeq.put(r.value5(), r.value1());
      rawHashes.add(r.value2());
      byte[] bytes = r.value3() != null ? r.value3() : r.value4();
      ReceivedEvent again = ReceivedEvent.parse(bytes);
      if (!again.rawSha256().equals(r.value2()) || !again.identity().equals(r.value1())) {
        altered++;
      }
      received.add(again);
    }
    Map<Integer, String> cursors = new HashMap<>();
    sql.select(FEED_CURSOR.SLOT, FEED_CURSOR.ACK_ID).from(FEED_CURSOR).forEach(r -> cursors.put(r.value1(), r.value2()));
    String mismatch = ProjectionSnapshot.difference(reference(received), ProjectionSnapshot.of(sql));
    return new ArchiveContents(rows, hashes, rawHashes, altered, mismatch, cursors, bySeq);
  }

  /** The projection tables of one clean pass over {@code events} in a fresh in-memory archive. */
  private static Map<String, List<String>> reference(List<ReceivedEvent> events) {
    try (ArchiveDatabase db = ArchiveDatabase.inMemory("harness-reference-" + System.nanoTime())) {
      Archive archive = new Archive(db);
      for (int from = 0; from < events.size(); from += 500) {
        archive.store("reference", 0, events.subList(from, Math.min(events.size(), from + 500)), "ack-" + from);
      }
      return ProjectionSnapshot.of(db.dsl());
    }
  }

  static Set<String> set(JsonObject ledger, String field) {
    JsonArray array = ledger.getJsonArray(field);
    Set<String> out = new HashSet<>(array.size() * 2);
    array.forEach(v -> out.add((String) v));
    return out;
  }

  /** lost / duplicated / unexpected of an archive against the full ledger, after a drain. */
  record Comparison(int events, long lost, long duplicated, long unexpected, String detail) {

    static Comparison of(JsonObject ledger, ArchiveContents archive) {
      return of(ledger, archive, Set.of());
    }

    /** As above, where {@code setAside} holds the events a restore took out of the archive (not counted lost). */
    static Comparison of(JsonObject ledger, ArchiveContents archive, Set<String> setAside) {
      Set<String> generated = set(ledger, "generatedHashes");
      Set<String> delivered = set(ledger, "deliveredHashes");
      Set<String> acknowledged = set(ledger, "acknowledgedHashes");
      Set<String> missing = new HashSet<>(generated);
      missing.addAll(acknowledged);
      missing.removeAll(archive.hashes());
      missing.removeAll(setAside);
      long unacknowledgedMissing = missing.stream().filter(h -> !acknowledged.contains(h)).count();
      long duplicated = archive.rows() - archive.hashes().size();
      Set<String> unexpected = new HashSet<>(archive.hashes());
      unexpected.removeIf(h -> delivered.contains(h) && generated.contains(h));
      String detail = "acknowledged " + acknowledged.size() + ", delivered " + delivered.size() + ", stored "
          + archive.hashes().size() + ", missing acknowledged " + (missing.size() - unacknowledgedMissing)
          + ", missing never acknowledged " + unacknowledgedMissing;
      return new Comparison(generated.size(), missing.size(), duplicated, unexpected.size(), detail);
    }
  }

  /** Appends a figures line to stdout and target/harness/figures.txt. */
  static void figures(String line) {
    System.out.println(line);
    Path file = Path.of(System.getProperty("harness.dir", "target/harness")).toAbsolutePath().resolve("figures.txt");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
