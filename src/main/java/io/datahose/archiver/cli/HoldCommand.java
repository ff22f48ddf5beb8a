package io.datahose.archiver.cli;

import io.datahose.archiver.query.QueryException;
import io.datahose.archiver.retention.LegalHoldStore;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code hold add NAME --reason TEXT [--stream ID]… [--user ID]… [--from T] [--to T] | list | release NAME --reason
 * TEXT}, all with {@code --config F}. While the daemon runs they go through its {@code /api/v1/admin/holds} routes
 * (recorded as done by {@value io.datahose.archiver.officer.LocalAdmin#PRINCIPAL}); with it stopped they open the
 * archive, each change recorded in the access log as done by {@code cli:<OS user>}. The same output either way.
 * Exit 0 on success, 2 when refused, 1 on other errors (both reported by Main's exception handler).
 */
@Command(name = "hold", description = "Legal holds: what disposal must never remove while they are in force.",
    subcommands = {HoldCommand.Add.class, HoldCommand.List.class, HoldCommand.Release.class})
final class HoldCommand {

  /** {@code --config}, before or after the subcommand (inherited by its subcommands). */
  @Mixin
  ConfigOption config;

  private static final String ROUTE = "/api/v1/admin/holds";

  private HoldCommand() {
  }

  /**
   * Runs {@code local} on the archive, or {@code remote} through the running daemon, whose refusals (400, 404, 409)
   * are refused holds as they would have been here (exit 2).
   */
  static int withHolds(ConfigOption config, Function<LegalHoldStore, Integer> local, Function<DaemonClient, Integer> remote) {
    return DaemonOrArchive.run(config.config(), db -> local.apply(new LegalHoldStore(db.dsl())), daemon -> {
      try {
        return remote.apply(daemon);
      } catch (QueryException e) {
        throw e.status() == 400 || e.status() == 404 || e.status() == 409
            ? new LegalHoldStore.HoldException(e.status(), e.detail()) : e;
      }
    });
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
      return withHolds(parent.config, holds -> added(holds.add(name, reason, streams, users, f, t, actor(), "cli").toJson()),
          daemon -> {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("name", name);
            params.put("reason", reason);
            params.put("streams", streams.isEmpty() ? null : String.join(",", streams));
            params.put("users", users.isEmpty() ? null
                : users.stream().map(String::valueOf).collect(Collectors.joining(",")));
            params.put("from", f == null ? null : f.toString());
            params.put("to", t == null ? null : t.toString());
            return added(daemon.post(ROUTE, params));
          });
    }

    private static int added(JsonObject hold) {
      System.out.println("hold " + hold.getString("name") + " added: " + hold.encode());
      return 0;
    }
  }

  @Command(name = "list", description = "List legal holds, in force and released.")
  static final class List implements Callable<Integer> {
    @ParentCommand
    HoldCommand parent;

    @Override
    public Integer call() {
      return withHolds(parent.config, holds -> {
        holds.list().forEach(h -> System.out.println(h.toJson().encode()));
        return 0;
      }, daemon -> {
        daemon.get(ROUTE, Map.of()).getJsonArray("holds").forEach(h -> System.out.println(((JsonObject) h).encode()));
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
      return withHolds(parent.config, holds -> released(holds.release(name, reason, actor(), "cli").toJson()),
          daemon -> released(daemon.post(ROUTE + "/" + DaemonClient.encode(name) + "/release",
              Map.of("reason", reason))));
    }

    private static int released(JsonObject hold) {
      System.out.println("hold " + hold.getString("name") + " released at " + hold.getString("releasedAt"));
      return 0;
    }
  }
}
