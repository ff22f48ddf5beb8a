package io.datahose.archiver.api;

import io.datahose.archiver.query.AccessLogStore;
import io.datahose.archiver.query.OfficerStore.Officer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Appends one {@code access_log} row per HTTP request, refused ones included: officer (null when unauthenticated),
 * path, method, query parameters (never headers, so never the token), status, result count (set by handlers
 * under {@value #RESULT_COUNT}) and remote address. Installed first on every route; the row is written when the
 * response ends, off the event loop. A failed write is logged (without parameters) and does not affect the answer,
 * which has already been sent.
 */
final class AccessLogger {

  static final String RESULT_COUNT = "resultCount";
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogger.class);

  private final Vertx vertx;
  private final AccessLogStore store;

  AccessLogger(Vertx vertx, AccessLogStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  void handleRequest(RoutingContext ctx) {
    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
    ctx.addEndHandler(ended -> {
      Officer officer = ctx.get(OfficerAuth.OFFICER);
      Number count = ctx.get(RESULT_COUNT);
      AccessLogStore.Entry entry = new AccessLogStore.Entry(at, officer == null ? null : officer.name(),
          path(ctx), ctx.request().method().name(), parameters(ctx), ctx.response().getStatusCode(),
          count == null ? null : count.longValue(),
          ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress());
      vertx.executeBlocking(() -> {
        store.append(entry);
        return null;
      }, false).onFailure(e -> LOG.error("access log write failed for {} {}: {}", entry.method(), entry.route(),
          e.toString()));
    });
    ctx.next();
  }

  private static String path(RoutingContext ctx) {
    String path = ctx.request().path();
    return path == null ? "" : path;
  }

  private static String parameters(RoutingContext ctx) {
    JsonObject json = new JsonObject();
    try {
      ctx.queryParams().forEach(e -> json.put(e.getKey(), e.getValue()));
    } catch (RuntimeException e) {
      json.put("(raw)", ctx.request().query());
    }
    return json.encode();
  }
}
