package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.Reprojection;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.ArchiveVerifier;
import io.datahose.archiver.evidence.TrustAnchor;
import io.datahose.archiver.evidence.Verification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code verify --config FILE [--deep]} (daemon stopped): proves the archive against its signed tree heads and the
 * copies in {@code evidence.dir} ({@link ArchiveVerifier}); {@code --deep} also compares every projection table with
 * a re-projection of the raw log ({@link Reprojection}). Prints a one-line verdict (then each further problem on stderr);
 * exit 0 when the archive verifies, 1 when it does not (the verdict names the first bad seq) or cannot be read.
 */
@Command(name = "verify", description = "Prove the archive unaltered against its signed tree heads (daemon stopped).")
final class VerifyCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "configuration file (YAML)")
  Path config;

  @Option(names = "--deep", description = "also re-project every raw event into a scratch archive and compare every "
      + "projection table with it (needs disk for a second copy of the archive; about as fast as ingest)")
  boolean deep;

  @Override
  public Integer call() {
    AppConfig appConfig = AppConfig.load(config); // a ConfigException is reported by Main (exit 1)
    Path db = appConfig.database().path();
    if (!appConfig.database().postgresql() && !Files.exists(db.resolveSibling(db.getFileName() + ".mv.db"))) {
      System.err.println("datahose-archiver: verify failed: no archive at " + db + ".mv.db");
      return 1;
    }
    try (ArchiveDatabase database = ArchiveDatabase.open(appConfig.database())) {
      TrustAnchor trust = TrustAnchor.of(appConfig);
      Verification v = new ArchiveVerifier(database.dsl(), trust.publicKey(), appConfig.evidence().dir()).verify();
      String verdict = trust.problem() == null ? v.verdict() : "FAILED: " + trust.problem()
          + (v.ok() ? "" : "; " + v.verdict());
      System.out.println("verify: " + verdict);
      for (String p : v.problems().subList(Math.min(1, v.problems().size()), v.problems().size())) {
        System.err.println("  " + p);
      }
      System.out.printf("verify: %,d raw bytes in %.1f s (%.0f MB/s)%n", v.rawBytes(), v.millis() / 1000.0,
          v.megabytesPerSecond());
      boolean projectionsOk = true;
      if (deep) {
        Reprojection.Result r = Reprojection.check(database.dsl(), db.toAbsolutePath().getParent());
        projectionsOk = r.ok();
        System.out.println("verify --deep: " + (r.ok() ? "OK: " + r.events() + " events re-projected, "
            + (r.disposed() == 0 ? "every projection table equal"
                : "every content table equal for the retained events (" + r.disposed() + " disposed of: the "
                    + "structural tables, which also derive from them, are not compared)")
            : "FAILED: " + r.problems().get(0)
            + (r.problems().size() > 1 ? " (and " + (r.problems().size() - 1) + " more tables)" : ""))
            + String.format(" (%.1f s)", r.millis() / 1000.0));
        r.problems().stream().skip(1).forEach(p -> System.err.println("  " + p));
      }
      return v.ok() && trust.problem() == null && projectionsOk ? 0 : 1;
    } catch (RuntimeException e) {
      System.err.println("datahose-archiver: verify failed: " + StartupFailure.describe(e));
      return 1;
    }
  }
}
