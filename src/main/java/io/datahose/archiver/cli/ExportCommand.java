package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.config.ConfigException;
import io.datahose.archiver.config.EventTypes;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.BundleWriter;
import io.datahose.archiver.evidence.TreeHeads;
import io.datahose.archiver.query.CaptureCoverage;
import io.datahose.archiver.query.EventFilter;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/**
 * {@code export --config FILE --out DIR [--from --to --stream --user --type]} (daemon stopped): writes a
 * self-proving export bundle of the selected events into DIR (see README "Proving the archive"), signed with the
 * archive key. Exit 0 on success, 1 on a bad option or any error (one line on stderr).
 */
@Command(name = "export", description = "Write a self-proving export bundle of archived events (daemon stopped).")
final class ExportCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "configuration file (YAML)")
  Path config;

  @Option(names = "--out", required = true, description = "bundle directory to write (must not hold a bundle)")
  Path out;

  @Option(names = "--from", description = "events that occurred at or after this instant (ISO-8601)")
  String from;

  @Option(names = "--to", description = "events that occurred before this instant (ISO-8601)")
  String to;

  @Option(names = "--stream", description = "stream id")
  String stream;

  @Option(names = "--user", description = "initiator user id")
  Long user;

  @Option(names = "--type", description = "event type")
  String type;

  @Override
  public Integer call() {
    AppConfig appConfig;
    OffsetDateTime fromTime;
    OffsetDateTime toTime;
    try {
      appConfig = AppConfig.load(config);
      fromTime = time("--from", from);
      toTime = time("--to", to);
      if (type != null && !EventTypes.ALL.contains(type)) {
        throw new IllegalArgumentException("--type must be one of " + String.join(", ", EventTypes.ALL));
      }
      if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
        throw new IllegalArgumentException("--from must be before --to");
      }
    } catch (ConfigException e) {
      System.err.println("datahose-archiver: configuration error: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      System.err.println("datahose-archiver: export: " + e.getMessage());
      return 1;
    }
    try (ArchiveDatabase db = ArchiveDatabase.open(appConfig.database().path(), appConfig.database().fsync())) {
      ArchiveKey key = ArchiveKey.loadOrCreate(appConfig);
      EventFilter filter = new EventFilter(type, stream, user, fromTime, toTime, null, 500);
      JsonObject filterJson = new JsonObject().put("type", type).put("stream", stream).put("user", user)
          .put("from", from == null ? null : fromTime.toInstant().toString())
          .put("to", to == null ? null : toTime.toInstant().toString());
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

  private static OffsetDateTime time(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(Long.parseLong(value)), ZoneOffset.UTC);
      } catch (NumberFormatException n) {
        throw new IllegalArgumentException(option + " must be an ISO-8601 instant like 2026-01-31T00:00:00Z or "
            + "epoch milliseconds (got " + value + ")");
      }
    }
  }
}
