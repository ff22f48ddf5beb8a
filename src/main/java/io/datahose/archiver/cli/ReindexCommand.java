package io.datahose.archiver.cli;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.query.MessageFeed;
import io.datahose.archiver.search.SearchIndex;
import io.datahose.archiver.search.SearchIndexer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code reindex --config FILE}: empties the message search index ({@code <database.path>.search/}) and rebuilds
 * it from the archive, which is the source of truth. Run with the daemon stopped. Exit 0 on success, 1 on error.
 */
@Command(name = "reindex", description = "Rebuild the full-text search index from the archive (daemon stopped).")
final class ReindexCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "configuration file (YAML)")
  Path config;

  @Override
  public Integer call() {
    AppConfig appConfig = AppConfig.load(config); // a ConfigException is reported by Main (exit 1)
    long started = System.nanoTime();
    try (ArchiveDatabase db = ArchiveDatabase.open(appConfig.database());
         SearchIndex index = SearchIndex.open(Daemon.searchIndexPath(appConfig))) {
      long indexed = new SearchIndexer(new MessageFeed(db.dsl()), index).rebuild();
      System.out.printf("reindex: %,d messages indexed into %s in %.1f s%n", indexed,
          Daemon.searchIndexPath(appConfig), (System.nanoTime() - started) / 1e9);
      return 0;
    } catch (RuntimeException e) {
      System.err.println("datahose-archiver: reindex failed: " + StartupFailure.describe(e));
      return 1;
    }
  }
}
