package io.datahose.archiver.capture;

import io.datahose.archiver.archive.StoreResult;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What operations (capture ledger, metrics, storage guard) learn from the read loop. Every method is called on
 * the reader slot's worker thread, in loop order; implementations must be thread-safe across slots, quick, and
 * must not throw. {@link #readBlocked} may block briefly (a disk check, a one-row probe commit).
 */
public interface CaptureListener {

  /** A listener that does nothing and never blocks reading. */
  CaptureListener NONE = new CaptureListener() { };

  /** @return null to read now, or why reading must wait (the slot goes DOWN with this reason and retries) */
  default String readBlocked(int slot) {
    return null;
  }

  /** A batch was read ({@code latency}: request to answer) and committed ({@code commitLatency}). */
  /** A reader slot starts its read loop (before its first read); stall detection counts from here. */
  default void slotStarted(int slot) {
  }

  default void stored(int slot, List<JsonObject> events, StoreResult result, Duration latency, Duration commitLatency) {
  }

  /** The batch could not be committed: nothing of it is kept and it is not acknowledged. */
  default void storeFailed(int slot, RuntimeException cause) {
  }

  /** A read failed; {@code kind} is UNAUTHORIZED, TRANSIENT, FATAL, AUTH or OTHER. */
  default void readFailed(int slot, String kind, String reason) {
  }

  /** @return a listener calling each of {@code listeners} in order; the first non-null block reason wins */
  static CaptureListener all(List<CaptureListener> listeners) {
    List<CaptureListener> copy = new ArrayList<>(listeners);
    return new CaptureListener() {
      @Override
      public String readBlocked(int slot) {
        for (CaptureListener l : copy) {
          String reason = l.readBlocked(slot);
          if (reason != null) {
            return reason;
          }
        }
        return null;
      }

      @Override
      public void slotStarted(int slot) {
        copy.forEach(l -> l.slotStarted(slot));
      }

      @Override
      public void stored(int slot, List<JsonObject> events, StoreResult result, Duration latency, Duration commit) {
        copy.forEach(l -> l.stored(slot, events, result, latency, commit));
      }

      @Override
      public void storeFailed(int slot, RuntimeException cause) {
        copy.forEach(l -> l.storeFailed(slot, cause));
      }

      @Override
      public void readFailed(int slot, String kind, String reason) {
        copy.forEach(l -> l.readFailed(slot, kind, reason));
      }
    };
  }
}
