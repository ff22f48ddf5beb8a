package io.datahose.archiver.capture;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What capture is doing right now, per reader slot: the source of the health check, the metrics and
 * the demo's progress line. Written by the ingest verticles, read from any thread.
 */
public final class CaptureStatus {

  /** The state of one reader slot. */
  public enum State { STARTING, UP, DOWN }

  /** A snapshot-friendly, thread-safe view of one reader slot. */
  public static final class Slot {
    private final Duration stallAfter;
    private final Clock clock;
    private final Instant startedAt;
    private volatile State state = State.STARTING;
    private volatile String reason = "starting";
    private volatile Instant lastSuccessfulRead;
    private volatile String lastError;
    private volatile int consecutiveFailures;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong failedReads = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rawOnly = new AtomicLong();
    private final AtomicLong reauthentications = new AtomicLong();
    private final AtomicLong storeNanos = new AtomicLong();

    Slot(Duration stallAfter, Clock clock) {
      this.stallAfter = stallAfter;
      this.clock = clock;
      this.startedAt = clock.instant();
    }

    void readSucceeded(int storedEvents, int duplicateEvents, int rawOnlyEvents) {
      reads.incrementAndGet();
      stored.addAndGet(storedEvents);
      duplicates.addAndGet(duplicateEvents);
      rawOnly.addAndGet(rawOnlyEvents);
      lastSuccessfulRead = clock.instant();
      consecutiveFailures = 0;
      state = State.UP;
      reason = "reading";
    }

    void failed(String error, boolean down) {
      failedReads.incrementAndGet();
      consecutiveFailures++;
      lastError = error;
      if (down) {
        state = State.DOWN;
        reason = error;
      }
    }

    void blocked(String why) {
      lastError = why;
      state = State.DOWN;
      reason = why;
    }

    void storeTook(long nanos) {
      storeNanos.addAndGet(nanos);
    }

    void reauthenticated() {
      reauthentications.incrementAndGet();
    }

    /** DOWN, whatever the last recorded state, when no read succeeded for {@code capture.gapThreshold}. */
    public State state() { return stalledFor() != null ? State.DOWN : state; }
    public String reason() {
      Duration stalled = stalledFor();
      return stalled == null ? reason : "no successful read for " + stalled.toMillis() + " ms (capture.gapThreshold "
          + stallAfter.toMillis() + " ms): " + reason;
    }

    private Duration stalledFor() {
      Instant last = lastSuccessfulRead == null ? startedAt : lastSuccessfulRead;
      Duration since = Duration.between(last, clock.instant());
      return since.compareTo(stallAfter) > 0 ? since : null;
    }

    public Instant lastSuccessfulRead() { return lastSuccessfulRead; }
    public String lastError() { return lastError; }
    public int consecutiveFailures() { return consecutiveFailures; }
    public long reads() { return reads.get(); }
    public long failedReads() { return failedReads.get(); }
    public long stored() { return stored.get(); }
    public long duplicates() { return duplicates.get(); }
    public long rawOnly() { return rawOnly.get(); }
    public long reauthentications() { return reauthentications.get(); }
    /** @return wall time this slot spent in Archive.store (writes, commit, sync), in nanoseconds */
    public long storeNanos() { return storeNanos.get(); }
  }

  private final Map<Integer, Slot> slots = new ConcurrentHashMap<>();
  private final Duration stallAfter;
  private final Clock clock;

  /** @param stallAfter a slot without a successful read for this long is DOWN ({@code capture.gapThreshold}) */
  public CaptureStatus(Duration stallAfter) {
    this(stallAfter, Clock.systemUTC());
  }

  /** As {@link #CaptureStatus(Duration)}, reading time from {@code clock} (tests). */
  public CaptureStatus(Duration stallAfter, Clock clock) {
    this.stallAfter = stallAfter;
    this.clock = clock;
  }
  private volatile boolean ceserviceUp = true;
  private volatile String ceserviceMessage;

  /** @return the status of {@code slot}, created on first use */
  public Slot slot(int slot) {
    return slots.computeIfAbsent(slot, s -> new Slot(stallAfter, clock));
  }

  public Map<Integer, Slot> slots() {
    return Map.copyOf(slots);
  }

  /** @return events stored by all slots since start */
  public long stored() {
    return slots.values().stream().mapToLong(Slot::stored).sum();
  }

  /** @return true when at least one slot exists and every slot is UP */
  public boolean up() {
    return !slots.isEmpty() && slots.values().stream().allMatch(s -> s.state() == State.UP);
  }

  void ceservice(boolean up, String message) {
    ceserviceUp = up;
    ceserviceMessage = message;
  }

  public boolean ceserviceUp() { return ceserviceUp; }
  public String ceserviceMessage() { return ceserviceMessage; }
}
