package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.retention.LegalHolds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code hold add NAME --reason TEXT [--stream ID]… [--user ID]… [--from T] [--to T] | list | release NAME --reason
 * TEXT}, all with {@code --config F} (daemon stopped; while it runs: {@code /api/v1/admin/holds}). Each change is
 * recorded in the access log as done by {@code cli:<OS user>}. Exit 0 on success, 2 when refused, 1 on other errors
 * (both reported by Main's exception handler).
 */
@Command(name = "hold", description = "Legal holds: what disposal must never remove while they are in force.",
    subcommands = {HoldCommand.Add.class, HoldCommand.List.class, HoldCommand.Release.class})
final class HoldCommand {

  @Option(names = "--config", required = true, scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "configuration file (YAML); its database.path is the archive")
  Path config;

  /** Runs {@code work} on the archive; a refused hold (exit 2) and any failure (exit 1) are reported by Main. */
  int withHolds(Function<LegalHolds, Integer> work) {
    AppConfig appConfig = AppConfig.load(config);
    try (ArchiveDatabase db = ArchiveDatabase.open(appConfig.database())) {
      return work.apply(new LegalHolds(db.dsl()));
    }
  }

  static String actor() {
    return "cli:" + System.getProperty("user.name", "unknown");
  }

  @Command(name = "add", description = "Put a legal hold on streams and/or users (none = every event) in a time range.")
  static final class Add implements Callable<Integer> {
    @ParentCommand
    HoldCommand parent;
    @Parameters(index = "0", description = "hold name (letters, digits, . _ -), never reused")
    String name;
    @Option(names = "--reason", required = true, description = "why (matter, case number…)")
    String reason;
    @Option(names = "--stream", description = "a stream id (repeatable)")
    java.util.List<String> streams = new ArrayList<>();
    @Option(names = "--user", description = "a user id: events the user initiated (repeatable)")
    java.util.List<Long> users = new ArrayList<>();
    @Option(names = "--from", description = "events from this time (ISO-8601, e.g. 2026-01-01T00:00:00Z)")
    String from;
    @Option(names = "--to", description = "events before this time (ISO-8601)")
    String to;

    @Override
    public Integer call() {
      Instant f;
      Instant t;
      try {
        f = from == null ? null : Instant.parse(from);
        t = to == null ? null : Instant.parse(to);
      } catch (DateTimeParseException e) {
        System.err.println("datahose-archiver: --from and --to must be ISO-8601 instants like 2026-01-01T00:00:00Z");
        return 2;
      }
      return parent.withHolds(holds -> {
        LegalHolds.Hold hold = holds.add(name, reason, streams, users, f, t, actor(), "cli");
        System.out.println("hold " + hold.name() + " added: " + hold.toJson().encode());
        return 0;
      });
    }
  }

  @Command(name = "list", description = "List legal holds, in force and released.")
  static final class List implements Callable<Integer> {
    @ParentCommand
    HoldCommand parent;

    @Override
    public Integer call() {
      return parent.withHolds(holds -> {
        for (LegalHolds.Hold h : holds.list()) {
          System.out.println(h.toJson().encode());
        }
        return 0;
      });
    }
  }

  @Command(name = "release", description = "Release a legal hold (disposal may then remove what only it protected).")
  static final class Release implements Callable<Integer> {
    @ParentCommand
    HoldCommand parent;
    @Parameters(index = "0", description = "hold name")
    String name;
    @Option(names = "--reason", required = true, description = "why it is released")
    String reason;

    @Override
    public Integer call() {
      return parent.withHolds(holds -> {
        LegalHolds.Hold hold = holds.release(name, reason, actor(), "cli");
        System.out.println("hold " + hold.name() + " released at " + hold.releasedAt());
        return 0;
      });
    }
  }
}
