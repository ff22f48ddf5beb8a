package io.datahose.archiver.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /health} (JSON; HTTP 503 when DOWN, 200 otherwise) and {@code GET /metrics} (Prometheus text format),
 * both without a token: safe for monitoring, they carry no archived content. Handlers run on the event loop and
 * only read in-memory state.
 */
public final class OpsRoutes {

  private final HealthCheck health;
  private final PrometheusMeterRegistry registry;

  private OpsRoutes(HealthCheck health, PrometheusMeterRegistry registry) {
    this.health = health;
    this.registry = registry;
  }

  /** Adds GET /health and GET /metrics to {@code router}. */
  public static void mount(Router router, HealthCheck health, PrometheusMeterRegistry registry) {
    OpsRoutes routes = new OpsRoutes(health, registry);
    router.get("/health").handler(routes::handleHealth);
    router.get("/metrics").handler(routes::handleMetrics);
  }

  private void handleHealth(RoutingContext ctx) {
    var body = health.health();
    ctx.response()
        .setStatusCode("DOWN".equals(body.getString("status")) ? 503 : 200)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encodePrettily());
  }

  private void handleMetrics(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape());
  }
}
