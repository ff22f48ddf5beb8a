package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.capture.CoverageQueries;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.TreeHeads;
import io.datahose.archiver.export.Bundle;
import io.datahose.archiver.export.BundleWriter;
import io.datahose.archiver.export.ExportFormat;
import io.datahose.archiver.export.ExportManifests;
import io.datahose.archiver.export.Exporter;
import io.datahose.archiver.query.ConversationQueries;
import io.datahose.archiver.query.EventFilter;
import io.datahose.archiver.query.EventQueries;
import io.datahose.archiver.query.ExportScope;
import io.datahose.archiver.symphony.EventTypes;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code export --config FILE --format jsonl|actiance|eml|csv --out FILE [--type T] [--stream S] [--user U]
 * [--from T] [--to T]}: the export {@link Exporter} writes, to {@code .<FILE>.partial} (0600), forced to disk and
 * renamed to FILE only when complete, so a FILE that exists is a whole export with its manifest. While the daemon
 * runs, the bytes are its answer to {@code GET /api/v1/admin/export} (the same Exporter over the local admin
 * channel), streamed into the same file; its summary line is read back from the file's manifest.
 * Without {@code --format}, {@code --out DIR} writes a self-proving export bundle of the selected events into DIR
 * (docs/api.md, "Proving the archive"), signed with the archive key (while the daemon runs: its
 * {@code GET /api/v1/export/bundle}, unpacked). {@code export deliveries} lists the scheduled deliveries sent.
 * Exit 0 on success, 1 on error (reported by Main), 2 on bad arguments.
 */
@Command(name = "export", description = "Export the archive in a format downstream archives ingest (through the daemon when it runs).",
    subcommands = {ExportDeliveriesCommand.class})
final class ExportCommand implements Callable<Integer> {

  // not picocli-required: `export deliveries --config F` must parse without the parent's --out
  @Option(names = "--config", description = "configuration file (YAML); required")
  Path config;

  @Option(names = "--format", description = "jsonl, actiance, eml or csv; without it: a self-proving bundle into DIR")
  String format;

  @Option(names = "--out", description = "the file to write (replaced only once complete), or the bundle directory "
      + "without --format; required")
  Path out;

  @Option(names = "--type", description = "only this event type")
  String type;

  @Option(names = "--stream", description = "only this stream id")
  String stream;

  @Option(names = "--user", description = "only events initiated by this user id")
  Long user;

  @Option(names = "--from", description = "occurred at or after (ISO-8601 or epoch ms)")
  String from;

  @Option(names = "--to", description = "occurred before (ISO-8601 or epoch ms)")
  String to;

  @Override
  public Integer call() throws IOException {
    ExportFormat f;
    OffsetDateTime fromTime;
    OffsetDateTime toTime;
    try {
      if (config == null || out == null) {
        throw new IllegalArgumentException("--config and --out are required");
      }
      f = format == null ? null : ExportFormat.parse(format);
      fromTime = time("--from", from);
      toTime = time("--to", to);
      if (type != null && !EventTypes.ALL.contains(type)) {
        throw new IllegalArgumentException("--type: must be one of " + EventTypes.ALL);
      }
      if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
        throw new IllegalArgumentException("--from must be before --to");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("datahose-archiver: export: " + (e.getMessage().startsWith("--") ? "" : "--format ")
          + e.getMessage());
      return 2;
    }
    AppConfig appConfig = AppConfig.load(config); // a ConfigException is reported by Main (exit 1)
    DaemonClient daemon = DaemonClient.ifRunning(appConfig).orElse(null);
    Map<String, String> filter = new LinkedHashMap<>();
    filter.put("type", type);
    filter.put("stream", stream);
    filter.put("user", user == null ? null : user.toString());
    filter.put("from", fromTime == null ? null : fromTime.toInstant().toString());
    filter.put("to", toTime == null ? null : toTime.toInstant().toString());
    if (f == null) {
      BundleWriter.Written w = daemon != null ? remoteBundle(daemon, filter) : bundle(appConfig, fromTime, toTime);
      System.out.printf("export: %,d events (seq %d..%d) proven under a tree of %,d into %s%n", w.count(),
          w.firstSeq(), w.lastSeq(), w.treeSize(), out);
      return 0;
    }
    long started = System.nanoTime();
    Path target = out.toAbsolutePath().normalize();
    JsonObject manifest = writeAtomically(target, sink -> {
      if (daemon == null) {
        return local(appConfig, f, fromTime, toTime, sink);
      }
      filter.put("format", f.label());
      try (InputStream answer = daemon.download("/api/v1/admin/export", filter)) {
        answer.transferTo(sink);
      }
      return null; // read back from the file: the daemon's manifest is its last line (or ZIP entry)
    }, f);
    System.out.printf("export: %s, %,d events (seq %s..%s), %d capture gap(s), %,d bytes in %.1f s -> %s%n",
        f.label(), manifest.getLong("count"), manifest.getValue("firstSeq"), manifest.getValue("lastSeq"),
        manifest.getJsonArray("captureGaps").size(), Files.size(target), (System.nanoTime() - started) / 1e9,
        target);
    return 0;
  }

  /** Writes an export into {@code sink}; @return its manifest, or null to read it back from the file. */
  private interface Writer {
    JsonObject write(OutputStream sink) throws IOException;
  }

  /**
   * Runs {@code writer} into {@code .<target>.partial} (0600), forces it to disk and renames it to {@code target};
   * on any failure the partial file is deleted. @return the manifest
   */
  private static JsonObject writeAtomically(Path target, Writer writer, ExportFormat f) throws IOException {
    Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
    try {
      Files.deleteIfExists(partial);
      JsonObject manifest;
      try (FileChannel channel = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        OutputStream stream = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
        manifest = writer.write(stream);
        stream.flush();
        channel.force(true);
      }
      if (manifest == null) {
        manifest = ExportManifests.read(f, partial); // a stream cut short has none: refused, never renamed
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return manifest;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // the partial file is named as such; nothing takes it for an export
      }
      throw e;
    }
  }

  private JsonObject local(AppConfig appConfig, ExportFormat f, OffsetDateTime fromTime, OffsetDateTime toTime,
                           OutputStream sink) throws IOException {
    try (ArchiveDatabase db = ArchiveDatabase.open(appConfig.database())) {
      Exporter exporter = new Exporter(new ConversationQueries(db.dsl()), new EventQueries(db.dsl()),
          new CoverageQueries(db), Exporter.EML_MAX_BYTES);
      ExportScope scope = new ExportScope(type, stream, user, fromTime, toTime, 0, exporter.maxSeq());
      return exporter.write(f, scope, sink);
    }
  }

  /** The self-proving bundle (issue 12): events, inclusion proofs, signed tree heads, signed manifest. */
  private BundleWriter.Written bundle(AppConfig appConfig, OffsetDateTime fromTime, OffsetDateTime toTime) {
    try (ArchiveDatabase db = ArchiveDatabase.open(appConfig.database())) {
      ArchiveKey key = ArchiveKey.loadOrCreate(appConfig);
      EventFilter filter = new EventFilter(type, stream, user, fromTime, toTime, null, 500);
      JsonObject filterJson = new JsonObject().put("type", type).put("stream", stream).put("user", user)
          .put("from", fromTime == null ? null : fromTime.toInstant().toString())
          .put("to", toTime == null ? null : toTime.toInstant().toString());
      return new BundleWriter(db.dsl(), key, new TreeHeads(db.dsl(), key, appConfig.evidence().dir()))
          .writeDirectory(out, filter, filterJson, new CoverageQueries(db).gaps(fromTime, toTime));
    }
  }

  /** The running daemon's bundle (a ZIP), unpacked into {@code --out} as {@link #bundle} would have written it. */
  private BundleWriter.Written remoteBundle(DaemonClient daemon, Map<String, String> filter) throws IOException {
    if (Files.exists(out.resolve(Bundle.MANIFEST))) {
      throw new CommandFailure(out + " already holds a bundle"); // before the daemon builds one
    }
    try (InputStream zip = daemon.download("/api/v1/export/bundle", filter)) {
      return BundleWriter.unzip(zip, out);
    }
  }

  static OffsetDateTime time(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      if (value.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochMilli(Long.parseLong(value)).atOffset(ZoneOffset.UTC);
      }
      return OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(option + ": must be ISO-8601 (2026-01-31T09:00:00Z) or epoch ms");
    }
  }
}
