package io.datahose.archiver;

import io.datahose.archiver.accesslog.AccessLogStore;
import io.datahose.archiver.api.ApiVerticle;
import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.FeedCursors;
import io.datahose.archiver.archive.StoreHook;
import io.datahose.archiver.capture.AgentPreflightVerticle;
import io.datahose.archiver.capture.CaptureLedger;
import io.datahose.archiver.capture.CaptureLedgerStore;
import io.datahose.archiver.capture.CaptureStatus;
import io.datahose.archiver.capture.CoverageQueries;
import io.datahose.archiver.capture.FeedChanges;
import io.datahose.archiver.capture.IngestVerticle;
import io.datahose.archiver.capture.SymphonyAuth;
import io.datahose.archiver.capture.TokenCache;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.EvidenceService;
import io.datahose.archiver.export.BundleWriter;
import io.datahose.archiver.export.DeliveryRun;
import io.datahose.archiver.export.DeliveryScheduler;
import io.datahose.archiver.export.DeliveryStore;
import io.datahose.archiver.export.Exporter;
import io.datahose.archiver.officer.LocalAdmin;
import io.datahose.archiver.officer.OfficerAuthenticator;
import io.datahose.archiver.officer.OfficerStore;
import io.datahose.archiver.ops.Backups;
import io.datahose.archiver.ops.HealthCheck;
import io.datahose.archiver.ops.Operations;
import io.datahose.archiver.ops.OpsMetrics;
import io.datahose.archiver.ops.RetentionJobs;
import io.datahose.archiver.ops.StorageGuard;
import io.datahose.archiver.query.ConversationQueries;
import io.datahose.archiver.query.EventQueries;
import io.datahose.archiver.query.MessageDetail;
import io.datahose.archiver.query.MessageFeed;
import io.datahose.archiver.query.MessageQueries;
import io.datahose.archiver.query.StreamQueries;
import io.datahose.archiver.query.TranscriptQuery;
import io.datahose.archiver.query.UserQueries;
import io.datahose.archiver.retention.LegalHoldStore;
import io.datahose.archiver.search.SearchIndex;
import io.datahose.archiver.search.SearchIndexer;
import io.datahose.archiver.symphony.FeedIdentity;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The running daemon: opens the archive (Flyway-migrated H2 file, or PostgreSQL), creates Vert.x and deploys one
 * ingest worker verticle per reader slot plus the Agent preflight, then the query API (event-loop verticle on
 * {@code http.host:http.port}, search index in {@code <database.path>.search/}). {@link #start} blocks until
 * everything is up or fails with everything it opened closed again; {@link #close} stops reading first (the
 * transaction in flight is committed or rolled back, nothing more is acknowledged), then lets the jobs and the API's
 * requests in flight finish, then closes Vert.x and the database. Call both from a non-Vert.x thread.
 * <p>
 * Once everything is up, the daemon publishes its {@link LocalAdmin local admin channel} (the loopback URL and a
 * fresh token in {@code <database.path>.admin-token}, 0600) so that the CLI acts through it while capture runs;
 * the file is deleted first thing at {@link #close}, and a leftover of a killed daemon is deleted at start.
 */
public final class Daemon implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
  private static final long CLOSE_TIMEOUT_SECONDS = 30;
  /** How long a stop waits for a backup or verification in flight (systemd's TimeoutStopSec is 90 s). */
  private static final long STOP_WAIT_SECONDS = 40;
  /** The worker pool of the reader slots (one thread each), apart from Vert.x's shared pool. */
  public static final String CAPTURE_POOL = "datahose-capture";

  private final AppConfig config;
  private final ArchiveDatabase database;
  private final Archive archive;
  private final CaptureStatus status;
  private final Vertx vertx;
  private final Operations ops;
  private TokenCache tokens;
  private ApiVerticle api;
  private String apiDeployment;
  private DeliveryScheduler deliveries;
  private final List<String> readers = new ArrayList<>();
  private final LocalAdmin local = LocalAdmin.create();
  private final Path adminFile;

  private Daemon(AppConfig config, ArchiveDatabase database, Archive archive, Vertx vertx, Operations ops,
                 CaptureStatus status) {
    this.status = status;
    this.config = config;
    this.database = database;
    this.archive = archive;
    this.vertx = vertx;
    this.ops = ops;
    this.adminFile = LocalAdmin.file(config.database());
  }

  /** Starts capture; see the class comment. */
  public static Daemon start(AppConfig config) {
    return start(config, new StoreHook() { });
  }

  /** Starts capture with a store hook (tests inject failures with it). */
  public static Daemon start(AppConfig config, StoreHook hook) {
    ArchiveDatabase database = ArchiveDatabase.open(config.database());
    Vertx vertx = null;
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // Every WebClient (one per slot, auth, preflight) has its own connection pool to the same host:port, which
      // Vert.x names alike: their pool and connection gauges collided at every start ("This Gauge has been already registered").
      // Per-slot read latency and errors are archiver metrics; the client pool gauges are left out.
      registry.config().meterFilter(MeterFilter.deny(id -> id.getName().startsWith("vertx.pool.")
          && "http".equals(id.getTag("pool_type"))
          || id.getType() == io.micrometer.core.instrument.Meter.Type.GAUGE
          && id.getName().startsWith("vertx.http.client.")));
      // no per-route byte counts on the anonymous /metrics: they tell an observer how much each officer route served
      registry.config().meterFilter(MeterFilter.deny(
          id -> id.getName().startsWith("vertx.http.server.") && id.getName().contains("bytes")));
      // HTTP server metrics by route and status code come from Vert.x itself (vertx_http_server_requests_total).
      MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true)
          .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_CODE, Label.HTTP_METHOD, Label.POOL_TYPE, Label.POOL_NAME));
      vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(metrics))
          .withMetrics(new MicrometerMetricsFactory(registry)).build();
      Archive archive = new Archive(database, hook);
      CaptureStatus status = new CaptureStatus(config.capture().gapThreshold());
      Operations ops = operations(config, database, archive, status, registry);
      ops.start();
      Daemon daemon = new Daemon(config, database, archive, vertx, ops, status);
      LocalAdmin.withdraw(daemon.adminFile); // a killed daemon's: its token is dead
      daemon.deploy();
      daemon.publishAdminChannel();
      return daemon;
    } catch (RuntimeException e) {
      closeQuietly(vertx);
      database.close();
      throw e;
    }
  }

  /** The operations side's parts; evidence first: making the key and catching the Merkle log up is no capture time. */
  private static Operations operations(AppConfig config, ArchiveDatabase db, Archive archive, CaptureStatus status,
                                       PrometheusMeterRegistry registry) {
    EvidenceService evidence = EvidenceService.open(config, db.dsl());
    CaptureLedgerStore store = new CaptureLedgerStore(db);
    OpsMetrics metrics = new OpsMetrics(registry, archive, status);
    CaptureLedger ledger = new CaptureLedger(store, config.capture().gapThreshold(), metrics::gapOpened);
    StorageGuard guard = new StorageGuard(store, config.database().path(), config.database().minFreeDisk());
    AppConfig.Backup backup = config.backup();
    Backups backups = new Backups(db, evidence.key(), backup.dir(), backup.keep(), backup.keepDays());
    HealthCheck health = new HealthCheck(status, guard, ledger, backups, backup.interval());
    health.addCheck("evidence", evidence::health);
    RetentionJobs retention = new RetentionJobs(db.dsl(), config, evidence);
    health.addCheck("retention", retention::health);
    return new Operations(config, evidence, ledger, guard, metrics, backups, health, retention,
        new CoverageQueries(db), registry);
  }

  private void deploy() {
    tokens = new TokenCache(SymphonyAuth.create(vertx, config.symphony()));
    vertx.deployVerticle(new AgentPreflightVerticle(config.symphony(), status)).await();
    List<FeedCursors.Cursor> drains = oldFeeds();
    // Capture has its own worker threads: queries, token checks and backups on Vert.x's shared pool cannot stall it.
    DeploymentOptions worker = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
        .setWorkerPoolName(CAPTURE_POOL).setWorkerPoolSize(config.datahose().readers() + drains.size());
    for (int slot = 0; slot < config.datahose().readers(); slot++) {
      readers.add(vertx.deployVerticle(new IngestVerticle(slot, config, archive, tokens, status, ops.listener()), worker)
          .await());
    }
    FeedCursors cursors = new FeedCursors(database);
    for (FeedCursors.Cursor old : drains) {
      readers.add(vertx.deployVerticle(IngestVerticle.drainer(old, config, archive, cursors, tokens,
          ops.drainListener()), worker).await());
    }
    ops.schedule(vertx);
    LOG.info("capture started: {} reader slot(s) on tag '{}', archive {}", config.datahose().readers(),
        config.datahose().tag(), config.database().path());
    if (!config.exports().isEmpty()) {
      DSLContext dsl = database.dsl();
      CoverageQueries coverage = ops.coverage();
      deliveries = new DeliveryScheduler(vertx, config.exports(), d -> new DeliveryRun(d,
          new Exporter(new ConversationQueries(dsl), new EventQueries(dsl), coverage, d.emlMaxBytes()),
          new DeliveryStore(dsl))).metrics(ops.registry());
      ops.health().addCheck("exports", deliveries::health);
      deliveries.start();
    }
    SearchIndex index = SearchIndex.open(searchIndexPath(config));
    ops.retention().searchDeletion(index::delete);
    try {
      api = new ApiVerticle(config.http(), config.database().path().toAbsolutePath().getParent(), apiServices(index));
      apiDeployment = vertx.deployVerticle(api).await();
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
  }

  /** What the query API answers from; the API closes {@code index} when it stops. */
  private ApiVerticle.Services apiServices(SearchIndex index) {
    DSLContext dsl = database.dsl();
    SearchIndexer indexer = new SearchIndexer(new MessageFeed(dsl), index);
    OfficerStore officers = new OfficerStore(dsl);
    EventQueries events = new EventQueries(dsl);
    return new ApiVerticle.Services(new OfficerAuthenticator(vertx, officers, local), officers, new AccessLogStore(dsl),
        indexer, new MessageQueries(dsl, indexer), new MessageDetail(dsl), new StreamQueries(dsl),
        new TranscriptQuery(dsl), new UserQueries(dsl), events,
        new Exporter(new ConversationQueries(dsl), events, ops.coverage(), Exporter.EML_MAX_BYTES),
        new BundleWriter(dsl, ops.evidence().key(), ops.evidence().treeHeads()), new LegalHoldStore(dsl), ops, dsl);
  }

  private void publishAdminChannel() {
    try {
      local.publish(adminFile, api.adminUrl());
    } catch (java.io.UncheckedIOException e) {
      // capture matters more than the CLI's convenience: the CLI says the file is missing while the daemon runs
      LOG.error("the CLI cannot act through the running daemon: {}", e.getMessage());
    }
  }

  /**
   * The feeds read before a change of {@code datahose.tag}, {@code eventTypes} or {@code scopes} and not yet drained.
   * Each change is logged and recorded in the capture ledger ({@code feed_change}); cursors written before the
   * identity was kept are given the configured filter first (the filter they were read with is not known).
   */
  private List<FeedCursors.Cursor> oldFeeds() {
    FeedCursors cursors = new FeedCursors(database);
    AppConfig.Datahose datahose = config.datahose();
    int adopted = cursors.adoptUnrecorded(datahose.eventTypes(), datahose.scopes());
    if (adopted > 0) {
      LOG.info("{} feed cursor(s) from before feed identities were kept are taken to have the configured event "
          + "types and scopes", adopted);
    }
    FeedIdentity configured = datahose.identity();
    List<FeedCursors.Cursor> drains = FeedChanges.toDrain(configured, cursors.all());
    Instant now = Instant.now();
    for (FeedCursors.Cursor old : drains) {
      cursors.recordChange(old.feed(), configured, old.slot(), now);
      LOG.warn("reader slot {}: the configured feed ({}) is not the feed this slot read ({}): the old feed is read "
          + "on with its own filter until it has been empty for {}, while the configured one is read", old.slot(),
          configured.describe(), old.feed().describe(), datahose.drainQuietPeriod());
    }
    return drains;
  }

  /** @return where the search index of this configuration's archive lives: {@code <database.path>.search} */
  public static Path searchIndexPath(AppConfig config) {
    Path db = config.database().path();
    return db.resolveSibling(db.getFileName() + ".search");
  }

  /** @return where the local admin channel is published ({@code <database.path>.admin-token}) */
  public Path adminTokenFile() {
    return adminFile;
  }

  /** @return the port the query API listens on (the real one when configured as 0) */
  public int apiPort() {
    return api == null ? -1 : api.actualPort();
  }

  public CaptureStatus status() {
    return status;
  }

  public Archive archive() {
    return archive;
  }

  public ArchiveDatabase database() {
    return database;
  }

  /** @return health, metrics registry, backups, capture coverage: what the HTTP routes serve */
  public Operations ops() {
    return ops;
  }

  public Vertx vertx() {
    return vertx;
  }

  public AppConfig config() {
    return config;
  }

  /** @return how many times the daemon authenticated to the pod (and key manager) */
  public int authentications() {
    return tokens == null ? 0 : tokens.authentications();
  }

  /**
   * Stops in this order, each step bounded: the admin channel's file; deliveries; the reader slots (the batch in
   * flight committed or rolled back, nothing acknowledged after); the scheduled jobs and backups (timers cancelled, a
   * backup or verification in flight waited for, no new backup); the query API (requests in flight answered); the
   * ledger and the shutdown tree head; the archive; Vert.x last, because closing it interrupts every worker still
   * running.
   */
  @Override
  public void close() {
    LOG.info("stopping: no new reads; the batch in flight is committed or rolled back");
    LocalAdmin.withdraw(adminFile); // the CLI asks no more of a daemon that is stopping
    if (deliveries != null) {
      deliveries.close(); // safe mid-delivery: a delivery's position moves only after its target confirmed
    }
    // ingest first: nothing is read or acknowledged once the stop began (the API's shutdown below may take 10 s)
    for (String reader : readers) {
      undeploy(reader, "reader slot");
    }
    // before the API: a backup asked for over the API runs on the query pool, which the API's stop closes
    ops.stop(Duration.ofSeconds(STOP_WAIT_SECONDS));
    if (apiDeployment != null) {
      undeploy(apiDeployment, "query API");
    }
    try {
      ops.close();
    } catch (RuntimeException e) {
      LOG.warn("capture ledger not written at stop: {}", e.getMessage());
    }
    database.close();
    closeQuietly(vertx);
    LOG.info("stopped: archive closed");
  }

  private void undeploy(String deployment, String what) {
    if (!vertx.deploymentIDs().contains(deployment)) {
      return; // a drained old feed's reader undeployed itself
    }
    try {
      vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("{} did not stop cleanly: {}", what, e.toString());
    }
  }

  private static void closeQuietly(Vertx vertx) {
    if (vertx == null) {
      return;
    }
    try {
      Future<Void> closed = vertx.close();
      closed.toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
    }
  }
}
