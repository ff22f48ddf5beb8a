package io.datahose.archiver.api;

import io.datahose.archiver.ops.BackupVerifier;
import io.datahose.archiver.ops.Backups;
import io.datahose.archiver.ops.Operations;
import io.datahose.archiver.query.QueryException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * The operations routes that need an officer: {@code POST /api/v1/admin/backups} (role admin; an online, verified
 * backup while capture keeps running) and {@code GET /api/v1/capture?from=&to=} (role officer; coverage and capture
 * gaps of a time range). Handlers run on the event loop; the work runs on workers.
 */
final class OpsApiRoutes {

  private final Vertx vertx;
  private final Operations ops;

  OpsApiRoutes(Vertx vertx, Operations ops) {
    this.vertx = vertx;
    this.ops = ops;
  }

  void mount(Router router, OfficerAuth auth) {
    router.post("/api/v1/admin/backups").handler(auth.require(OfficerAuth.ROLE_ADMIN)).handler(this::handleBackup);
    router.get("/api/v1/capture").handler(auth.require(OfficerAuth.ROLE_OFFICER)).handler(this::handleCapture);
  }

  private void handleBackup(RoutingContext ctx) {
    Params.of(ctx, Set.of());
    Respond.object(vertx, ctx, () -> {
      BackupVerifier.Verification v;
      try {
        v = ops.backups().backupNow();
      } catch (Backups.InProgressException e) {
        throw QueryException.conflict("a backup is already running; one backup at a time");
      }
      return new JsonObject()
          .put("file", v.file().toString())
          .put("schemaVersion", v.schemaVersion())
          .put("events", v.events())
          .put("lastSeq", v.lastSeq())
          .put("feedCursors", v.cursors())
          .put("verified", true)
          .put("verification", v.describe());
    });
  }

  private void handleCapture(RoutingContext ctx) {
    Params p = Params.of(ctx, Set.of("from", "to"));
    OffsetDateTime[] range = p.range();
    if (range[0] == null || range[1] == null) {
      throw QueryException.badInput("'from' and 'to' are both required");
    }
    Instant from = range[0].toInstant();
    Instant to = range[1].toInstant();
    Respond.object(vertx, ctx, () -> ops.coverage().coverage(from, to));
  }
}
