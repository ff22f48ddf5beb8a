package io.datahose.archiver.api;

import io.datahose.archiver.capture.CoverageQueries;
import io.datahose.archiver.officer.Officer;
import io.vertx.core.json.JsonObject;

import io.datahose.archiver.query.StreamQueries;
import io.datahose.archiver.query.TranscriptQuery;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * {@code GET /api/v1/streams?name=&type=&external=}, {@code GET /api/v1/streams/{streamId}?at=T} and
 * {@code GET /api/v1/streams/{streamId}/transcript?from=&to=}. Role: officer. Handlers run on the event loop and
 * query on workers.
 */
final class StreamRoutes {

  private final CoverageQueries coverage;

  private final Vertx vertx;
  private final StreamQueries streams;
  private final TranscriptQuery transcripts;

  StreamRoutes(Vertx vertx, StreamQueries streams, TranscriptQuery transcripts, CoverageQueries coverage) {
    this.coverage = coverage;
    this.vertx = vertx;
    this.streams = streams;
    this.transcripts = transcripts;
  }

  void mount(Router router, OfficerAuth auth) {
    router.get("/api/v1/streams").handler(auth.require(Officer.ROLE_OFFICER)).handler(this::handleList);
    router.get("/api/v1/streams/:streamId").handler(auth.require(Officer.ROLE_OFFICER)).handler(this::handleGet);
    router.get("/api/v1/streams/:streamId/transcript").handler(auth.require(Officer.ROLE_OFFICER))
        .handler(this::handleTranscript);
  }

  private void handleList(RoutingContext ctx) {
    Params p = Params.of(ctx, Set.of("name", "type", "external", "cursor", "limit"));
    String name = p.string("name");
    String type = p.oneOf("type", StreamQueries.TYPES);
    Boolean external = p.bool("external");
    String cursor = p.string("cursor");
    int limit = p.limit();
    Respond.page(vertx, ctx, () -> streams.list(name, type, external, cursor, limit));
  }

  private void handleGet(RoutingContext ctx) {
    Params p = Params.of(ctx, Set.of("at"));
    OffsetDateTime at = p.time("at");
    String id = MessageRoutes.PathIds.id(ctx, "streamId");
    Respond.object(vertx, ctx, () -> streams.get(id, at));
  }

  private void handleTranscript(RoutingContext ctx) {
    Params p = Params.of(ctx, Set.of("from", "to", "cursor", "limit"));
    OffsetDateTime[] range = p.range();
    String cursor = p.string("cursor");
    int limit = p.limit();
    String id = MessageRoutes.PathIds.id(ctx, "streamId");
    // A transcript overlapping a capture gap says so: the conversation may be incomplete there.
    Respond.page(vertx, ctx, () -> transcripts.page(id, range[0], range[1], cursor, limit),
        () -> new JsonObject().put("captureGaps", coverage.gaps(range[0], range[1])));
  }
}
