package io.datahose.archiver.cli;

import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.ops.BackupException;
import io.datahose.archiver.ops.Restore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code restore FILE --config F}: verifies the backup, refuses while the daemon holds the archive, keeps the
 * current file aside ({@code .before-restore-<time>}) and restores. Exit 0 on success, 2 when refused or failed.
 */
@Command(name = "restore", description = "Restore a verified backup over the archive (the daemon must be stopped).")
final class RestoreCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "backup zip (archive-<time>-seq<n>.zip)")
  Path file;

  @Option(names = "--config", required = true, description = "configuration file (YAML)")
  Path config;

  @Override
  public Integer call() {
    try {
      AppConfig cfg = AppConfig.load(config);
      Restore.restore(file, cfg.database().path(), System.out::println);
      return 0;
    } catch (BackupException e) {
      System.err.println("datahose-archiver: restore FAILED: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      System.err.println("datahose-archiver: restore failed: " + StartupFailure.describe(e));
      return 1;
    }
  }
}
