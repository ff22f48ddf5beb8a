package io.datahose.archiver.cli;

import io.datahose.archiver.officer.Officer;
import io.datahose.archiver.officer.OfficerStore;
import io.datahose.archiver.officer.OfficerTokens;
import io.datahose.archiver.query.QueryException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code officer add NAME --role officer|auditor|admin | list | revoke NAME} on the archive named by
 * {@code --config}. {@code add} prints the new bearer token once; only its SHA-256 is stored. While the daemon runs
 * they go through its {@code /api/v1/admin/officers} routes (an officer added so can use the API at once); with it
 * stopped they open the archive. The same output either way. Exit 0 on success, 1 on any error (reported by Main).
 */
@Command(name = "officer", description = "Manage the officers who may use the query API.",
    subcommands = {OfficerCommand.Add.class, OfficerCommand.List.class, OfficerCommand.Revoke.class})
final class OfficerCommand {

  /** {@code --config}, before or after the subcommand (inherited by its subcommands). */
  @Mixin
  ConfigOption config;

  private static final String ROUTE = "/api/v1/admin/officers";

  private OfficerCommand() {
  }

  /** Runs {@code local} on the archive, or {@code remote} through the running daemon. */
  static int withStore(ConfigOption config, Function<OfficerStore, Integer> local,
                       Function<DaemonClient, Integer> remote) {
    return DaemonOrArchive.run(config.config(), db -> local.apply(new OfficerStore(db.dsl())), remote);
  }

  @Command(name = "add", description = "Add an officer and print its bearer token (shown only once).")
  static final class Add implements Callable<Integer> {
    @ParentCommand
    OfficerCommand parent;
    @Parameters(index = "0", description = "officer name (1..100 characters: letters, digits, . _ @ -)")
    String name;
    @Option(names = "--role", required = true, description = "officer | auditor | admin")
    String role;

    @Override
    public Integer call() {
      String problem = Officer.nameProblem(name);
      if (problem != null) {
        throw new CommandFailure("officer name " + problem);
      }
      if (!Officer.ROLES.contains(role)) {
        throw new CommandFailure("--role must be " + Officer.ROLES_TEXT);
      }
      return withStore(parent.config, store -> {
        String token = OfficerTokens.generate();
        store.add(name, role, OfficerTokens.hash(token));
        return added(token);
      }, daemon -> added(daemon.post(ROUTE, Map.of("name", name, "role", role)).getString("token")));
    }

    private int added(String token) {
      System.out.println("officer '" + name + "' (" + role + ") added. Bearer token (shown only once):");
      System.out.println(token);
      return 0;
    }
  }

  @Command(name = "list", description = "List officers (never their tokens).")
  static final class List implements Callable<Integer> {
    @ParentCommand
    OfficerCommand parent;

    @Override
    public Integer call() {
      return withStore(parent.config, store -> {
        store.list().forEach(o -> print(o.name(), o.role(), String.valueOf(o.createdAt()),
            o.revokedAt() == null ? null : o.revokedAt().toString()));
        return 0;
      }, daemon -> {
        daemon.get(ROUTE, Map.of()).getJsonArray("items").forEach(item -> {
          JsonObject o = (JsonObject) item;
          print(o.getString("name"), o.getString("role"), o.getString("createdAt"), o.getString("revokedAt"));
        });
        return 0;
      });
    }

    private static void print(String name, String role, String createdAt, String revokedAt) {
      System.out.printf("%-30s %-8s created %s%s%n", name, role, createdAt, revokedAt == null ? "" : "  REVOKED "
          + revokedAt);
    }
  }

  @Command(name = "revoke", description = "Revoke an officer's token (the name stays in the access log).")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand
    OfficerCommand parent;
    @Parameters(index = "0", description = "officer name")
    String name;

    @Override
    public Integer call() {
      // revoking the last admin: a QueryException (409) Main reports (exit 1), from the store or from the daemon
      return withStore(parent.config, store -> revoked(store.revoke(name)), daemon -> {
        try {
          return revoked(daemon.delete(ROUTE + "/" + DaemonClient.encode(name), Map.of()).getBoolean("revoked"));
        } catch (QueryException e) {
          if (e.status() == 404) {
            return revoked(false);
          }
          throw e;
        }
      });
    }

    private int revoked(boolean revoked) {
      if (!revoked) {
        throw new CommandFailure("no active officer named '" + name + "'");
      }
      System.out.println("officer '" + name + "' revoked");
      return 0;
    }
  }
}
