package io.datahose.archiver.cli;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.query.MessageFeed;
import io.datahose.archiver.search.SearchIndex;
import io.datahose.archiver.search.SearchIndexer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code reindex --config FILE}: empties the message search index ({@code <database.path>.search/}) and rebuilds
 * it from the archive, which is the source of truth. The index is local to the daemon that owns it, so while one
 * runs the rebuild is its own ({@code POST /api/v1/admin/reindex}): the one holding the H2 file, or, for a
 * PostgreSQL archive, the daemon of this configuration on this host when it answers. Exit 0 on success, 1 on error
 * (reported by Main).
 */
@Command(name = "reindex", description = "Rebuild the full-text search index from the archive.")
final class ReindexCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() {
    AppConfig appConfig = config.config();
    long started = System.nanoTime();
    long indexed = DaemonOrArchive.run(appConfig.database().postgresql() ? DaemonClient.ifAnswering(appConfig)
        : DaemonClient.ifRunning(appConfig), appConfig, db -> {
          try (SearchIndex index = SearchIndex.open(Daemon.searchIndexPath(appConfig))) {
            return new SearchIndexer(new MessageFeed(db.dsl()), index).rebuild();
          }
        }, daemon -> daemon.post("/api/v1/admin/reindex", Map.of()).getLong("indexed"));
    System.out.printf("reindex: %,d messages indexed into %s in %.1f s%n", indexed,
        Daemon.searchIndexPath(appConfig), (System.nanoTime() - started) / 1e9);
    return 0;
  }
}
