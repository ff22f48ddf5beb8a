package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogger;
import io.datahose.archiver.query.QueryException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON error answers: {@code {"error": "...", "detail": "..."}} for bad input (400), unknown ids and routes (404),
 * missing or refused tokens (401, 403) and, for anything unexpected, a 500 that reveals no internals (the cause is
 * logged once here). No answer echoes the caller's input. Every answer goes through {@link AccessLogger#end}: its
 * access-log row is written first. Called on the event loop.
 */
final class ApiErrors {

  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {
  }

  static void send(RoutingContext ctx, int status, String error, String detail) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    AccessLogger.end(ctx, status, "application/json",
        Buffer.buffer(new JsonObject().put("error", error).put("detail", detail).encode()));
  }

  /** The router's failure handler. */
  static void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof QueryException q) {
      send(ctx, q.status(), q.error(), q.detail());
    } else if (failure instanceof HttpException http && http.getStatusCode() >= 400 && http.getStatusCode() < 500) {
      // Vert.x Web refuses a bad percent-escape in the query (q=%G1, q=abc%) this way when it is first decoded
      send(ctx, http.getStatusCode(), reason(http.getStatusCode()), "malformed request URL or parameter encoding");
    } else if (failure instanceof QueryPool.Busy) {
      if (!ctx.response().headWritten()) {
        ctx.response().putHeader("Retry-After", "1");
      }
      send(ctx, 503, "busy", "too many queries are running; retry in a second");
    } else if (failure instanceof IllegalArgumentException) {
      // Vert.x refuses malformed URLs and percent-escapes this way, before any route code ran
      send(ctx, 400, "bad_request", "malformed request URL or parameter encoding");
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      send(ctx, ctx.statusCode(), reason(ctx.statusCode()), "the request was refused");
    } else {
      LOG.warn("{} {} failed (status {}): {}", ctx.request().method(), ctx.normalizedPath(), ctx.statusCode(),
          String.valueOf(failure), failure);
      send(ctx, 500, "internal_error", "the request could not be completed; see the daemon log");
    }
  }

  static void notFound(RoutingContext ctx) {
    // the path is not echoed: an error body never carries the caller's input back
    send(ctx, 404, "not_found", "no such route; the routes are listed in docs/api.md");
  }

  static void methodNotAllowed(RoutingContext ctx) {
    send(ctx, 405, "method_not_allowed", "the route exists but not for " + ctx.request().method());
  }

  private static String reason(int status) {
    return switch (status) {
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "too_large";
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      default -> "bad_request";
    };
  }
}
