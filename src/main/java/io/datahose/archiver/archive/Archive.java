package io.datahose.archiver.archive;

import io.datahose.archiver.symphony.FeedIdentity;
import io.datahose.archiver.symphony.ReceivedEvent;
import io.vertx.core.json.JsonObject;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.FEED_CURSOR;

/**
 * The write side of the archive. {@link #store} keeps a Datahose batch exactly once: every event not archived yet
 * (by identity) gets a gapless seq and its received bytes, its projections (a payload that does not fit stays
 * raw-only with a reason, never failing the batch), and the reader slot's new ack id, all in ONE transaction.
 * <p>
 * Group commit: the batches of all slots that are ready are written in ONE transaction with ONE fsync. A caller
 * queues its batch and takes the writer lock; whoever holds it writes everything queued (its own batch and those of
 * slots that arrived meanwhile), commits, syncs ({@code CHECKPOINT SYNC} with fsync per batch) and completes them
 * all. So {@link #store} returns only after the commit (and sync) of the transaction that holds the caller's batch:
 * the caller acknowledges the batch by its next read, and must not when this throws. When a group fails, each of its
 * batches is written again alone, so one batch the database refuses never fails another slot's. Lock conflicts are
 * retried a few times. Thread-safe; blocking: call only on a worker thread.
 */
public final class Archive {

  private static final Logger LOG = LoggerFactory.getLogger(Archive.class);
  private static final int MAX_ATTEMPTS = 5;
  /** Events per group transaction at most (bounds its memory and the pause of the slots waiting on it). */
  static final int MAX_GROUP_EVENTS = 2_000;

  private final ArchiveDatabase db;
  private final StoreHook hook;
  private final ReentrantLock writer = new ReentrantLock();
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong transactions = new AtomicLong();
  private final AtomicLong batchesCommitted = new AtomicLong();

  public Archive(ArchiveDatabase db) {
    this(db, new StoreHook() {
    });
  }

  public Archive(ArchiveDatabase db, StoreHook hook) {
    this.db = Objects.requireNonNull(db, "db");
    this.hook = Objects.requireNonNull(hook, "hook");
  }

  /** A queued batch and, once its transaction ended, its outcome. Written by the writer, read by its caller. */
  private static final class Pending {
    final BatchWriter.Batch batch;
    volatile boolean done;
    StoreResult result;
    RuntimeException failure;

    Pending(BatchWriter.Batch batch) {
      this.batch = batch;
    }
  }

  /**
   * Stores a batch and the ack id that acknowledges it, atomically.
   *
   * @param feed     the feed read (its identity is kept with the cursor)
   * @param slot     reader slot (each has its own cursor row)
   * @param events   the batch, in feed order, as received
   * @param newAckId ack id returned with this batch
   * @return counts and the seq range written
   * @throws RuntimeException when the batch could not be committed (nothing of it is stored)
   */
  public StoreResult store(FeedIdentity feed, int slot, List<ReceivedEvent> events, String newAckId) {
    Objects.requireNonNull(feed, "feed");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(newAckId, "newAckId");
    Pending mine = new Pending(new BatchWriter.Batch(feed, slot, List.copyOf(events), newAckId));
    queue.add(mine);
    writer.lock();
    try {
      while (!mine.done) {
        writeGroup(drain());
      }
    } finally {
      writer.unlock();
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.result;
  }

  /** Takes queued batches up to {@link #MAX_GROUP_EVENTS} events (always at least one). */
  private List<Pending> drain() {
    List<Pending> group = new ArrayList<>();
    int events = 0;
    Pending next;
    while ((next = queue.peek()) != null
        && (group.isEmpty() || events + next.batch.events().size() <= MAX_GROUP_EVENTS)) {
      queue.poll();
      group.add(next);
      events += next.batch.events().size();
    }
    return group;
  }

  private void writeGroup(List<Pending> group) {
    try {
      List<StoreResult> results = commit(group.stream().map(p -> p.batch).toList());
      transactions.incrementAndGet();
      batchesCommitted.addAndGet(group.size());
      for (int i = 0; i < group.size(); i++) {
        Pending p = group.get(i);
        try {
          hook.afterCommit(p.batch.feed().tag(), p.batch.slot(), p.batch.events());
          p.result = results.get(i);
          LOG.debug("slot {} stored {} of {} events ({} duplicates, {} raw-only) in a group of {}", p.batch.slot(),
              p.result.stored(), p.result.received(), p.result.duplicates(), p.result.rawOnly(), group.size());
        } catch (RuntimeException e) {
          p.failure = e;
        }
        p.done = true;
      }
    } catch (RuntimeException e) {
      if (group.size() == 1) {
        group.get(0).failure = e;
        group.get(0).done = true;
        return;
      }
      LOG.info("a group of {} batches could not be committed ({}); writing each alone", group.size(), e.toString());
      for (Pending p : group) {
        writeGroup(List.of(p));
      }
    }
  }

  /** One transaction for {@code batches}, retried on lock conflicts; returns after the commit and the sync. */
  private List<StoreResult> commit(List<BatchWriter.Batch> batches) {
    for (int attempt = 1; ; attempt++) {
      try {
        List<StoreResult> results = db.dsl().transactionResult(
            cfg -> BatchWriter.write(DSL.using(cfg), batches, hook, db.daemonId()));
        db.afterCommit();
        if (db.fsyncPerBatch()) {
          db.syncToDisk();
        }
        return results;
      } catch (DataAccessException e) {
        if (attempt >= MAX_ATTEMPTS || !Retryable.isRetryable(e)) {
          throw e;
        }
        LOG.info("a group of {} batches lost a lock conflict (attempt {}/{}), retrying", batches.size(), attempt,
            MAX_ATTEMPTS);
        backoff(attempt);
      }
    }
  }

  /**
   * Group commit figures since start.
   *
   * @param transactions committed transactions
   * @param batches      batches they held (batches / transactions = the average group size)
   */
  public record CommitStats(long transactions, long batches) {
  }

  /** @return how many transactions committed and how many batches they held */
  public CommitStats commitStats() {
    return new CommitStats(transactions.get(), batchesCommitted.get());
  }

  /** @return batches waiting for the writer now */
  public int queuedBatches() {
    return queue.size();
  }

  /** As {@link #store(FeedIdentity, int, List, String)} for a feed known by its tag only (tests, tools, benches). */
  public StoreResult store(String tag, int slot, List<ReceivedEvent> events, String newAckId) {
    return store(FeedIdentity.tagOnly(tag), slot, events, newAckId);
  }

  /** As {@link #store(String, int, List, String)} for events given as parsed JSON (tests, tools): bytes = encode(). */
  public StoreResult storeJson(String tag, int slot, List<JsonObject> events, String newAckId) {
    return store(tag, slot, events.stream().map(ReceivedEvent::of).toList(), newAckId);
  }

  /**
   * The ack id last committed for this reader slot of this feed.
   *
   * @return empty when this slot never committed a batch of this feed
   */
  public Optional<String> ackId(FeedIdentity feed, int slot) {
    return db.dsl().select(FEED_CURSOR.ACK_ID)
        .from(FEED_CURSOR)
        .where(FeedCursors.key(feed, db.daemonId()), FEED_CURSOR.SLOT.eq(slot))
        .fetchOptional(FEED_CURSOR.ACK_ID);
  }

  /** As {@link #ackId(FeedIdentity, int)} for a feed known by its tag only. */
  public Optional<String> ackId(String tag, int slot) {
    return ackId(FeedIdentity.tagOnly(tag), slot);
  }

  /** @return how many raw events of each type the archive holds, by type name (unknown type: "(none)") */
  public Map<String, Long> countByType() {
    Map<String, Long> counts = new TreeMap<>();
    db.dsl().select(EVENT.TYPE, DSL.count())
        .from(EVENT)
        .groupBy(EVENT.TYPE)
        .forEach(r -> counts.put(r.value1() == null ? "(none)" : r.value1(), r.value2().longValue()));
    return counts;
  }

  /** @return raw events with seq in {@code firstSeq..lastSeq}, counted by type (metrics after a batch with duplicates) */
  public Map<String, Long> countByType(long firstSeq, long lastSeq) {
    Map<String, Long> counts = new TreeMap<>();
    db.dsl().select(EVENT.TYPE, DSL.count())
        .from(EVENT)
        .where(EVENT.SEQ.between(firstSeq, lastSeq))
        .groupBy(EVENT.TYPE)
        .forEach(r -> counts.put(r.value1() == null ? "(none)" : r.value1(), r.value2().longValue()));
    return counts;
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(20L * attempt + ThreadLocalRandom.current().nextLong(20));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a batch", e);
    }
  }
}
