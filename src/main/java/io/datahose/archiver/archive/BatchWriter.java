package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.EventRecord;
import io.datahose.archiver.symphony.ReceivedEvent;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.datahose.archiver.db.Tables.ARCHIVE_COUNTER;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.FEED_CURSOR;

/**
 * The body of one batch transaction: global writer lock (the counter row, taken first so writers serialize on one
 * key: no deadlock, gapless seq), dedup by SHA-256 of canonical JSON against the archive and the batch itself,
 * raw rows, per-event projections in savepoints ({@code app_user}/{@code stream} rows are loaded once per batch and
 * written once at its end by {@link BatchRows}), counter, feed cursor, then the hook. Everything it writes is
 * committed or rolled back together by the caller. Stateless; blocking, call on a worker thread.
 */
final class BatchWriter {

  private static final int IN_CHUNK = 500;

  private BatchWriter() {
  }

  static StoreResult write(DSLContext tx, String tag, int slot, List<ReceivedEvent> received, String newAckId,
                           StoreHook hook) {
    long next = tx.select(ARCHIVE_COUNTER.NEXT_SEQ)
        .from(ARCHIVE_COUNTER)
        .where(ARCHIVE_COUNTER.ID.eq(1))
        .forUpdate()
        .fetchSingle(ARCHIVE_COUNTER.NEXT_SEQ);
    List<String> hashes = new ArrayList<>(received.size());
    List<JsonObject> events = new ArrayList<>(received.size());
    for (ReceivedEvent event : received) {
      hashes.add(event.identity());
      events.add(event.json() == null ? new JsonObject() : event.json());
    }
    Set<String> seen = archived(tx, hashes);
    OffsetDateTime receivedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    BatchRows batchRows = new BatchRows(tx);
    batchRows.prefetch(events);
    List<EventRecord> rows = new ArrayList<>();
    long firstSeq = -1;
    int duplicates = 0;
    int rawOnly = 0;
    for (int i = 0; i < events.size(); i++) {
      JsonObject event = events.get(i);
      if (!seen.add(hashes.get(i))) {
        duplicates++;
        continue;
      }
      long seq = next++;
      firstSeq = firstSeq < 0 ? seq : firstSeq;
      List<String> notes = new ArrayList<>(1);
      if (received.get(i).note() != null) {
        notes.add(received.get(i).note());
      }
      String error = received.get(i).rejection() != null ? received.get(i).rejection() : Projections.project(
          new ProjectionContext(tx, seq, event, EventRows.occurredAt(event), receivedAt, notes, batchRows));
      rawOnly += error == null ? 0 : 1;
      String note = notes.isEmpty() ? null : String.join("; ", notes);
      rows.add(EventRows.row(tx, received.get(i), hashes.get(i), seq, slot, receivedAt, error, note));
    }
    batchRows.flush();
    if (!rows.isEmpty()) {
      BatchRows.insertAll(tx, EVENT, rows);
      tx.update(ARCHIVE_COUNTER).set(ARCHIVE_COUNTER.NEXT_SEQ, next).where(ARCHIVE_COUNTER.ID.eq(1)).execute();
    }
    advanceCursor(tx, tag, slot, newAckId, receivedAt, rows.size(), duplicates);
    hook.beforeCommit(tag, slot, received);
    long lastSeq = rows.isEmpty() ? -1 : next - 1;
    return new StoreResult(events.size(), rows.size(), duplicates, rawOnly, firstSeq, lastSeq);
  }

  /** Hashes of {@code hashes} already in the raw log (queried in chunks). */
  private static Set<String> archived(DSLContext tx, List<String> hashes) {
    Set<String> found = new HashSet<>();
    List<String> distinct = new ArrayList<>(new HashSet<>(hashes));
    for (int from = 0; from < distinct.size(); from += IN_CHUNK) {
      List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + IN_CHUNK));
      found.addAll(tx.select(EVENT.SHA256).from(EVENT).where(EVENT.SHA256.in(chunk)).fetchSet(EVENT.SHA256));
    }
    return found;
  }

  private static void advanceCursor(DSLContext tx, String tag, int slot, String ackId, OffsetDateTime at,
                                    int stored, int duplicates) {
    int updated = tx.update(FEED_CURSOR)
        .set(FEED_CURSOR.ACK_ID, ackId)
        .set(FEED_CURSOR.UPDATED_AT, at)
        .set(FEED_CURSOR.BATCHES, FEED_CURSOR.BATCHES.plus(1))
        .set(FEED_CURSOR.EVENTS, FEED_CURSOR.EVENTS.plus(stored))
        .set(FEED_CURSOR.DUPLICATES, FEED_CURSOR.DUPLICATES.plus(duplicates))
        .where(FEED_CURSOR.TAG.eq(tag), FEED_CURSOR.SLOT.eq(slot))
        .execute();
    if (updated == 0) {
      tx.insertInto(FEED_CURSOR)
          .set(FEED_CURSOR.TAG, tag)
          .set(FEED_CURSOR.SLOT, slot)
          .set(FEED_CURSOR.ACK_ID, ackId)
          .set(FEED_CURSOR.UPDATED_AT, at)
          .set(FEED_CURSOR.BATCHES, 1L)
          .set(FEED_CURSOR.EVENTS, (long) stored)
          .set(FEED_CURSOR.DUPLICATES, (long) duplicates)
          .execute();
    }
  }
}
