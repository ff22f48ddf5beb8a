package io.datahose.archiver.api;

import io.datahose.archiver.officer.Officer;
import io.datahose.archiver.officer.OfficerStore;
import io.datahose.archiver.officer.OfficerTokens;
import io.datahose.archiver.query.QueryException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Officer management while capture runs (role admin) — stopping the daemon to add an officer would open a capture
 * gap: {@code GET /api/v1/admin/officers}, {@code POST /api/v1/admin/officers?name=&role=} (the token is in the
 * answer, once; only its hash is stored) and {@code DELETE /api/v1/admin/officers/{name}}. Every call is in the
 * access log like any other request. Handlers run on the event loop; the writes on workers.
 */
final class OfficerAdminRoutes {


  private final Vertx vertx;
  private final OfficerStore officers;

  OfficerAdminRoutes(Vertx vertx, OfficerStore officers) {
    this.vertx = vertx;
    this.officers = officers;
  }

  void mount(Router router, OfficerAuth auth) {
    router.get("/api/v1/admin/officers").handler(auth.require(Officer.ROLE_ADMIN)).handler(this::handleList);
    router.post("/api/v1/admin/officers").handler(auth.require(Officer.ROLE_ADMIN)).handler(this::handleAdd);
    router.delete("/api/v1/admin/officers/:name").handler(auth.require(Officer.ROLE_ADMIN))
        .handler(this::handleRevoke);
  }

  private void handleList(RoutingContext ctx) {
    Params.of(ctx, Set.of());
    Respond.object(vertx, ctx, () -> {
      JsonArray items = new JsonArray();
      officers.list().forEach(o -> items.add(new JsonObject().put("name", o.name()).put("role", o.role())
          .put("createdAt", String.valueOf(o.createdAt())).put("revokedAt", o.revokedAt() == null ? null
              : o.revokedAt().toString()).put("active", o.active())));
      return new JsonObject().put("items", items).put("count", items.size());
    });
  }

  private void handleAdd(RoutingContext ctx) {
    Params p = Params.of(ctx, Set.of("name", "role"));
    String name = p.string("name");
    String role = p.oneOf("role", Officer.ROLES);
    String nameProblem = Officer.nameProblem(name);
    if (nameProblem != null) {
      throw QueryException.badInput("'name' " + nameProblem);
    }
    if (role == null) {
      throw QueryException.badInput("'role' is required: " + Officer.ROLES_TEXT);
    }
    String token = OfficerTokens.generate();
    Respond.object(vertx, ctx, () -> {
      officers.add(name, role, OfficerTokens.hash(token));
      return new JsonObject().put("name", name).put("role", role).put("token", token)
          .put("note", "the token is shown only once; only its hash is stored");
    });
  }

  private void handleRevoke(RoutingContext ctx) {
    Params.of(ctx, Set.of());
    String name = ctx.pathParam("name");
    Respond.object(vertx, ctx, () -> {
      if (!officers.revoke(name)) {
        throw QueryException.notFound("no active officer of that name");
      }
      return new JsonObject().put("name", name).put("revoked", true);
    });
  }
}
