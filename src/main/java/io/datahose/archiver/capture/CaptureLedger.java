package io.datahose.archiver.capture;

import io.datahose.archiver.archive.StoreResult;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The capture ledger: aggregates polling per slot and minute (flushed by {@link #persist()}), and opens a capture
 * gap when no read of any slot succeeded for {@code gapThreshold} (ERROR log line; {@link #openGap()} makes health
 * DEGRADED), closing it at the next successful read. At {@link #start()} the time since the last recorded read,
 * when longer than the threshold, becomes a gap with cause "daemon not running". Listener methods run on ingest
 * worker threads, {@link #check()} on any thread; {@link #start()} and {@link #persist()} block (JDBC) and must run
 * off the event loop. A gap whose row cannot be written yet (database fault) stays in memory and is written later.
 */
public final class CaptureLedger implements CaptureListener {

  private static final Logger LOG = LoggerFactory.getLogger(CaptureLedger.class);

  /** A gap as known in memory; {@code id} is null until written, {@code to} null while open. */
  public record Gap(Long id, Instant from, Instant to, String cause) {
  }

  private record Key(int slot, Instant bucket) {
  }

  private static final class Counts {
    Instant first;
    Instant last;
    long reads;
    long events;
    long failures;
    String lastError;
  }

  private final CaptureLedgerStore store;
  private final Duration threshold;
  private final Runnable onGapOpened;
  private final Map<Key, Counts> pending = new HashMap<>();
  private final Clock clock;
  private volatile Instant lastSuccess;
  private volatile String lastError;
  private Gap gap;
  /** Last successful read per reader slot (from its start when it has none yet); guarded by {@code this}. */
  private final Map<Integer, Instant> slotLastSuccess = new HashMap<>();
  /** Held by {@link #persist()}: one flush at a time. */
  private final Object persisting = new Object();

  /** @param onGapOpened called (under the ledger's lock) each time a gap opens: the gap counter of the metrics */
  public CaptureLedger(CaptureLedgerStore store, Duration gapThreshold, Runnable onGapOpened) {
    this(store, gapThreshold, onGapOpened, Clock.systemUTC());
  }

  /** As above, reading time from {@code clock} (tests). */
  public CaptureLedger(CaptureLedgerStore store, Duration gapThreshold, Runnable onGapOpened, Clock clock) {
    this.store = store;
    this.threshold = gapThreshold;
    this.onGapOpened = onGapOpened;
    this.clock = clock;
    this.lastSuccess = clock.instant();
  }

  /** Resumes a gap left open by a previous run, or records the downtime since the last read as a gap. Blocking. */
  public synchronized void start() {
    Instant now = clock.instant();
    var leftOpen = store.openGap();
    if (leftOpen.isPresent()) {
      gap = new Gap(leftOpen.get().id(), leftOpen.get().from(), null, leftOpen.get().cause());
      lastSuccess = leftOpen.get().from();
      LOG.error("capture gap still open since {} ({}): the daemon stopped during it", gap.from(), gap.cause());
      return;
    }
    store.lastRead().ifPresent(last -> {
      lastSuccess = last;
      if (Duration.between(last, now).compareTo(threshold) > 0) {
        open(last, "daemon not running (no read between " + last + " and the start at " + now + ")");
      }
    });
  }

  /**
   * Opens a gap when no read succeeded for the threshold — of any slot, or of one slot while others read (a
   * slot whose loop stalled, whatever the reason, holds back the events the feed handed it). Call periodically;
   * does not block.
   */
  public synchronized void check() {
    if (gap != null) {
      return;
    }
    Instant now = clock.instant();
    Instant since = lastSuccess;
    if (Duration.between(since, now).compareTo(threshold) > 0) {
      open(since, lastError == null ? "no successful read" : "reads failing: " + lastError);
      return;
    }
    Map.Entry<Integer, Instant> stalest = stalestSlot();
    if (stalest != null && Duration.between(stalest.getValue(), now).compareTo(threshold) > 0) {
      open(stalest.getValue(), "reader slot " + stalest.getKey() + ": no successful read since " + stalest.getValue()
          + (lastError == null ? "" : " (last error: " + lastError + ")"));
    }
  }

  @Override
  public synchronized void slotStarted(int slot) {
    slotLastSuccess.putIfAbsent(slot, clock.instant());
  }

  private Map.Entry<Integer, Instant> stalestSlot() {
    Map.Entry<Integer, Instant> stalest = null;
    for (Map.Entry<Integer, Instant> e : slotLastSuccess.entrySet()) {
      if (stalest == null || e.getValue().isBefore(stalest.getValue())) {
        stalest = e;
      }
    }
    return stalest;
  }

  private void open(Instant from, String cause) {
    gap = new Gap(null, from, null, cause);
    onGapOpened.run();
    LOG.error("CAPTURE GAP: no event read from the feed since {} (longer than capture.gapThreshold {}): {}",
        from, threshold, cause);
  }

  @Override
  public void stored(int slot, List<JsonObject> events, StoreResult result, Duration latency, Duration commit) {
    Instant now = clock.instant();
    synchronized (this) {
      Counts c = counts(slot, now);
      c.first = c.first == null ? now : c.first;
      c.last = now;
      c.reads++;
      c.events += events.size();
      lastSuccess = now;
      slotLastSuccess.put(slot, now);
      Map.Entry<Integer, Instant> stalest = stalestSlot();
      boolean everySlotReads = stalest == null || Duration.between(stalest.getValue(), now).compareTo(threshold) <= 0;
      if (gap != null && gap.to() == null && everySlotReads) {
        gap = new Gap(gap.id(), gap.from(), now, gap.cause());
        LOG.info("capture gap closed: reads succeed again at {} (gap from {}, {})", now, gap.from(), gap.cause());
      }
    }
  }

  @Override
  public synchronized void readFailed(int slot, String kind, String reason) {
    Counts c = counts(slot, clock.instant());
    c.failures++;
    c.lastError = kind + ": " + reason;
    lastError = c.lastError;
  }

  @Override
  public void storeFailed(int slot, RuntimeException cause) {
    readFailed(slot, "DATABASE", cause.getMessage());
  }

  private Counts counts(int slot, Instant at) {
    return pending.computeIfAbsent(new Key(slot, at.truncatedTo(ChronoUnit.MINUTES)), k -> new Counts());
  }

  /** @return the open gap (or the one closed but not written yet), or null */
  public synchronized Gap openGap() {
    return gap != null && gap.to() == null ? gap : null;
  }

  /**
   * Writes the aggregated reads and the gap's state. Blocking; keeps what could not be written for next time. Two
   * calls never overlap (the periodic flush and a caller's), or both would insert the same new gap.
   */
  public void persist() {
    synchronized (persisting) {
      persistOnce();
    }
  }

  private void persistOnce() {
    Map<Key, Counts> batch;
    Gap current;
    synchronized (this) {
      batch = new HashMap<>(pending);
      pending.clear();
      current = gap;
    }
    try {
      batch.forEach((k, c) -> store.addReads(k.slot(), k.bucket(), c.first, c.last, c.reads, c.events, c.failures,
          c.lastError));
    } catch (RuntimeException e) {
      LOG.warn("capture ledger: polling counters not written ({}); they are kept", e.getMessage());
      synchronized (this) {
        batch.forEach((k, c) -> pending.merge(k, c, CaptureLedger::sum));
      }
    }
    if (current != null) {
      try {
        persistGap(current);
      } catch (RuntimeException e) {
        LOG.warn("capture ledger: gap from {} not written yet ({}); retrying", current.from(), e.getMessage());
      }
    }
  }

  private static Counts sum(Counts a, Counts b) {
    Counts c = new Counts();
    c.first = a.first == null || (b.first != null && b.first.isBefore(a.first)) ? b.first : a.first;
    c.last = a.last == null || (b.last != null && b.last.isAfter(a.last)) ? b.last : a.last;
    c.reads = a.reads + b.reads;
    c.events = a.events + b.events;
    c.failures = a.failures + b.failures;
    c.lastError = b.lastError != null ? b.lastError : a.lastError;
    return c;
  }

  private void persistGap(Gap current) {
    Gap written = current;
    if (current.id() == null) {
      written = new Gap(store.insertGap(current.from(), current.to(), current.cause(), clock.instant()),
          current.from(), current.to(), current.cause());
    } else if (current.to() != null) {
      store.closeGap(current.id(), current.to());
    }
    synchronized (this) {
      if (gap == current) {
        gap = written.to() != null ? null : written;
      } else if (gap != null && gap.id() == null && gap.from().equals(written.from())) {
        gap = new Gap(written.id(), gap.from(), gap.to(), gap.cause());
      }
    }
  }
}
