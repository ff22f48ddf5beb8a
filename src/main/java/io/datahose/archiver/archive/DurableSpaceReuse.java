package io.datahose.archiver.archive;

import org.h2.mvstore.MVStore;

/**
 * Lets H2 reuse the space of a dead chunk only once the commit that made it dead is on the device.
 * <p>
 * Why: H2 keeps a dead chunk for {@code RETENTION_TIME} (45 s) after it was <em>written</em>, in case a power
 * loss takes the unsynced commit that superseded it. At a few hundred events a second that is hundreds of MB of
 * dead chunks: the live file was 10-20x its content. A timer is also not the real condition: the commit that
 * kills an old chunk can be written any time after that chunk was.
 * <p>
 * What: the retention time is 0, and instead this object holds one MVStore version registration
 * ({@link MVStore#registerVersionUsage()}) taken before the last {@code CHECKPOINT SYNC}. H2 overwrites a dead
 * chunk only when it became unused at a version older than every registered one
 * ({@code FileStore.canOverwriteChunk}), that is, only when the commit that killed it was stored before that
 * registration and so forced to the device by that sync. Each {@link #sync} takes a new registration, syncs, then
 * releases the previous one. Process crashes (kill -9) never needed the retention: the OS keeps every written
 * page. Thread-safe.
 */
final class DurableSpaceReuse {

  private final MVStore store;
  private MVStore.TxCounter held;

  /** Takes the first registration (all that is on the file was synced when it was last closed). */
  DurableSpaceReuse(MVStore store) {
    this.store = store;
    this.held = store.registerVersionUsage();
    store.getFileStore().setRetentionTime(0);
  }

  /** True when a commit was stored since the last sync (an idle database need not be synced). */
  synchronized boolean hasUnsyncedCommits() {
    return held != null && store.getCurrentVersion() > held.version;
  }

  /**
   * Runs {@code forceToDevice}, which must store pending commits and force the file ({@code CHECKPOINT SYNC});
   * then lets H2 reuse space freed by the commits it forced. On failure the previous registration stays.
   */
  synchronized void sync(Runnable forceToDevice) {
    if (held == null) {
      forceToDevice.run();
      return;
    }
    MVStore.TxCounter next = store.registerVersionUsage();
    try {
      forceToDevice.run();
    } catch (RuntimeException e) {
      store.deregisterVersionUsage(next);
      throw e;
    }
    MVStore.TxCounter previous = held;
    held = next;
    store.deregisterVersionUsage(previous);
  }

  /** Releases the registration before the database closes (H2 asserts that none is left). */
  synchronized void release() {
    if (held != null) {
      store.deregisterVersionUsage(held);
      held = null;
    }
  }
}
