package io.datahose.archiver.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.util.HashMap;
import java.util.Map;

/**
 * Closes connections that dribble: a request's headers must be complete within {@code requestTimeout} of the
 * connection opening or of the previous answer ending (the idle timeout alone would let one byte every few seconds
 * hold a connection forever). Wraps the server's request handler and is its connection handler. Touched only on the
 * API verticle's event loop, so a plain map.
 */
final class ConnectionGuard {

  private final Vertx vertx;
  private final long requestTimeoutMs;
  private final Map<HttpConnection, Long> deadlines = new HashMap<>();

  ConnectionGuard(Vertx vertx, long requestTimeoutMs) {
    this.vertx = vertx;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  /** The server's connection handler: arms the first deadline. */
  void handleConnection(HttpConnection connection) {
    arm(connection);
    connection.closeHandler(v -> cancel(connection));
  }

  /** @return the request handler: headers are in, so the deadline is off until the answer ends */
  Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> handler) {
    return request -> {
      HttpConnection connection = request.connection();
      cancel(connection);
      request.response().endHandler(v -> {
        if (!request.response().closed()) {
          arm(connection);
        }
      });
      handler.handle(request);
    };
  }

  private void arm(HttpConnection connection) {
    cancel(connection);
    deadlines.put(connection, vertx.setTimer(requestTimeoutMs, id -> {
      deadlines.remove(connection);
      connection.close();
    }));
  }

  private void cancel(HttpConnection connection) {
    Long timer = deadlines.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }
}
