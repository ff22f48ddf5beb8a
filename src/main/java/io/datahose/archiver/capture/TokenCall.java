package io.datahose.archiver.capture;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;

/**
 * One authentication POST: sends the request, expects 200 and a JSON {@code Token} body, and returns its
 * {@code token}. Non-200 fails with {@link SymphonyAuthException}(status, body); an unusable 200 body fails
 * with status 200 and a description that never echoes the body (it would hold the token).
 */
final class TokenCall {

  private TokenCall() {
  }

  /**
   * @param timeout no answer within it (an endpoint that accepts and never answers) fails the call, so no slot
   *                waits on a login for ever; the slots then retry with backoff
   * @return the {@code token} of the response to {@code request} sent with {@code body} (null = no body)
   */
  static Future<String> post(HttpRequest<Buffer> request, String url, JsonObject body, java.time.Duration timeout) {
    request.timeout(timeout.toMillis());
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.compose(response -> {
      if (response.statusCode() != 200) {
        return Future.failedFuture(new SymphonyAuthException(url, response.statusCode(), response.bodyAsString()));
      }
      try {
        JsonObject json = response.bodyAsJsonObject();
        Object token = json == null ? null : json.getValue("token");
        if (token instanceof String s && !s.isEmpty()) {
          return Future.succeededFuture(s);
        }
        return Future.failedFuture(new SymphonyAuthException(url, 200, "response has no \"token\" string"));
      } catch (DecodeException e) {
        return Future.failedFuture(new SymphonyAuthException(url, 200, "response is not JSON"));
      }
    });
  }
}
