package io.datahose.archiver.simulator;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /agent/v3/health/extended}: all UP except a configurable ceservice status. Thread-safe. */
final class Health {

  private volatile boolean ceserviceUp = true;
  private volatile String ceserviceMessage;

  void setCeservice(boolean up, String message) {
    this.ceserviceMessage = message;
    this.ceserviceUp = up;
  }

  void extended(RoutingContext ctx) {
    boolean up = ceserviceUp;
    JsonObject ceservice = new JsonObject().put("authType", "RSA").put("status", up ? "UP" : "DOWN");
    if (!up) {
      ceservice.put("message", ceserviceMessage == null ? "ceservice is not configured" : ceserviceMessage);
    }
    JsonObject body = new JsonObject()
        .put("services", new JsonObject()
            .put("pod", component("26.3.1-120-sim"))
            .put("key_manager", component("26.3.1-120-sim"))
            .put("datafeed", component("2.11.6")))
        .put("status", up ? "UP" : "DOWN")
        .put("users", new JsonObject()
            .put("agentservice", new JsonObject().put("authType", "RSA").put("status", "UP"))
            .put("ceservice", ceservice))
        .put("version", "26.3.1-sim");
    ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static JsonObject component(String version) {
    return new JsonObject().put("status", "UP").put("version", version);
  }
}
