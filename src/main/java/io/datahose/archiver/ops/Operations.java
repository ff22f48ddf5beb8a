package io.datahose.archiver.ops;

import io.datahose.archiver.capture.CaptureLedger;
import io.datahose.archiver.capture.CaptureListener;
import io.datahose.archiver.capture.CoverageQueries;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.EvidenceService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The operations side of one running daemon: capture ledger and gap alerts, storage guard, metrics, health,
 * scheduled backups and the evidence (signed tree heads, scheduled verify), retention. {@link #start} blocks (it
 * reads and writes the ledger); {@link #schedule} arms event-loop timers whose JDBC and backup
 * work runs in {@code executeBlocking}; {@link #stop} cancels them and waits for the jobs in flight (a backup, a
 * verification); {@link #close} writes the ledger once more and signs the shutdown tree head (blocking, after the
 * readers stopped, before the database closes).
 */
public final class Operations {

  private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

  private final CaptureLedger ledger;
  private final StorageGuard guard;
  private final OpsMetrics metrics;
  private final Backups backups;
  private final HealthCheck health;
  private final CoverageQueries coverage;
  private final PrometheusMeterRegistry registry;
  private final AppConfig config;
  private final AtomicBoolean backupRunning = new AtomicBoolean();
  private final EvidenceService evidence;
  private final InFlight jobs = new InFlight();
  private final RetentionJobs retention;
  private final List<Long> timers = new CopyOnWriteArrayList<>();
  private Vertx vertx;

  /**
   * The parts, built by {@link io.datahose.archiver.Daemon} (the one place the daemon is wired); registers the
   * gauges of the database size, the backup age and the open gap. Call {@link #start} next.
   */
  public Operations(AppConfig config, EvidenceService evidence, CaptureLedger ledger, StorageGuard guard,
                    OpsMetrics metrics, Backups backups, HealthCheck health, RetentionJobs retention,
                    CoverageQueries coverage, PrometheusMeterRegistry registry) {
    this.config = config;
    this.evidence = evidence;
    this.ledger = ledger;
    this.guard = guard;
    this.metrics = metrics;
    this.backups = backups;
    this.health = health;
    this.retention = retention;
    this.coverage = coverage;
    this.registry = registry;
    metrics.gauge("archiver.database.size.bytes", "size of the H2 archive file", guard::databaseSize);
    // never backed up: +Inf, so an alert "age > N" fires (NaN would compare false and never fire)
    metrics.gauge("archiver.backup.age.seconds", "seconds since the last verified backup (+Inf: none yet)", () -> {
      Instant last = backups.lastBackupAt();
      return last == null ? Double.POSITIVE_INFINITY : Duration.between(last, Instant.now()).toSeconds();
    });
    metrics.gauge("archiver.capture.gap.open", "1 while a capture gap is open", () -> ledger.openGap() == null ? 0 : 1);
  }

  /** Records downtime since the last read as a gap and writes the ledger; blocking. */
  public void start() {
    ledger.start();
    ledger.persist();
  }

  /** @return the listener to hand every IngestVerticle: storage guard first (it may block reading) */
  public CaptureListener listener() {
    return CaptureListener.all(List.of(guard, ledger, metrics));
  }

  /**
   * @return the listener of a reader draining an old feed: storage guard and metrics, not the capture ledger (its
   *     reads must not hide a stall of the configured slot of the same number)
   */
  public CaptureListener drainListener() {
    return CaptureListener.all(List.of(guard, metrics));
  }

  /**
   * Arms the gap check (threshold / 4, at most every second), ledger flush (5 s), scheduled backups, tree heads
   * ({@code evidence.checkpointInterval}) and scheduled verification ({@code evidence.verifyInterval}).
   */
  public void schedule(Vertx vertx) {
    this.vertx = vertx;
    long tick = Math.max(50, Math.min(1000, config.capture().gapThreshold().toMillis() / 4));
    timers.add(vertx.setPeriodic(tick, id -> ledger.check()));
    timers.add(vertx.setPeriodic(Math.min(5000, tick * 4), id -> blocking(() -> {
      ledger.persist();
      return null;
    })));
    if (!backups.external()) {
      timers.add(vertx.setPeriodic(config.backup().interval().toMillis(), id -> scheduledBackup()));
    }
    timers.add(vertx.setPeriodic(config.evidence().checkpointInterval().toMillis(),
        id -> blocking(evidence::checkpoint)));
    timers.add(vertx.setPeriodic(config.evidence().verifyInterval().toMillis(), id -> blocking(evidence::verifyNow)
        .onFailure(e -> LOG.error("scheduled verify could not run: {}", e.toString()))));
    if (retention.active()) {
      timers.add(vertx.setPeriodic(config.retention().disposeEvery().toMillis(),
          id -> blocking(() -> retention.runNow(false, false))
              .onFailure(e -> LOG.error("scheduled disposal did not run: {}", e.getMessage()))));
    }
  }

  private void scheduledBackup() {
    if (!backupRunning.compareAndSet(false, true)) {
      LOG.warn("scheduled backup skipped: the previous one is still running");
      return;
    }
    blocking(backups::backupNow)
        .onFailure(e -> {
          if (e instanceof Backups.InProgressException) {
            LOG.warn("scheduled backup skipped: a backup asked for over the API is running");
          } else if (!(e instanceof Stopping)) {
            LOG.error("SCHEDULED BACKUP FAILED: {}", e.getMessage());
          }
        })
        .onComplete(r -> backupRunning.set(false));
  }

  /** Runs {@code job} on a worker, counted in {@link #jobs}; fails with {@link Stopping} once {@link #stop} began. */
  private <T> Future<T> blocking(Callable<T> job) {
    if (!jobs.enter()) {
      return Future.failedFuture(new Stopping());
    }
    return vertx.executeBlocking(() -> {
      try {
        return job.call();
      } finally {
        jobs.exit();
      }
    }, false);
  }

  /**
   * Cancels every timer, refuses new backups and waits, at most {@code max}, for the jobs in flight (a scheduled
   * backup or verification, and a backup asked for over the API) to end: closing the query pool or Vert.x
   * interrupts their workers, closing the database fails them. Blocking; call first when stopping.
   *
   * @return true when nothing was left running
   */
  public boolean stop(Duration max) {
    if (vertx != null) {
      timers.forEach(vertx::cancelTimer);
    }
    long deadline = System.nanoTime() + max.toNanos();
    try {
      boolean idle = jobs.closeAndAwait(max)
          & backups.closeAndAwait(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (!idle) {
        LOG.warn("stopping with a backup or verification still running after {} s: it fails when the archive closes"
            + " (a backup leaves no .zip; the next start verifies again)", max.toSeconds());
      }
      return idle;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A scheduled job not started because the daemon is stopping. */
  static final class Stopping extends RuntimeException {
    Stopping() {
      super("the daemon is stopping", null, false, false);
    }
  }

  /** Writes what the ledger still holds and signs the shutdown tree head; blocking. */
  public void close() {
    try {
      ledger.persist();
    } finally {
      evidence.close();
    }
  }

  public HealthCheck health() { return health; }
  public EvidenceService evidence() { return evidence; }
  public Backups backups() { return backups; }
  public RetentionJobs retention() { return retention; }
  public CoverageQueries coverage() { return coverage; }
  public CaptureLedger ledger() { return ledger; }
  public StorageGuard storage() { return guard; }
  public PrometheusMeterRegistry registry() { return registry; }
}
