package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
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
 * {@code verify --config FILE} (daemon stopped): proves the archive against its signed tree heads and the copies in
 * {@code evidence.dir} ({@link ArchiveVerifier}). Prints a one-line verdict (then each further problem on stderr);
 * exit 0 when the archive verifies, 1 when it does not (the verdict names the first bad seq) or cannot be read.
 */
@Command(name = "verify", description = "Prove the archive unaltered against its signed tree heads (daemon stopped).")
final class VerifyCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "configuration file (YAML)")
  Path config;

  @Override
  public Integer call() {
    AppConfig appConfig = AppConfig.load(config); // a ConfigException is reported by Main (exit 1)
    Path db = appConfig.database().path();
    if (!Files.exists(db.resolveSibling(db.getFileName() + ".mv.db"))) {
      System.err.println("datahose-archiver: verify failed: no archive at " + db + ".mv.db");
      return 1;
    }
    try (ArchiveDatabase database = ArchiveDatabase.open(db, appConfig.database().fsync())) {
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
      return v.ok() && trust.problem() == null ? 0 : 1;
    } catch (RuntimeException e) {
      System.err.println("datahose-archiver: verify failed: " + StartupFailure.describe(e));
      return 1;
    }
  }
}
