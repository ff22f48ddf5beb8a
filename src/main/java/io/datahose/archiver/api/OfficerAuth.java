package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogger;
import io.datahose.archiver.officer.Officer;
import io.datahose.archiver.officer.OfficerAuthenticator;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * Bearer-token authentication of {@code /api/v1}, per route: {@link #require} answers 401 for a missing, unknown or
 * revoked token (the same answer for all three), 403 for another role, and otherwise puts the {@link Officer} in
 * the context under {@link AccessLogger#OFFICER}. Who a token names is the {@link OfficerAuthenticator}'s decision; the
 * {@link io.datahose.archiver.officer.LocalAdmin local admin channel}'s principal passes every role check, and only
 * it passes {@link #requireLocal}. Handlers run on the event loop.
 */
final class OfficerAuth {

  private final OfficerAuthenticator authenticator;

  OfficerAuth(OfficerAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  /**
   * @return the route's first handler: records the route template for the access log, then authenticates the
   *     bearer token (401 for a missing, unknown or revoked one, the same answer for all three; a revoked officer
   *     is still named in the access log) and lets only officers of {@code role} through (403 for the others)
   */
  Handler<RoutingContext> require(String role) {
    return check(role, false);
  }

  /**
   * @return as {@link #require}, letting only the local admin channel's principal through (403 for every officer):
   *     for routes that act on the daemon's host on the CLI's behalf (a backup into a directory it names, the CLI's
   *     own export), which no officer role covers
   */
  Handler<RoutingContext> requireLocal() {
    return check(null, true);
  }

  private Handler<RoutingContext> check(String role, boolean localOnly) {
    return ctx -> {
      ctx.put(AccessLogger.ROUTE, ctx.currentRoute().getPath());
      authenticator.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).onComplete(result -> {
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
        ctx.put(AccessLogger.OFFICER, officer.get());
        if (isLocal(ctx)) {
          ctx.next(); // whoever reads the state directory could open the archive file itself
          return;
        }
        if (localOnly) {
          ApiErrors.send(ctx, 403, "forbidden", "this route is for the datahose-archiver CLI on the daemon's host");
          return;
        }
        if (role != null && !officer.get().role().equals(role)) {
          ApiErrors.send(ctx, 403, "forbidden", "this route needs the role '" + role + "'");
          return;
        }
        ctx.next();
      });
    };
  }

  /** @return whether the request was authenticated as the local admin channel's principal */
  boolean isLocal(RoutingContext ctx) {
    return authenticator.isLocal(ctx.get(AccessLogger.OFFICER));
  }

  /** @return as {@link #require} for any role: the route needs a valid token only */
  Handler<RoutingContext> authenticated() {
    return require(null);
  }
}
