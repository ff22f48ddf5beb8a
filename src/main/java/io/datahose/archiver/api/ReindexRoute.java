package io.datahose.archiver.api;

import io.datahose.archiver.officer.Officer;
import io.datahose.archiver.search.SearchIndexer;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * {@code POST /api/v1/admin/reindex} (role admin): empties the message search index and rebuilds it from the archive,
 * the source of truth, while capture runs (the CLI's {@code reindex} through the daemon, which owns the index).
 * The rebuild runs on the indexing thread, after the catch-up in flight; searches wait for it. Answers
 * {@code {"indexed": n, "millis": t}}. The handler runs on the event loop.
 */
final class ReindexRoute {

  private final SearchIndexer indexer;
  private final WorkerExecutor indexing;

  ReindexRoute(SearchIndexer indexer, WorkerExecutor indexing) {
    this.indexer = indexer;
    this.indexing = indexing;
  }

  void mount(Router router, OfficerAuth auth) {
    router.post("/api/v1/admin/reindex").handler(auth.require(Officer.ROLE_ADMIN)).handler(this::handleReindex);
  }

  private void handleReindex(RoutingContext ctx) {
    Params.of(ctx, Set.of());
    Respond.object(ctx, indexing.executeBlocking(() -> {
      long started = System.nanoTime();
      long indexed = indexer.rebuild();
      return new JsonObject().put("indexed", indexed).put("millis", (System.nanoTime() - started) / 1_000_000);
    }, false));
  }
}
