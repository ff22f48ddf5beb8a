package io.datahose.archiver.cli;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.query.QueryException;
import io.datahose.archiver.retention.Disposal;
import io.datahose.archiver.search.SearchIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code dispose --config F [--dry-run] [--confirm]} (the running daemon also runs it every
 * {@code retention.disposeEvery}): removes the content of every event past its retention and under no legal hold,
 * keeps tombstones, and writes a signed disposal certificate ({@link Disposal}). While the daemon runs the run is its
 * own ({@code POST /api/v1/admin/dispose}), else this process's. Exit 0 when done (or nothing to do), 2 when refused
 * (more than {@code retention.maxDisposePercent} without {@code --confirm}), 1 on errors (reported by Main).
 */
@Command(name = "dispose", description = "Dispose of what is past its retention and under no legal hold.")
final class DisposeCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Option(names = "--dry-run", description = "print what would go, change nothing")
  boolean dryRun;

  @Option(names = "--confirm", description = "run even when it disposes of more than retention.maxDisposePercent")
  boolean confirm;

  @Override
  public Integer call() {
    AppConfig cfg = config.config();
    return DaemonOrArchive.run(cfg, db -> local(cfg, db), this::remote);
  }

  /** The daemon's run: its summary, or its refusal (exit 2). */
  private int remote(DaemonClient daemon) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("dryRun", dryRun ? "true" : null);
    params.put("confirm", confirm ? "true" : null);
    try {
      System.out.println(daemon.post("/api/v1/admin/dispose", params).getString("summary"));
      return 0;
    } catch (QueryException e) {
      if (!"refused".equals(e.error())) {
        throw e;
      }
      System.out.println(Disposal.Report.refusal(e.detail()));
      return 2;
    }
  }

  /** This process's run on the archive {@code db}, removing what it disposes of from the search index too. */
  private int local(AppConfig cfg, ArchiveDatabase db) {
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
  }
}
