package io.datahose.archiver.cli;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.retention.Disposal;
import io.datahose.archiver.search.SearchIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code dispose --config F [--dry-run] [--confirm]} (daemon stopped; it also runs every
 * {@code retention.disposeEvery}): removes the content of every event past its retention and under no legal hold,
 * keeps tombstones, and writes a signed disposal certificate ({@link Disposal}). Exit 0 when done (or nothing to do),
 * 2 when refused (more than {@code retention.maxDisposePercent} without {@code --confirm}), 1 on errors.
 */
@Command(name = "dispose", description = "Dispose of what is past its retention and under no legal hold (daemon stopped).")
final class DisposeCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "configuration file (YAML)")
  Path config;

  @Option(names = "--dry-run", description = "print what would go, change nothing")
  boolean dryRun;

  @Option(names = "--confirm", description = "run even when it disposes of more than retention.maxDisposePercent")
  boolean confirm;

  @Override
  public Integer call() {
    AppConfig cfg = AppConfig.load(config);
    try (ArchiveDatabase db = ArchiveDatabase.open(cfg.database())) {
      ArchiveKey key = ArchiveKey.loadOrCreate(cfg);
      Path index = Daemon.searchIndexPath(cfg);
      Disposal.Report report = Disposal.runSafely(db.dsl(), cfg.retention(), key, cfg.evidence().dir(), dryRun,
          confirm, Instant.now(), messages -> {
            if (!messages.isEmpty() && Files.exists(index)) {
              try (SearchIndex search = SearchIndex.open(index)) {
                search.delete(messages);
              }
            }
          });
      System.out.println(report.describe());
      return report.refused() != null ? 2 : 0;
    } catch (RuntimeException e) {
      System.err.println("datahose-archiver: dispose failed: " + StartupFailure.describe(e));
      return 1;
    }
  }
}
