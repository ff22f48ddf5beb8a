package io.datahose.archiver.archive;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Online compaction of the archive's H2 file, run by the storing thread every few committed batches.
 * <p>
 * Why: the URL's {@code WRITE_DELAY=0} (required for durability) makes H2 call
 * {@code MVStore.setAutoCommitDelay(0)} ({@code Database.setWriteDelay}), which stops MVStore's background
 * writer thread ({@code FileStore.setAutoCommitDelay} starts one only for a delay &gt; 0). That thread is the only
 * caller of {@code FileStore.doHousekeeping}, which rewrites partly-dead chunks. Without it every commit leaves a
 * chunk holding a few live pages and many dead ones; only chunks that are entirely dead are ever freed, so the
 * file grows ~12x its live data. {@code AUTO_COMPACT_FILL_RATE} is read only by that housekeeping and by
 * compaction at close, so it has no effect while running.
 * <p>
 * What: {@link MVStore#compact(int, int)} (the public form of that housekeeping) moves the live pages of the
 * least-filled chunks into the next chunk; the emptied chunks are freed by a later commit, and their space is
 * reused only once the commit that emptied them is on the device ({@link DurableSpaceReuse}, which sets H2's
 * retention time to 0 and holds a version registration across each {@code CHECKPOINT SYNC} instead). It
 * takes H2's own store lock, so it is safe alongside other writers; only one thread compacts at a time. The
 * rewritten pages are written by the caller's next {@code CHECKPOINT SYNC} or commit. {@code compactFile} is
 * not used: it sets the retention time to 0 for good. A failure is logged and never fails a committed batch.
 */
final class ArchiveCompactor {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveCompactor.class);
  /** Rewrite when the live share of all chunks falls below this percentage. */
  static final int TARGET_FILL_RATE = 80;
  /** Live bytes moved per call at most (bounds the pause of the batch that runs it). */
  static final int WRITE_LIMIT = 4 * 1024 * 1024;
  /** Committed batches between two compactions. */
  static final int EVERY_BATCHES = 2;

  private final MVStore store;
  private final int everyBatches;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean();

  ArchiveCompactor(MVStore store, int everyBatches) {
    this.store = store;
    this.everyBatches = everyBatches;
  }

  /** The MVStore behind an embedded H2 connection ({@code org.h2} internals, checked against 2.3.232). */
  static MVStore mvStoreOf(Connection connection) throws SQLException {
    SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
    return session.getDatabase().getStore().getMvStore();
  }

  /** Counts a committed batch and compacts on every {@code everyBatches}-th; blocking, never throws. */
  void afterCommit() {
    if (batches.incrementAndGet() % everyBatches != 0 || !running.compareAndSet(false, true)) {
      return;
    }
    try {
      if (store.isClosed()) {
        return;
      }
      long t0 = System.nanoTime();
      boolean rewritten = store.compact(TARGET_FILL_RATE, WRITE_LIMIT);
      if (rewritten && LOG.isDebugEnabled()) {
        LOG.debug("archive compaction rewrote chunks in {} ms (chunk fill rate now {}%, file fill rate {}%)",
            (System.nanoTime() - t0) / 1_000_000, store.getFileStore().getChunksFillRate(), store.getFillRate());
      }
    } catch (RuntimeException e) {
      LOG.warn("archive compaction failed (the file may grow until the next attempt): {}", e.toString());
    } finally {
      running.set(false);
    }
  }
}
