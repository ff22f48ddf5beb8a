package io.datahose.archiver.cli;

import io.datahose.archiver.api.OfficerTokens;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.query.OfficerStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code officer add NAME --role officer|auditor|admin | list | revoke NAME} on the archive named by
 * {@code --config}. {@code add} prints the new bearer token once; only its SHA-256 is stored. Opens the H2 file
 * directly, so the daemon must be stopped (H2 holds the file exclusively). Exit 0 on success, 1 on any error.
 */
@Command(name = "officer", description = "Manage the officers who may use the query API.",
    subcommands = {OfficerCommand.Add.class, OfficerCommand.List.class, OfficerCommand.Revoke.class})
final class OfficerCommand {

  @Option(names = "--config", required = true, scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "configuration file (YAML); its database.path is the archive")
  Path config;

  /** Runs {@code work} on the archive; every failure is one stderr line and exit 1, reported by Main. */
  int withStore(Function<OfficerStore, Integer> work) {
    AppConfig appConfig = AppConfig.load(config);
    try (ArchiveDatabase db = ArchiveDatabase.open(appConfig.database())) {
      return work.apply(new OfficerStore(db.dsl()));
    }
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
      if (!name.matches("[\\w.@-]{1,100}")) {
        System.err.println("datahose-archiver: officer name must be 1..100 of letters, digits, . _ @ -");
        return 1;
      }
      if (!java.util.List.of("officer", "auditor", "admin").contains(role)) {
        System.err.println("datahose-archiver: --role must be officer, auditor or admin");
        return 1;
      }
      String token = OfficerTokens.generate();
      return parent.withStore(store -> {
        store.add(name, role, OfficerTokens.hash(token));
        System.out.println("officer '" + name + "' (" + role + ") added. Bearer token (shown only once):");
        System.out.println(token);
        return 0;
      });
    }
  }

  @Command(name = "list", description = "List officers (never their tokens).")
  static final class List implements Callable<Integer> {
    @ParentCommand
    OfficerCommand parent;

    @Override
    public Integer call() {
      return parent.withStore(store -> {
        for (OfficerStore.Officer o : store.list()) {
          System.out.printf("%-30s %-8s created %s%s%n", o.name(), o.role(), o.createdAt(),
              o.active() ? "" : "  REVOKED " + o.revokedAt());
        }
        return 0;
      });
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
      return parent.withStore(store -> {
        boolean revoked = store.revoke(name); // revoking the last admin: a QueryException Main reports (exit 1)
        if (!revoked) {
          System.err.println("datahose-archiver: no active officer named '" + name + "'");
          return 1;
        }
        System.out.println("officer '" + name + "' revoked");
        return 0;
      });
    }
  }
}
