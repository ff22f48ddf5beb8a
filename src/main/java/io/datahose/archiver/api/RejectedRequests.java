package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogger;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The HTTP server's handler for requests it refuses before routing: a request line over the limit (414), headers
 * over the limit (431) or a malformed request (400). Each is recorded in the access log (route
 * {@code (rejected before routing)}, outcome {@code rejected}) and answered with a JSON {@code {error, detail}} that
 * echoes nothing, then the connection is closed. Called on the event loop.
 */
final class RejectedRequests {

  private final AccessLogger accessLog;

  RejectedRequests(AccessLogger accessLog) {
    this.accessLog = accessLog;
  }

  void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    int status = status(cause);
    accessLog.rejected(request, status).onComplete(written -> {
      String error = status == 414 ? "uri_too_long" : status == 431 ? "headers_too_large" : "bad_request";
      String detail = status == 414 ? "the request line is longer than the server accepts"
          : status == 431 ? "the request headers are larger than the server accepts" : "the request is malformed";
      SecurityHeaders.apply(request.response()).setStatusCode(status)
          .putHeader("Content-Type", "application/json").putHeader("Connection", "close")
          .end(new JsonObject().put("error", error).put("detail", detail).encode());
    });
  }

  /** @return the status for a decoder failure, as Vert.x's default handler decides it (its messages are Netty's) */
  static int status(Throwable cause) {
    if (cause instanceof TooLongFrameException && cause.getMessage() != null) {
      if (cause.getMessage().startsWith("An HTTP line is larger than")) {
        return 414;
      }
      if (cause.getMessage().startsWith("HTTP header is larger than")) {
        return 431;
      }
    }
    return 400;
  }
}
