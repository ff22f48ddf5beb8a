package io.datahose.archiver.api;

import io.datahose.archiver.query.OfficerStore;
import io.datahose.archiver.query.OfficerStore.Officer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * Bearer-token authentication of {@code /api/v1}, per route: {@link #require} answers 401 for a missing, unknown or
 * revoked token (the same answer for all three), 403 for another role, and otherwise puts the {@link Officer} in
 * the context under {@value #OFFICER}. The token lookup runs
 * off the event loop; handlers run on the event loop.
 */
final class OfficerAuth {

  static final String OFFICER = "officer";
  static final String ROLE_OFFICER = "officer";
  static final String ROLE_AUDITOR = "auditor";
  static final String ROLE_ADMIN = "admin";

  private final Vertx vertx;
  private final OfficerStore officers;

  OfficerAuth(Vertx vertx, OfficerStore officers) {
    this.vertx = vertx;
    this.officers = officers;
  }

  /**
   * @return the route's first handler: records the route template for the access log, then authenticates the
   *     bearer token (401 for a missing, unknown or revoked one, the same answer for all three; a revoked officer
   *     is still named in the access log) and lets only officers of {@code role} through (403 for the others)
   */
  Handler<RoutingContext> require(String role) {
    return ctx -> {
      ctx.put(AccessLogger.ROUTE, ctx.currentRoute().getPath());
      authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).onComplete(result -> {
        if (result.failed()) {
          ctx.fail(result.cause());
          return;
        }
        Optional<Officer> officer = result.result();
        if (officer.isEmpty()) {
          ApiErrors.send(ctx, 401, "unauthorized", "send Authorization: Bearer <officer token> with a valid token");
          return;
        }
        if (!officer.get().active()) {
          ctx.put(AccessLogger.REFUSED_OFFICER, officer.get().name());
          ApiErrors.send(ctx, 401, "unauthorized", "send Authorization: Bearer <officer token> with a valid token");
          return;
        }
        ctx.put(OFFICER, officer.get());
        if (role != null && !officer.get().role().equals(role)) {
          ApiErrors.send(ctx, 403, "forbidden", "this route needs the role '" + role + "'");
          return;
        }
        ctx.next();
      });
    };
  }

  /** @return as {@link #require} for any role: the route needs a valid token only */
  Handler<RoutingContext> authenticated() {
    return require(null);
  }

  /**
   * Looks up the officer of an {@code Authorization: Bearer} header off the event loop.
   *
   * @return a future of the officer (revoked ones too: check {@link Officer#active()}), empty for no, a malformed
   *     or an unknown token
   */
  Future<Optional<Officer>> authenticate(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)
        || header.length() > 300) {
      return Future.succeededFuture(Optional.empty());
    }
    String hash = OfficerTokens.hash(header.substring(7).trim());
    return vertx.executeBlocking(() -> {
      StringBuilder stored = new StringBuilder();
      Optional<Officer> officer = officers.byTokenHash(hash, stored);
      return officer.isPresent() && OfficerTokens.sameHash(hash, stored.toString()) ? officer : Optional.empty();
    });
  }
}
