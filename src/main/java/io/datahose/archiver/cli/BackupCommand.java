package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.ops.BackupException;
import io.datahose.archiver.ops.Backups;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code backup --config F [--to DIR]}: an online, verified backup of the archive file. The archive is an embedded
 * H2 file locked by the daemon, so this opens it itself and works while the daemon is stopped; against a running
 * daemon use its admin endpoint (POST /api/v1/admin/backups) or the scheduled backups. Exit 0 only when the backup
 * was written and verified.
 */
@Command(name = "backup", description = "Write and verify a backup of the archive (daemon stopped; "
    + "while it runs use POST /api/v1/admin/backups or backup.interval).")
final class BackupCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "configuration file (YAML)")
  Path config;

  @Option(names = "--to", description = "target directory (default: backup.dir)")
  Path to;

  @Override
  public Integer call() {
    try {
      AppConfig cfg = AppConfig.load(config);
      if (cfg.database().postgresql()) {
        throw new BackupException(Backups.EXTERNAL, null);
      }
      try (ArchiveDatabase db = ArchiveDatabase.open(cfg.database())) {
        Backups backups = new Backups(db, ArchiveKey.loadOrCreate(cfg), cfg.backup().dir(), cfg.backup().keep(), cfg.backup().keepDays());
        backups.backupTo(to != null ? to : cfg.backup().dir(), System.out::println);
      }
      return 0;
    } catch (BackupException e) {
      System.err.println("datahose-archiver: backup FAILED: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      System.err.println("datahose-archiver: backup failed: " + StartupFailure.describe(e));
      return 1;
    }
  }
}
