package io.datahose.archiver.simulator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-process Symphony pod + key manager + agent for tests and demos: RSA and certificate authentication, the
 * datahose read endpoint (feeds, leases, acknowledgement, redelivery, long poll), extended health, fault injection
 * and a {@link Ledger} of what happened. One HTTP server on 127.0.0.1 run by an internal verticle; all feed state is
 * confined to that verticle's event loop. The public methods are thread-safe and may be called from test threads.
 */
public final class SymphonySimulator {

  private static final Logger LOG = LoggerFactory.getLogger(SymphonySimulator.class);

  private final Vertx vertx;
  private final SimulatorOptions options;
  private final Ledger ledger = new Ledger();
  private final FaultPlan faults = new FaultPlan();
  private final Tokens tokens = new Tokens();
  private final EventGenerator generator;
  private final List<JsonObject> log = new ArrayList<>();
  private final ReadEndpoint reads;
  private final Health health = new Health();
  private final Server server = new Server();
  private volatile Context context;
  private volatile int port;
  private volatile String deploymentId;
  private long steadyTimer = -1;
  private Vertx steadyVertx;

  private SymphonySimulator(Vertx vertx, SimulatorOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.generator = new EventGenerator(options.eventSeed());
    this.reads = new ReadEndpoint(vertx, options, ledger, faults, tokens, log);
  }

  /** Starts a simulator; the future completes once it listens. */
  public static Future<SymphonySimulator> start(Vertx vertx, SimulatorOptions options) {
    SymphonySimulator simulator = new SymphonySimulator(vertx, options);
    return vertx.deployVerticle(simulator.server).map(id -> {
      simulator.deploymentId = id;
      LOG.info("Symphony simulator listening on {}", simulator.baseUrl());
      return simulator;
    });
  }

  public int port() {
    return port;
  }

  /** @return {@code http://127.0.0.1:<port>} ({@code https} when TLS is configured) */
  public String baseUrl() {
    return (options.tls() != null ? "https" : "http") + "://127.0.0.1:" + port;
  }

  public SimulatorOptions options() {
    return options;
  }

  public Ledger ledger() {
    return ledger;
  }

  public FaultPlan faults() {
    return faults;
  }

  /** @return the simulator's generator (not thread-safe beyond its own synchronization; see EventGenerator) */
  public EventGenerator generator() {
    return generator;
  }

  /** Publishes {@code events} to every feed (existing and future ones) and records them as generated. */
  public void publish(List<JsonObject> events) {
    List<JsonObject> copies = events.stream().map(JsonObject::copy).toList();
    ledger.recordGenerated(copies);
    synchronized (log) {
      log.addAll(copies);
    }
    context.runOnContext(v -> reads.wakeAll());
  }

  /** Sets the ceservice status shown by {@code /agent/v3/health/extended} (DOWN → 503). */
  public void setCeservice(boolean up, String message) {
    health.setCeservice(up, message);
  }

  /** Invalidates every session and key-manager token: the next read with them gets 401. */
  public void invalidateTokens() {
    tokens.invalidateAll();
  }

  /** Publishes {@code eventsPerSecond} generated events per second (in 100 ms ticks) until {@link #stopSteady()}. */
  public synchronized void startSteady(Vertx vertx, int eventsPerSecond) {
    stopSteady();
    double[] owed = new double[1];
    steadyVertx = vertx;
    steadyTimer = vertx.setPeriodic(100, id -> {
      owed[0] += eventsPerSecond / 10.0;
      int n = (int) owed[0];
      if (n > 0) {
        owed[0] -= n;
        publish(generator.next(n));
      }
    });
  }

  public synchronized void stopSteady() {
    if (steadyTimer >= 0) {
      steadyVertx.cancelTimer(steadyTimer);
      steadyTimer = -1;
    }
  }

  /** Stops publishing, drops waiting reads without an answer and closes the server (and its connections). */
  public Future<Void> close() {
    stopSteady();
    if (deploymentId == null) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(deploymentId);
  }

  private final class Server extends VerticleBase {
    private HttpServer http;

    @Override
    public Future<?> start() {
      SymphonySimulator.this.context = super.context;
      AuthEndpoints auth = new AuthEndpoints(options, tokens, ledger);
      Router router = Router.router(vertx);
      router.route().handler(BodyHandler.create().setBodyLimit(1024 * 1024));
      router.post("/login/pubkey/authenticate").handler(auth::rsaSession);
      router.post("/relay/pubkey/authenticate").handler(auth::rsaKeyManager);
      HttpServerOptions serverOptions = new HttpServerOptions().setHost("127.0.0.1").setPort(options.port());
      if (options.tls() != null) {
        SimulatorOptions.Tls tls = options.tls();
        serverOptions.setSsl(true).setClientAuth(ClientAuth.REQUEST)
            .setKeyCertOptions(new PfxOptions().setPath(tls.serverKeyStore().toString())
                .setPassword(tls.serverKeyStorePassword()))
            .setTrustOptions(new PfxOptions().setPath(tls.clientCaTrustStore().toString())
                .setPassword(tls.clientCaTrustStorePassword()));
        router.post("/sessionauth/v1/authenticate").handler(auth::certSession);
        router.post("/keyauth/v1/authenticate").handler(auth::certKeyManager);
      }
      router.post("/agent/v5/events/read").handler(reads::handle);
      router.get("/agent/v3/health/extended").handler(health::extended);
      router.get("/agent/v3/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
      http = vertx.createHttpServer(serverOptions).requestHandler(router);
      return http.listen().onSuccess(s -> port = s.actualPort());
    }

    @Override
    public Future<?> stop() {
      reads.shutdown();
      return http.close();
    }
  }
}
