package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogStore;
import io.datahose.archiver.officer.Officer;
import io.datahose.archiver.query.EventFilter;
import io.datahose.archiver.query.EventQueries;
import io.datahose.archiver.query.UserQueries;
import io.datahose.archiver.symphony.EventTypes;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * {@code GET /api/v1/users?q=}, {@code GET /api/v1/users/{userId}}, {@code GET /api/v1/events?type=&stream=&user=&from=&to=}
 * (role officer) and {@code GET /api/v1/access-log?officer=&from=&to=} (role auditor). Handlers run on the event
 * loop and query on workers.
 */
final class DirectoryRoutes {

  static final Set<String> EVENT_FILTERS = Set.of("type", "stream", "user", "from", "to");

  private final Vertx vertx;
  private final UserQueries users;
  private final EventQueries events;
  private final AccessLogStore accessLog;

  DirectoryRoutes(Vertx vertx, UserQueries users, EventQueries events, AccessLogStore accessLog) {
    this.vertx = vertx;
    this.users = users;
    this.events = events;
    this.accessLog = accessLog;
  }

  void mount(Router router, OfficerAuth auth) {
    router.get("/api/v1/users").handler(auth.require(Officer.ROLE_OFFICER)).handler(this::handleUsers);
    router.get("/api/v1/users/:userId").handler(auth.require(Officer.ROLE_OFFICER)).handler(this::handleUser);
    router.get("/api/v1/events").handler(auth.require(Officer.ROLE_OFFICER)).handler(this::handleEvents);
    router.get("/api/v1/access-log").handler(auth.require(Officer.ROLE_AUDITOR)).handler(this::handleAccessLog);
  }

  private void handleUsers(RoutingContext ctx) {
    Params p = Params.of(ctx, Set.of("q", "cursor", "limit"));
    String q = p.string("q");
    String cursor = p.string("cursor");
    int limit = p.limit();
    Respond.page(vertx, ctx, () -> users.list(q, cursor, limit));
  }

  private void handleUser(RoutingContext ctx) {
    Params.of(ctx, Set.of());
    long userId = MessageRoutes.PathIds.userId(ctx);
    Respond.object(vertx, ctx, () -> users.get(userId));
  }

  private void handleEvents(RoutingContext ctx) {
    EventFilter filter = eventFilter(Params.of(ctx, Set.of("type", "stream", "user", "from", "to", "cursor", "limit")),
        true);
    Respond.page(vertx, ctx, () -> events.list(filter));
  }

  private void handleAccessLog(RoutingContext ctx) {
    Params p = Params.of(ctx, Set.of("officer", "from", "to", "cursor", "limit"));
    String officer = p.string("officer");
    OffsetDateTime[] range = p.range();
    String cursor = p.string("cursor");
    int limit = p.limit();
    Respond.page(vertx, ctx, () -> accessLog.page(officer, range[0], range[1], cursor, limit));
  }

  /** @return the event filters of {@code p}; with {@code paged}, also its cursor and limit */
  static EventFilter eventFilter(Params p, boolean paged) {
    OffsetDateTime[] range = p.range();
    return new EventFilter(p.oneOf("type", EventTypes.ALL), p.string("stream"), p.longValue("user"), range[0],
        range[1], paged ? p.string("cursor") : null, paged ? p.limit() : Params.MAX_LIMIT);
  }
}
