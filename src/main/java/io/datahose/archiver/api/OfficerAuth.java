package io.datahose.archiver.api;

import io.datahose.archiver.query.OfficerStore;
import io.datahose.archiver.query.OfficerStore.Officer;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * Bearer-token authentication of {@code /api/v1} and reusable role checks. {@link #handleAuthenticate} answers 401
 * for a missing, unknown or revoked token (the same answer for all three) and otherwise puts the {@link Officer}
 * in the context under {@value #OFFICER}; {@link #require} answers 403 to any other role. The token lookup runs
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

  void handleAuthenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)
        || header.length() > 300) {
      ApiErrors.send(ctx, 401, "unauthorized", "send Authorization: Bearer <officer token>");
      return;
    }
    String hash = OfficerTokens.hash(header.substring(7).trim());
    StringBuilder stored = new StringBuilder();
    vertx.executeBlocking(() -> officers.byTokenHash(hash, stored)).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      Optional<Officer> officer = result.result();
      if (officer.isEmpty() || !OfficerTokens.sameHash(hash, stored.toString()) || !officer.get().active()) {
        ApiErrors.send(ctx, 401, "unauthorized", "the token is not valid (unknown or revoked)");
        return;
      }
      ctx.put(OFFICER, officer.get());
      ctx.next();
    });
  }

  /** @return a handler letting only officers of {@code role} through, 403 for the others */
  Handler<RoutingContext> require(String role) {
    return ctx -> {
      Officer officer = ctx.get(OFFICER);
      if (officer == null || !officer.role().equals(role)) {
        ApiErrors.send(ctx, 403, "forbidden", "this route needs the role '" + role + "'");
        return;
      }
      ctx.next();
    };
  }
}
