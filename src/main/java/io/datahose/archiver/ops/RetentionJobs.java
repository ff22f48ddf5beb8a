package io.datahose.archiver.ops;

import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.EvidenceService;
import io.datahose.archiver.retention.Disposal;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Disposal while the daemon runs: every {@code retention.disposeEvery} (when the policy can dispose of anything) and
 * on request ({@code POST /api/v1/admin/dispose}), one run at a time; its last report is in {@code /health}
 * ({@code checks.retention}: DEGRADED while a run is refused for want of confirmation). Thread-safe; blocking runs.
 */
public final class RetentionJobs {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJobs.class);

  private final DSLContext dsl;
  private final AppConfig config;
  private final EvidenceService evidence;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile Consumer<List<String>> searchDeletion = ids -> { };
  private volatile Disposal.Report last;
  private volatile String failure;

  public RetentionJobs(DSLContext dsl, AppConfig config, EvidenceService evidence) {
    this.dsl = dsl;
    this.config = config;
    this.evidence = evidence;
  }

  /** Where the message ids of disposed events go, so their search documents are deleted (the daemon's index). */
  public void searchDeletion(Consumer<List<String>> deletion) {
    this.searchDeletion = deletion;
  }

  /** @return whether the policy can ever dispose of anything (else no run is scheduled) */
  public boolean active() {
    return !config.retention().policy().keepsEverything();
  }

  /**
   * Runs disposal now.
   *
   * @throws IllegalStateException when a run is in progress
   */
  public Disposal.Report runNow(boolean dryRun, boolean confirm) {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("a disposal run is in progress");
    }
    try {
      Path dir = config.evidence().dir();
      Disposal.Report report = evidence.exclusive(() -> Disposal.runSafely(dsl, config.retention(), evidence.key(),
          dir, dryRun, confirm, Instant.now(), ids -> searchDeletion.accept(ids)));
      if (!dryRun) {
        last = report;
        failure = null;
      }
      if (report.refused() != null) {
        LOG.error("DISPOSAL REFUSED: {}", report.refused());
      } else if (report.disposed() > 0 && !dryRun) {
        LOG.info("{}", report.describe());
      }
      return report;
    } catch (RuntimeException e) {
      failure = e.getMessage();
      LOG.error("DISPOSAL FAILED (a run that did not commit disposed of nothing; the next run tries again): {}",
          e.toString());
      throw e;
    } finally {
      running.set(false);
    }
  }

  /** @return the health check: policy, last run, DEGRADED when it was refused or failed */
  public JsonObject health() {
    Disposal.Report r = last;
    boolean bad = failure != null || r != null && r.refused() != null;
    return new JsonObject().put("status", bad ? "DEGRADED" : "UP")
        .put("policy", config.retention().policy().toJson())
        .put("disposeEverySeconds", config.retention().disposeEvery().toSeconds())
        .put("lastRun", r == null ? null : r.toJson().put("seqRanges", null))
        .put("failure", failure);
  }
}
