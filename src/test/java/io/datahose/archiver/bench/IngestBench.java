package io.datahose.archiver.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.DataSources;
import io.datahose.archiver.archive.StoreHook;
import io.datahose.archiver.capture.Pem;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.officer.OfficerStore;
import io.datahose.archiver.officer.OfficerTokens;
import io.datahose.archiver.simulator.EventGenerator;
import io.datahose.archiver.simulator.SimulatorOptions;
import io.datahose.archiver.simulator.SymphonySimulator;
import io.datahose.archiver.symphony.EventTypes;
import io.datahose.archiver.symphony.ReceivedEvent;
import io.datahose.archiver.testing.PgCluster;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import javax.sql.DataSource;

/**
 * Issue 9 benchmarks, in ONE run: ingest throughput of the real daemon ({@link Daemon#start}: capture, query API and
 * search indexer, as in production) over loopback HTTP with 1 and 4 reader slots, optionally 4 slots again under a
 * light officer search load, against a plain-JDBC baseline writing the very rows the daemon projected; the group
 * size ({@link Archive#commitStats()}) and the live file size per event of every run; then catch-up of a backlog
 * served by the simulator in ITS OWN PROCESS ({@code java -jar target/datahose-archiver.jar simulate --preload N}),
 * with time to drain, heap and RSS of the daemon's JVM, the live file size sampled during the catch-up (max), at its
 * end, after stop and after an offline {@code SHUTDOWN COMPACT}; start-up time on that archive. Not part of
 * {@code mvn verify}; run:
 * <pre>
 * mvn -B -q package -DskipTests &amp;&amp; mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat target/bench.cp) io.datahose.archiver.bench.IngestBench
 * </pre>
 * Options: {@code --events N} (ingest, default 200000, 0 = skip), {@code --slots 1,4} (ingest runs),
 * {@code --search-load on|off} (default on: a 4-slot run again with one officer search every
 * {@code --search-every-ms} ms, default 500), {@code --catchup N} (default 1000000, 0 = skip),
 * {@code --catchup-readers N} (default 4), {@code --batch N} (default 100), {@code --fsync batch|never},
 * {@code --dir D} (default target/bench), {@code --seed N}, {@code --sim-heap SIZE} (simulator process heap, default
 * 512m + 10 KB per backlog event), {@code --sample-seconds N} (default 2), {@code --jar PATH} (default
 * target/datahose-archiver.jar), {@code --startups N} (default 3).
 * <p>
 * {@code --database postgresql} (default {@code h2}): the ingest phase against PostgreSQL instead, on one private
 * cluster the bench starts ({@link PgCluster}; fsync and full_page_writes on, or off with {@code --fsync never};
 * synchronous_commit on) and stops: each daemon run and the baseline get a fresh database, migrated by Flyway with
 * {@link ArchiveDatabase#POSTGRESQL_MIGRATIONS} before the run (as the H2 baseline's file is with the H2 ones); no
 * {@code CHECKPOINT SYNC} (a commit returns once its WAL is flushed). Each run also gives its database size on disk per
 * event ({@code pg_database_size} minus that of a freshly migrated empty database), the raw log's received bytes per
 * event, the WAL written per event, and a check of the raw log (count, seq gapless). No catch-up phase ({@code --catchup} is about the H2 file).
 * {@code --daemons N} (PostgreSQL only, default 1; N &gt; 1): instead of the daemon runs, N {@link ArchiveDatabase} +
 * {@link Archive} pairs with their own daemon ids on one database, each storing its {@code --slots} slots' batches on
 * one thread per slot, splitting the same events (pre-parsed: the store path only, no HTTP), once per
 * {@code --slots} value, then 1 daemon with N x slots threads for reference; all after an unmeasured warm-up (a
 * quarter of the events into a scratch database). {@code --pg-params P} appends
 * {@code ?P} to every database URL (archiver and baseline alike), e.g. {@code reWriteBatchedInserts=true}.
 */
public final class IngestBench {

  /** Tables the baseline copies, with the column that assigns a row to its batch (null: spread evenly). */
  private static final Map<String, String> TABLES = new LinkedHashMap<>();
  /** Tables of the schema that are not projections of events: never copied (checked against the schema). */
  private static final Set<String> NOT_PROJECTIONS = Set.of("archive_counter", "feed_cursor", "officer",
      "access_log", "feed_read", "capture_gap", "ops_probe", "flyway_schema_history", "evidence_log", "evidence_leaf",
      "evidence_node", "tree_head", "retention_lock");

  static {
    TABLES.put("event", "seq");
    TABLES.put("message", "event_seq");
    TABLES.put("room_properties", "event_seq");
    TABLES.put("membership", "event_seq");
    TABLES.put("join_request_owner", "event_seq");
    TABLES.put("stream_status_change", "event_seq");
    TABLES.put("suppression", "event_seq");
    TABLES.put("im_participant", "event_seq");
    TABLES.put("connection", "event_seq");
    TABLES.put("elements_action", "event_seq");
    TABLES.put("shared_post", "event_seq");
    TABLES.put("system_event", "event_seq");
    TABLES.put("user_identity", "event_seq");
    TABLES.put("app_user", "last_event_seq");
    TABLES.put("attachment", null);
    TABLES.put("stream", null);
  }

  private static final String[] SEARCH_WORDS = {"deal", "spread", "client", "approve", "volume", "risk", "desk",
      "income", "quotes", "order"};

  private int events = 200_000;
  private int[] slots = {1, 4};
  private boolean searchLoad = true;
  private int searchEveryMs = 500;
  private int catchup = 1_000_000;
  private int catchupReaders = 4;
  private int batch = 100;
  private String fsync = "batch";
  private Path dir = Path.of("target/bench");
  private long seed = 42;
  private String simHeap;
  private int sampleSeconds = 2;
  private Path jar = Path.of("target/datahose-archiver.jar");
  private int startups = 3;
  private String database = "h2";
  private int daemons = 1;
  private String pgParams;
  private boolean catchupGiven;
  private final List<String[]> table = new ArrayList<>();
  private String loadAtStart;
  /** The private cluster of {@code --database postgresql}, else null. */
  private PgCluster pg;
  /** Server version and settings, for the machine line. */
  private String pgInfo;
  /** pg_database_size of a freshly migrated empty archive database. */
  private long pgEmptyBytes;
  private boolean checkFailed;

  public static void main(String[] args) throws Exception {
    IngestBench bench = new IngestBench();
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--events" -> bench.events = Integer.parseInt(v);
        case "--slots" -> bench.slots = Arrays.stream(v.split(",")).mapToInt(s -> Integer.parseInt(s.strip())).toArray();
        case "--search-load" -> bench.searchLoad = "on".equals(v) || "true".equals(v);
        case "--search-every-ms" -> bench.searchEveryMs = Integer.parseInt(v);
        case "--catchup" -> {
          bench.catchup = Integer.parseInt(v);
          bench.catchupGiven = true;
        }
        case "--catchup-readers" -> bench.catchupReaders = Integer.parseInt(v);
        case "--batch" -> bench.batch = Integer.parseInt(v);
        case "--fsync" -> bench.fsync = v;
        case "--dir" -> bench.dir = Path.of(v);
        case "--seed" -> bench.seed = Long.parseLong(v);
        case "--sim-heap" -> bench.simHeap = v;
        case "--sample-seconds" -> bench.sampleSeconds = Integer.parseInt(v);
        case "--jar" -> bench.jar = Path.of(v);
        case "--startups" -> bench.startups = Integer.parseInt(v);
        case "--database" -> bench.database = v;
        case "--daemons" -> bench.daemons = Integer.parseInt(v);
        case "--pg-params" -> bench.pgParams = v;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    bench.checkOptions();
    bench.run(String.join(" ", args));
    System.exit(bench.checkFailed ? 1 : 0);
  }

  private boolean postgresql() {
    return "postgresql".equals(database);
  }

  private void checkOptions() {
    if (!"h2".equals(database) && !postgresql()) {
      throw new IllegalArgumentException("--database must be h2 or postgresql (got " + database + ")");
    }
    if (daemons < 1) {
      throw new IllegalArgumentException("--daemons must be at least 1 (got " + daemons + ")");
    }
    if (!postgresql() && (daemons > 1 || pgParams != null)) {
      throw new IllegalArgumentException("--daemons and --pg-params need --database postgresql (an H2 file has one"
          + " daemon)");
    }
    if (postgresql()) {
      if (catchupGiven && catchup > 0) {
        throw new IllegalArgumentException("the catch-up phase measures the H2 file (live size, SHUTDOWN COMPACT):"
            + " give --catchup 0 with --database postgresql");
      }
      catchup = 0;
    }
  }

  private void run(String args) throws Exception {
    loadAtStart = loadAverage();
    Files.createDirectories(dir);
    KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    Path keyFile = dir.resolve("bench-bot.pem");
    Files.deleteIfExists(keyFile);
    Pem.writePrivateKeyPkcs8(keys.getPrivate(), keyFile);

    try {
      if (events > 0 && slots.length > 0) {
        if (postgresql()) {
          pg = PgCluster.start(!"never".equals(fsync));
          System.out.printf("bench: %s started (fsync %s)%n", pg, "never".equals(fsync) ? "off" : "on");
        }
        ingestPhase(keys, keyFile);
      }
      if (catchup > 0) {
        catchup(keyFile);
      }
    } finally {
      if (pg != null) {
        pg.stop();
      }
    }
    print(args);
  }

  // ------------------------------------------------------------------------------------------------ ingest

  /**
   * What one ingest run measured. {@code pg}: the PostgreSQL figures, or null (H2); {@code writers}: who ran
   * {@link Archive#store} when not the daemon's Vert.x contexts (the store-path runs of {@code --daemons}), or null.
   */
  private record Run(String label, double seconds, long storeNanos, Archive.CommitStats commits, long liveBytes,
                     SearchLoad.Stats search, int writerContexts, PgSizes pg, String writers) {
    double rate(int events) {
      return events / seconds;
    }
  }

  private void ingestPhase(KeyPair keys, Path keyFile) throws Exception {
    List<JsonObject> generated = new EventGenerator(seed).next(events);
    long chars = generated.stream().mapToLong(e -> e.encode().length()).sum();
    row("events generated", String.format("%,d (all 17 types, avg %,d chars of JSON)", events, chars / events), "");
    row("Merkle log", Boolean.getBoolean("datahose.bench.withoutMerkleLog")
        ? "off (-Ddatahose.bench.withoutMerkleLog=true: no leaves, verify would fail)" : "on (leaves in each transaction)",
        "");
    if (pg != null) {
      pgServerRows();
    }
    List<Run> runs = new ArrayList<>();
    Target first = null;
    String firstName;
    if (daemons > 1) {
      System.out.printf("bench: --daemons %d: store-path runs only (events parsed beforehand, no HTTP, no search"
          + " load)%n", daemons);
      List<List<ReceivedEvent>> batches = receivedBatches(generated);
      generated = null;
      // these runs compare configurations of one JVM: without a warm-up the first one also pays for the JIT
      List<List<ReceivedEvent>> warm = batches.subList(0, Math.max(1, batches.size() / 4));
      storeRun(warm, target("daemons-warm-up"), 1, daemons * slots[0], "warm-up (not measured): ");
      for (int each : slots) {
        Target t = target("daemons-" + daemons + "x" + each);
        runs.add(storeRun(batches, t, daemons, each, ""));
        first = first == null ? t : first;
      }
      for (int each : slots) {
        runs.add(storeRun(batches, target("daemons-1x" + daemons * each), 1, daemons * each, ""));
      }
      firstName = "first " + daemons + "-daemon database (" + daemons + " daemons x " + slots[0] + " slots)";
    } else {
      for (int readers : slots) {
        Target archive = target("ingest-" + readers);
        runs.add(ingest(keys, keyFile, archive, readers, generated, false));
        if (first == null || readers == 1) {
          first = archive;
        }
      }
      int loadSlots = Arrays.stream(slots).max().orElse(4);
      if (searchLoad) {
        runs.add(ingest(keys, keyFile, target("ingest-" + loadSlots + "-search"), loadSlots, generated, true));
      }
      firstName = (Arrays.stream(slots).anyMatch(s -> s == 1) ? "1-slot" : "first") + " daemon "
          + (pg == null ? "archive" : "database");
    }
    generated = null;
    Target baselineTarget = target("baseline");
    long baselineWal = walPosition();
    double base = baseline(first, baselineTarget);
    for (Run r : runs) {
      double rate = r.rate(events);
      row(r.label, String.format("%,.0f events/s", rate), String.format("%,d events in %.1f s; %.2fx baseline%s",
          events, r.seconds, rate / base, target(r.label, rate, base)));
      long tx = r.commits.transactions();
      row("  group commit", String.format("%.2f batches / tx", tx == 0 ? 0 : (double) r.commits.batches() / tx),
          String.format("%,d transactions, %,d batches, %.0f events / tx; %s",
              tx, r.commits.batches(), tx == 0 ? 0 : (double) events / tx, r.writers != null ? r.writers
                  : "Archive.store ran on " + r.writerContexts + " Vert.x context(s)"));
      if (r.pg == null) {
        row("  live file after ingest", String.format("%,.0f bytes / event", (double) r.liveBytes / events),
            String.format("%,d bytes (daemon still running); target <= 2,000", r.liveBytes));
      } else {
        pgRows(r.pg, r.writers == null ? "daemon still running" : "after the run", events);
      }
      if (r.label.contains("1 reader slot")) {
        double store = r.storeNanos / 1e9;
        row("  1 slot: read / store split", String.format("%.0f%% read / %.0f%% store",
                100 * (r.seconds - store) / r.seconds, 100 * store / r.seconds),
            String.format("store %.1f s of %.1f s (HTTP read + JSON = the rest)", store, r.seconds));
      }
      if (r.search != null) {
        row("  officer searches meanwhile", String.format("%,d (%d not 200)", r.search.requests(), r.search.failures()),
            String.format("one GET /api/v1/messages?q=word every %d ms; latency p50 %.0f ms, max %.0f ms",
                searchEveryMs, r.search.p50Ms(), r.search.maxMs()));
      }
    }
    if (pg == null) {
      row("baseline: plain JDBC addBatch", String.format("%,.0f events/s", base),
          "same rows as the " + firstName + ", "
              + "1 tx per " + batch + " events" + ("batch".equals(fsync) ? " + CHECKPOINT SYNC" : ""));
    } else {
      row("baseline: plain JDBC addBatch", String.format("%,.0f events/s", base),
          "same rows as the " + firstName + ", 1 tx per " + batch + " events, commit = WAL flush (synchronous_commit"
              + " on, fsync " + ("never".equals(fsync) ? "off" : "on") + "); no Merkle leaves");
      PgSizes sizes = pgSizes(baselineTarget, baselineWal);
      pgRows(sizes, "after the copy", events);
    }
  }

  private static String target(String label, double rate, double base) {
    if (label.contains("1 reader slot")) {
      return " (target >= 0.6x)";
    }
    if (label.contains("4 reader slots")) {
      return String.format(" (targets >= 1.0x and >= 5,000/s: %s)", rate >= base && rate >= 5000 ? "met" : "missed");
    }
    return "";
  }

  private Run ingest(KeyPair keys, Path keyFile, Target archive, int readers, List<JsonObject> generated,
                     boolean withSearch) {
    String label = "daemon, " + readers + " reader slot" + (readers > 1 ? "s" : "")
        + (withSearch ? " + officer searches" : "");
    Vertx vertx = Vertx.vertx();
    try {
      SymphonySimulator sim = SymphonySimulator.start(vertx, SimulatorOptions.builder().botUsername("bench-bot")
          .rsaPublicKey(keys.getPublic()).batchSize(batch).build()).await();
      sim.publish(generated);
      long wal0 = walPosition();
      long t0 = System.nanoTime();
      SearchLoad load = null;
      ContextProbe contexts = new ContextProbe();
      try (Daemon daemon = Daemon.start(config(sim.baseUrl(), keyFile, archive, readers), contexts)) {
        if (withSearch) {
          load = SearchLoad.start(daemon, searchEveryMs);
        }
        while (daemon.status().stored() < generated.size()) {
          Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        SearchLoad.Stats stats = load == null ? null : load.stop();
        long storeNanos = daemon.status().slots().values().stream().mapToLong(s -> s.storeNanos()).sum();
        PgSizes sizes = archive.postgresql() ? pgSizes(archive, wal0) : null;
        long live = sizes != null ? sizes.databaseBytes() - pgEmptyBytes : Files.size(mvDb(archive.path()));
        Run run = new Run(label, seconds, storeNanos, daemon.archive().commitStats(), live, stats, contexts.count(),
            sizes, null);
        System.out.printf("bench: %s: %,.0f events/s, %s%n", label, run.rate(events), run.commits);
        return run;
      } finally {
        if (load != null) {
          load.stop();
        }
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Counts the distinct Vert.x contexts that ran a group transaction (the hook runs on the writing thread, inside
   * {@code Archive.store}): with N reader slots on N worker contexts, up to N; 1 means every store was run by one
   * context, so no two batches could ever be waiting for the writer at the same time.
   */
  private static final class ContextProbe implements StoreHook {
    private final Set<Context> seen = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    @Override
    public void afterCommit(String tag, int slot, List<ReceivedEvent> events) {
      Context c = Vertx.currentContext();
      if (c != null) {
        seen.add(c);
      }
    }

    int count() {
      return seen.size();
    }
  }

  /** One officer search every {@code everyMs} ms against the daemon's API, on its own thread. */
  private static final class SearchLoad {
    record Stats(int requests, int failures, double p50Ms, double maxMs) {
    }

    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong failures = new AtomicLong();
    private Stats stats;

    private SearchLoad(String base, String token, int everyMs) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      thread = new Thread(() -> {
        int i = 0;
        long next = System.nanoTime();
        while (!stop.get()) {
          String word = SEARCH_WORDS[i++ % SEARCH_WORDS.length];
          HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/messages?limit=50&q="
                  + URLEncoder.encode(word, StandardCharsets.UTF_8)))
              .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).GET().build();
          long t0 = System.nanoTime();
          try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
              failures.incrementAndGet();
            }
          } catch (IOException e) {
            failures.incrementAndGet();
          } catch (InterruptedException e) {
            return;
          }
          latencies.add((System.nanoTime() - t0) / 1e6);
          next += everyMs * 1_000_000L;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            try {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
              return;
            }
          } else {
            next = System.nanoTime();
          }
        }
      }, "bench-search-load");
      thread.setDaemon(true);
    }

    static SearchLoad start(Daemon daemon, int everyMs) {
      String token = OfficerTokens.generate();
      new OfficerStore(daemon.database().dsl()).add("bench-officer", "officer", OfficerTokens.hash(token));
      SearchLoad load = new SearchLoad("http://127.0.0.1:" + daemon.apiPort(), token, everyMs);
      load.thread.start();
      return load;
    }

    synchronized Stats stop() {
      if (stats == null) {
        stop.set(true);
        thread.interrupt();
        try {
          thread.join(60_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        List<Double> sorted;
        synchronized (latencies) {
          sorted = new ArrayList<>(latencies);
        }
        Collections.sort(sorted);
        stats = new Stats(sorted.size(), (int) failures.get(),
            sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
      }
      return stats;
    }
  }

  // ------------------------------------------------------------------------------------------------ catch-up

  private void catchup(Path keyFile) throws Exception {
    Path archive = fresh("catchup");
    String heap = simHeap != null ? simHeap : (512 + catchup / 100) + "m";
    long p0 = System.nanoTime();
    try (SimulatorProcess sim = SimulatorProcess.start(jar, dir, keyFile, heap, List.of("--preload",
        String.valueOf(catchup), "--batch-size", String.valueOf(batch), "--seed", String.valueOf(seed + 1),
        "--bot-username", "bench-bot"))) {
      double preload = (System.nanoTime() - p0) / 1e9;
      long simRss = rssKb(sim.process.pid());
      System.out.printf("bench: simulator process %d up at %s with %,d events preloaded in %.1f s (VmRSS %,d MB)%n",
          sim.process.pid(), sim.baseUrl, catchup, preload, simRss >> 10);
      AppConfig config = config(sim.baseUrl, keyFile, new Target(archive, null), catchupReaders);
      long liveAtEnd;
      long t0 = System.nanoTime();
      Sampler sampler;
      ContextProbe contexts = new ContextProbe();
      long heapBefore = heapAfterGc();  // what the ingest phase left is collected before the catch-up is measured
      resetMaxAfterGc();
      try (Daemon daemon = Daemon.start(config, contexts)) {
        sampler = Sampler.start(mvDb(archive), daemon, sampleSeconds, t0);
        while (daemon.status().stored() < catchup) {
          if (!sim.process.isAlive()) {
            throw new IllegalStateException("the simulator process exited; see " + sim.log);
          }
          Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        sampler.stop();
        liveAtEnd = Files.size(mvDb(archive));
        Archive.CommitStats commits = daemon.archive().commitStats();
        long heapUsed = usedHeap();
        long heapAfterGc = heapAfterGc();
        row(String.format("catch-up %,d events, %d slots", catchup, catchupReaders),
            String.format("%.1f s (%,.0f events/s)", seconds, catchup / seconds),
            "simulator in its own process (-Xmx" + heap + ", VmRSS " + (simRss >> 10) + " MB after preload)");
        row("  group commit", String.format("%.2f batches / tx", (double) commits.batches() / commits.transactions()),
            String.format("%,d transactions, %,d batches; Archive.store ran on %d Vert.x context(s)",
                commits.transactions(), commits.batches(), contexts.count()));
        row("  heap used at end (before / after GC)", String.format("%,d / %,d MB", heapUsed >> 20, heapAfterGc >> 20),
            String.format("daemon JVM only (%,d MB after GC before it started); largest heap after any GC (young"
                + " included) during catch-up %,d MB; target < 512 MB", heapBefore >> 20, sampler.maxHeapAfterGc >> 20));
        row("  RSS at end (VmRSS, daemon JVM)", String.format("%,d MB", rssKb(ProcessHandle.current().pid()) >> 10),
            "-Xmx" + (Runtime.getRuntime().maxMemory() >> 20) + "m");
      }
      long afterStop = Files.size(mvDb(archive));
      List<String> startupMs = new ArrayList<>();
      for (int i = 0; i < startups; i++) {
        long s0 = System.nanoTime();
        Daemon daemon = Daemon.start(config);
        startupMs.add(String.format("%.0f", (System.nanoTime() - s0) / 1e6));
        daemon.close();
      }
      sim.close();
      long c0 = System.nanoTime();
      try (Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + archive.toAbsolutePath(), "sa", "");
           Statement s = c.createStatement()) {
        s.execute("SHUTDOWN COMPACT");
      }
      double compactSeconds = (System.nanoTime() - c0) / 1e9;
      long compacted = Files.size(mvDb(archive));
      row("  live file during catch-up (max)", size(sampler.maxLive, compacted),
          String.format("sampled every %d s (%d samples)", sampleSeconds, sampler.samples));
      row("  live file at end of catch-up", size(liveAtEnd, compacted), "daemon still running");
      row("  file after daemon stop", size(afterStop, compacted), "after Daemon.close (SHUTDOWN)");
      row("  file after offline SHUTDOWN COMPACT", String.format("%,.0f bytes / event", (double) compacted / catchup),
          String.format("%,d bytes; compaction took %.1f s; target <= 2,000 bytes / event", compacted, compactSeconds));
      if (!startupMs.isEmpty()) {
        row("start-up to ready (" + startups + " runs)", String.join(" / ", startupMs) + " ms",
            "Daemon.start on the catch-up archive: open + Flyway check + deploy readers, API and index");
      }
    }
  }

  private String size(long bytes, long compacted) {
    return String.format("%,.0f bytes / event, %.2fx compacted", (double) bytes / catchup, (double) bytes / compacted)
        + (bytes / (double) compacted <= 1.5 ? "" : " (target <= 1.5x: missed)");
  }

  /** Samples the live file size and the heap after the last GC every few seconds. */
  private static final class Sampler {
    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();
    volatile long maxLive;
    volatile long maxHeapAfterGc;
    volatile int samples;

    private Sampler(Path file, Daemon daemon, int everySeconds, long t0) {
      thread = new Thread(() -> {
        while (!stop.get()) {
          sample(file, daemon, t0, true);
          try {
            Thread.sleep(everySeconds * 1000L);
          } catch (InterruptedException e) {
            break;
          }
        }
        sample(file, daemon, t0, false);
      }, "bench-sampler");
      thread.setDaemon(true);
    }

    private void sample(Path file, Daemon daemon, long t0, boolean print) {
      try {
        long live = Files.size(file);
        long heap = heapAfterLastGc();  // max since the catch-up began
        maxLive = Math.max(maxLive, live);
        maxHeapAfterGc = Math.max(maxHeapAfterGc, heap);
        samples++;
        if (print) {
          System.out.printf("bench: catch-up t=%5.0f s stored %,9d  live %,7.1f MB  max heap after a GC %,5d MB  "
                  + "load %s%n", (System.nanoTime() - t0) / 1e9, daemon.status().stored(), live / 1e6, heap >> 20,
              loadAverage());
        }
      } catch (IOException e) {
        // file not there yet
      }
    }

    static Sampler start(Path file, Daemon daemon, int everySeconds, long t0) {
      Sampler s = new Sampler(file, daemon, everySeconds, t0);
      s.thread.start();
      return s;
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.interrupt();
      thread.join();
    }
  }

  /** {@code java -jar <jar> simulate ...} as its own OS process, as the crash harness starts it. */
  private static final class SimulatorProcess implements AutoCloseable {
    final Process process;
    final String baseUrl;
    final Path log;

    private SimulatorProcess(Process process, String baseUrl, Path log) {
      this.process = process;
      this.baseUrl = baseUrl;
      this.log = log;
    }

    static SimulatorProcess start(Path jar, Path dir, Path key, String heap, List<String> args) throws IOException {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException("the simulator runs from the built jar; not found: " + jar
            + " (mvn -B -q package -DskipTests)");
      }
      Path log = dir.resolve("simulator.log").toAbsolutePath();
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xms32m", "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:-UsePerfData", "-jar", jar.toAbsolutePath().toString(),
          "simulate", "--public-key", key.toAbsolutePath().toString(), "--port", "0", "--long-poll", "1s"));
      command.addAll(args);
      Files.writeString(log, String.join(" ", command) + "\n", StandardCharsets.UTF_8);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      CompletableFuture<String> url = new CompletableFuture<>();
      Thread pump = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
          String line;
          while ((line = in.readLine()) != null) {
            out.write(line);
            out.write('\n');
            if (line.startsWith("simulator listening on ")) {
              url.complete(line.substring("simulator listening on ".length()).trim());
              out.flush();
            }
          }
        } catch (IOException e) {
          url.completeExceptionally(e);
        }
        url.completeExceptionally(new IllegalStateException("simulator output ended"));
      }, "simulator-output");
      pump.setDaemon(true);
      pump.start();
      try {
        return new SimulatorProcess(process, url.get(30, TimeUnit.MINUTES), log);
      } catch (Exception e) {
        process.destroyForcibly();
        throw new IllegalStateException("the simulator did not start; see " + log, e);
      }
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    @Override
    public void close() {
      if (!process.isAlive()) {
        return;
      }
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ common

  private AppConfig config(String podUrl, Path keyFile, Target archive, int readers) {
    JsonObject database = new JsonObject().put("path", archive.path().toString()).put("fsync", fsync);
    if (archive.postgresql()) {
      database.put("url", archive.url()).put("user", pg.user()).put("password", pg.password()).put("daemonId", "bench");
    }
    JsonObject json = new JsonObject()
        .put("symphony", new JsonObject()
            .put("pod", new JsonObject().put("url", podUrl))
            .put("bot", new JsonObject().put("username", "bench-bot").put("privateKey", keyFile.toString())))
        .put("datahose", new JsonObject().put("readers", readers).put("eventTypes", new JsonArray(EventTypes.ALL)))
        .put("database", database)
        .put("backup", new JsonObject().put("dir", dir.resolve("backups").toString()))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    return AppConfig.fromJson(json, "bench");
  }

  private static Path mvDb(Path archive) {
    return Path.of(archive + ".mv.db");
  }

  /** Deletes the archive files and its search index directory. */
  private Path fresh(String name) throws IOException {
    Path base = dir.resolve(name);
    for (String suffix : new String[] {".mv.db", ".trace.db", ".lock.db"}) {
      Files.deleteIfExists(Path.of(base + suffix));
    }
    Path search = Path.of(base + ".search");
    if (Files.exists(search)) {
      try (Stream<Path> files = Files.walk(search)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return base;
  }

  // ------------------------------------------------------------------------------------------------ PostgreSQL

  /**
   * Where a run archives: the H2 file at {@code path}; or, with {@code url}, that PostgreSQL database ({@code path}
   * then only names the daemon's local files: search index, evidence key).
   */
  private record Target(Path path, String url) {
    boolean postgresql() {
      return url != null;
    }
  }

  /**
   * A fresh archive for a run: {@link #fresh(String)}, and with PostgreSQL a new database on the cluster, migrated
   * here (Flyway, {@link ArchiveDatabase#POSTGRESQL_MIGRATIONS}) so that neither the clock nor the WAL of the run
   * includes the schema's creation.
   */
  private Target target(String name) throws IOException {
    Path path = fresh(name);
    if (pg == null) {
      return new Target(path, null);
    }
    Target t = new Target(path, withParams(pg.createDatabase("bench_" + name)));
    open(t).close();
    return t;
  }

  /** @return the cluster's current WAL insert position, in bytes */
  private long walPosition() {
    if (pg == null) {
      return 0;
    }
    try (Connection c = java.sql.DriverManager.getConnection(pg.url("postgres"), pg.user(), pg.password())) {
      return scalar(c, "select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the WAL position", e);
    }
  }

  private String withParams(String url) {
    return pgParams == null || pgParams.isBlank() ? url : url + "?" + pgParams;
  }

  /** Opens (and migrates: the H2 or the PostgreSQL Flyway locations) the archive of {@code t}. */
  private ArchiveDatabase open(Target t) {
    return t.postgresql() ? ArchiveDatabase.postgresql(t.url(), pg.user(), pg.password(), "bench")
        : ArchiveDatabase.open(t.path(), false);
  }

  private Connection connect(Target t) throws SQLException {
    return java.sql.DriverManager.getConnection(t.url(), pg.user(), pg.password());
  }

  /** The server's version and settings; the size of a freshly migrated empty archive database. */
  private void pgServerRows() throws Exception {
    Target empty = target("empty");
    try (Connection c = connect(empty)) {
      String version = stringScalar(c, "show server_version");
      String settings = "fsync " + stringScalar(c, "show fsync") + ", synchronous_commit "
          + stringScalar(c, "show synchronous_commit");
      pgInfo = "PostgreSQL " + version + " (" + settings + ")";
      row("PostgreSQL", version + ", " + settings, String.format("private cluster on 127.0.0.1:%d (initdb, pg_ctl);"
              + " full_page_writes %s, shared_buffers %s, wal_level %s, max_wal_size %s; JDBC URL parameters: %s",
          pg.port(), stringScalar(c, "show full_page_writes"), stringScalar(c, "show shared_buffers"),
          stringScalar(c, "show wal_level"), stringScalar(c, "show max_wal_size"),
          pgParams == null || pgParams.isBlank() ? "none" : pgParams));
      pgEmptyBytes = scalar(c, "select pg_database_size(current_database())");
    }
    row("  freshly migrated empty database", String.format("%,d bytes", pgEmptyBytes),
        "pg_database_size after the PostgreSQL migrations; subtracted from every size below");
  }

  /**
   * One PostgreSQL archive's figures after a run.
   *
   * @param databaseBytes pg_database_size
   * @param eventBytes    pg_total_relation_size('event'): the raw log's heap, TOAST and indexes
   * @param rawBytes      the received bytes the raw log holds (raw_bytes or raw_bytes_large)
   * @param largest       the largest tables with their total size per event
   * @param walBytes      WAL the whole cluster wrote since the run began (the runs are sequential)
   */
  private record PgSizes(long databaseBytes, long eventBytes, long rawBytes, long count, long minSeq, long maxSeq,
                         long cursorRows, long cursorEvents, String largest, long walBytes) {
  }

  private PgSizes pgSizes(Target t, long walStart) {
    try (Connection c = connect(t); Statement s = c.createStatement()) {
      long database = scalar(c, "select pg_database_size(current_database())");
      long eventBytes = scalar(c, "select pg_total_relation_size('event')");
      long count;
      long min;
      long max;
      long raw;
      try (ResultSet rs = s.executeQuery("select count(*), coalesce(min(seq), 0), coalesce(max(seq), 0),"
          + " coalesce(sum(octet_length(coalesce(raw_bytes, raw_bytes_large))), 0) from event")) {
        rs.next();
        count = rs.getLong(1);
        min = rs.getLong(2);
        max = rs.getLong(3);
        raw = rs.getLong(4);
      }
      long cursors;
      long cursorEvents;
      try (ResultSet rs = s.executeQuery("select count(*), coalesce(sum(events), 0) from feed_cursor")) {
        rs.next();
        cursors = rs.getLong(1);
        cursorEvents = rs.getLong(2);
      }
      List<String> largest = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("select c.relname, pg_total_relation_size(c.oid) from pg_class c"
          + " join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'"
          + " order by 2 desc limit 6")) {
        while (rs.next()) {
          largest.add(String.format("%s %,.0f", rs.getString(1), count == 0 ? 0 : (double) rs.getLong(2) / count));
        }
      }
      return new PgSizes(database, eventBytes, raw, count, min, max, cursors, cursorEvents, String.join(", ", largest),
          walPosition() - walStart);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot measure " + t.url(), e);
    }
  }

  /** The size rows of a PostgreSQL run, and the raw log check: {@code expected} events, seq 1..expected. */
  private void pgRows(PgSizes p, String when, long expected) {
    long grown = p.databaseBytes() - pgEmptyBytes;
    row("  database on disk", String.format("%,.0f bytes / event", (double) grown / expected),
        String.format("pg_database_size %,d - %,d (empty, migrated) = %,d bytes (%s); total size per event of the"
            + " largest tables: %s", p.databaseBytes(), pgEmptyBytes, grown, when, p.largest()));
    row("  raw log", String.format("%,.0f bytes / event received", (double) p.rawBytes() / expected),
        String.format("sum of octet_length(raw_bytes); the table event on disk (heap + TOAST + indexes): %,.0f bytes"
            + " / event", (double) p.eventBytes() / expected));
    row("  WAL written", String.format("%,.0f bytes / event", (double) p.walBytes() / expected),
        String.format("%,d bytes: pg_current_wal_insert_lsn over the run, whole cluster (runs are sequential)",
            p.walBytes()));
    boolean ok = p.count() == expected && (expected == 0 || p.minSeq() == 1 && p.maxSeq() == expected);
    checkFailed |= !ok;
    row("  raw log check", String.format("%s: %,d events, seq %,d..%,d", ok ? "OK" : "FAILED", p.count(), p.minSeq(),
            p.maxSeq()),
        String.format("expected %,d events and seq 1..%,d (seq is unique: gapless); %d cursor row(s) counting %,d"
            + " events", expected, expected, p.cursorRows(), p.cursorEvents()));
  }

  /** The generated events as received ({@link ReceivedEvent#of}), in batches of {@code batch}, in feed order. */
  private List<List<ReceivedEvent>> receivedBatches(List<JsonObject> generated) {
    List<List<ReceivedEvent>> batches = new ArrayList<>();
    for (int i = 0; i < generated.size(); i += batch) {
      batches.add(generated.subList(i, Math.min(generated.size(), i + batch)).stream().map(ReceivedEvent::of)
          .toList());
    }
    return batches;
  }

  /**
   * {@code daemons} {@link ArchiveDatabase} + {@link Archive} pairs on the database of {@code t}, daemon ids
   * bench-0, bench-1, ...; daemon d's slot s runs on its own thread and stores batch i when
   * i mod (daemons x slotsEach) = d x slotsEach + s, with ack id ack-i, in order. The clock runs from the start of the
   * threads (every database open and migrated) until the last store returned. {@code prefix} starts the label.
   */
  private Run storeRun(List<List<ReceivedEvent>> batches, Target t, int daemons, int slotsEach, String prefix)
      throws Exception {
    int threads = daemons * slotsEach;
    String label = prefix + daemons + " daemon" + (daemons > 1 ? "s" : "") + " x " + slotsEach + " slot"
        + (slotsEach > 1 ? "s" : "") + ", Archive.store on " + threads + " thread" + (threads > 1 ? "s" : "");
    List<ArchiveDatabase> dbs = new ArrayList<>();
    try {
      List<Archive> archives = new ArrayList<>();
      for (int d = 0; d < daemons; d++) {
        ArchiveDatabase db = ArchiveDatabase.postgresql(t.url(), pg.user(), pg.password(), "bench-" + d);
        dbs.add(db);
        archives.add(new Archive(db));
      }
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      List<java.util.concurrent.Future<long[]>> results = new ArrayList<>();
      for (int k = 0; k < threads; k++) {
        int thread = k;
        Archive archive = archives.get(k / slotsEach);
        int slot = k % slotsEach;
        results.add(pool.submit(() -> {
          go.await();
          long stored = 0;
          long nanos = 0;
          for (int i = thread; i < batches.size(); i += threads) {
            long s0 = System.nanoTime();
            stored += archive.store("bench", slot, batches.get(i), "ack-" + i).stored();
            nanos += System.nanoTime() - s0;
          }
          return new long[] {stored, nanos};
        }));
      }
      long wal0 = walPosition();
      long t0 = System.nanoTime();
      go.countDown();
      long stored = 0;
      long storeNanos = 0;
      try {
        for (java.util.concurrent.Future<long[]> f : results) {
          long[] r = f.get();
          stored += r[0];
          storeNanos += r[1];
        }
      } finally {
        pool.shutdownNow();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      int expected = batches.stream().mapToInt(List::size).sum();
      if (stored != expected) {
        throw new IllegalStateException(label + ": stored " + stored + " events, expected " + expected);
      }
      long tx = 0;
      long committed = 0;
      List<String> perDaemon = new ArrayList<>();
      for (int d = 0; d < daemons; d++) {
        Archive.CommitStats c = archives.get(d).commitStats();
        tx += c.transactions();
        committed += c.batches();
        perDaemon.add(String.format("bench-%d %,d tx / %,d batches", d, c.transactions(), c.batches()));
      }
      PgSizes sizes = pgSizes(t, wal0);
      String writers = threads + " plain threads, no HTTP" + (daemons > 1 ? " (" + String.join(", ", perDaemon)
          + "; the daemons' transactions serialize on the counter row)" : "");
      Run run = new Run(label, seconds, storeNanos, new Archive.CommitStats(tx, committed),
          sizes.databaseBytes() - pgEmptyBytes, null, 0, sizes, writers);
      System.out.printf("bench: %s: %,.0f events/s, %s%n", label, run.rate(expected), run.commits);
      return run;
    } finally {
      for (ArchiveDatabase db : dbs) {
        db.close();
      }
    }
  }

  private static String stringScalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Copies every projected row of the daemon's archive {@code from} into a freshly migrated archive with plain
   * JDBC: per batch of {@code batch} events one transaction with one addBatch insert per table (rows assigned to
   * the batch of their event seq), the counter and cursor updates, commit and, with fsync batch, CHECKPOINT SYNC
   * (on PostgreSQL none: the commit returns once its WAL is flushed). Only the write time is counted. Fails when the
   * schema has a table with rows that is neither copied nor known as not a projection (a new projection table must
   * be added to {@link #TABLES}).
   *
   * @return events per second
   */
  private double baseline(Target from, Target to) throws SQLException {
    long writeNanos = 0;
    long maxSeq;
    try (ArchiveDatabase src = open(from);
         ArchiveDatabase dst = open(to)) {
      DataSource in = DataSources.of(src);
      DataSource out = DataSources.of(dst);
      try (Connection r = in.getConnection(); Connection w = out.getConnection()) {
        checkTablesCovered(r, from.postgresql());
        w.setAutoCommit(false);
        maxSeq = scalar(r, "select max(seq) from event");
        List<List<Object>> spreadStreams = rows(r, "select * from stream");
        List<List<Object>> spreadAttachments = rows(r, "select * from attachment");
        long batches = (maxSeq + batch - 1) / batch;
        Map<String, String> insertSql = new LinkedHashMap<>();
        for (String t : TABLES.keySet()) {
          insertSql.put(t, insertSql(r, t));
        }
        try (Statement ws = w.createStatement()) {
          ws.execute("insert into feed_cursor (tag, slot, ack_id, updated_at) values ('bench', 0, '', current_timestamp)");
          w.commit();
        }
        for (long b = 0; b < batches; b++) {
          long lo = b * batch + 1;
          long hi = lo + batch - 1;
          Map<String, List<List<Object>>> data = new LinkedHashMap<>();
          for (Map.Entry<String, String> t : TABLES.entrySet()) {
            if (t.getValue() != null) {
              data.put(t.getKey(), rows(r, "select * from " + t.getKey() + " where " + t.getValue()
                  + " between " + lo + " and " + hi));
            }
          }
          data.put("attachment", slice(spreadAttachments, b, batches));
          data.put("stream", slice(spreadStreams, b, batches));
          long t0 = System.nanoTime();
          for (Map.Entry<String, List<List<Object>>> t : data.entrySet()) {
            if (t.getValue().isEmpty()) {
              continue;
            }
            try (PreparedStatement ps = w.prepareStatement(insertSql.get(t.getKey()))) {
              for (List<Object> values : t.getValue()) {
                for (int i = 0; i < values.size(); i++) {
                  ps.setObject(i + 1, values.get(i));
                }
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          try (PreparedStatement ps = w.prepareStatement("update archive_counter set next_seq = ? where id = 1")) {
            ps.setLong(1, Math.min(hi, maxSeq) + 1);
            ps.executeUpdate();
          }
          try (PreparedStatement ps = w.prepareStatement(
              "update feed_cursor set ack_id = ?, updated_at = current_timestamp, batches = batches + 1,"
                  + " events = events + ? where tag = 'bench' and slot = 0")) {
            ps.setString(1, "ack-" + b);
            ps.setLong(2, batch);
            ps.executeUpdate();
          }
          w.commit();
          if ("batch".equals(fsync) && !to.postgresql()) {
            try (Statement ws = w.createStatement()) {
              ws.execute("CHECKPOINT SYNC");
            }
          }
          writeNanos += System.nanoTime() - t0;
        }
        long copied = scalar(w, "select count(*) from event");
        if (copied != maxSeq) {
          throw new IllegalStateException("baseline copied " + copied + " events, expected " + maxSeq);
        }
      }
    }
    return maxSeq / (writeNanos / 1e9);
  }

  /** Every table of the current schema that holds rows is copied by the baseline or is not a projection. */
  private static void checkTablesCovered(Connection c, boolean postgresql) throws SQLException {
    Set<String> missing = new TreeSet<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select table_name from"
        + " information_schema.tables where table_schema = '" + (postgresql ? "public" : "PUBLIC")
        + "' and table_type = 'BASE TABLE'")) {
      while (rs.next()) {
        String t = rs.getString(1).toLowerCase(Locale.ROOT);
        if (!TABLES.containsKey(t) && !NOT_PROJECTIONS.contains(t)) {
          missing.add(t);
        }
      }
    }
    for (String t : new ArrayList<>(missing)) {
      if (scalar(c, postgresql ? "select count(*) from " + t
          : "select count(*) from \"" + t.toUpperCase(Locale.ROOT) + "\"") == 0) {
        missing.remove(t);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("the baseline does not copy these tables of the schema: " + missing);
    }
  }

  private static List<List<Object>> slice(List<List<Object>> all, long b, long batches) {
    int from = (int) (all.size() * b / batches);
    int to = (int) (all.size() * (b + 1) / batches);
    return all.subList(from, to);
  }

  private static String insertSql(Connection c, String tableName) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from " + tableName + " where 1=0")) {
      ResultSetMetaData md = rs.getMetaData();
      StringBuilder cols = new StringBuilder();
      StringBuilder qs = new StringBuilder();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        cols.append(i > 1 ? ", " : "").append(md.getColumnName(i));
        qs.append(i > 1 ? ", " : "").append('?');
      }
      return "insert into " + tableName + " (" + cols + ") values (" + qs + ")";
    }
  }

  private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> values = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          values.add(rs.getObject(i));
        }
        out.add(values);
      }
    }
    return out;
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long heapAfterGc() {
    System.gc();
    return usedHeap();
  }

  /** The largest heap in use right after any collection (young ones included) since {@link #resetMaxAfterGc()}. */
  private static final AtomicLong MAX_AFTER_GC = new AtomicLong();

  static {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
          }
          GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
          long used = 0;
          for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? info.getMemoryUsageAfterGc().get(pool.getName()) : null;
            used += after == null ? 0 : after.getUsed();
          }
          MAX_AFTER_GC.accumulateAndGet(used, Math::max);
        }, null, null);
      }
    }
  }

  private static void resetMaxAfterGc() {
    MAX_AFTER_GC.set(0);
  }

  /** @return the largest heap in use right after a collection since the last reset */
  private static long heapAfterLastGc() {
    return MAX_AFTER_GC.get();
  }

  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }

  private void row(String what, String value, String note) {
    table.add(new String[] {what, value, note});
    System.out.printf("bench: %-44s %-32s %s%n", what, value, note);
  }

  private void print(String args) {
    Runtime rt = Runtime.getRuntime();
    System.out.println();
    System.out.printf(Locale.ROOT, "Machine: %d cores, %,d MB RAM (%s), JVM max heap %,d MB, Java %s, %s; "
            + "load average (1/5/15 min) %s at start, %s at end%n",
        rt.availableProcessors(), totalRamMb(), System.getProperty("os.name"), rt.maxMemory() >> 20,
        System.getProperty("java.version"), (pgInfo == null ? "fsync " + fsync : pgInfo) + ", batch " + batch,
        loadAtStart, loadAverage());
    System.out.println();
    System.out.println("| measure | result | note |");
    System.out.println("|---|---|---|");
    for (String[] r : table) {
      System.out.printf("| %s | %s | %s |%n", r[0].strip(), r[1], r[2]);
    }
    System.out.println();
    String flags = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
    System.out.println("Reproduce: java " + (flags.isEmpty() ? "" : flags + " ")
        + "-cp target/test-classes:target/classes:$(cat target/bench.cp) "
        + IngestBench.class.getName() + (args.isEmpty() ? "" : " " + args));
  }

  static long totalRamMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }
}
