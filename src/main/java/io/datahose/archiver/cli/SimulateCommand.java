package io.datahose.archiver.cli;

import io.datahose.archiver.config.Durations;

import io.datahose.archiver.capture.Pem;
import io.datahose.archiver.simulator.EventGenerator;
import io.datahose.archiver.simulator.Fault;
import io.datahose.archiver.simulator.FaultPlan;
import io.datahose.archiver.simulator.Ledger;
import io.datahose.archiver.simulator.SimulatorOptions;
import io.datahose.archiver.simulator.SymphonySimulator;
import io.datahose.archiver.symphony.EventType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code simulate}: the Symphony simulator alone (pod, key manager and Agent on one loopback port), for
 * manual tests, the crash harness and benchmarks. Runs until stopped.
 *
 * <p>Its {@link Ledger} is served on a second loopback port ({@code --ledger-port}) as
 * {@code GET /_ledger} (counts) and {@code GET /_ledger?hashes=true} (counts plus the SHA-256 of every event
 * generated, delivered intact, acknowledged and sent only truncated, and every batch served with its ackId).
 * Both addresses are printed on stdout at start:
 * {@code simulator listening on http://127.0.0.1:P} and {@code ledger listening on http://127.0.0.1:Q/_ledger}.
 */
@Command(name = "simulate", description = "Serve a simulated Symphony pod + key manager + Agent on loopback.")
final class SimulateCommand implements Callable<Integer> {


  @Option(names = "--port", defaultValue = "0", description = "port (0 = any free port; default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--ledger-port", defaultValue = "0",
      description = "loopback port of GET /_ledger (0 = any free port; default ${DEFAULT-VALUE})")
  int ledgerPort;

  @Option(names = "--public-key", required = true, description = "the bot's RSA public key (PEM) or private key (PEM)")
  Path publicKey;

  @Option(names = "--bot-username", defaultValue = "archiver-bot", description = "service account name (default ${DEFAULT-VALUE})")
  String botUsername;

  @Option(names = "--rate", defaultValue = "0", description = "events per second to generate (default ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--preload", defaultValue = "0", description = "events queued before the first read")
  int preload;

  @Option(names = "--stop-after", defaultValue = "0",
      description = "stop generating after this many events in all (preload included), then stay idle; 0 = never")
  long stopAfter;

  @Option(names = "--fault-rate", defaultValue = "0", description = "probability of a fault per read, 0..1")
  double faultRate;

  @Option(names = "--faults", split = ",", description = "faults the random mode picks from (default: "
      + "HTTP_500,HTTP_503,HTTP_429,HTTP_401,SLOW,DROP_CONNECTION,TRUNCATED_JSON,REDELIVER_ACKED)")
  List<Fault> faultChoices;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the event generator and the faults")
  long seed;

  @Option(names = "--visibility-timeout", defaultValue = "30s", description = "redelivery delay of unacknowledged batches")
  String visibilityTimeout;

  @Option(names = "--long-poll", defaultValue = "20s", description = "how long an empty read waits for events")
  String longPoll;

  @Option(names = "--slow-delay", defaultValue = "2m", description = "answer delay of the SLOW fault")
  String slowDelay;

  @Option(names = "--batch-size", defaultValue = "100", description = "maximum events per read response")
  int batchSize;

  @Option(names = "--message-bytes", defaultValue = "0",
      description = "pad the PresentationML of every MESSAGESENT to about this many bytes (0 = as generated)")
  int messageBytes;

  @Option(names = "--wire-variants", defaultValue = "0",
      description = "share of served events (0..1) spelled differently on the wire: escapes, spacing, exponents, key "
          + "order; redeliveries are re-spelled (default ${DEFAULT-VALUE})")
  double wireVariants;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    SymphonySimulator simulator;
    HttpServer ledgerServer;
    try {
      simulator = SymphonySimulator.start(vertx, SimulatorOptions.builder()
          .port(port)
          .botUsername(botUsername)
          .rsaPublicKey(Pem.readPublicKey(publicKey))
          .visibilityTimeout(duration(visibilityTimeout, "--visibility-timeout"))
          .longPoll(duration(longPoll, "--long-poll"))
          .slowDelay(duration(slowDelay, "--slow-delay"))
          .batchSize(batchSize)
          .eventSeed(seed)
          .wireVariants(wireVariants)
          .build()).await();
      Generation generation = new Generation(simulator, stopAfter, messageBytes);
      ledgerServer = vertx.createHttpServer()
          .requestHandler(request -> serveLedger(request, simulator.ledger(), generation))
          .listen(ledgerPort, "127.0.0.1").await();
      if (preload > 0) {
        generation.publish(preload);
      }
      if (faultRate > 0) {
        simulator.faults().random(seed, faultRate,
            faultChoices == null || faultChoices.isEmpty() ? FaultPlan.TRANSIENT : faultChoices);
      }
      if (rate > 0) {
        generation.steady(vertx, rate);
      }
    } catch (RuntimeException e) {
      vertx.close().await();
      System.err.println("datahose-archiver: simulator cannot start: " + StartupFailure.describe(e));
      return 1;
    }
    System.out.println("simulator listening on " + simulator.baseUrl());
    System.out.println("ledger listening on http://127.0.0.1:" + ledgerServer.actualPort() + "/_ledger");
    System.out.flush();
    RunCommand.awaitShutdown(() -> vertx.close().await());
    return 0;
  }

  /** Publishes generated events, at most {@code stopAfter} in all (0 = unlimited). */
  private static final class Generation {
    private final SymphonySimulator simulator;
    private final long stopAfter;
    private final int messageBytes;
    private final AtomicLong published = new AtomicLong();
    private final AtomicBoolean steady = new AtomicBoolean();
    private double owed;

    Generation(SymphonySimulator simulator, long stopAfter, int messageBytes) {
      this.simulator = simulator;
      this.stopAfter = stopAfter;
      this.messageBytes = messageBytes;
    }

    synchronized void publish(long wanted) {
      long n = stopAfter > 0 ? Math.min(wanted, stopAfter - published.get()) : wanted;
      while (n > 0) {
        int chunk = (int) Math.min(n, 10_000);
        List<JsonObject> events = simulator.generator().next(chunk);
        if (messageBytes > 0) {
          events.forEach(this::pad);
        }
        simulator.publish(events);
        published.addAndGet(chunk);
        n -= chunk;
      }
    }

    void steady(Vertx vertx, int eventsPerSecond) {
      steady.set(true);
      vertx.setPeriodic(100, id -> {
        if (done()) {
          vertx.cancelTimer(id);
          steady.set(false);
          return;
        }
        owed += eventsPerSecond / 10.0;
        int n = (int) owed;
        if (n > 0) {
          owed -= n;
          publish(n);
        }
      });
    }

    boolean done() {
      return stopAfter > 0 && published.get() >= stopAfter;
    }

    /** @return true while more events will be generated */
    boolean generating() {
      return steady.get() && !done();
    }

    private void pad(JsonObject event) {
      if (!EventType.MESSAGESENT.wire().equals(event.getString("type"))) {
        return;
      }
      JsonObject message = event.getJsonObject("payload").getJsonObject("messageSent").getJsonObject("message");
      String text = message.getString("message");
      int missing = messageBytes - text.length();
      int at = text.lastIndexOf("</p>");
      if (missing <= 0 || at < 0) {
        return;
      }
      StringBuilder padding = new StringBuilder(missing + 16);
      while (padding.length() < missing) {
        padding.append(" lorem ipsum dolor sit amet");
      }
      message.put("message", text.substring(0, at) + padding + text.substring(at));
    }
  }

  private static void serveLedger(HttpServerRequest request, Ledger ledger, Generation generation) {
    if (!"/_ledger".equals(request.path())) {
      request.response().setStatusCode(404).end();
      return;
    }
    boolean hashes = "true".equals(request.getParam("hashes"));
    Map<String, Object> faults = new TreeMap<>();
    ledger.faultsServed().forEach(f -> faults.merge(f.name(), 1, (a, b) -> (Integer) a + (Integer) b));
    JsonObject json = new JsonObject()
        .put("generating", generation.generating())
        .put("generated", ledger.generatedCount())
        .put("delivered", ledger.deliveredCount())
        .put("acknowledged", ledger.acknowledgedCount())
        .put("truncated", ledger.truncatedCount())
        .put("deliveries", ledger.deliveries())
        .put("reads", ledger.reads())
        .put("acknowledgingReads", ledger.acknowledgingReads())
        .put("sessionAuths", ledger.sessionAuths())
        .put("faults", new JsonObject(faults));
    if (hashes) {
      json.put("generatedHashes", array(ledger.generatedHashes()))
          .put("deliveredHashes", array(ledger.deliveredHashes()))
          .put("servedRawHashes", array(ledger.servedRawHashes()))
          .put("acknowledgedHashes", array(ledger.acknowledgedHashes()))
          .put("truncatedHashes", array(ledger.truncatedHashes()));
      JsonArray batches = new JsonArray();
      ledger.batches().forEach((ackId, events) ->
          batches.add(new JsonObject().put("ackId", ackId).put("events", new JsonArray(new ArrayList<>(events)))));
      json.put("batches", batches);
    }
    request.response().putHeader("Content-Type", "application/json").end(json.toBuffer());
  }

  private static JsonArray array(Collection<String> values) {
    return new JsonArray(new ArrayList<>(values));
  }

  static Duration duration(String text, String option) {
    return Durations.parse(text)
        .orElseThrow(() -> new IllegalArgumentException(option + ": not a duration (500ms, 30s, 5m, 1h): " + text));
  }
}
