package io.datahose.archiver.accesslog;

import io.datahose.archiver.officer.Officer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The access log, fail closed: every answer is sent only after its {@code access_log} row is committed
 * ({@link #end}); when the row cannot be written the caller gets a 503 and no data. A row names the matched route
 * template (never a spelling of the path), the path as received, every query and path parameter decoded and in
 * full, the officer (also when the token was revoked), status, result count (set by handlers under
 * {@value #RESULT_COUNT}), bytes and remote address. A streamed export writes a {@code started} row before its first
 * byte and a {@code completed} row before its manifest, or an {@code aborted} row with the count sent
 * ({@link #begin}, {@link #finish}). Requests the HTTP server refuses before routing are recorded by
 * {@link #rejected}. Installed first on every route; the row is written off the event loop; handlers and callbacks
 * run on the event loop. Headers are never logged, so neither is a token.
 */
public final class AccessLogger {

  /** The {@link Officer} a route's authentication put in the context (api.OfficerAuth). */
  public static final String OFFICER = "officer";
  public static final String RESULT_COUNT = "resultCount";
  /** The route template a route's first handler records (api.OfficerAuth#require). */
  public static final String ROUTE = "accessLog.route";
  /** The name of an officer whose token was refused (revoked), for the row. */
  public static final String REFUSED_OFFICER = "accessLog.refusedOfficer";
  private static final String SELF = "accessLog.self";
  private static final String AT = "accessLog.at";
  private static final String LOGGED = "accessLog.logged";
  private static final String NO_ROUTE = "(no route)";
  private static final String REJECTED_ROUTE = "(rejected before routing)";
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogger.class);

  private final Vertx vertx;
  private final AccessLogStore store;

  public AccessLogger(Vertx vertx, AccessLogStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  public void handleRequest(RoutingContext ctx) {
    ctx.put(SELF, this);
    ctx.put(AT, OffsetDateTime.now(ZoneOffset.UTC));
    // A safety net for an answer that did not go through end()/begin() (none should): recorded after the fact.
    ctx.addEndHandler(ended -> {
      if (ctx.get(LOGGED) == null) {
        ctx.put(LOGGED, true);
        LOG.warn("an answer to {} left without its access-log row first; recording it now", route(ctx));
        write(entry(ctx, ctx.response().getStatusCode(), ctx.response().bytesWritten(), AccessLogStore.ANSWERED))
            .onFailure(e -> LOG.error("access log write failed for {}: {}", route(ctx), e.toString()));
      }
    });
    ctx.next();
  }

  /**
   * Writes the request's row, then ends the response with {@code status} and {@code body}; if the row cannot be
   * written the answer is a 503 without the body. Without an access logger on the route (monitoring endpoints),
   * just ends.
   */
  public static void end(RoutingContext ctx, int status, String contentType, Buffer body) {
    AccessLogger self = ctx.get(SELF);
    if (self == null || ctx.get(LOGGED) != null) {
      send(ctx, status, contentType, body);
      return;
    }
    ctx.put(LOGGED, true);
    self.write(self.entry(ctx, status, body.length(), AccessLogStore.ANSWERED)).onComplete(written -> {
      if (written.succeeded()) {
        send(ctx, status, contentType, body);
      } else {
        unavailable(ctx, written.cause());
      }
    });
  }

  /** Answers 503 without data: the request's access-log row could not be written ({@code cause}). */
  public static void unavailable(RoutingContext ctx, Throwable cause) {
    LOG.error("access log write failed for {}, request refused with 503: {}", route(ctx), cause.toString());
    send(ctx, 503, "application/json", Buffer.buffer(new JsonObject().put("error", "access_log_unavailable")
        .put("detail", "the request was not answered: its access-log row could not be written").encode()));
  }

  /** Writes the {@code started} row of a streamed answer; @return a future failing when it could not be written */
  public static Future<Void> begin(RoutingContext ctx, int status) {
    AccessLogger self = ctx.get(SELF);
    ctx.put(LOGGED, true);
    return self.write(self.entry(ctx, status, 0, AccessLogStore.STARTED));
  }

  /** Writes the {@code completed} or {@code aborted} row of a streamed answer, with what was sent so far. */
  public static Future<Void> finish(RoutingContext ctx, String outcome, long count, long bytes) {
    AccessLogger self = ctx.get(SELF);
    ctx.put(RESULT_COUNT, count);
    return self.write(self.entry(ctx, ctx.response().getStatusCode(), bytes, outcome));
  }

  /** Records a request the HTTP server refused before routing; @return when the row is written (or failed) */
  public Future<Void> rejected(HttpServerRequest request, int status) {
    String path;
    try {
      path = request.uri();
    } catch (RuntimeException e) {
      path = null;
    }
    AccessLogStore.Entry entry = new AccessLogStore.Entry(OffsetDateTime.now(ZoneOffset.UTC), null, REJECTED_ROUTE,
        request.method() == null ? "?" : request.method().name(), null, status, null, remote(request), path, null,
        null, AccessLogStore.REJECTED);
    return write(entry);
  }

  private Future<Void> write(AccessLogStore.Entry entry) {
    return vertx.executeBlocking(() -> {
      store.append(entry);
      return null;
    }, false);
  }

  private AccessLogStore.Entry entry(RoutingContext ctx, int status, long bytes, String outcome) {
    Officer officer = ctx.get(OFFICER);
    String name = officer != null ? officer.name() : ctx.get(REFUSED_OFFICER);
    Number count = ctx.get(RESULT_COUNT);
    OffsetDateTime at = ctx.get(AT);
    return new AccessLogStore.Entry(at == null ? OffsetDateTime.now(ZoneOffset.UTC) : at, name, route(ctx),
        ctx.request().method().name(), parameters(ctx), status, count == null ? null : count.longValue(),
        remote(ctx.request()), ctx.request().path(), pathParameters(ctx), bytes, outcome);
  }

  private static String route(RoutingContext ctx) {
    String route = ctx.get(ROUTE);
    return route == null ? NO_ROUTE : route;
  }

  private static String remote(HttpServerRequest request) {
    return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
  }

  private static String parameters(RoutingContext ctx) {
    JsonObject json = new JsonObject();
    try {
      for (Map.Entry<String, String> e : ctx.queryParams()) {
        Object previous = json.getValue(e.getKey());
        // a repeated parameter is refused by the route, but the row shows every value it was given
        json.put(e.getKey(), previous == null ? e.getValue()
            : (previous instanceof io.vertx.core.json.JsonArray a ? a : new io.vertx.core.json.JsonArray().add(previous))
                .add(e.getValue()));
      }
    } catch (RuntimeException e) {
      // a malformed percent-escape: the query as received, since it has no decoded form
      return new JsonObject().put("(undecodable query)", ctx.request().query()).encode();
    }
    return json.encode();
  }

  private static String pathParameters(RoutingContext ctx) {
    Map<String, String> params = ctx.pathParams();
    if (params == null || params.isEmpty()) {
      return null;
    }
    JsonObject json = new JsonObject();
    params.forEach(json::put);
    return json.encode();
  }

  private static void send(RoutingContext ctx, int status, String contentType, Buffer body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", contentType).end(body);
  }
}
