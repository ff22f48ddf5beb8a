package io.datahose.archiver.cli;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.capture.Pem;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.officer.OfficerStore;
import io.datahose.archiver.officer.OfficerTokens;
import io.datahose.archiver.simulator.SimulatorOptions;
import io.datahose.archiver.simulator.SymphonySimulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code demo}: no configuration needed. Starts the simulator on loopback producing a steady, realistic
 * stream of all event types, runs the daemon against it with an archive under {@code ./demo-data/}, and
 * prints progress every few seconds until Ctrl-C (or {@code --events N} are archived).
 */
@Command(name = "demo", description = "Run the daemon against a built-in simulated Symphony pod.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--dir", defaultValue = "./demo-data", description = "where the demo archive lives (default ${DEFAULT-VALUE})")
  Path dir;

  @Option(names = "--rate", defaultValue = "500", description = "events per second the simulated pod produces (default ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--readers", defaultValue = "1", description = "reader slots (default ${DEFAULT-VALUE})")
  int readers;

  @Option(names = "--events", defaultValue = "0", description = "stop after this many events are archived (0 = run until Ctrl-C)")
  long stopAfter;

  @Option(names = "--port", defaultValue = "8080", description = "port of the query API (default ${DEFAULT-VALUE})")
  int httpPort;

  @Override
  public Integer call() throws Exception {
    io.datahose.archiver.evidence.PrivateFiles.ensureDirectory(dir);
    KeyPair keys = rsaKeys();
    Path keyFile = dir.resolve("demo-bot.pem");
    Pem.writePrivateKeyPkcs8(keys.getPrivate(), keyFile);

    Vertx simVertx = Vertx.vertx();
    SymphonySimulator simulator;
    Daemon daemon;
    try {
      simulator = SymphonySimulator.start(simVertx, SimulatorOptions.builder()
          .botUsername("demo-bot").rsaPublicKey(keys.getPublic()).build()).await();
      AppConfig config = AppConfig.fromJson(overrides(simulator.baseUrl(), keyFile), "demo");
      daemon = Daemon.start(config);
    } catch (RuntimeException e) {
      simVertx.close().await();
      System.err.println("datahose-archiver: demo cannot start: " + StartupFailure.describe(e));
      return 1;
    }
    simulator.startSteady(simVertx, rate);
    System.out.printf("demo: simulated Symphony pod at %s producing ~%d events/s%n", simulator.baseUrl(), rate);
    System.out.printf("demo: archiving into %s with %d reader slot(s)%n", dir.resolve("archive.mv.db").toAbsolutePath(), readers);
    String token = OfficerTokens.generate();
    new OfficerStore(daemon.database().dsl()).reissue("demo", "officer", OfficerTokens.hash(token));
    System.out.printf("demo: the query API listens on http://127.0.0.1:%d/api/v1 (officer \"demo\"), try:%n",
        daemon.apiPort());
    System.out.printf("  curl -s -H 'Authorization: Bearer %s' 'http://127.0.0.1:%d/api/v1/messages?q=%%24AAPL&limit=5'%n",
        token, daemon.apiPort());
    String adminToken = OfficerTokens.generate();
    new OfficerStore(daemon.database().dsl()).reissue("demo-admin", "admin", OfficerTokens.hash(adminToken));
    System.out.printf("demo: health and an online backup (admin \"demo-admin\"):%n  curl -s http://127.0.0.1:%d/health%n"
        + "  curl -s -X POST -H 'Authorization: Bearer %s' http://127.0.0.1:%d/api/v1/admin/backups%n",
        daemon.apiPort(), adminToken, daemon.apiPort());
    System.out.printf("demo: the officer web UI is at http://127.0.0.1:%d/ — sign in with the officer token %s "
        + "(search, conversations, export, capture coverage) or the admin token %s (officers, backups)%n",
        daemon.apiPort(), token, adminToken);
    AtomicBoolean done = new AtomicBoolean();
    Progress progress = new Progress(daemon, stopAfter, done);
    // Progress queries the archive (blocking JDBC), so it runs on its own thread, not on an event loop.
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "demo-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(progress::print, 5, 5, TimeUnit.SECONDS);
    AutoCloseable shutdown = () -> {
      ticker.shutdownNow();
      simulator.stopSteady();
      progress.printFinal();
      daemon.close();
      simVertx.close().await();
    };
    if (stopAfter > 0) {
      progress.awaitDone();
      shutdown.close();
      return 0;
    }
    RunCommand.awaitShutdown(shutdown);
    return 0;
  }

  private JsonObject overrides(String baseUrl, Path keyFile) {
    return new JsonObject()
        .put("symphony", new JsonObject()
            .put("pod", new JsonObject().put("url", baseUrl))
            .put("bot", new JsonObject().put("username", "demo-bot").put("privateKey", keyFile.toString())))
        .put("datahose", new JsonObject().put("readers", readers).put("eventTypes", new JsonArray(
            io.datahose.archiver.symphony.EventTypes.ALL)))
        .put("database", new JsonObject().put("path", dir.resolve("archive").toString()))
        .put("backup", new JsonObject().put("dir", dir.resolve("backups").toString()))
        .put("http", new JsonObject().put("port", httpPort));
  }

  private static KeyPair rsaKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Progress lines: events archived, per second, per type. */
  private static final class Progress {
    private final Daemon daemon;
    private final long stopAfter;
    private final AtomicBoolean done;
    private final long started = System.nanoTime();
    private long lastCount;
    private long lastTime = System.nanoTime();
    private int ticks;

    Progress(Daemon daemon, long stopAfter, AtomicBoolean done) {
      this.daemon = daemon;
      this.stopAfter = stopAfter;
      this.done = done;
    }

    synchronized void print() {
      long count = daemon.status().stored();
      long now = System.nanoTime();
      double rate = (count - lastCount) / ((now - lastTime) / 1e9);
      lastCount = count;
      lastTime = now;
      System.out.printf("demo: %,d events archived (%.0f/s), capture %s%n", count, rate,
          daemon.status().up() ? "UP" : "not UP");
      if (++ticks % 6 == 0) {
        System.out.println("demo:   by type: " + daemon.archive().countByType());
      }
      if (stopAfter > 0 && count >= stopAfter) {
        done.set(true);
        notifyAll();
      }
    }

    synchronized void awaitDone() throws InterruptedException {
      while (!done.get()) {
        wait(1000);
        if (daemon.status().stored() >= stopAfter) {
          done.set(true);
        }
      }
    }

    void printFinal() {
      long count = daemon.status().stored();
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("demo: stopped after %.1f s: %,d events archived, %.0f events/s on average%n",
          seconds, count, count / seconds);
      Map<String, Long> byType = daemon.archive().countByType();
      byType.forEach((type, n) -> System.out.printf("demo:   %-28s %,d%n", type, n));
    }
  }

}
