package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.ops.BackupException;
import io.datahose.archiver.ops.Backups;
import io.datahose.archiver.query.QueryException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code backup --config F [--to DIR]}: an online, verified backup of the archive file, written by the running daemon
 * when it holds the file ({@code POST /api/v1/admin/backups} over the local admin channel; capture keeps running),
 * else by this process. The same progress lines either way. Exit 0 only when the backup was written and verified,
 * 2 when it failed its checks, 1 on other errors (Main reports both).
 */
@Command(name = "backup", description = "Write and verify a backup of the archive (through the daemon when it runs).")
final class BackupCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Option(names = "--to", description = "target directory (default: backup.dir)")
  Path to;

  @Override
  public Integer call() {
    AppConfig cfg = config.config();
    if (cfg.database().postgresql()) {
      throw new BackupException(Backups.EXTERNAL, null);
    }
    return DaemonOrArchive.run(cfg, db -> local(cfg, db), this::remote);
  }

  /** The daemon's backup: its progress lines. */
  private int remote(DaemonClient daemon) {
    Map<String, String> params = new HashMap<>();
    if (to != null) {
      params.put("to", to.toAbsolutePath().normalize().toString()); // the daemon's working directory is not ours
    }
    JsonObject answer;
    try {
      answer = daemon.post("/api/v1/admin/backups", params);
    } catch (QueryException e) {
      // a failed or concurrent backup: FAILED (exit 2), as when this process takes it
      throw e.status() == 409 || "backup_failed".equals(e.error()) ? new BackupException(e.detail(), null) : e;
    }
    answer.getJsonArray("progress").forEach(System.out::println);
    return 0;
  }

  /** This process's backup of the archive {@code db}. */
  private int local(AppConfig cfg, ArchiveDatabase db) {
    Backups backups = new Backups(db, ArchiveKey.loadOrCreate(cfg), cfg.backup().dir(), cfg.backup().keep(),
        cfg.backup().keepDays());
    backups.backupTo(to != null ? to : cfg.backup().dir(), System.out::println);
    return 0;
  }
}
