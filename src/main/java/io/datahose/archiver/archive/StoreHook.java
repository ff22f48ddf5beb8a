package io.datahose.archiver.archive;

import io.datahose.archiver.symphony.ReceivedEvent;

import java.util.List;

/**
 * Test seam called by {@link Archive#store} inside the batch transaction, after every row of the batch
 * (raw events, projections, feed cursor) is written and before the commit. Throwing here rolls the whole
 * batch back, exactly like a crash before the commit would. Called on the storing (worker) thread.
 */
public interface StoreHook {

  /** Does nothing by default; tests throw to prove that nothing of a failed batch is kept. */
  default void beforeCommit(String tag, int slot, List<ReceivedEvent> events) {
  }

  /**
   * Called after the commit (and the sync), before {@link Archive#store} returns. Throwing here is what a
   * crash after the commit but before the next read looks like to the caller: the batch is in the archive
   * but its ackId is never presented.
   */
  default void afterCommit(String tag, int slot, List<ReceivedEvent> events) {
  }
}
