package io.datahose.archiver.testing;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.simulator.SimulatorOptions;
import io.datahose.archiver.simulator.SymphonySimulator;
import io.datahose.archiver.symphony.EventTypes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated Symphony pod on a loopback port for one test, with the bot's RSA key written to a temp
 * dir, and daemon configurations pointing at it with test-sized retry intervals.
 */
public final class TestPod implements AutoCloseable {

  public static final String BOT = "archiver-bot";

  private final Vertx vertx;
  private final SymphonySimulator simulator;
  private final Path keyFile;
  private final Path dir;

  private TestPod(Vertx vertx, SymphonySimulator simulator, Path keyFile, Path dir) {
    this.vertx = vertx;
    this.simulator = simulator;
    this.keyFile = keyFile;
    this.dir = dir;
  }

  /** Starts a pod with the given redelivery delay and batch size. */
  public static TestPod start(Path dir, Duration visibilityTimeout, int batchSize) {
    KeyPair keys = TestKeys.rsa();
    Path keyFile = TestKeys.writePrivateKey(keys, dir, false);
    Vertx vertx = Vertx.vertx();
    SymphonySimulator simulator = SymphonySimulator.start(vertx, SimulatorOptions.builder()
        .botUsername(BOT)
        .rsaPublicKey(keys.getPublic())
        .visibilityTimeout(visibilityTimeout)
        .longPoll(Duration.ofMillis(200))
        .batchSize(batchSize)
        .build()).await();
    return new TestPod(vertx, simulator, keyFile, dir);
  }

  public SymphonySimulator simulator() {
    return simulator;
  }

  /** @return the Vert.x instance the simulator runs on */
  public Vertx vertx() {
    return vertx;
  }

  public Path keyFile() {
    return keyFile;
  }

  /** @return a daemon configuration for this pod: all 17 types, fast retries, archive at {@code dir/archive} */
  public AppConfig config(int readers) {
    return config(readers, new JsonObject());
  }

  /** @return {@link #config(int)} with {@code overrides} deep-merged on top */
  public AppConfig config(int readers, JsonObject overrides) {
    JsonObject json = new JsonObject()
        .put("symphony", new JsonObject()
            .put("pod", new JsonObject().put("url", simulator.baseUrl()))
            .put("bot", new JsonObject().put("username", BOT).put("privateKey", keyFile.toString())))
        .put("datahose", new JsonObject()
            .put("readers", readers)
            .put("eventTypes", new JsonArray(EventTypes.ALL))
            .put("readTimeout", "1s")
            .put("retry", new JsonObject().put("initialInterval", "10ms").put("maxInterval", "100ms")
                .put("fatalInterval", "200ms")))
        .put("database", TestDatabases.config(dir.resolve("archive")))
        .put("http", new JsonObject().put("port", 0));
    return AppConfig.fromJson(json.mergeIn(overrides, true), "test");
  }

  /** @return how many rows of the raw log carry each event hash */
  public static Map<String, Integer> archivedHashes(ArchiveDatabase database) {
    Map<String, Integer> counts = new HashMap<>();
    database.dsl().fetch("select sha256 from event").forEach(r -> counts.merge(r.get(0, String.class), 1, Integer::sum));
    return counts;
  }

  /**
   * @return how many rows of the raw log carry each simulator event (id, type, timestamp), read from the stored
   * bytes. The simulator stamps every generated event with its own id, so this is a ground truth that does not go through our
   * identity hash: an event stored twice under two hashes (a re-spelling that dedup missed) counts 2 here, where
   * {@link #archivedHashes} (one row per hash by {@code UNIQUE (sha256)}) can only ever say 1.
   */
  public static Map<String, Integer> archivedEventIds(ArchiveDatabase database) {
    Map<String, Integer> counts = new HashMap<>();
    database.dsl().fetch("select raw_bytes, raw_bytes_large from event").forEach(r -> {
      byte[] raw = r.get(0, byte[].class) != null ? r.get(0, byte[].class) : r.get(1, byte[].class);
      JsonObject event = new JsonObject(new String(raw, java.nio.charset.StandardCharsets.UTF_8));
      // the generator gives a room's ROOMCREATED and its creator's USERJOINEDROOM one id: key by id, type and time
      counts.merge(event.getValue("id") + "|" + event.getValue("type") + "|" + event.getValue("timestamp"), 1,
          Integer::sum);
    });
    return counts;
  }

  /**
   * Checks what can fail when an event is lost or doubled: each simulator id archived once, and the feed cursors'
   * stored-event counters add up to the rows of the raw log.
   */
  public static void assertNothingDoubled(ArchiveDatabase database) {
    Map<String, Integer> ids = archivedEventIds(database);
    List<String> doubled = ids.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList();
    if (!doubled.isEmpty()) {
      StringBuilder rows = new StringBuilder();
      database.dsl().fetch("select seq, sha256, raw_sha256, raw_bytes from event").forEach(r -> {
        String text = new String(r.get(3, byte[].class), java.nio.charset.StandardCharsets.UTF_8);
        if (text.contains("\"" + doubled.get(0).split("\\|")[0] + "\"")) {
          rows.append("\n  seq ").append(r.get(0)).append(" sha256 ").append(r.get(1)).append(": ")
              .append(text, 0, Math.min(400, text.length()));
        }
      });
      throw new AssertionError("simulator event ids archived more than once: " + doubled + "; rows of the first:" + rows);
    }
    long rows = database.dsl().fetch("select count(*) from event").get(0).get(0, Long.class);
    long counted = database.dsl().fetch("select coalesce(sum(events), 0) from feed_cursor").get(0).get(0, Long.class);
    if (counted != rows) {
      throw new AssertionError("feed_cursor.events add up to " + counted + " but the raw log holds " + rows + " rows");
    }
  }

  /** @return the hashes of {@code events} */
  public static List<String> hashes(List<JsonObject> events) {
    return events.stream().map(io.datahose.archiver.symphony.EventIdentity::of).toList();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
