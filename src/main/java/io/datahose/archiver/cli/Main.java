package io.datahose.archiver.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.datahose.archiver.config.ConfigException;
import io.datahose.archiver.ops.BackupException;
import io.datahose.archiver.query.QueryException;
import io.datahose.archiver.retention.LegalHoldStore;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine;

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
    return new CommandLine(new Main()).setExecutionExceptionHandler(Main::failure).execute(args);
  }

  /**
   * The one place a command's failure becomes a stderr line and an exit code (commands throw, they do not print and
   * return): a bad configuration file, naming the key and the file (1); a refused legal hold (2); a backup or
   * restore that failed its checks (2, {@code <command> FAILED: …}); a request the archive or the running daemon
   * refused (1, its reason); a {@link CommandFailure} (its exit code, {@code <command> failed: …}); any other failure
   * (1, {@code <command> failed: …}, described without a stack trace).
   */
  private static int failure(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
    String command = commandName(commandLine);
    if (e instanceof ConfigException) {
      return report(1, "configuration error: " + e.getMessage());
    }
    if (e instanceof LegalHoldStore.HoldException refused) {
      return report(2, "hold refused: " + refused.getMessage());
    }
    if (e instanceof BackupException failed) {
      return report(2, command + " FAILED: " + failed.getMessage());
    }
    if (e instanceof QueryException refused) {
      return report(1, refused.detail());
    }
    if (e instanceof CommandFailure failed) {
      return report(failed.exitCode(), command + " failed: " + failed.getMessage());
    }
    return report(1, command + " failed: " + StartupFailure.describe(e));
  }

  private static int report(int exitCode, String line) {
    System.err.println("datahose-archiver: " + line);
    return exitCode;
  }

  /** @return the command as typed, without the program's name: {@code backup}, {@code export deliveries} */
  private static String commandName(CommandLine commandLine) {
    String qualified = commandLine.getCommandSpec().qualifiedName(" ");
    int space = qualified.indexOf(' ');
    return space < 0 ? qualified : qualified.substring(space + 1);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
