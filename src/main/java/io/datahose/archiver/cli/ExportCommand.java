package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.config.EventTypes;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.BundleWriter;
import io.datahose.archiver.evidence.TreeHeads;
import io.datahose.archiver.export.ExportFormat;
import io.datahose.archiver.export.Exporter;
import io.datahose.archiver.query.CaptureCoverage;
import io.datahose.archiver.query.ConversationQueries;
import io.datahose.archiver.query.EventFilter;
import io.datahose.archiver.query.EventQueries;
import io.datahose.archiver.query.ExportScope;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
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
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code export --config FILE --format jsonl|actiance|eml|csv --out FILE [--type T] [--stream S] [--user U]
 * [--from T] [--to T]}: the same export as {@code GET /api/v1/export}, written to {@code .<FILE>.partial} (0600),
 * forced to disk and renamed to FILE only when complete, so a FILE that exists is a whole export with its manifest.
 * Without {@code --format}, {@code --out DIR} writes a self-proving export bundle of the selected events into DIR
 * (docs/api.md, "Proving the archive"), signed with the archive key.
 * Run with the daemon stopped (H2 holds the file exclusively). {@code export deliveries} lists the scheduled
 * deliveries sent. Exit 0 on success, 1 on error, 2 on bad arguments.
 */
@Command(name = "export", description = "Export the archive in a format downstream archives ingest (daemon stopped).",
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
  public Integer call() {
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
    if (f == null) {
      return bundle(appConfig, fromTime, toTime);
    }
    long started = System.nanoTime();
    Path target = out.toAbsolutePath().normalize();
    Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
    try (ArchiveDatabase db = ArchiveDatabase.open(appConfig.database())) {
      Exporter exporter = new Exporter(new ConversationQueries(db.dsl()), new EventQueries(db.dsl()),
          new CaptureCoverage(db), Exporter.EML_MAX_BYTES);
      ExportScope scope = new ExportScope(type, stream, user, fromTime, toTime, 0, exporter.maxSeq());
      JsonObject manifest;
      Files.deleteIfExists(partial);
      try (FileChannel channel = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        OutputStream stream = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
        manifest = exporter.write(f, scope, stream);
        stream.flush();
        channel.force(true);
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      System.out.printf("export: %s, %,d events (seq %s..%s), %d capture gap(s), %,d bytes in %.1f s -> %s%n",
          f.label(), manifest.getLong("count"), manifest.getValue("firstSeq"), manifest.getValue("lastSeq"),
          manifest.getJsonArray("captureGaps").size(), Files.size(target), (System.nanoTime() - started) / 1e9,
          target);
      return 0;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // the partial file is named as such; nothing takes it for an export
      }
      System.err.println("datahose-archiver: export failed: " + StartupFailure.describe(e));
      return 1;
    }
  }

  /** The self-proving bundle (issue 12): events, inclusion proofs, signed tree heads, signed manifest. */
  private Integer bundle(AppConfig appConfig, OffsetDateTime fromTime, OffsetDateTime toTime) {
    try (ArchiveDatabase db = ArchiveDatabase.open(appConfig.database())) {
      ArchiveKey key = ArchiveKey.loadOrCreate(appConfig);
      EventFilter filter = new EventFilter(type, stream, user, fromTime, toTime, null, 500);
      JsonObject filterJson = new JsonObject().put("type", type).put("stream", stream).put("user", user)
          .put("from", fromTime == null ? null : fromTime.toInstant().toString())
          .put("to", toTime == null ? null : toTime.toInstant().toString());
      BundleWriter.Written w = new BundleWriter(db.dsl(), key, new TreeHeads(db.dsl(), key,
          appConfig.evidence().dir())).writeDirectory(out, filter, filterJson,
          new CaptureCoverage(db).gaps(fromTime, toTime));
      System.out.printf("export: %,d events (seq %d..%d) proven under a tree of %,d into %s%n", w.count(),
          w.firstSeq(), w.lastSeq(), w.treeSize(), out);
      return 0;
    } catch (RuntimeException e) {
      System.err.println("datahose-archiver: export failed: " + StartupFailure.describe(e));
      return 1;
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
