package io.datahose.archiver.capture;

import io.datahose.archiver.symphony.FeedBatch;
import io.datahose.archiver.symphony.FeedException;
import io.datahose.archiver.symphony.FeedParser;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads the Datahose feed: {@code POST {agent}/agent/v5/events/read}. Non-blocking; one read at a
 * time per reader slot. Every failure is a {@link FeedException} saying what the caller must do; a 200
 * whose body is not a well-formed batch is a TRANSIENT failure, so a half-readable answer is never stored.
 * A 200 body is handed to {@link FeedParser} as received: each event keeps its exact bytes.
 */
public final class FeedClient {

  private static final String ALPHANUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final WebClient client;
  private final String readUrl;
  private final long timeoutMillis;
  private final JsonObject bodyTemplate;

  /**
   * @param tag        the feed tag, 1..80 characters
   * @param eventTypes the event types of the feed, never empty
   * @param scopes     INTERNAL / EXTERNAL / FEDERATED, or empty for all
   */
  public FeedClient(WebClient client, String agentUrl, Duration readTimeout,
                    String tag, List<String> eventTypes, List<String> scopes) {
    this.client = client;
    this.readUrl = agentUrl + "/agent/v5/events/read";
    this.timeoutMillis = readTimeout.toMillis();
    this.bodyTemplate = new JsonObject()
        .put("type", "datahose")
        .put("tag", tag)
        .put("eventTypes", new JsonArray(List.copyOf(eventTypes)));
    if (!scopes.isEmpty()) {
      bodyTemplate.put("scopes", new JsonArray(List.copyOf(scopes)));
    }
  }

  /** @return the exact body a read with {@code ackId} sends */
  public JsonObject body(String ackId) {
    return bodyTemplate.copy().put("ackId", ackId).put("updatePresence", false);
  }

  /**
   * Reads the next batch, acknowledging the batch {@code ackId} named.
   *
   * @return a future of the batch, failed with a {@link FeedException}
   */
  public Future<FeedBatch> read(AuthTokens tokens, String ackId) {
    var request = client.postAbs(readUrl)
        .putHeader("sessionToken", tokens.sessionToken())
        .putHeader("X-Trace-Id", traceId())
        .timeout(timeoutMillis);
    if (tokens.keyManagerToken() != null) {
      request.putHeader("keyManagerToken", tokens.keyManagerToken());
    }
    return request.sendJsonObject(body(ackId))
        .recover(cause -> Future.failedFuture(new FeedException(FeedException.Kind.TRANSIENT, 0,
            "read failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause)))
        .compose(FeedClient::parse);
  }

  private static Future<FeedBatch> parse(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status == 200) {
      try {
        Buffer body = response.body();
        if (body == null) {
          throw new IllegalArgumentException("empty body");
        }
        return Future.succeededFuture(FeedParser.parse(body.getBytes()));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new FeedException(FeedException.Kind.TRANSIENT, status,
            "malformed read response: " + e.getMessage(), e));
      }
    }
    String body = response.bodyAsString();
    String message = "read answered HTTP " + status + ": " + (body == null ? "" : abbreviate(body));
    FeedException.Kind kind;
    if (status == 401) {
      kind = FeedException.Kind.UNAUTHORIZED;
    } else if (status == 429 || status >= 500 || status / 100 == 2) {
      // a 2xx other than 200 (204 without a body, 206 partial) is no batch: store nothing, repeat with the same ackId
      kind = FeedException.Kind.TRANSIENT;
    } else {
      kind = FeedException.Kind.FATAL;
    }
    return Future.failedFuture(new FeedException(kind, status, message, null));
  }

  private static String abbreviate(String body) {
    return body.length() <= 500 ? body : body.substring(0, 500) + "…";
  }

  private static String traceId() {
    StringBuilder id = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      id.append(ALPHANUM.charAt(ThreadLocalRandom.current().nextInt(ALPHANUM.length())));
    }
    return id.toString();
  }
}
