package io.datahose.archiver.evidence;

import static io.datahose.archiver.db.Tables.EVIDENCE_LEAF;
import static io.datahose.archiver.db.Tables.EVIDENCE_NODE;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;

/**
 * Subtree hashes of the stored Merkle log: a perfect aligned subtree of 2^level leaves is one {@code evidence_node}
 * row when level >= {@link EventLog#STORED_LEVEL}, else hashed from its (at most 16) leaves; any other range splits
 * as RFC 9162 does. Perfect subtrees are memoized, so the proofs of neighbouring events share their reads. Not
 * thread-safe; blocking JDBC.
 */
final class StoredSubtrees implements Merkle.Subtrees {

  private static final int MAX_MEMO = 200_000;

  private final DSLContext dsl;
  private final Map<Long, byte[]> memo = new HashMap<>();

  StoredSubtrees(DSLContext dsl) {
    this.dsl = dsl;
  }

  @Override
  public byte[] hash(long start, long end) {
    long n = end - start;
    if (Long.bitCount(n) == 1 && start % n == 0) {
      return perfect(Long.numberOfTrailingZeros(n), start / n);
    }
    long k = Merkle.split(n);
    return Merkle.node(hash(start, start + k), hash(start + k, end));
  }

  private byte[] perfect(int level, long index) {
    long key = ((long) level << 58) | index;
    byte[] known = memo.get(key);
    if (known != null) {
      return known;
    }
    byte[] hash;
    if (level >= EventLog.STORED_LEVEL) {
      hash = dsl.select(EVIDENCE_NODE.HASH).from(EVIDENCE_NODE)
          .where(EVIDENCE_NODE.LEVEL.eq(level), EVIDENCE_NODE.IDX.eq(index)).fetchOptional(EVIDENCE_NODE.HASH)
          .orElseThrow(() -> new IllegalStateException("Merkle log has no node " + level + "/" + index));
    } else {
      long first = (index << level) + 1;
      List<byte[]> leaves = dsl.select(EVIDENCE_LEAF.HASH).from(EVIDENCE_LEAF)
          .where(EVIDENCE_LEAF.SEQ.between(first, first + (1L << level) - 1)).orderBy(EVIDENCE_LEAF.SEQ)
          .fetch(EVIDENCE_LEAF.HASH);
      if (leaves.size() != 1 << level) {
        throw new IllegalStateException("Merkle log lacks leaves from seq " + first);
      }
      hash = Merkle.root(leaves);
    }
    if (memo.size() >= MAX_MEMO) {
      memo.clear();
    }
    memo.put(key, hash);
    return hash;
  }
}
