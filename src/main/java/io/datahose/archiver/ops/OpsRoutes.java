package io.datahose.archiver.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

/**
 * {@code GET /health} (JSON; HTTP 503 when DOWN, 200 otherwise) and {@code GET /metrics} (Prometheus text format),
 * both without a token: safe for monitoring, they carry no archived content. Without a token {@code /health} says
 * only the overall status and each check's name and status; the detail (slots, errors, addresses, sizes) needs an
 * admin's bearer token. Handlers run on the event loop and only read in-memory state (the token check runs off it).
 */
public final class OpsRoutes {

  private final HealthCheck health;
  private final PrometheusMeterRegistry registry;
  private final Function<String, Future<Boolean>> isAdmin;

  private OpsRoutes(HealthCheck health, PrometheusMeterRegistry registry, Function<String, Future<Boolean>> isAdmin) {
    this.health = health;
    this.registry = registry;
    this.isAdmin = isAdmin;
  }

  /** Adds GET /health (summary only, for everyone) and GET /metrics to {@code router}. */
  public static void mount(Router router, HealthCheck health, PrometheusMeterRegistry registry) {
    mount(router, health, registry, header -> Future.succeededFuture(false));
  }

  /**
   * Adds GET /health and GET /metrics to {@code router}; {@code isAdmin} tells from the Authorization header
   * (possibly null) whether the caller may see the health detail.
   */
  public static void mount(Router router, HealthCheck health, PrometheusMeterRegistry registry,
                           Function<String, Future<Boolean>> isAdmin) {
    OpsRoutes routes = new OpsRoutes(health, registry, isAdmin);
    router.get("/health").handler(routes::handleHealth);
    router.get("/metrics").handler(routes::handleMetrics);
  }

  private void handleHealth(RoutingContext ctx) {
    var body = health.health();
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    Future<Boolean> detail = header == null ? Future.succeededFuture(false) : isAdmin.apply(header);
    detail.otherwise(false).onComplete(admin -> {
      JsonObject answer = admin.result() ? body : summary(body);
      ctx.response()
          .setStatusCode("DOWN".equals(body.getString("status")) ? 503 : 200)
          .putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store")
          .end(answer.encodePrettily());
    });
  }

  /** @return the overall status and each check's status by name, nothing else */
  static JsonObject summary(JsonObject body) {
    JsonObject checks = new JsonObject();
    JsonObject all = body.getJsonObject("checks");
    all.fieldNames().forEach(name -> checks.put(name, all.getJsonObject(name).getString("status")));
    return new JsonObject().put("status", body.getString("status")).put("checks", checks);
  }

  private void handleMetrics(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape());
  }
}
