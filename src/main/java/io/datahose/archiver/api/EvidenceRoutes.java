package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogStore;
import io.datahose.archiver.accesslog.AccessLogger;
import io.datahose.archiver.archive.Reprojection;
import io.datahose.archiver.capture.CoverageQueries;
import io.datahose.archiver.evidence.EvidenceService;
import io.datahose.archiver.export.BundleWriter;
import io.datahose.archiver.officer.Officer;
import io.datahose.archiver.query.EventFilter;
import io.datahose.archiver.query.QueryException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The evidence routes: {@code POST /api/v1/admin/verify[?deep=true]} (role admin; a full verify of the running
 * archive, minutes on a large one; 409 while one runs; {@code deep} also re-projects the raw log into a scratch
 * archive in the state directory and compares every projection table, reading the archive in one snapshot
 * transaction so that capture going on meanwhile is not taken for a difference: answered as {@code "deep"}) and {@code GET /api/v1/export/bundle?type=&stream=&user=&from=&to=} (role
 * officer; a self-proving export bundle as a ZIP, built in a private temporary directory on a worker, sent, then
 * deleted). Handlers run on the event loop; the work runs on workers.
 */
final class EvidenceRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(EvidenceRoutes.class);

  private final Vertx vertx;
  private final DSLContext dsl;
  private final EvidenceService evidence;
  private final BundleWriter bundles;
  private final CoverageQueries coverage;
  private final Path scratchParent;
  private final AtomicBoolean deepRunning = new AtomicBoolean();

  EvidenceRoutes(Vertx vertx, DSLContext dsl, EvidenceService evidence, BundleWriter bundles, CoverageQueries coverage,
                 Path scratchParent) {
    this.vertx = vertx;
    this.dsl = dsl;
    this.evidence = evidence;
    this.bundles = bundles;
    this.coverage = coverage;
    this.scratchParent = scratchParent;
  }

  void mount(Router router, OfficerAuth auth) {
    router.post("/api/v1/admin/verify").handler(auth.require(Officer.ROLE_ADMIN)).handler(this::handleVerify);
    router.get("/api/v1/export/bundle").handler(auth.require(Officer.ROLE_OFFICER)).handler(this::handleBundle);
  }

  private void handleVerify(RoutingContext ctx) {
    boolean deep = Boolean.TRUE.equals(Params.of(ctx, Set.of("deep")).bool("deep"));
    Respond.object(vertx, ctx, () -> {
      JsonObject answer;
      try {
        answer = evidence.verifyNow().toJson();
      } catch (IllegalStateException e) {
        throw QueryException.conflict(e.getMessage());
      }
      return deep ? answer.put("deep", deep()) : answer;
    });
  }

  /** Re-projects the raw log and compares (one at a time; never during a disposal run); blocking. */
  private JsonObject deep() {
    if (!deepRunning.compareAndSet(false, true)) {
      throw QueryException.conflict("a deep verification is running already");
    }
    try {
      Reprojection.Result r = evidence.exclusive(() -> Reprojection.checkSnapshot(dsl, scratchParent));
      return new JsonObject().put("ok", r.ok()).put("events", r.events()).put("problems", new JsonArray(r.problems()))
          .put("millis", r.millis()).put("disposed", r.disposed());
    } finally {
      deepRunning.set(false);
    }
  }

  private void handleBundle(RoutingContext ctx) {
    Params p = Params.of(ctx, DirectoryRoutes.EVENT_FILTERS);
    EventFilter filter = DirectoryRoutes.eventFilter(p, false);
    JsonObject filterJson = new JsonObject().put("type", filter.type()).put("stream", filter.stream())
        .put("user", filter.user())
        .put("from", filter.from() == null ? null : filter.from().toInstant().toString())
        .put("to", filter.to() == null ? null : filter.to().toInstant().toString());
    vertx.executeBlocking(() -> {
      Path work = Files.createTempDirectory("datahose-bundle",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      BundleWriter.Written w = bundles.writeZip(work.resolve("bundle.zip"), work.resolve("files"), filter, filterJson,
              coverage.gaps(filter.from(), filter.to()));
      return new Object[] {work, w};
    }, false).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      Path work = (Path) result.result()[0];
      BundleWriter.Written w = (BundleWriter.Written) result.result()[1];
      ctx.put(AccessLogger.RESULT_COUNT, w.count());
      // fail closed as an export: the started row is committed before the first byte, the last row after the file
      AccessLogger.begin(ctx, 200).onComplete(begun -> {
        if (begun.failed()) {
          AccessLogger.unavailable(ctx, begun.cause());
          vertx.executeBlocking(() -> deleteTree(work), false);
          return;
        }
        ctx.response().putHeader("Content-Type", "application/zip")
            .putHeader("Content-Disposition", "attachment; filename=\"datahose-bundle.zip\"")
            .sendFile(work.resolve("bundle.zip").toString())
            .onComplete(sent -> {
              AccessLogger.finish(ctx, sent.succeeded() ? AccessLogStore.COMPLETED : AccessLogStore.ABORTED,
                  sent.succeeded() ? w.count() : 0, ctx.response().bytesWritten())
                  .onFailure(e -> LOG.error("access log: the last row of a bundle could not be written: {}",
                      e.toString()));
              vertx.executeBlocking(() -> deleteTree(work), false);
            });
      });
    });
  }

  private static Void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      LOG.warn("could not delete the bundle scratch directory {}: {}", dir, e.toString());
      throw new UncheckedIOException(e);
    }
    return null;
  }
}
