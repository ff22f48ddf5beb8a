package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogger;
import io.datahose.archiver.officer.Officer;
import io.datahose.archiver.ops.BackupException;
import io.datahose.archiver.ops.BackupVerifier;
import io.datahose.archiver.ops.Backups;
import io.datahose.archiver.ops.Operations;
import io.datahose.archiver.query.QueryException;
import io.datahose.archiver.retention.Disposal;
import io.datahose.archiver.retention.LegalHoldStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The operations routes that need an officer: {@code POST /api/v1/admin/backups} (role admin; an online, verified
 * backup while capture keeps running, answered with its progress lines; {@code to=DIR}, a directory on the daemon's
 * host instead of {@code backup.dir}, only from the local admin channel: no officer role names host paths; a failed
 * backup is a 500 {@code backup_failed} with the reason, one asked for while the daemon stops a 503 {@code stopping}), {@code POST /api/v1/admin/dispose} (a refused run is a 409
 * {@code refused}) and {@code GET /api/v1/capture?from=&to=} (role officer; coverage and capture
 * gaps of a time range). Handlers run on the event loop; the work runs on workers.
 */
final class OpsApiRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(OpsApiRoutes.class);

  private final Vertx vertx;
  private final Operations ops;
  private final LegalHoldStore holds;

  OpsApiRoutes(Vertx vertx, Operations ops, LegalHoldStore holds) {
    this.vertx = vertx;
    this.ops = ops;
    this.holds = holds;
  }

  void mount(Router router, OfficerAuth auth) {
    router.post("/api/v1/admin/backups").handler(auth.require(Officer.ROLE_ADMIN))
        .handler(ctx -> handleBackup(ctx, auth));
    router.get("/api/v1/capture").handler(auth.require(Officer.ROLE_OFFICER)).handler(this::handleCapture);
    router.get("/api/v1/admin/holds").handler(auth.require(Officer.ROLE_ADMIN)).handler(this::handleHolds);
    router.post("/api/v1/admin/holds").handler(auth.require(Officer.ROLE_ADMIN)).handler(this::handleHoldAdd);
    router.post("/api/v1/admin/holds/:name/release").handler(auth.require(Officer.ROLE_ADMIN))
        .handler(this::handleHoldRelease);
    router.post("/api/v1/admin/dispose").handler(auth.require(Officer.ROLE_ADMIN)).handler(this::handleDispose);
  }

  private static String actor(RoutingContext ctx) {
    Officer officer = ctx.get(AccessLogger.OFFICER);
    return officer == null ? "unknown" : officer.name();
  }

  private static <T> T holdCall(java.util.concurrent.Callable<T> call) throws Exception {
    try {
      return call.call();
    } catch (org.jooq.exception.DataAccessException e) {
      // the retention lock is held by a disposal run: say so instead of a 500
      throw QueryException.conflict("a disposal run is in progress (it holds the retention lock); try again when it "
          + "has ended");
    } catch (LegalHoldStore.HoldException e) {
      throw switch (e.status()) {
        case 404 -> QueryException.notFound(e.getMessage());
        case 409 -> QueryException.conflict(e.getMessage());
        default -> QueryException.badInput(e.getMessage());
      };
    }
  }

  private void handleHolds(RoutingContext ctx) {
    Params.of(ctx, Set.of());
    Respond.object(vertx, ctx, () -> {
      JsonArray list = new JsonArray();
      holds.list().forEach(h -> list.add(h.toJson()));
      return new JsonObject().put("holds", list);
    });
  }

  private void handleHoldAdd(RoutingContext ctx) {
    Params p = Params.of(ctx, Set.of("name", "reason", "streams", "users", "from", "to"));
    String name = p.string("name");
    String reason = p.string("reason");
    if (name == null || reason == null) {
      throw QueryException.badInput("'name' and 'reason' are required");
    }
    List<String> streams = split(p.string("streams"));
    List<Long> users = new ArrayList<>();
    for (String u : split(p.string("users"))) {
      try {
        users.add(Long.parseLong(u));
      } catch (NumberFormatException e) {
        throw QueryException.badInput("'users' must be comma-separated user ids (numbers)");
      }
    }
    OffsetDateTime[] range = p.range();
    Instant from = range[0] == null ? null : range[0].toInstant();
    Instant to = range[1] == null ? null : range[1].toInstant();
    String actor = actor(ctx);
    String path = ctx.request().path();
    Respond.object(vertx, ctx, () -> holdCall(() -> holds.add(name, reason, streams, users, from, to, actor, path)
        .toJson()));
  }

  private void handleHoldRelease(RoutingContext ctx) {
    Params p = Params.of(ctx, Set.of("reason"));
    String reason = p.string("reason");
    if (reason == null) {
      throw QueryException.badInput("'reason' is required");
    }
    String name = ctx.pathParam("name");
    String actor = actor(ctx);
    String path = ctx.request().path();
    Respond.object(vertx, ctx, () -> holdCall(() -> holds.release(name, reason, actor, path).toJson()));
  }

  private void handleDispose(RoutingContext ctx) {
    Params p = Params.of(ctx, Set.of("dryRun", "confirm"));
    boolean dryRun = Boolean.TRUE.equals(p.bool("dryRun"));
    boolean confirm = Boolean.TRUE.equals(p.bool("confirm"));
    Respond.object(vertx, ctx, () -> {
      Disposal.Report report;
      try {
        report = ops.retention().runNow(dryRun, confirm);
      } catch (IllegalStateException e) {
        throw QueryException.conflict("a disposal run is in progress; one at a time");
      }
      if (report.refused() != null) {
        throw new QueryException(409, "refused", report.refused());
      }
      return report.toJson().put("summary", report.describe());
    });
  }

  private static List<String> split(String csv) {
    List<String> out = new ArrayList<>();
    if (csv != null) {
      for (String part : csv.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  private void handleBackup(RoutingContext ctx, OfficerAuth auth) {
    String to = Params.of(ctx, Set.of("to")).string("to");
    if (to != null && !auth.isLocal(ctx)) {
      throw new QueryException(403, "forbidden", "'to' is for the datahose-archiver CLI on the daemon's host");
    }
    if (to != null && !Path.of(to).isAbsolute()) {
      throw QueryException.badInput("'to' must be an absolute directory path");
    }
    Respond.object(vertx, ctx, () -> {
      if (ops.backups().external()) {
        throw QueryException.conflict(Backups.EXTERNAL);
      }
      BackupVerifier.Verification v;
      JsonArray progress = new JsonArray();
      try {
        v = ops.backups().backupNow(to == null ? null : Path.of(to), progress::add);
      } catch (Backups.InProgressException e) {
        throw QueryException.conflict("a backup is already running; one backup at a time");
      } catch (Backups.StoppingException e) {
        throw new QueryException(503, "stopping", e.getMessage()); // not the backup's fault: ask again after the restart
      } catch (BackupException e) {
        LOG.error("BACKUP FAILED: {}", e.getMessage());
        throw new QueryException(500, "backup_failed", e.getMessage()); // for the admin: what to fix
      }
      return new JsonObject()
          .put("progress", progress)
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
