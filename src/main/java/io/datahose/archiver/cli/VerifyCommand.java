package io.datahose.archiver.cli;

import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.Reprojection;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.ArchiveVerifier;
import io.datahose.archiver.evidence.TrustAnchor;
import io.datahose.archiver.evidence.Verification;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code verify --config FILE [--deep]}: proves the archive against its signed tree heads and the copies in
 * {@code evidence.dir} ({@link ArchiveVerifier}); {@code --deep} also compares every projection table with a
 * re-projection of the raw log ({@link Reprojection}). While the daemon runs it verifies ({@code POST
 * /api/v1/admin/verify}, the re-projection reading one snapshot of the live archive), else this process opens the
 * file. Either way the trusted key is decided here ({@link TrustAnchor}: evidence.dir's copy). Prints a one-line
 * verdict (then each further problem on stderr); exit 0 when the archive verifies, 1 when it does not (the verdict
 * names the first bad seq) or cannot be read.
 */
@Command(name = "verify", description = "Prove the archive unaltered against its signed tree heads.")
final class VerifyCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Option(names = "--deep", description = "also re-project every raw event into a scratch archive and compare every "
      + "projection table with it (needs disk for a second copy of the archive; about as fast as ingest)")
  boolean deep;

  @Override
  public Integer call() {
    AppConfig appConfig = config.config();
    Path db = appConfig.database().path();
    DaemonClient daemon = DaemonClient.ifRunning(appConfig).orElse(null);
    if (daemon == null && !appConfig.database().postgresql() && !Files.exists(DaemonClient.archiveFile(appConfig))) {
      throw new CommandFailure("no archive at " + db + ".mv.db");
    }
    TrustAnchor trust = TrustAnchor.of(appConfig);
    if (daemon != null) {
      JsonObject answer = daemon.post("/api/v1/admin/verify", deep ? Map.of("deep", "true") : Map.of());
      JsonObject r = answer.getJsonObject("deep");
      return print(trust, verification(answer), r == null ? null : new Reprojection.Result(r.getLong("events"),
          strings(r), r.getLong("millis"), r.getLong("disposed")));
    }
    try (ArchiveDatabase database = ArchiveDatabase.open(appConfig.database())) {
      Verification v = new ArchiveVerifier(database.dsl(), trust.publicKey(), appConfig.evidence().dir()).verify();
      return print(trust, v, deep ? Reprojection.check(database.dsl(), db.toAbsolutePath().getParent()) : null);
    }
  }

  /** Prints the verdicts; @return the exit code */
  private static int print(TrustAnchor trust, Verification v, Reprojection.Result r) {
    String verdict = trust.problem() == null ? v.verdict() : "FAILED: " + trust.problem()
        + (v.ok() ? "" : "; " + v.verdict());
    System.out.println("verify: " + verdict);
    for (String p : v.problems().subList(Math.min(1, v.problems().size()), v.problems().size())) {
      System.err.println("  " + p);
    }
    System.out.printf("verify: %,d raw bytes in %.1f s (%.0f MB/s)%n", v.rawBytes(), v.millis() / 1000.0,
        v.megabytesPerSecond());
    if (r != null) {
      System.out.println("verify --deep: " + (r.ok() ? "OK: " + r.events() + " events re-projected, "
          + (r.disposed() == 0 ? "every projection table equal"
              : "every content table equal for the retained events (" + r.disposed() + " disposed of: the "
                  + "structural tables, which also derive from them, are not compared)")
          : "FAILED: " + r.problems().get(0)
          + (r.problems().size() > 1 ? " (and " + (r.problems().size() - 1) + " more tables)" : ""))
          + String.format(" (%.1f s)", r.millis() / 1000.0));
      r.problems().stream().skip(1).forEach(p -> System.err.println("  " + p));
    }
    return v.ok() && trust.problem() == null && (r == null || r.ok()) ? 0 : 1;
  }

  /** @return the daemon's verification ({@link Verification#toJson}) as the record */
  private static Verification verification(JsonObject j) {
    Long firstBad = j.getLong("firstBadSeq");
    return new Verification(j.getBoolean("ok"), j.getString("verdict"), strings(j), firstBad == null ? -1 : firstBad,
        j.getLong("events"), j.getLong("rawBytes"), j.getLong("treeHeads"), j.getLong("unsignedEvents"),
        j.getLong("millis"), j.getString("finishedAt"));
  }

  private static List<String> strings(JsonObject j) {
    return j.getJsonArray("problems").stream().map(String::valueOf).toList();
  }
}
