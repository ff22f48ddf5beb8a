package io.datahose.archiver.api;

import io.datahose.archiver.officer.Officer;
import io.datahose.archiver.query.MessageDetail;
import io.datahose.archiver.query.MessageFilter;
import io.datahose.archiver.query.MessageQueries;
import io.datahose.archiver.query.QueryException;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * {@code GET /api/v1/messages} (filters: user, participant, stream, from, to, q, external, hasAttachments; keyset
 * paged in archive order) and {@code GET /api/v1/messages/{messageId}}. Role: officer. Handlers run on the event
 * loop and query on workers.
 */
final class MessageRoutes {

  private static final Set<String> LIST_PARAMS = Set.of("user", "participant", "stream", "from", "to", "q", "external",
      "hasAttachments", "cursor", "limit");

  private final Vertx vertx;
  private final MessageQueries messages;
  private final MessageDetail detail;

  MessageRoutes(Vertx vertx, MessageQueries messages, MessageDetail detail) {
    this.vertx = vertx;
    this.messages = messages;
    this.detail = detail;
  }

  void mount(Router router, OfficerAuth auth) {
    router.get("/api/v1/messages").handler(auth.require(Officer.ROLE_OFFICER)).handler(this::handleList);
    router.get("/api/v1/messages/:messageId").handler(auth.require(Officer.ROLE_OFFICER)).handler(this::handleGet);
  }

  private void handleList(RoutingContext ctx) {
    Params p = Params.of(ctx, LIST_PARAMS);
    OffsetDateTime[] range = p.range();
    MessageFilter filter = new MessageFilter(p.longValue("user"), p.longValue("participant"), p.string("stream"),
        range[0], range[1], p.bool("external"), p.bool("hasAttachments"), p.string("q"), p.string("cursor"), p.limit());
    Respond.page(vertx, ctx, () -> messages.list(filter));
  }

  private void handleGet(RoutingContext ctx) {
    Params.of(ctx, Set.of());
    String id = PathIds.id(ctx, "messageId");
    Respond.object(vertx, ctx, () -> detail.get(id));
  }

  /** Path parameter checks shared by the routes. */
  static final class PathIds {
    private PathIds() {
    }

    static String id(RoutingContext ctx, String name) {
      String value = ctx.pathParam(name);
      if (value == null || value.isEmpty() || value.length() > 256 || value.indexOf('\uFFFD') >= 0) {
        throw QueryException.badInput("'" + name + "' must be 1..256 characters of valid UTF-8");
      }
      return value;
    }

    static long userId(RoutingContext ctx) {
      try {
        return Long.parseLong(ctx.pathParam("userId"));
      } catch (NumberFormatException e) {
        throw QueryException.badInput("'userId' must be a number (a Symphony user id)");
      }
    }
  }
}
