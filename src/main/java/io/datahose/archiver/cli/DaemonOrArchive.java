package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.config.AppConfig;

import java.util.Optional;
import java.util.function.Function;

/**
 * The one way a CLI command that works while the daemon runs picks where it acts: through the running daemon when
 * there is one ({@link DaemonClient}), else on the archive, opened by this process for the command and closed after
 * it. A command gives both ways; each prints the same output.
 */
final class DaemonOrArchive {

  private DaemonOrArchive() {
  }

  /**
   * @return {@code remote} applied to the daemon holding {@code config}'s archive ({@link DaemonClient#ifRunning}),
   *     else {@code local} applied to the archive opened here
   */
  static <T> T run(AppConfig config, Function<ArchiveDatabase, T> local, Function<DaemonClient, T> remote) {
    return run(DaemonClient.ifRunning(config), config, local, remote);
  }

  /** @return {@code remote} applied to {@code daemon} when present, else {@code local} applied to the archive */
  static <T> T run(Optional<DaemonClient> daemon, AppConfig config, Function<ArchiveDatabase, T> local,
                   Function<DaemonClient, T> remote) {
    if (daemon.isPresent()) {
      return remote.apply(daemon.get());
    }
    try (ArchiveDatabase db = ArchiveDatabase.open(config.database())) {
      return local.apply(db);
    }
  }
}
