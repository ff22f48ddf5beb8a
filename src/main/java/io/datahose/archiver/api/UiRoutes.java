package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogger;
import io.datahose.archiver.officer.Officer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.Set;

/**
 * The officer web UI: {@code GET /} (the page) and {@code GET /ui/*} (its scripts, styles and icon, bundled in the
 * jar under {@code ui/}), served with a strict Content-Security-Policy (same-origin scripts, styles, images and
 * connections only; no inline script, no frames). The page holds no data: it calls the JSON API with the token the
 * officer typed, so authentication, roles and the access log apply to it unchanged. Also
 * {@code GET /api/v1/session} (any role): who the token belongs to, so the page shows only the screens of that role.
 * Handlers run on the event loop; the static files are read asynchronously by Vert.x.
 */
final class UiRoutes {

  /** Same origin only; nothing inline, nothing framed, no plugins; forms and base URLs pinned to this host. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
      + "frame-ancestors 'none'; object-src 'none'";

  private UiRoutes() {
  }

  /** Mounts the page and its assets; call before the access logger (static files are not archive access). */
  static void mountPage(Router router) {
    StaticHandler assets = StaticHandler.create("ui").setIndexPage("index.html").setDirectoryListing(false)
        .setIncludeHidden(false).setCachingEnabled(false);
    router.get("/").handler(UiRoutes::securityHeaders).handler(assets);
    // a wildcard route: StaticHandler serves /ui/app.js from ui/app.js (the route's prefix is stripped)
    router.get("/ui/*").handler(UiRoutes::securityHeaders).handler(assets);
  }

  /** Mounts {@code GET /api/v1/session} for any authenticated officer. */
  static void mountSession(Router router, OfficerAuth auth) {
    router.get("/api/v1/session").handler(auth.authenticated()).handler(UiRoutes::handleSession);
  }

  private static void handleSession(RoutingContext ctx) {
    Params.of(ctx, Set.of());
    Officer officer = ctx.get(AccessLogger.OFFICER);
    ctx.put(AccessLogger.RESULT_COUNT, 1);
    ctx.response().putHeader("Cache-Control", "no-store");
    AccessLogger.end(ctx, 200, "application/json",
        new JsonObject().put("name", officer.name()).put("role", officer.role()).toBuffer());
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin")
        .putHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        .putHeader("Cache-Control", "no-cache");
    ctx.next();
  }
}
