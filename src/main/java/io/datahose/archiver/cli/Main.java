package io.datahose.archiver.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.datahose.archiver.config.ConfigException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Command-line entry point of the shaded jar. Every command returns an exit code; the JVM exits with it
 * so that no Vert.x thread can keep a failed process alive.
 */
@Command(name = "datahose-archiver", mixinStandardHelpOptions = true, version = "datahose-archiver 0.1.0",
    description = "Archives every event of a Symphony pod from the Datahose feed into an H2 or PostgreSQL database, exactly once.",
    subcommands = {RunCommand.class, DemoCommand.class, CheckCommand.class, BackupCommand.class, RestoreCommand.class,
        OfficerCommand.class, HoldCommand.class, DisposeCommand.class, StatusCommand.class, ReindexCommand.class, SimulateCommand.class, VerifyCommand.class,
        ExportCommand.class, VerifyExportCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  private static final java.util.Set<String> LONG_RUNNING = java.util.Set.of("run", "demo", "simulate");

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** @return the exit code of the command {@code args} names (tests call this instead of main) */
  public static int execute(String... args) {
    if (args.length > 0 && !LONG_RUNNING.contains(args[0]) && System.getenv("LOG_LEVEL") == null) {
      // One-shot commands print their answer (a token, a checklist) on stdout: keep INFO log lines out of it.
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }
    return new CommandLine(new Main()).setExecutionExceptionHandler(Main::configurationError).execute(args);
  }

  /**
   * What a command did not handle itself, as one stderr line and an exit code: a bad configuration file (naming the
   * key and the file, 1), a refused legal hold (2), a refused officer change (1), any other failure (1, described
   * without a stack trace).
   */
  private static int configurationError(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed)
      throws Exception {
    if (e instanceof ConfigException) {
      System.err.println("datahose-archiver: configuration error: " + e.getMessage());
      return 1;
    }
    if (e instanceof io.datahose.archiver.retention.LegalHolds.HoldException refused) {
      System.err.println("datahose-archiver: hold refused: " + refused.getMessage());
      return 2;
    }
    if (e instanceof io.datahose.archiver.query.QueryException refused) {
      System.err.println("datahose-archiver: " + refused.detail());
      return 1;
    }
    if (e instanceof RuntimeException failure) {
      System.err.println("datahose-archiver: " + StartupFailure.describe(failure));
      return 1;
    }
    throw e;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
