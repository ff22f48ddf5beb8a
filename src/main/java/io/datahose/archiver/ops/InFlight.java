package io.datahose.archiver.ops;

import java.time.Duration;

/**
 * Counts blocking jobs in flight (scheduled backups, ledger writes, tree heads, verifications) so that a stop can
 * refuse new ones and wait, bounded, for the running ones before the database closes. Thread-safe.
 */
public final class InFlight {

  private int running;
  private boolean closed;

  /** @return false once {@link #closeAndAwait} was called: the job must not start */
  public synchronized boolean enter() {
    if (closed) {
      return false;
    }
    running++;
    return true;
  }

  /** Ends a job that {@link #enter()} admitted. */
  public synchronized void exit() {
    running--;
    notifyAll();
  }

  /** @return how many jobs are running */
  public synchronized int running() {
    return running;
  }

  /**
   * Admits no new job and waits until the running ones ended, at most {@code max}.
   *
   * @return true when none is running any more
   */
  public synchronized boolean closeAndAwait(Duration max) throws InterruptedException {
    closed = true;
    long deadline = System.nanoTime() + max.toNanos();
    while (running > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
