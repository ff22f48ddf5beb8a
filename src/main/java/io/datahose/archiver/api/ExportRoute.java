package io.datahose.archiver.api;

import io.datahose.archiver.accesslog.AccessLogger;
import io.datahose.archiver.capture.CoverageQueries;
import io.datahose.archiver.export.ExportFormat;
import io.datahose.archiver.export.Exporter;
import io.datahose.archiver.officer.Officer;
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
import java.util.HashSet;
import java.util.HexFormat;
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
 * the first byte resets the connection, so a truncated export never carries a manifest. The access log gets a
 * {@code started} row before the first byte and a {@code completed} row before the manifest, or an {@code aborted}
 * row with the count and bytes sent.
 * <p>
 * {@code format=actiance|eml|csv} (the default is {@code jsonl}, the above) streams a conversation format written
 * by {@link Exporter} on a worker, over the events archived when the request came (see {@link ExportScope}); its
 * access log rows are the same (started, then completed before the last byte, or aborted).
 * <p>
 * {@code GET /api/v1/admin/export?format=&type=&stream=&user=&from=&to=} (the local admin channel only): the export
 * the CLI writes to a file, byte for byte as {@code export --format} writes it with the daemon stopped — every format,
 * jsonl included, by the {@link Exporter} (its manifest carries format, byType and scope).
 */
final class ExportRoute {

  private final CoverageQueries coverage;

  static final int PAGE = 500;
  private static final byte[] LINE_END = "}\n".getBytes(StandardCharsets.US_ASCII);

  private static final Set<String> PARAMS = params();

  private final Vertx vertx;
  private final EventQueries events;
  private final Exporter exporter;

  ExportRoute(Vertx vertx, EventQueries events, CoverageQueries coverage, Exporter exporter) {
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
    router.get("/api/v1/export").handler(auth.require(Officer.ROLE_OFFICER)).handler(this::handleExport);
    router.get("/api/v1/admin/export").handler(auth.requireLocal()).handler(this::handleCliExport);
  }

  /** Export progress, touched only on the event loop. */
  private static final class State {
    final MessageDigest sha256 = sha256();
    long count;
    long bytes;
    long firstSeq;
    long lastSeq;
    boolean finished;

    /** Appends bytes to the response and to the manifest's hash: the hash covers exactly the bytes sent. */
    void append(Buffer buffer, byte[] bytes) {
      sha256.update(bytes);
      buffer.appendBytes(bytes);
      this.bytes += bytes.length;
    }
  }

  private void handleExport(RoutingContext ctx) {
    export(ctx, false);
  }

  private void handleCliExport(RoutingContext ctx) {
    export(ctx, true);
  }

  /** @param allByExporter whether jsonl too is written by the {@link Exporter} (the CLI's export) */
  private void export(RoutingContext ctx, boolean allByExporter) {
    Params params = Params.of(ctx, PARAMS);
    EventFilter filter = DirectoryRoutes.eventFilter(params, false);
    String format = params.oneOf("format", ExportFormat.labels());
    boolean jsonl = !allByExporter && (format == null || format.equals(ExportFormat.JSONL.label()));
    String label = format == null ? ExportFormat.JSONL.label() : format;
    State state = new State();
    // the started row is committed before the first byte leaves: no row, no data
    AccessLogger.begin(ctx, 200).onComplete(begun -> {
      if (begun.failed()) {
        AccessLogger.unavailable(ctx, begun.cause());
        return;
      }
      if (ctx.response().closed()) {
        abort(ctx, state);
        return;
      }
      ctx.response().closeHandler(v -> abort(ctx, state));
      if (!jsonl) {
        exportFormat(ctx, filter, ExportFormat.parse(label), state);
        return;
      }
      ctx.response().setChunked(true)
          .putHeader("Content-Type", "application/x-ndjson")
          .putHeader("Content-Disposition", "attachment; filename=\"datahose-export.jsonl\"");
      nextPage(ctx, filter, state);
    });
  }

  /** Records an export that stopped before its manifest (client gone, or a failure), with what was sent. */
  private static void abort(RoutingContext ctx, State state) {
    if (state.finished) {
      return;
    }
    state.finished = true;
    AccessLogger.finish(ctx, io.datahose.archiver.accesslog.AccessLogStore.ABORTED, state.count, state.bytes)
        .onFailure(e -> LoggerHolder.LOG.error("access log: the aborted row of an export could not be written: {}",
            e.toString()));
  }

  /** A failure mid-stream: recorded as aborted, then the connection is reset (a truncated export has no manifest). */
  private static void failMidStream(RoutingContext ctx, State state, Throwable cause) {
    LoggerHolder.LOG.warn("export failed after {} events: {}", state.count, cause.toString());
    abort(ctx, state);
    ctx.response().reset();
  }

  private static final class LoggerHolder {
    static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExportRoute.class);
  }

  private void exportFormat(RoutingContext ctx, EventFilter filter, ExportFormat format, State state) {
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
        abort(ctx, state);
        return;
      }
      if (result.failed()) {
        if (response.headWritten()) {
          failMidStream(ctx, state, result.cause()); // a truncated export must not look complete
        } else {
          state.finished = true;
          ctx.fail(result.cause());
        }
        return;
      }
      long count = result.result().getLong("count");
      state.count = count;
      ctx.put(AccessLogger.RESULT_COUNT, count);
      AccessLogger.finish(ctx, io.datahose.archiver.accesslog.AccessLogStore.COMPLETED, count, state.bytes)
          .onComplete(written -> {
            if (written.failed()) {
              failMidStream(ctx, state, written.cause());
              return;
            }
            state.finished = true;
            response.end();
          });
    });
  }

  private void nextPage(RoutingContext ctx, EventFilter filter, State state) {
    vertx.executeBlocking(() -> events.exportPage(filter.afterSeq(state.lastSeq, PAGE)), false).onComplete(result -> {
      HttpServerResponse response = ctx.response();
      if (response.closed()) {
        abort(ctx, state);
        return;
      }
      if (result.failed()) {
        failMidStream(ctx, state, result.cause());
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
        abort(ctx, state);
        return;
      }
      if (gaps.failed()) {
        failMidStream(ctx, state, gaps.cause());
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
    byte[] last = (new JsonObject().put("manifest", manifest).encode() + "\n").getBytes(StandardCharsets.UTF_8);
    // the completed row is committed before the manifest leaves: an export without its row has no manifest
    AccessLogger.finish(ctx, io.datahose.archiver.accesslog.AccessLogStore.COMPLETED, state.count, state.bytes + last.length)
        .onComplete(written -> {
          if (written.failed()) {
            failMidStream(ctx, state, written.cause());
            return;
          }
          state.finished = true;
          ctx.response().end(Buffer.buffer(last));
        });
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
