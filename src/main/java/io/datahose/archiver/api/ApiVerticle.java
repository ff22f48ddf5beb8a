package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogStore;
import io.datahose.archiver.accesslog.AccessLogger;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.export.BundleWriter;
import io.datahose.archiver.export.Exporter;
import io.datahose.archiver.officer.Officer;
import io.datahose.archiver.officer.OfficerAuthenticator;
import io.datahose.archiver.officer.OfficerStore;
import io.datahose.archiver.ops.Operations;
import io.datahose.archiver.ops.OpsRoutes;
import io.datahose.archiver.query.EventQueries;
import io.datahose.archiver.query.MessageDetail;
import io.datahose.archiver.query.MessageQueries;
import io.datahose.archiver.query.StreamQueries;
import io.datahose.archiver.query.TranscriptQuery;
import io.datahose.archiver.query.UserQueries;
import io.datahose.archiver.retention.LegalHoldStore;
import io.datahose.archiver.search.SearchIndexer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The query API for compliance officers: JSON under {@code /api/v1} on {@code http.host:http.port} (HTTPS when
 * {@code http.tls.*} is set), bearer-token officers with roles, an access-log row per request, and a search index
 * kept caught up with the archive every {@value #INDEX_INTERVAL_MS} ms on a thread of its own (the indexing worker,
 * never an ingest worker; Lucene commits at most every {@link SearchIndexer#COMMIT_INTERVAL}). An event-loop
 * verticle: every query runs in {@code executeBlocking}. {@link #stop()} stops accepting requests, lets those in
 * flight finish (up to {@value #SHUTDOWN_SECONDS} s) and then closes the index, which commits it. The index is owned
 * by this verticle.
 * <p>
 * The same router also listens on a random loopback port ({@link #adminUrl()}), the
 * {@link io.datahose.archiver.officer.LocalAdmin local admin channel} the CLI uses while the daemon runs: same
 * routes, authentication, access log and TLS, but without the idle timeout, so a backup or verify that takes
 * minutes is not cut off (the request-header deadline still applies).
 */
public final class ApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  private static final long INDEX_INTERVAL_MS = 1000;
  private static final int SHUTDOWN_SECONDS = 10;
  private static final int MAX_INITIAL_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 8 * 1024;
  private static final long INDEXING_MAX_MINUTES = 30;
  private static final String ADMIN_HOST = "127.0.0.1";

  /**
   * What the API answers from, built by {@link io.datahose.archiver.Daemon} (the one place the daemon is wired).
   *
   * @param authenticator who a bearer token names (officers and the local admin channel)
   * @param indexer       the search index's feeder; the verticle keeps it caught up, and closes its index at stop
   * @param dsl           for the reprojection check of a deep verify
   */
  public record Services(OfficerAuthenticator authenticator, OfficerStore officers, AccessLogStore accessLog,
                         SearchIndexer indexer, MessageQueries messages, MessageDetail messageDetail,
                         StreamQueries streams, TranscriptQuery transcripts, UserQueries users, EventQueries events,
                         Exporter exporter, BundleWriter bundles, LegalHoldStore holds, Operations ops,
                         DSLContext dsl) {
  }

  private final AppConfig.Http http;
  private final Path stateDir;
  private final Services services;
  private final SearchIndexer indexer;
  private WorkerExecutor indexing;
  private HttpServer server;
  private HttpServer adminServer;
  private long timer = -1;
  private volatile boolean stopping;

  /** @param stateDir where a deep verify makes its scratch copy (the archive's directory) */
  public ApiVerticle(AppConfig.Http http, Path stateDir, Services services) {
    this.http = http;
    this.stateDir = stateDir;
    this.services = services;
    this.indexer = services.indexer();
  }

  @Override
  public Future<?> start() {
    // one thread of its own: indexing never takes a worker the ingest slots or the queries are waiting for; a first
    // catch-up of a large archive takes minutes, which is not a blocked thread
    indexing = vertx.createSharedWorkerExecutor("search-indexer", 1, INDEXING_MAX_MINUTES, TimeUnit.MINUTES);
    Services x = services;
    Operations ops = x.ops();
    OfficerAuthenticator authenticator = x.authenticator();
    OfficerAuth auth = new OfficerAuth(authenticator);
    Router router = Router.router(vertx);
    router.route().handler(SecurityHeaders::handle);
    // Monitoring endpoints first: no token, and not access-logged (a scrape every few seconds is not an officer).
    OpsRoutes.mount(router, ops.health(), ops.registry(), header -> authenticator.authenticate(header)
        .map(officer -> officer.filter(o -> o.active() && o.role().equals(Officer.ROLE_ADMIN)).isPresent()));
    // The officer web UI's static page and assets: no archived content in them, so not access-logged either.
    UiRoutes.mountPage(router);
    AccessLogger accessLogger = new AccessLogger(vertx, x.accessLog());
    router.route().handler(accessLogger::handleRequest);
    router.route().handler(ApiVerticle::refuseBodies);
    router.route().handler(ApiVerticle::refuseMalformedEscapes);
    UiRoutes.mountSession(router, auth);
    new MessageRoutes(vertx, x.messages(), x.messageDetail()).mount(router, auth);
    new StreamRoutes(vertx, x.streams(), x.transcripts(), ops.coverage()).mount(router, auth);
    new DirectoryRoutes(vertx, x.users(), x.events(), x.accessLog()).mount(router, auth);
    new ExportRoute(vertx, x.events(), ops.coverage(), x.exporter()).mount(router, auth);
    new OpsApiRoutes(vertx, ops, x.holds()).mount(router, auth);
    new EvidenceRoutes(vertx, x.dsl(), ops.evidence(), x.bundles(), ops.coverage(), stateDir).mount(router, auth);
    new OfficerAdminRoutes(vertx, x.officers()).mount(router, auth);
    new ReindexRoute(indexer, indexing).mount(router, auth);
    router.route().failureHandler(ApiErrors::handleFailure);
    router.errorHandler(404, ApiErrors::notFound);
    router.errorHandler(405, ApiErrors::methodNotAllowed);
    router.errorHandler(400, ApiErrors::handleFailure);
    router.errorHandler(413, ApiErrors::handleFailure);
    router.errorHandler(500, ApiErrors::handleFailure);
    HttpServerOptions options = new HttpServerOptions().setHost(http.host()).setPort(http.port())
        .setMaxInitialLineLength(MAX_INITIAL_LINE).setMaxHeaderSize(MAX_HEADERS)
        .setIdleTimeout((int) http.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // HTTP/2 only over TLS (ALPN): no cleartext upgrade or prior-knowledge h2c
        .setHttp2ClearTextEnabled(false);
    if (http.tls()) {
      options.setSsl(true).setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
          .setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(http.tlsCert().toString()).setKeyPath(http.tlsKey().toString()));
    }
    scheduleIndexing(0);
    // the admin channel: loopback only, and no idle timeout (a backup answers after minutes); ConnectionGuard still
    // closes a connection that sends no request within http.requestTimeout, so none can sit there idle
    HttpServerOptions adminOptions = new HttpServerOptions(options).setHost(ADMIN_HOST).setPort(0).setIdleTimeout(0);
    return listen(options, router, accessLogger).compose(s -> {
      server = s;
      LOG.info("query API listening on {}://{}:{}/api/v1", http.tls() ? "https" : "http", http.host(), s.actualPort());
      return listen(adminOptions, router, accessLogger);
    }).onSuccess(s -> {
      adminServer = s;
      LOG.debug("local admin channel listening on {}", adminUrl());
    });
  }

  private Future<HttpServer> listen(HttpServerOptions options, Router router, AccessLogger accessLogger) {
    ConnectionGuard guard = new ConnectionGuard(vertx, http.requestTimeout().toMillis());
    return vertx.createHttpServer(options).connectionHandler(guard::handleConnection)
        .requestHandler(guard.wrap(router))
        .invalidRequestHandler(new RejectedRequests(accessLogger)::handle).listen();
  }

  /**
   * No route takes a request body: one announced (Content-Length above 0, or chunked) is refused with 413 before any
   * of it is read, and the connection is closed after the answer (an endless chunked body cannot hold it open).
   */
  private static void refuseBodies(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    boolean body = ctx.request().getHeader("Transfer-Encoding") != null || (length != null && !length.equals("0"));
    if (!body) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Connection", "close").endHandler(v -> ctx.request().connection().close());
    ApiErrors.send(ctx, 413, "too_large", "no route of this API takes a request body");
  }

  /**
   * A percent sign not followed by two hex digits anywhere in the URL is a 400 here, before any route decodes its
   * parameters: routes with a path parameter failed on it with no cause (a 500, found by the API random walk).
   */
  private static void refuseMalformedEscapes(RoutingContext ctx) {
    if (MALFORMED_ESCAPE.matcher(ctx.request().uri()).find()) {
      ApiErrors.send(ctx, 400, "bad_request", "malformed percent-escape in the request URL");
      return;
    }
    ctx.next();
  }

  private static final java.util.regex.Pattern MALFORMED_ESCAPE = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");

  /** @return the bound port (useful with port 0); -1 before start */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** @return the base URL of the local admin channel's loopback listener ({@code http[s]://127.0.0.1:port}) */
  public String adminUrl() {
    return (http.tls() ? "https" : "http") + "://" + ADMIN_HOST + ":" + (adminServer == null ? -1
        : adminServer.actualPort());
  }

  private void scheduleIndexing(long delay) {
    timer = vertx.setTimer(Math.max(1, delay), id -> indexing.executeBlocking(() -> {
      indexer.catchUp();
      return indexer.commitIfDue();
    }, false).onComplete(done -> {
      if (done.failed()) {
        LOG.warn("search indexing failed (will retry): {}", done.cause().toString());
      }
      if (!stopping) {
        scheduleIndexing(INDEX_INTERVAL_MS);
      }
    }));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    Future<Void> shutdown = Future.join(shutdown(server), shutdown(adminServer)).mapEmpty();
    // the query pool closes after the requests in flight were answered (closing it interrupts its threads);
    // the index on the indexing thread, after the indexing task in flight (one thread, so tasks run in order)
    return shutdown.eventually(() -> {
      QueryPool.release(vertx);
      return Future.succeededFuture();
    }).eventually(() -> indexing.executeBlocking(() -> {
      synchronized (indexer) {
        indexer.index().close();
      }
      return null;
    }, false)).eventually(() -> indexing.close());
  }

  private static Future<Void> shutdown(HttpServer s) {
    return s == null ? Future.succeededFuture() : s.shutdown(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
  }
}
