package io.datahose.archiver.export;

import io.datahose.archiver.capture.CoverageQueries;
import io.datahose.archiver.query.ConversationQueries;
import io.datahose.archiver.query.EventQueries;
import io.datahose.archiver.query.ExportScope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes an export of a scope in one format to a stream, ending with (ZIP: carrying) the manifest
 * {@code {format, count, firstSeq, lastSeq, byType, sha256, captureGaps, scope, …counts of the format}}: jsonl and
 * csv end with a manifest line/row, actiance with a {@code <!-- manifest … -->} comment after the root element,
 * eml with a {@code manifest.json} entry. {@code sha256} covers every byte before the manifest (for eml: the
 * entries' bytes, in order; each entry's own hash is listed). Memory does not grow with the export: pages of events
 * are read and written one at a time. Blocking: call on a worker or a CLI thread; the caller owns {@code out}.
 */
public final class Exporter {

  /** Default cap of an EML message's bodies before the conversation is split into another message. */
  public static final long EML_MAX_BYTES = 50_000_000;

  private final ConversationQueries conversations;
  private final EventQueries events;
  private final CoverageQueries coverage;
  private final long emlMaxBytes;

  public Exporter(ConversationQueries conversations, EventQueries events, CoverageQueries coverage, long emlMaxBytes) {
    this.conversations = conversations;
    this.events = events;
    this.coverage = coverage;
    this.emlMaxBytes = emlMaxBytes;
  }

  /** @return the highest seq archived now: an export started now covers seq up to it */
  public long maxSeq() {
    return conversations.maxSeq();
  }

  /** @return the number of events in the scope */
  public long count(ExportScope scope) {
    return conversations.summary(scope).total();
  }

  /** @return the manifest written */
  public JsonObject write(ExportFormat format, ExportScope scope, OutputStream out) throws IOException {
    return switch (format) {
      case JSONL -> jsonl(scope, out);
      case ACTIANCE -> actiance(scope, out);
      case CSV -> csv(scope, out);
      case EML -> {
        ZipTarget zip = new ZipTarget(out);
        JsonObject manifest = eml(scope, zip);
        zip.finish(manifest);
        yield manifest;
      }
    };
  }

  /** Writes the EML messages of a scope to {@code target} (a ZIP, an SMTP server). @return the manifest */
  public JsonObject eml(ExportScope scope, EmlWriter.EmlTarget target) throws IOException {
    ConversationQueries.Summary summary = conversations.summary(scope);
    ExportStats stats = new ExportStats();
    Path temp = tempDir();
    try {
      walk(scope, new EmlWriter(target, emlMaxBytes, temp, stats), stats);
    } finally {
      deleteTree(temp);
    }
    return manifest(ExportFormat.EML, scope, summary, stats, null);
  }

  private JsonObject actiance(ExportScope scope, OutputStream out) throws IOException {
    return withManifest(ExportFormat.ACTIANCE, scope, out, ActianceWriter::new);
  }

  private JsonObject csv(ExportScope scope, OutputStream out) throws IOException {
    return withManifest(ExportFormat.CSV, scope, out, CsvWriter::new);
  }

  /** Makes the writer of a format on the stream it writes. */
  private interface WriterOn {
    ConversationSink.WithManifest open(OutputStream out) throws IOException;
  }

  /**
   * A format whose manifest follows its body in {@code out} (actiance, csv): the conversations walked into the writer
   * {@code writerOn} makes, hashed, then the manifest carrying that sha256. @return the manifest
   */
  private JsonObject withManifest(ExportFormat format, ExportScope scope, OutputStream out, WriterOn writerOn)
      throws IOException {
    ConversationQueries.Summary summary = conversations.summary(scope);
    ExportStats stats = new ExportStats();
    HashingOutput hashed = new HashingOutput(out);
    ConversationSink.WithManifest writer = writerOn.open(hashed);
    walk(scope, writer, stats);
    writer.endBody();
    JsonObject manifest = manifest(format, scope, summary, stats, hashed.digestHex());
    writer.writeManifest(manifest);
    return manifest;
  }

  private void walk(ExportScope scope, ConversationSink sink, ExportStats stats) throws IOException {
    new ConversationWalk(conversations, new People(conversations)).run(scope, sink, stats);
  }

  private JsonObject jsonl(ExportScope scope, OutputStream out) throws IOException {
    ConversationQueries.Summary summary = conversations.summary(scope);
    HashingOutput hashed = new HashingOutput(out);
    long last = scope.afterSeq();
    long count = 0;
    page:
    while (true) {
      List<EventQueries.Line> lines = events.exportPage(scope.page(last, ConversationWalk.PAGE));
      if (lines.isEmpty()) {
        break;
      }
      for (EventQueries.Line line : lines) {
        if (line.seq() > scope.throughSeq()) {
          break page;
        }
        hashed.write(line.members());
        hashed.write(line.event()); // the received bytes, verbatim
        hashed.write('}');
        hashed.write('\n');
        count++;
        last = line.seq();
      }
    }
    JsonObject manifest = manifest(ExportFormat.JSONL, scope, summary, null, hashed.digestHex());
    if (manifest.getLong("count") != count) {
      throw new IOException("the archive changed during the export: " + count + " lines, " + manifest.getLong("count")
          + " events in scope");
    }
    hashed.write((new JsonObject().put("manifest", manifest).encode() + "\n").getBytes(StandardCharsets.UTF_8));
    hashed.flush();
    return manifest;
  }

  private JsonObject manifest(ExportFormat format, ExportScope scope, ConversationQueries.Summary summary,
                              ExportStats stats, String sha256) {
    JsonObject byType = new JsonObject();
    summary.byType().forEach(byType::put);
    JsonObject manifest = new JsonObject().put("format", format.label()).put("count", summary.total())
        .put("firstSeq", summary.firstSeq()).put("lastSeq", summary.lastSeq()).put("byType", byType);
    if (stats != null) {
      manifest.mergeIn(stats.toJson(summary.byType()));
    }
    if (sha256 != null) {
      manifest.put("sha256", sha256);
    }
    return manifest.put("captureGaps", gaps(scope, summary)).put("scope", scopeJson(scope));
  }

  /** The capture gaps of the time the scope covers: its filter's range, else its events' [first occurred, last received]. */
  private JsonArray gaps(ExportScope scope, ConversationQueries.Summary summary) {
    OffsetDateTime from = scope.from() != null ? scope.from() : summary.firstOccurredAt();
    OffsetDateTime to = scope.to() != null ? scope.to() : summary.lastReceivedAt() == null ? null
        : summary.lastReceivedAt().plusNanos(1_000_000);
    return coverage.gaps(from, to);
  }

  private static JsonObject scopeJson(ExportScope s) {
    return new JsonObject().put("type", s.type()).put("stream", s.stream()).put("user", s.user())
        .put("from", s.from() == null ? null : s.from().toInstant().toString())
        .put("to", s.to() == null ? null : s.to().toInstant().toString())
        .put("afterSeq", s.afterSeq()).put("throughSeq", s.throughSeq());
  }

  private static Path tempDir() throws IOException {
    try {
      return Files.createTempDirectory("datahose-eml",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      return Files.createTempDirectory("datahose-eml");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
