package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogger;
import io.datahose.archiver.query.Page;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.Callable;

/**
 * Runs a query off the event loop on the bounded {@link QueryPool} (unordered so requests do not queue behind each
 * other; a full pool answers 503) and answers 200 with its JSON once its access-log row is written
 * ({@link AccessLogger#end}), with the result count; a failure goes to the router's failure handler. Called on the
 * event loop.
 */
final class Respond {

  private Respond() {
  }

  static void page(Vertx vertx, RoutingContext ctx, Callable<Page> query) {
    QueryPool.of(vertx).submit(query).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      ctx.put(AccessLogger.RESULT_COUNT, result.result().items().size());
      send(ctx, result.result().toJson());
    });
  }

  /** As {@link #page(Vertx, RoutingContext, Callable)}, with the fields of {@code extra} added to the answer. */
  static void page(Vertx vertx, RoutingContext ctx, Callable<Page> query, Callable<JsonObject> extra) {
    QueryPool.of(vertx).submit(() -> {
      Page page = query.call();
      ctx.put(AccessLogger.RESULT_COUNT, page.items().size());
      return page.toJson().mergeIn(extra.call());
    }).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      send(ctx, result.result());
    });
  }

  static void object(Vertx vertx, RoutingContext ctx, Callable<JsonObject> query) {
    object(ctx, QueryPool.of(vertx).submit(query));
  }

  /** As {@link #object(Vertx, RoutingContext, Callable)} for work already submitted elsewhere (its own thread). */
  static void object(RoutingContext ctx, Future<JsonObject> work) {
    work.onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      ctx.put(AccessLogger.RESULT_COUNT, 1);
      send(ctx, result.result());
    });
  }

  private static void send(RoutingContext ctx, JsonObject json) {
    AccessLogger.end(ctx, 200, "application/json", json.toBuffer());
  }
}
