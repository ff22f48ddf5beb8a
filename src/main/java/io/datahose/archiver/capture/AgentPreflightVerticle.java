package io.datahose.archiver.capture;

import io.datahose.archiver.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Agent preflight: at start and every {@link #INTERVAL}, {@code GET /agent/v3/health/extended}. When
 * {@code users.ceservice.status} is not UP, message events cannot flow (the Agent needs its Content
 * Export service account), so this logs at ERROR with the Agent's own message — and capture goes on,
 * because every other event type still arrives. Event-loop verticle; never blocks.
 */
public final class AgentPreflightVerticle extends VerticleBase {

  static final Duration INTERVAL = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(AgentPreflightVerticle.class);

  private final AppConfig.Symphony symphony;
  private final CaptureStatus status;
  private WebClient client;
  private long timerId;

  public AgentPreflightVerticle(AppConfig.Symphony symphony, CaptureStatus status) {
    this.symphony = symphony;
    this.status = status;
  }

  @Override
  public Future<?> start() {
    client = SymphonyHttp.client(vertx, symphony, false);
    check();
    timerId = vertx.setPeriodic(INTERVAL.toMillis(), id -> check());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    client.close();
    return Future.succeededFuture();
  }

  private void check() {
    client.getAbs(symphony.agentUrl() + "/agent/v3/health/extended")
        .timeout(30_000)
        .send()
        .onSuccess(response -> {
          // 200 when every component is UP, 503 otherwise; both carry the V3Health body.
          JsonObject body;
          try {
            body = response.bodyAsJsonObject();
          } catch (RuntimeException e) {
            body = null;
          }
          report(response.statusCode(), body);
        })
        .onFailure(cause -> LOG.warn("Agent health check at {} failed: {}", symphony.agentUrl(), cause.toString()));
  }

  private void report(int httpStatus, JsonObject body) {
    JsonObject ceservice = body == null ? null : body.getJsonObject("users", new JsonObject()).getJsonObject("ceservice");
    String state = ceservice == null ? "MISSING" : ceservice.getString("status", "MISSING");
    if ("UP".equals(state)) {
      status.ceservice(true, null);
      LOG.debug("Agent ceservice is UP");
      return;
    }
    String agentMessage = ceservice == null ? "no ceservice entry in the health answer (HTTP " + httpStatus + ")"
        : ceservice.getString("message", "no message");
    status.ceservice(false, agentMessage);
    LOG.error("Agent ceservice is {}: message events (MESSAGESENT, MESSAGESUPPRESSED, SYMPHONYELEMENTSACTION) need "
        + "the Content Export service account configured on the Agent (agent.privateKey.ceservice or "
        + "agent.certificate.ceservice). Agent says: {}. Capture of the other event types continues.", state, agentMessage);
  }
}
