package io.datahose.archiver.retention;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.datahose.archiver.db.Tables.ATTACHMENT;
import static io.datahose.archiver.db.Tables.ELEMENTS_ACTION;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static io.datahose.archiver.db.Tables.SHARED_POST;
import static io.datahose.archiver.db.Tables.STREAM;
import static io.datahose.archiver.db.Tables.SUPPRESSION;
import static io.datahose.archiver.db.Tables.SYSTEM_EVENT;

/**
 * What {@link Disposal} reads and writes in the archive: the events not yet disposed of, as {@link DisposalPlan}
 * candidates, and the tombstoning of a chunk of them. Blocking JDBC, on the {@link DSLContext} (or transaction) it
 * is given.
 */
final class DisposalStore {

  /** Events per statement (an IN list): of {@link #countTypes}, and at most per {@link #tombstone}. */
  static final int CHUNK = 500;

  private final DSLContext dsl;

  DisposalStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** @return up to {@code limit} events not disposed of with seq greater than {@code afterSeq}, by seq */
  List<DisposalPlan.Candidate> candidates(long afterSeq, int limit) {
    return dsl.select(EVENT.SEQ, EVENT.TYPE, STREAM.STREAM_TYPE, EVENT.STREAM_ID, EVENT.INITIATOR_USER_ID,
            EVENT.OCCURRED_AT, EVENT.RECEIVED_AT)
        .from(EVENT).leftJoin(STREAM).on(STREAM.STREAM_ID.eq(EVENT.STREAM_ID))
        .where(EVENT.SEQ.gt(afterSeq), EVENT.DISPOSED_AT.isNull()).orderBy(EVENT.SEQ).limit(limit)
        .fetch(r -> new DisposalPlan.Candidate(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
            r.value6() == null ? null : r.value6().toInstant(), r.value7().toInstant()));
  }

  /** @return how many events are not disposed of */
  long undisposed() {
    return dsl.fetchCount(EVENT, EVENT.DISPOSED_AT.isNull());
  }

  /** @return the event types of {@code seqs} with their counts ("(none)" for no type) */
  Map<String, Long> countTypes(List<Long> seqs) {
    Map<String, Long> byType = new TreeMap<>();
    for (int from = 0; from < seqs.size(); from += CHUNK) {
      dsl.select(EVENT.TYPE, DSL.count()).from(EVENT).where(EVENT.SEQ.in(seqs.subList(from, Math.min(seqs.size(),
          from + CHUNK)))).groupBy(EVENT.TYPE).forEach(r -> byType.merge(r.value1() == null ? "(none)" : r.value1(),
          (long) r.value2(), Long::sum));
    }
    return byType;
  }

  /**
   * Tombstones the events {@code seqs} (at most {@link #CHUNK}) under disposal {@code id}: their raw bytes, message
   * content, attachments, shared posts, Elements actions, suppressions and system events go; seq, identity,
   * rawSha256, type, times, stream and initiator stay.
   *
   * @return the ids of the messages whose content went (their search documents must go too)
   */
  List<String> tombstone(List<Long> seqs, OffsetDateTime at, long id) {
    List<String> ids = dsl.select(MESSAGE.MESSAGE_ID).from(MESSAGE).where(MESSAGE.EVENT_SEQ.in(seqs))
        .fetch(MESSAGE.MESSAGE_ID);
    if (!ids.isEmpty()) {
      dsl.deleteFrom(ATTACHMENT).where(ATTACHMENT.MESSAGE_ID.in(ids)).execute();
    }
    dsl.update(MESSAGE).setNull(MESSAGE.PRESENTATION_ML).setNull(MESSAGE.PLAIN_TEXT).setNull(MESSAGE.ENTITY_JSON)
        .set(MESSAGE.DISPOSED_AT, at).where(MESSAGE.EVENT_SEQ.in(seqs)).execute();
    dsl.deleteFrom(ELEMENTS_ACTION).where(ELEMENTS_ACTION.EVENT_SEQ.in(seqs)).execute();
    dsl.deleteFrom(SHARED_POST).where(SHARED_POST.EVENT_SEQ.in(seqs)).execute();
    dsl.deleteFrom(SUPPRESSION).where(SUPPRESSION.EVENT_SEQ.in(seqs)).execute();
    dsl.deleteFrom(SYSTEM_EVENT).where(SYSTEM_EVENT.EVENT_SEQ.in(seqs)).execute();
    dsl.update(EVENT).setNull(EVENT.RAW_BYTES).setNull(EVENT.RAW_BYTES_LARGE).setNull(EVENT.DIAGNOSTIC)
        .setNull(EVENT.PROJECTION_ERROR).setNull(EVENT.PROJECTION_NOTE)
        .set(EVENT.DISPOSED_AT, at).set(EVENT.DISPOSAL_ID, id).where(EVENT.SEQ.in(seqs)).execute();
    return ids;
  }

  /** @return the ids of every message disposed of so far */
  List<String> disposedMessageIds() {
    return dsl.select(MESSAGE.MESSAGE_ID).from(MESSAGE).where(MESSAGE.DISPOSED_AT.isNotNull())
        .fetch(MESSAGE.MESSAGE_ID);
  }
}
