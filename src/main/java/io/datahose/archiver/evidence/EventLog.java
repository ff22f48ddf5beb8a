package io.datahose.archiver.evidence;

import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.EVIDENCE_LEAF;
import static io.datahose.archiver.db.Tables.EVIDENCE_LOG;
import static io.datahose.archiver.db.Tables.EVIDENCE_NODE;

import java.util.ArrayList;
import java.util.List;

import io.datahose.archiver.db.tables.records.EventRecord;
import io.datahose.archiver.db.tables.records.EvidenceLogRecord;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.Record3;
import org.jooq.impl.DSL;

/**
 * The Merkle log over the raw log, as stored: one leaf per event ({@code evidence_leaf}), the roots of perfect
 * subtrees of at least 2^{@value #STORED_LEVEL} leaves ({@code evidence_node}) and the compact range with the tree
 * size ({@code evidence_log}). {@link #append} runs inside the transaction that stores the events, on the writer
 * that holds the seq lock, so the log is exactly the committed seq order and a rolled-back batch leaves no leaf.
 * Stateless; blocking JDBC.
 */
public final class EventLog {

  /** Name of the raw log's Merkle log in {@code evidence_log} and in tree heads. */
  public static final String NAME = "events";
  /** Lowest level stored in {@code evidence_node}; lower subtrees are hashed from at most 2^4 leaves. */
  static final int STORED_LEVEL = 4;

  private EventLog() {
  }

  /** The log's size, root and the archive's id. */
  public record State(String archiveId, long size, byte[] root) {
  }

  /**
   * Appends the leaves of {@code rows} (new raw events with consecutive seqs, in seq order) in transaction
   * {@code tx}; first catches up events the log does not hold yet (archives from before the log existed).
   *
   * @throws IllegalStateException when the log is ahead of the rows (the batch is then rolled back)
   */
  public static void append(DSLContext tx, List<EventRecord> rows) {
    if (rows.isEmpty()) {
      return;
    }
    EvidenceLogRecord log = lockLog(tx);
    long first = rows.get(0).getSeq();
    if (log.getTreeSize() < first - 1) {
      catchUp(tx, log, first - 1);
    }
    if (log.getTreeSize() != first - 1) {
      throw new IllegalStateException("Merkle log holds " + log.getTreeSize() + " leaves but seq " + first
          + " is being stored");
    }
    CompactRange range = CompactRange.of(log.getTreeSize(), log.getCompactRange());
    List<Object[]> leaves = new ArrayList<>(rows.size());
    List<Object[]> nodes = new ArrayList<>();
    for (EventRecord row : rows) {
      byte[] leaf = Merkle.leafHash(row.getSeq(), row.getRawSha256(), row.getReceivedAt().toInstant().toEpochMilli());
      leaves.add(new Object[] {row.getSeq(), leaf});
      range.append(leaf, (level, index, hash) -> {
        if (level >= STORED_LEVEL) {
          nodes.add(new Object[] {level, index, hash});
        }
      });
    }
    save(tx, log, range, leaves, nodes);
  }

  /**
   * Appends the leaves of every event after the log's end (archives from before the log existed), in batches.
   *
   * @return how many leaves were appended
   */
  public static long catchUp(DSLContext dsl) {
    return dsl.transactionResult(cfg -> {
      DSLContext tx = DSL.using(cfg);
      EvidenceLogRecord log = lockLog(tx);
      long before = log.getTreeSize();
      Long last = tx.select(DSL.max(EVENT.SEQ)).from(EVENT).fetchOne(0, Long.class);
      if (last != null && last > before) {
        catchUp(tx, log, last);
      }
      return log.getTreeSize() - before;
    });
  }

  private static void catchUp(DSLContext tx, EvidenceLogRecord log, long upTo) {
    CompactRange range = CompactRange.of(log.getTreeSize(), log.getCompactRange());
    while (range.size() < upTo) {
      List<Object[]> leaves = new ArrayList<>();
      List<Object[]> nodes = new ArrayList<>();
      for (Record3<Long, String, java.time.OffsetDateTime> r : tx.select(EVENT.SEQ, EVENT.RAW_SHA256, EVENT.RECEIVED_AT)
          .from(EVENT).where(EVENT.SEQ.gt(range.size()), EVENT.SEQ.le(upTo)).orderBy(EVENT.SEQ).limit(10_000)
          .fetch()) {
        if (r.value1() != range.size() + 1) {
          throw new IllegalStateException("raw log has no seq " + (range.size() + 1) + " (next is " + r.value1() + ")");
        }
        byte[] leaf = Merkle.leafHash(r.value1(), r.value2(), r.value3().toInstant().toEpochMilli());
        leaves.add(new Object[] {r.value1(), leaf});
        range.append(leaf, (level, index, hash) -> {
          if (level >= STORED_LEVEL) {
            nodes.add(new Object[] {level, index, hash});
          }
        });
      }
      if (leaves.isEmpty()) {
        throw new IllegalStateException("raw log has no seq " + (range.size() + 1));
      }
      save(tx, log, range, leaves, nodes);
    }
  }

  /**
   * Appends the void leaves of seqs {@code tree size + 1 .. toSeq} (seqs a restore discarded, see
   * {@link Merkle#voidLeaf}) in transaction {@code tx}, after catching up the events the log does not hold yet.
   *
   * @return the seq range made void, or null when there was none
   */
  static long[] appendVoids(DSLContext tx, long toSeq, long restoredAtMillis) {
    EvidenceLogRecord log = lockLog(tx);
    Long last = tx.select(DSL.max(EVENT.SEQ)).from(EVENT).fetchOne(0, Long.class);
    if (last != null && last > log.getTreeSize()) {
      catchUp(tx, log, last);
    }
    long from = log.getTreeSize() + 1;
    if (from > toSeq) {
      return null;
    }
    CompactRange range = CompactRange.of(log.getTreeSize(), log.getCompactRange());
    for (long start = from; start <= toSeq; start += 10_000) {
      List<Object[]> leaves = new ArrayList<>();
      List<Object[]> nodes = new ArrayList<>();
      for (long seq = start; seq <= Math.min(toSeq, start + 9_999); seq++) {
        byte[] leaf = Merkle.voidLeaf(seq, restoredAtMillis);
        leaves.add(new Object[] {seq, leaf});
        range.append(leaf, (level, index, hash) -> {
          if (level >= STORED_LEVEL) {
            nodes.add(new Object[] {level, index, hash});
          }
        });
      }
      save(tx, log, range, leaves, nodes);
    }
    return new long[] {from, toSeq};
  }

  private static EvidenceLogRecord lockLog(DSLContext tx) {
    return tx.selectFrom(EVIDENCE_LOG).where(EVIDENCE_LOG.LOG_NAME.eq(NAME)).forUpdate().fetchSingle();
  }

  private static void save(DSLContext tx, EvidenceLogRecord log, CompactRange range, List<Object[]> leaves,
                           List<Object[]> nodes) {
    BatchBindStep leafBatch = tx.batch(tx.insertInto(EVIDENCE_LEAF, EVIDENCE_LEAF.SEQ, EVIDENCE_LEAF.HASH)
        .values((Long) null, null));
    leaves.forEach(leafBatch::bind);
    leafBatch.execute();
    if (!nodes.isEmpty()) {
      BatchBindStep nodeBatch = tx.batch(tx.insertInto(EVIDENCE_NODE, EVIDENCE_NODE.LEVEL, EVIDENCE_NODE.IDX,
          EVIDENCE_NODE.HASH).values((Integer) null, null, null));
      nodes.forEach(nodeBatch::bind);
      nodeBatch.execute();
    }
    tx.update(EVIDENCE_LOG)
        .set(EVIDENCE_LOG.TREE_SIZE, range.size())
        .set(EVIDENCE_LOG.COMPACT_RANGE, range.packed())
        .where(EVIDENCE_LOG.LOG_NAME.eq(NAME))
        .execute();
    log.setTreeSize(range.size());
    log.setCompactRange(range.packed());
  }

  /** @return the log's archive id, size and root as committed */
  public static State state(DSLContext dsl) {
    EvidenceLogRecord log = dsl.selectFrom(EVIDENCE_LOG).where(EVIDENCE_LOG.LOG_NAME.eq(NAME)).fetchSingle();
    return new State(log.getArchiveId(), log.getTreeSize(),
        CompactRange.of(log.getTreeSize(), log.getCompactRange()).root());
  }

  /** @return subtree hashes read from the stored nodes and leaves (memoized; one instance per proof job) */
  public static Merkle.Subtrees subtrees(DSLContext dsl) {
    return new StoredSubtrees(dsl);
  }
}
