package io.datahose.archiver.evidence;

import static io.datahose.archiver.db.Tables.ACCESS_LEAF;
import static io.datahose.archiver.db.Tables.ACCESS_LOG;
import static io.datahose.archiver.db.Tables.EVIDENCE_LOG;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import io.datahose.archiver.db.tables.records.AccessLogRecord;
import io.datahose.archiver.db.tables.records.EvidenceLogRecord;
import io.vertx.core.json.JsonArray;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The officer access log's own Merkle log ({@code access_leaf}, and the {@code access} row of {@code evidence_log}):
 * who read what is as provable as what was captured. A leaf is the SHA-256 of the row's canonical JSON (see
 * migration V12), appended in the transaction that inserts the row, under the log row's lock. Subtrees for proofs
 * are hashed from the leaves in memory: the access log is small next to the raw log. Stateless; blocking JDBC.
 */
public final class AccessLog {

  /** Name of this log in {@code evidence_log} and in tree heads. */
  public static final String NAME = "access";

  private AccessLog() {
  }

  /** @return the leaf of an access log row: SHA-256(0x00 || canonical JSON of its fields, in column order) */
  public static byte[] leaf(AccessLogRecord r) {
    JsonArray fields = new JsonArray().add(r.getId()).add(r.getAt() == null ? null : r.getAt().toInstant().toEpochMilli())
        .add(r.getOfficer()).add(r.getRoute()).add(r.getMethod()).add(r.getParameters()).add(r.getStatus())
        .add(r.getResultCount()).add(r.getRemoteAddress()).add(r.getPath()).add(r.getPathParameters())
        .add(r.getBytes()).add(r.getOutcome());
    MessageDigest d = Merkle.sha256();
    d.update((byte) 0);
    d.update(fields.encode().getBytes(StandardCharsets.UTF_8));
    return d.digest();
  }

  /**
   * Inserts an access log row with {@code insert} (returning its id) under the log's lock, then appends its leaf (and
   * those of older rows without one), in transaction {@code tx}. The lock comes first so that ids are handed out in
   * log order: a row inserted by a transaction that commits later can never be passed over.
   */
  public static long append(DSLContext tx, java.util.function.ToLongFunction<DSLContext> insert) {
    EvidenceLogRecord log = lock(tx);
    long id = insert.applyAsLong(tx);
    if (log != null) {
      appendFrom(tx, log, id);
    }
    return id;
  }

  /**
   * Appends the leaves of every access log row that has none (rows logged before this log existed).
   *
   * @return how many were appended
   */
  public static long catchUp(DSLContext dsl) {
    return dsl.transactionResult(cfg -> {
      DSLContext tx = DSL.using(cfg);
      EvidenceLogRecord log = lock(tx);
      if (log == null) {
        return 0L;
      }
      long before = log.getTreeSize();
      Long last = tx.select(DSL.max(ACCESS_LOG.ID)).from(ACCESS_LOG).fetchOne(0, Long.class);
      if (last != null) {
        appendFrom(tx, log, last);
      }
      return log.getTreeSize() - before;
    });
  }

  private static void appendFrom(DSLContext tx, EvidenceLogRecord log, long upToId) {
    Long lastLogged = tx.select(DSL.max(ACCESS_LEAF.ACCESS_ID)).from(ACCESS_LEAF).fetchOne(0, Long.class);
    long after = lastLogged == null ? 0 : lastLogged;
    if (after >= upToId) {
      return;
    }
    CompactRange range = CompactRange.of(log.getTreeSize(), log.getCompactRange());
    List<AccessLogRecord> rows = tx.selectFrom(ACCESS_LOG).where(ACCESS_LOG.ID.gt(after), ACCESS_LOG.ID.le(upToId))
        .orderBy(ACCESS_LOG.ID).fetch();
    var batch = tx.batch(tx.insertInto(ACCESS_LEAF, ACCESS_LEAF.POSITION, ACCESS_LEAF.ACCESS_ID, ACCESS_LEAF.HASH)
        .values((Long) null, null, null));
    for (AccessLogRecord row : rows) {
      byte[] leaf = leaf(row);
      range.append(leaf, null);
      batch.bind(range.size(), row.getId(), leaf);
    }
    if (!rows.isEmpty()) {
      batch.execute();
      tx.update(EVIDENCE_LOG).set(EVIDENCE_LOG.TREE_SIZE, range.size()).set(EVIDENCE_LOG.COMPACT_RANGE, range.packed())
          .where(EVIDENCE_LOG.LOG_NAME.eq(NAME)).execute();
      log.setTreeSize(range.size());
      log.setCompactRange(range.packed());
    }
  }

  private static EvidenceLogRecord lock(DSLContext tx) {
    return tx.selectFrom(EVIDENCE_LOG).where(EVIDENCE_LOG.LOG_NAME.eq(NAME)).forUpdate().fetchOne();
  }

  /** @return the log's archive id, size and root as committed (size 0 when the archive has no access log row) */
  public static EventLog.State state(DSLContext dsl) {
    EvidenceLogRecord log = dsl.selectFrom(EVIDENCE_LOG).where(EVIDENCE_LOG.LOG_NAME.eq(NAME)).fetchOne();
    if (log == null) {
      return new EventLog.State("", 0, Merkle.emptyRoot());
    }
    return new EventLog.State(log.getArchiveId(), log.getTreeSize(),
        CompactRange.of(log.getTreeSize(), log.getCompactRange()).root());
  }

  /** @return subtree hashes of the whole log, hashed from its leaves held in memory */
  public static Merkle.Subtrees subtrees(DSLContext dsl) {
    return Merkle.fromLeaves(dsl.select(ACCESS_LEAF.HASH).from(ACCESS_LEAF).orderBy(ACCESS_LEAF.POSITION)
        .fetch(ACCESS_LEAF.HASH));
  }
}
