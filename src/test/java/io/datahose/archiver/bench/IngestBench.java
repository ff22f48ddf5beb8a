package io.datahose.archiver.bench;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.config.EventTypes;
import io.datahose.archiver.simulator.EventGenerator;
import io.datahose.archiver.simulator.SimulatorOptions;
import io.datahose.archiver.simulator.SymphonySimulator;
import io.datahose.archiver.symphony.Pem;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 6, parts 1, 2 and 4: ingest throughput of the real daemon over loopback HTTP (1 and 4 reader slots)
 * against a plain-JDBC baseline writing the very rows the daemon projected, catch-up of a backlog (time, heap,
 * RSS), start-up time on that archive and its size per million events. Not part of {@code mvn verify}; run:
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat target/bench.cp) io.datahose.archiver.bench.IngestBench
 * </pre>
 * Options: {@code --events N} (ingest, default 200000), {@code --catchup N} (default 1000000, 0 = skip),
 * {@code --catchup-readers N} (default 4), {@code --batch N} (default 100), {@code --fsync batch|never},
 * {@code --dir D} (default target/bench), {@code --seed N}.
 */
public final class IngestBench {

  /** Tables the baseline copies, with the column that assigns a row to its batch (null: spread evenly). */
  private static final Map<String, String> TABLES = new LinkedHashMap<>();

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

  private int events = 200_000;
  private int catchup = 1_000_000;
  private int catchupReaders = 4;
  private int batch = 100;
  private String fsync = "batch";
  private Path dir = Path.of("target/bench");
  private long seed = 42;
  private final List<String[]> table = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    IngestBench bench = new IngestBench();
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--events" -> bench.events = Integer.parseInt(v);
        case "--catchup" -> bench.catchup = Integer.parseInt(v);
        case "--catchup-readers" -> bench.catchupReaders = Integer.parseInt(v);
        case "--batch" -> bench.batch = Integer.parseInt(v);
        case "--fsync" -> bench.fsync = v;
        case "--dir" -> bench.dir = Path.of(v);
        case "--seed" -> bench.seed = Long.parseLong(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    bench.run(String.join(" ", args));
    System.exit(0);
  }

  private void run(String args) throws Exception {
    Files.createDirectories(dir);
    KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    Path keyFile = dir.resolve("bench-bot.pem");
    Files.deleteIfExists(keyFile);
    Pem.writePrivateKeyPkcs8(keys.getPrivate(), keyFile);

    if (events > 0) {
      List<JsonObject> generated = new EventGenerator(seed).next(events);
      long bytes = generated.stream().mapToLong(e -> e.encode().length()).sum();
      row("events generated", String.format("%,d (all 17 types, avg %,d chars of JSON)", events, bytes / events), "");
      Path one = null;
      double oneRate = 0;
      for (int readers : new int[] {1, 4}) {
        Path archive = fresh("ingest-" + readers);
        Run r = ingest(keys, keyFile, archive, readers, generated);
        double rate = events / r.seconds;
        row("daemon, " + readers + " reader slot" + (readers > 1 ? "s" : ""), String.format("%,.0f events/s", rate),
            String.format("%,d events in %.1f s", events, r.seconds));
        if (readers == 1) {
          one = archive;
          oneRate = rate;
          double store = r.storeNanos / 1e9;
          row("  1 slot: read / store split", String.format("%.0f%% read / %.0f%% store", 100 * (r.seconds - store) / r.seconds,
              100 * store / r.seconds), String.format("store %.1f s of %.1f s (HTTP read + JSON = the rest)", store, r.seconds));
        }
        if (readers == 4) {
          double base = baseline(one, fresh("baseline"));
          row("baseline: plain JDBC addBatch", String.format("%,.0f events/s", base),
              "same rows as the 1-slot daemon archive, 1 tx per " + batch + " events"
                  + ("batch".equals(fsync) ? " + CHECKPOINT SYNC" : ""));
          row("ratio daemon / baseline, 1 slot", String.format("%.2f", oneRate / base), "");
          row("ratio daemon / baseline, 4 slots", String.format("%.2f", rate / base), "target >= 0.8");
        }
      }
      generated = null;
    }
    if (catchup > 0) {
      catchup(keys, keyFile);
    }
    print(args);
  }

  private record Run(double seconds, long storeNanos) {
  }

  private Run ingest(KeyPair keys, Path keyFile, Path archive, int readers, List<JsonObject> generated) {
    Vertx vertx = Vertx.vertx();
    try {
      SymphonySimulator sim = SymphonySimulator.start(vertx, SimulatorOptions.builder().botUsername("bench-bot")
          .rsaPublicKey(keys.getPublic()).batchSize(batch).build()).await();
      sim.publish(generated);
      long t0 = System.nanoTime();
      try (Daemon daemon = Daemon.start(config(sim, keyFile, archive, readers))) {
        while (daemon.status().stored() < generated.size()) {
          Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long storeNanos = daemon.status().slots().values().stream().mapToLong(s -> s.storeNanos()).sum();
        return new Run(seconds, storeNanos);
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    } finally {
      vertx.close().await();
    }
  }

  private void catchup(KeyPair keys, Path keyFile) throws Exception {
    Path archive = fresh("catchup");
    Vertx vertx = Vertx.vertx();
    SymphonySimulator sim = SymphonySimulator.start(vertx, SimulatorOptions.builder().botUsername("bench-bot")
        .rsaPublicKey(keys.getPublic()).batchSize(batch).build()).await();
    EventGenerator generator = new EventGenerator(seed + 1);
    for (int done = 0; done < catchup; done += 50_000) {
      sim.publish(generator.next(Math.min(50_000, catchup - done)));
    }
    long simHeap = heapAfterGc();
    long t0 = System.nanoTime();
    AppConfig config = config(sim, keyFile, archive, catchupReaders);
    try (Daemon daemon = Daemon.start(config)) {
      while (daemon.status().stored() < catchup) {
        Thread.sleep(20);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long heapUsed = usedHeap();
      long heapAfterGc = heapAfterGc();
      row(String.format("catch-up %,d events, %d slots", catchup, catchupReaders),
          String.format("%.1f s (%,.0f events/s)", seconds, catchup / seconds), "");
      row("  heap used at end (before / after GC)", String.format("%,d / %,d MB", heapUsed >> 20, heapAfterGc >> 20),
          String.format("incl. the in-process simulator's feed: %,d MB after GC before the daemon started", simHeap >> 20));
      row("  RSS at end (VmRSS, whole JVM)", String.format("%,d MB", rssKb() >> 10), "daemon + simulator + backlog");
    }
    long bytes = Files.size(Path.of(archive + ".mv.db"));
    row("archive size on disk", String.format("%,.0f MB per million events", bytes / 1e6 / catchup * 1e6),
        String.format("%,d bytes for %,d events", bytes, catchup));
    for (int i = 0; i < 3; i++) {
      long s0 = System.nanoTime();
      Daemon daemon = Daemon.start(config);
      double ms = (System.nanoTime() - s0) / 1e6;
      daemon.close();
      row("start-up to ready (run " + (i + 1) + ")", String.format("%.0f ms", ms),
          "Daemon.start on that archive: open + Flyway check + deploy readers");
    }
    vertx.close().await();
    long c0 = System.nanoTime();
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + archive.toAbsolutePath(), "sa", "");
         Statement s = c.createStatement()) {
      s.execute("SHUTDOWN COMPACT");
    }
    long compacted = Files.size(Path.of(archive + ".mv.db"));
    row("archive size after SHUTDOWN COMPACT", String.format("%,.0f MB per million events", compacted / 1e6 / catchup * 1e6),
        String.format("%,d bytes; compaction took %.1f s (offline)", compacted, (System.nanoTime() - c0) / 1e9));
  }

  private AppConfig config(SymphonySimulator sim, Path keyFile, Path archive, int readers) {
    JsonObject json = new JsonObject()
        .put("symphony", new JsonObject()
            .put("pod", new JsonObject().put("url", sim.baseUrl()))
            .put("bot", new JsonObject().put("username", "bench-bot").put("privateKey", keyFile.toString())))
        .put("datahose", new JsonObject().put("readers", readers).put("eventTypes", new JsonArray(EventTypes.ALL)))
        .put("database", new JsonObject().put("path", archive.toString()).put("fsync", fsync));
    return AppConfig.fromJson(json, "bench");
  }

  private Path fresh(String name) throws Exception {
    Path base = dir.resolve(name);
    for (String suffix : new String[] {".mv.db", ".trace.db", ".lock.db"}) {
      Files.deleteIfExists(Path.of(base + suffix));
    }
    return base;
  }

  /**
   * Copies every projected row of the daemon's archive {@code from} into a freshly migrated archive with plain
   * JDBC: per batch of {@code batch} events one transaction with one addBatch insert per table (rows assigned to
   * the batch of their event seq), the cursor update, commit and, with fsync batch, CHECKPOINT SYNC. Only the
   * write time is counted.
   *
   * @return events per second
   */
  private double baseline(Path from, Path to) throws SQLException {
    long writeNanos = 0;
    try (ArchiveDatabase src = ArchiveDatabase.open(from, false);
         ArchiveDatabase dst = ArchiveDatabase.open(to, false)) {
      DataSource in = src.dataSource();
      DataSource out = dst.dataSource();
      try (Connection r = in.getConnection(); Connection w = out.getConnection()) {
        w.setAutoCommit(false);
        long maxSeq = scalar(r, "select max(seq) from event");
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
          try (PreparedStatement ps = w.prepareStatement(
              "update feed_cursor set ack_id = ?, updated_at = current_timestamp, batches = batches + 1,"
                  + " events = events + ? where tag = 'bench' and slot = 0")) {
            ps.setString(1, "ack-" + b);
            ps.setLong(2, batch);
            ps.executeUpdate();
          }
          w.commit();
          if ("batch".equals(fsync)) {
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
    return events / (writeNanos / 1e9);
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

  static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  private void row(String what, String value, String note) {
    table.add(new String[] {what, value, note});
    System.out.printf("bench: %-40s %-28s %s%n", what, value, note);
  }

  private void print(String args) {
    Runtime rt = Runtime.getRuntime();
    System.out.println();
    System.out.printf(Locale.ROOT, "Machine: %d cores, %,d MB RAM (%s), JVM max heap %,d MB, Java %s, %s%n",
        rt.availableProcessors(), totalRamMb(), System.getProperty("os.name"), rt.maxMemory() >> 20,
        System.getProperty("java.version"), "fsync " + fsync + ", batch " + batch);
    System.out.println();
    System.out.println("| measure | result | note |");
    System.out.println("|---|---|---|");
    for (String[] r : table) {
      System.out.printf("| %s | %s | %s |%n", r[0].strip(), r[1], r[2]);
    }
    System.out.println();
    System.out.println("Reproduce: java -Xmx" + (rt.maxMemory() >> 20) + "m -cp target/test-classes:target/classes:$(cat target/bench.cp) "
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
