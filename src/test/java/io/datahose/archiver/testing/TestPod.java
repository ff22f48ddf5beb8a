package io.datahose.archiver.testing;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.config.EventTypes;
import io.datahose.archiver.simulator.SimulatorOptions;
import io.datahose.archiver.simulator.SymphonySimulator;
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
        .put("database", new JsonObject().put("path", dir.resolve("archive").toString()).put("fsync", "never"))
        .put("http", new JsonObject().put("port", 0));
    return AppConfig.fromJson(json.mergeIn(overrides, true), "test");
  }

  /** @return how many rows of the raw log carry each event hash */
  public static Map<String, Integer> archivedHashes(ArchiveDatabase database) {
    Map<String, Integer> counts = new HashMap<>();
    database.dsl().fetch("select sha256 from event").forEach(r -> counts.merge(r.get(0, String.class), 1, Integer::sum));
    return counts;
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
