package io.datahose.archiver.archive;

import io.datahose.archiver.symphony.ReceivedEvent;
import io.vertx.core.json.JsonObject;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.FEED_CURSOR;

/**
 * The write side of the archive. {@link #store} keeps a Datahose batch exactly once: in ONE transaction it writes
 * every event not archived yet (identity: SHA-256 of canonical JSON) with a gapless seq, its projections
 * (a payload that does not fit stays raw-only with a reason, never failing the batch) and the reader slot's new
 * ack id. It returns only after the commit (and, with fsync per batch, after {@code CHECKPOINT SYNC}); the caller
 * acknowledges the batch by its next read, and must not when this throws. Lock conflicts between slots are
 * retried a few times. Thread-safe; blocking: call only on a worker thread.
 */
public final class Archive {

  private static final Logger LOG = LoggerFactory.getLogger(Archive.class);
  private static final int MAX_ATTEMPTS = 5;

  private final ArchiveDatabase db;
  private final StoreHook hook;

  public Archive(ArchiveDatabase db) {
    this(db, new StoreHook() {
    });
  }

  public Archive(ArchiveDatabase db, StoreHook hook) {
    this.db = Objects.requireNonNull(db, "db");
    this.hook = Objects.requireNonNull(hook, "hook");
  }

  /**
   * Stores a batch and the ack id that acknowledges it, atomically.
   *
   * @param tag      feed tag
   * @param slot     reader slot (each has its own cursor row)
   * @param events   the batch, in feed order
   * @param newAckId ack id returned with this batch
   * @return counts and the seq range written
   * @throws RuntimeException when the batch could not be committed (nothing of it is stored)
   */
  public StoreResult store(String tag, int slot, List<ReceivedEvent> events, String newAckId) {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(newAckId, "newAckId");
    for (int attempt = 1; ; attempt++) {
      try {
        StoreResult result = db.dsl().transactionResult(
            cfg -> BatchWriter.write(DSL.using(cfg), tag, slot, events, newAckId, hook));
        db.afterCommit();
        if (db.fsyncPerBatch()) {
          db.syncToDisk();
        }
        hook.afterCommit(tag, slot, events);
        LOG.debug("slot {} stored {} of {} events ({} duplicates, {} raw-only), seq {}..{}", slot, result.stored(),
            result.received(), result.duplicates(), result.rawOnly(), result.firstSeq(), result.lastSeq());
        return result;
      } catch (DataAccessException e) {
        if (attempt >= MAX_ATTEMPTS || !Retryable.isRetryable(e)) {
          throw e;
        }
        LOG.info("slot {} batch lost a lock conflict (attempt {}/{}), retrying", slot, attempt, MAX_ATTEMPTS);
        backoff(attempt);
      }
    }
  }

  /** As {@link #store(String, int, List, String)} for events given as parsed JSON (tests, tools): bytes = encode(). */
  public StoreResult storeJson(String tag, int slot, List<JsonObject> events, String newAckId) {
    return store(tag, slot, events.stream().map(ReceivedEvent::of).toList(), newAckId);
  }

  /**
   * The ack id last committed for this reader slot.
   *
   * @return empty when this slot never committed a batch
   */
  public Optional<String> ackId(String tag, int slot) {
    return db.dsl().select(FEED_CURSOR.ACK_ID)
        .from(FEED_CURSOR)
        .where(FEED_CURSOR.TAG.eq(tag), FEED_CURSOR.SLOT.eq(slot))
        .fetchOptional(FEED_CURSOR.ACK_ID);
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
