package io.datahose.archiver.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every answer of the daemon's HTTP server, monitoring and refused requests included:
 * {@code Cache-Control: no-store} (an answer may carry the one-time officer token or archived content, which no cache
 * may keep) and {@code X-Content-Type-Options: nosniff} (a browser never reinterprets JSON or an export as HTML).
 * Called on the event loop.
 */
final class SecurityHeaders {

  private SecurityHeaders() {
  }

  /** The router's first handler. */
  static void handle(RoutingContext ctx) {
    apply(ctx.response());
    ctx.next();
  }

  static HttpServerResponse apply(HttpServerResponse response) {
    return response.putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff");
  }
}
