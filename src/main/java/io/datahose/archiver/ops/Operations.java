package io.datahose.archiver.ops;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.CaptureLedgerStore;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.evidence.EvidenceService;
import io.datahose.archiver.ingest.CaptureListener;
import io.datahose.archiver.ingest.CaptureStatus;
import io.datahose.archiver.query.CaptureCoverage;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The operations side of one running daemon: capture ledger and gap alerts, storage guard, metrics, health,
 * scheduled backups and the evidence (signed tree heads, scheduled verify), wired together. {@link #create} blocks
 * (it loads the archive key and reads the ledger); {@link #schedule} arms event-loop timers whose JDBC and backup
 * work runs in {@code executeBlocking}; {@link #close} writes the ledger once more and signs the shutdown tree head
 * (blocking, after the readers stopped, before the database closes).
 */
public final class Operations {

  private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

  private final CaptureLedger ledger;
  private final StorageGuard guard;
  private final OpsMetrics metrics;
  private final Backups backups;
  private final HealthCheck health;
  private final CaptureCoverage coverage;
  private final PrometheusMeterRegistry registry;
  private final AppConfig config;
  private final AtomicBoolean backupRunning = new AtomicBoolean();
  private final EvidenceService evidence;

  private Operations(AppConfig config, ArchiveDatabase db, Archive archive, CaptureStatus status,
                     PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    // first: making the key and catching the Merkle log up must not count as time without a successful read
    evidence = EvidenceService.open(config, db.dsl());
    CaptureLedgerStore store = new CaptureLedgerStore(db);
    metrics = new OpsMetrics(registry, archive, status);
    ledger = new CaptureLedger(store, config.capture().gapThreshold(), metrics);
    guard = new StorageGuard(store, config.database().path(), config.database().minFreeDisk());
    backups = new Backups(db, config.backup().dir(), config.backup().keep(), config.backup().keepDays());
    health = new HealthCheck(status, guard, ledger, backups, config.backup().interval());
    health.addCheck("evidence", evidence::health);
    coverage = new CaptureCoverage(db);
    metrics.gauge("archiver.database.size.bytes", "size of the H2 archive file", guard::databaseSize);
    // never backed up: +Inf, so an alert "age > N" fires (NaN would compare false and never fire)
    metrics.gauge("archiver.backup.age.seconds", "seconds since the last verified backup (+Inf: none yet)", () -> {
      Instant last = backups.lastBackupAt();
      return last == null ? Double.POSITIVE_INFINITY : Duration.between(last, Instant.now()).toSeconds();
    });
    metrics.gauge("archiver.capture.gap.open", "1 while a capture gap is open", () -> ledger.openGap() == null ? 0 : 1);
  }

  /** Builds the pieces and records downtime since the last read as a gap; blocking. */
  public static Operations create(AppConfig config, ArchiveDatabase db, Archive archive, CaptureStatus status,
                                  PrometheusMeterRegistry registry) {
    Operations ops = new Operations(config, db, archive, status, registry);
    ops.ledger.start();
    ops.ledger.persist();
    return ops;
  }

  /** @return the listener to hand every IngestVerticle: storage guard first (it may block reading) */
  public CaptureListener listener() {
    return CaptureListener.all(List.of(guard, ledger, metrics));
  }

  /** Arms the gap check (threshold / 4, at most every second), ledger flush (5 s) and scheduled backups. */
  public void schedule(Vertx vertx) {
    long tick = Math.max(50, Math.min(1000, config.capture().gapThreshold().toMillis() / 4));
    vertx.setPeriodic(tick, id -> ledger.check());
    vertx.setPeriodic(Math.min(5000, tick * 4), id -> vertx.executeBlocking(() -> {
      ledger.persist();
      return null;
    }));
    vertx.setPeriodic(config.backup().interval().toMillis(), id -> scheduledBackup(vertx));
    evidence.schedule(vertx);
  }

  private void scheduledBackup(Vertx vertx) {
    if (!backupRunning.compareAndSet(false, true)) {
      LOG.warn("scheduled backup skipped: the previous one is still running");
      return;
    }
    vertx.executeBlocking(backups::backupNow, false)
        .onFailure(e -> {
          if (e instanceof Backups.InProgressException) {
            LOG.warn("scheduled backup skipped: a backup asked for over the API is running");
          } else {
            LOG.error("SCHEDULED BACKUP FAILED: {}", e.getMessage());
          }
        })
        .onComplete(r -> backupRunning.set(false));
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
  public CaptureCoverage coverage() { return coverage; }
  public CaptureLedger ledger() { return ledger; }
  public StorageGuard storage() { return guard; }
  public PrometheusMeterRegistry registry() { return registry; }
}
