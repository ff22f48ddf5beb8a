package io.datahose.archiver.ops;

import io.datahose.archiver.archive.StoreResult;
import io.datahose.archiver.capture.CaptureLedgerStore;
import io.datahose.archiver.capture.CaptureListener;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Stops reading while the archive cannot store what it would acknowledge: free disk under
 * {@code database.minFreeDisk}, or a failed commit not yet followed by a successful probe commit. Reading resumes
 * by itself once the condition clears. {@link #readBlocked} runs on ingest worker threads (it may block briefly:
 * a statfs, a one-row commit); {@link #problem()} and the accessors are safe from any thread.
 */
public final class StorageGuard implements CaptureListener {

  private static final Logger LOG = LoggerFactory.getLogger(StorageGuard.class);

  private final CaptureLedgerStore store;
  private final Path databaseFile;
  private final long minFreeDisk;
  private final LongSupplier freeDisk;
  private volatile String commitFailure;
  private volatile String diskProblem;

  /** Guards the archive whose H2 file is {@code databasePath + ".mv.db"}, measuring its file system's free space. */
  public StorageGuard(CaptureLedgerStore store, Path databasePath, long minFreeDisk) {
    this(store, databasePath, minFreeDisk, () -> usable(databasePath));
  }

  /** As above with a free-space source (tests). */
  public StorageGuard(CaptureLedgerStore store, Path databasePath, long minFreeDisk, LongSupplier freeDisk) {
    this.store = store;
    this.databaseFile = Path.of(databasePath + ".mv.db");
    this.minFreeDisk = minFreeDisk;
    this.freeDisk = freeDisk;
  }

  @Override
  public String readBlocked(int slot) {
    long free = freeDisk.getAsLong();
    if (free >= 0 && free < minFreeDisk) {
      String problem = "free disk " + Bytes.human(free) + " is under database.minFreeDisk " + Bytes.human(minFreeDisk)
          + " on " + databaseFile.getParent() + ": reading stopped, nothing is acknowledged; free space to resume";
      if (diskProblem == null) {
        LOG.error("capture DOWN: {}", problem);
      }
      diskProblem = problem;
      return problem;
    }
    if (diskProblem != null) {
      LOG.info("free disk {} is enough again: reading resumes", Bytes.human(free));
      diskProblem = null;
    }
    if (commitFailure != null) {
      try {
        store.probe();
        LOG.info("the database accepts commits again: reading resumes");
        commitFailure = null;
      } catch (RuntimeException e) {
        commitFailure = "commit failed, probe commit fails too: " + e.getMessage();
        return "database: " + commitFailure;
      }
    }
    return null;
  }

  @Override
  public void storeFailed(int slot, RuntimeException cause) {
    commitFailure = "commit failed: " + cause.getMessage();
  }

  @Override
  public void stored(int slot, List<JsonObject> events, StoreResult result, Duration latency, Duration commit) {
    commitFailure = null;
  }

  /** @return why the database cannot take batches now (disk or commit), or null when it can */
  public String problem() {
    return diskProblem != null ? diskProblem : commitFailure;
  }

  /** @return free bytes on the archive's file system, -1 when unknown; a statfs */
  public long freeDisk() {
    return freeDisk.getAsLong();
  }

  public long minFreeDisk() {
    return minFreeDisk;
  }

  /** @return the H2 file's size in bytes, -1 when unknown; a stat */
  public long databaseSize() {
    try {
      return Files.size(databaseFile);
    } catch (Exception e) {
      return -1;
    }
  }

  private static long usable(Path databasePath) {
    try {
      Path dir = databasePath.toAbsolutePath().getParent();
      return Files.getFileStore(dir).getUsableSpace();
    } catch (Exception e) {
      return -1;
    }
  }
}
