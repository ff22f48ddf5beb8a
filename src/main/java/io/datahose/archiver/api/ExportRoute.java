package io.datahose.archiver.api;

import io.datahose.archiver.export.ExportFormat;
import io.datahose.archiver.export.Exporter;
import io.datahose.archiver.query.CaptureCoverage;
import io.datahose.archiver.query.ExportScope;
import io.vertx.core.json.JsonArray;

import io.datahose.archiver.query.EventFilter;
import io.datahose.archiver.query.EventQueries;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/export?type=&stream=&user=&from=&to=} (role officer): the raw events in archive order as JSON
 * Lines, then one manifest line {@code {"manifest": {count, firstSeq, lastSeq, sha256, captureGaps}}} where sha256
 * covers every byte before the manifest line. Each event line is the {@code /events} envelope with
 * {@code rawSha256}, then, as its last member, {@code "event":} followed by the bytes Symphony sent, verbatim, and
 * {@code "}"}: SHA-256 of the text between the first {@code ,"event":} and the final {@code "}"} is
 * {@code rawSha256} (see {@link EventQueries.Line}). Constant memory: one page of {@value #PAGE} events is read on
 * a worker, written, and the next page is read only once the response's write queue has drained. A failure after
 * the first byte resets the connection, so a truncated export never carries a manifest.
 * <p>
 * {@code format=actiance|eml|csv} (the default is {@code jsonl}, the above) streams a conversation format written
 * by {@link Exporter} on a worker, over the events archived when the request came (see {@link ExportScope}).
 */
final class ExportRoute {

  private final CaptureCoverage coverage;

  static final int PAGE = 500;
  private static final byte[] LINE_END = "}\n".getBytes(StandardCharsets.US_ASCII);

  private static final Set<String> PARAMS = params();

  private final Vertx vertx;
  private final EventQueries events;
  private final Exporter exporter;

  ExportRoute(Vertx vertx, EventQueries events, CaptureCoverage coverage, Exporter exporter) {
    this.coverage = coverage;
    this.vertx = vertx;
    this.events = events;
    this.exporter = exporter;
  }

  private static Set<String> params() {
    Set<String> names = new HashSet<>(DirectoryRoutes.EVENT_FILTERS);
    names.add("format");
    return Set.copyOf(names);
  }

  void mount(Router router, OfficerAuth auth) {
    router.get("/api/v1/export").handler(auth.require(OfficerAuth.ROLE_OFFICER)).handler(this::handleExport);
  }

  /** Export progress, touched only on the event loop. */
  private static final class State {
    final MessageDigest sha256 = sha256();
    long count;
    long firstSeq;
    long lastSeq;

    /** Appends bytes to the response and to the manifest's hash: the hash covers exactly the bytes sent. */
    void append(Buffer buffer, byte[] bytes) {
      sha256.update(bytes);
      buffer.appendBytes(bytes);
    }
  }

  private void handleExport(RoutingContext ctx) {
    Params params = Params.of(ctx, PARAMS);
    EventFilter filter = DirectoryRoutes.eventFilter(params, false);
    String format = params.oneOf("format", ExportFormat.labels());
    if (format != null && !format.equals(ExportFormat.JSONL.label())) {
      exportFormat(ctx, filter, ExportFormat.parse(format));
      return;
    }
    ctx.response().setChunked(true)
        .putHeader("Content-Type", "application/x-ndjson")
        .putHeader("Content-Disposition", "attachment; filename=\"datahose-export.jsonl\"");
    nextPage(ctx, filter, new State());
  }

  private void exportFormat(RoutingContext ctx, EventFilter filter, ExportFormat format) {
    HttpServerResponse response = ctx.response().setChunked(true)
        .putHeader("Content-Type", format.contentType())
        .putHeader("Content-Disposition", "attachment; filename=\"datahose-export." + format.extension() + "\"");
    vertx.executeBlocking(() -> {
      ExportScope scope = ExportScope.of(filter, 0, exporter.maxSeq());
      ResponseOutput out = new ResponseOutput(response);
      JsonObject manifest = exporter.write(format, scope, out);
      out.flush();
      return manifest;
    }, false).onComplete(result -> {
      if (response.closed()) {
        return;
      }
      if (result.failed()) {
        if (response.headWritten()) {
          response.reset(); // a truncated export must not look complete
        } else {
          ctx.fail(result.cause());
        }
        return;
      }
      ctx.put(AccessLogger.RESULT_COUNT, result.result().getLong("count"));
      response.end();
    });
  }

  private void nextPage(RoutingContext ctx, EventFilter filter, State state) {
    vertx.executeBlocking(() -> events.exportPage(filter.afterSeq(state.lastSeq, PAGE)), false).onComplete(result -> {
      HttpServerResponse response = ctx.response();
      if (response.closed()) {
        return;
      }
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      List<EventQueries.Line> lines = result.result();
      if (lines.isEmpty()) {
        finishWithGaps(ctx, filter, state);
        return;
      }
      Buffer buffer = Buffer.buffer(lines.stream().mapToInt(l -> l.members().length + l.event().length + 2).sum());
      for (EventQueries.Line line : lines) {
        state.append(buffer, line.members());
        state.append(buffer, line.event()); // the received bytes, as they are: never decoded or re-encoded here
        state.append(buffer, LINE_END);
        if (state.count++ == 0) {
          state.firstSeq = line.seq();
        }
        state.lastSeq = line.seq();
      }
      response.write(buffer);
      if (response.writeQueueFull()) {
        response.drainHandler(v -> nextPage(ctx, filter, state));
      } else {
        nextPage(ctx, filter, state);
      }
    });
  }

  private void finishWithGaps(RoutingContext ctx, EventFilter filter, State state) {
    // An export overlapping a capture gap says so in its manifest: the archive may be incomplete there.
    vertx.executeBlocking(() -> coverage.gaps(filter.from(), filter.to()), false).onComplete(gaps -> {
      if (ctx.response().closed()) {
        return;
      }
      if (gaps.failed()) {
        ctx.fail(gaps.cause());
        return;
      }
      finish(ctx, state, gaps.result());
    });
  }

  private static void finish(RoutingContext ctx, State state, JsonArray gaps) {
    JsonObject manifest = new JsonObject().put("count", state.count)
        .put("firstSeq", state.count == 0 ? null : state.firstSeq)
        .put("lastSeq", state.count == 0 ? null : state.lastSeq)
        .put("sha256", HexFormat.of().formatHex(state.sha256.digest()))
        .put("captureGaps", gaps);
    ctx.put(AccessLogger.RESULT_COUNT, state.count);
    ctx.response().end(new JsonObject().put("manifest", manifest).encode() + "\n");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
