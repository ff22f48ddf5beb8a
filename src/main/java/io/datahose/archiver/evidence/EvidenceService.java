package io.datahose.archiver.evidence;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.datahose.archiver.config.AppConfig;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evidence side of a running daemon: the archive key, a signed tree head every
 * {@code evidence.checkpointInterval} and at {@link #close()}, a full {@code verify} every
 * {@code evidence.verifyInterval} (and on request), and the health check that reports both. {@link #open} blocks (it
 * loads or makes the key and catches the Merkle log up with archives from before it existed); timers run their work
 * in {@code executeBlocking}. Thread-safe.
 */
public final class EvidenceService {

  private static final Logger LOG = LoggerFactory.getLogger(EvidenceService.class);

  private final AppConfig.Evidence config;
  private final DSLContext dsl;
  private final ArchiveKey key;
  private final TreeHeads heads;
  private final AtomicBoolean verifying = new AtomicBoolean();
  /** A verification and a disposal run never overlap: verify reads tombstones and certificates once, up front. */
  private final java.util.concurrent.locks.ReentrantLock exclusive = new java.util.concurrent.locks.ReentrantLock();
  private volatile Verification last;
  private volatile String checkpointProblem;

  private EvidenceService(AppConfig.Evidence config, DSLContext dsl, ArchiveKey key) {
    this.config = config;
    this.dsl = dsl;
    this.key = key;
    this.heads = new TreeHeads(dsl, key, config.dir());
  }

  /** Loads or makes the key, publishes it, catches the log up; blocking. */
  public static EvidenceService open(AppConfig config, DSLContext dsl) {
    ArchiveKey key = ArchiveKey.loadOrCreate(config);
    String signedBy = TreeHeads.newestFingerprint(dsl);
    if (signedBy != null && !signedBy.equals(key.fingerprint())) {
      // several daemons on one PostgreSQL archive: each would otherwise make its own key at first start
      throw new IllegalStateException("the archive's newest tree head is signed by the key with fingerprint "
          + signedBy + ", not by this daemon's key " + config.evidenceKeyPath() + " (" + key.fingerprint()
          + "): every daemon of one archive signs with the archive's key; set evidence.key to a copy of it");
    }
    long added = EventLog.catchUp(dsl);
    if (added > 0) {
      LOG.info("Merkle log caught up with {} events archived before it existed", added);
    }
    long accessAdded = AccessLog.catchUp(dsl);
    if (accessAdded > 0) {
      LOG.info("access log's Merkle log caught up with {} rows logged before it existed", accessAdded);
    }
    // a disposal certificate committed just before a crash may not have reached evidence.dir yet
    DisposalCertificates.refile(dsl, config.evidence().dir());
    RestoreRecords.refile(dsl, config.evidence().dir());
    return new EvidenceService(config.evidence(), dsl, key);
  }

  /** Signs a tree head if the log grew; a failure is logged and reported by {@link #health()}, never thrown. */
  public Object checkpoint() {
    try {
      heads.checkpoint();
      checkpointProblem = null;
    } catch (RuntimeException e) {
      checkpointProblem = e.getMessage();
      LOG.error("TREE HEAD NOT SIGNED OR NOT FILED: {}", e.getMessage());
    }
    return null;
  }

  /**
   * Verifies the whole archive now (one run at a time); blocking, minutes for a large archive.
   *
   * @return the verification
   * @throws IllegalStateException when one is running already
   */
  public Verification verifyNow() {
    if (!verifying.compareAndSet(false, true)) {
      throw new IllegalStateException("a verification is running already");
    }
    exclusive.lock();
    try {
      Verification v = new ArchiveVerifier(dsl, key.publicKey(), config.dir()).verify();
      last = v;
      if (v.ok()) {
        LOG.info("verify: {}", v.verdict());
      } else {
        LOG.error("VERIFY FAILED: {}", v.verdict());
      }
      return v;
    } finally {
      exclusive.unlock();
      verifying.set(false);
    }
  }

  /** Runs {@code work} (a disposal run) while no verification runs; blocking. */
  public <T> T exclusive(java.util.function.Supplier<T> work) {
    exclusive.lock();
    try {
      return work.get();
    } finally {
      exclusive.unlock();
    }
  }

  /** @return the health check: UP, DEGRADED when the last verification failed or a head could not be signed */
  public JsonObject health() {
    Verification v = last;
    boolean bad = v != null && !v.ok() || checkpointProblem != null;
    return new JsonObject().put("status", bad ? "DEGRADED" : "UP")
        .put("keyFingerprint", key.fingerprint())
        .put("lastVerification", v == null ? null : v.toJson().put("problems", null))
        .put("verifyIntervalSeconds", config.verifyInterval().toSeconds())
        .put("checkpointProblem", checkpointProblem);
  }

  public ArchiveKey key() {
    return key;
  }

  public TreeHeads treeHeads() {
    return heads;
  }

  /** @return evidence.checkpointInterval */
  public Duration checkpointInterval() {
    return config.checkpointInterval();
  }

  /** Signs the shutdown tree head; call after the readers stopped, before the database closes. */
  public void close() {
    checkpoint();
  }
}
