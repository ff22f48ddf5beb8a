package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.EventRecord;
import io.datahose.archiver.evidence.EventLog;
import io.datahose.archiver.symphony.FeedIdentity;
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
 * The body of one group-commit transaction: the batches of every reader slot that were ready, written together.
 * Global writer lock first (the counter row: writers serialize on one key, no deadlock, gapless seq); dedup by
 * identity against the archive and the group itself; one prefetch of what the new events reference
 * ({@link BatchView}); pure projection of each new event in memory ({@link Projections}); then one JDBC batch per
 * table ({@link BatchFlush}), the raw rows, the counter, each slot's feed cursor, and the hook. Everything it writes
 * is committed or rolled back together by the caller. Stateless; blocking, call on the writer thread.
 */
final class BatchWriter {

  private static final int IN_CHUNK = 500;
  /**
   * System property that leaves the Merkle leaves out, for IngestBench only (to measure what the log costs); an
   * archive written so fails {@code verify}. Never set it in production.
   */
  static final String WITHOUT_MERKLE_LOG = "datahose.bench.withoutMerkleLog";

  private BatchWriter() {
  }

  /** One slot's batch and the ack id that acknowledges it. */
  record Batch(FeedIdentity feed, int slot, List<ReceivedEvent> events, String newAckId) {
  }

  static List<StoreResult> write(DSLContext tx, List<Batch> group, StoreHook hook, String daemonId) {
    long next = tx.select(ARCHIVE_COUNTER.NEXT_SEQ)
        .from(ARCHIVE_COUNTER)
        .where(ARCHIVE_COUNTER.ID.eq(1))
        .forUpdate()
        .fetchSingle(ARCHIVE_COUNTER.NEXT_SEQ);
    Set<String> seen = archived(tx, group);
    OffsetDateTime receivedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);

    // Which events are new (first occurrence in the archive and in the group), in group order.
    List<List<ReceivedEvent>> fresh = new ArrayList<>(group.size());
    List<JsonObject> toProject = new ArrayList<>();
    for (Batch batch : group) {
      List<ReceivedEvent> mine = new ArrayList<>();
      for (ReceivedEvent event : batch.events()) {
        if (seen.add(event.identity())) {
          mine.add(event);
          if (event.json() != null) {
            toProject.add(event.json());
          }
        }
      }
      fresh.add(mine);
    }
    BatchView view = new BatchView();
    view.prefetch(tx, toProject);

    List<EventRecord> rows = new ArrayList<>();
    List<StoreResult> results = new ArrayList<>(group.size());
    for (int b = 0; b < group.size(); b++) {
      Batch batch = group.get(b);
      long firstSeq = next;
      int rawOnly = 0;
      for (ReceivedEvent event : fresh.get(b)) {
        long seq = next++;
        List<String> notes = new ArrayList<>(1);
        if (event.note() != null) {
          notes.add(event.note());
        }
        JsonObject json = event.json();
        String error = event.rejection() != null ? event.rejection()
            : json == null ? "event is not a JSON object"
            : Projections.project(view, seq, json, EventRows.occurredAt(json), receivedAt, notes);
        rawOnly += error == null ? 0 : 1;
        rows.add(EventRows.row(event, event.identity(), seq, batch.slot(), receivedAt, error,
            notes.isEmpty() ? null : String.join("; ", notes)));
      }
      int stored = (int) (next - firstSeq);
      results.add(new StoreResult(batch.events().size(), stored, batch.events().size() - stored, rawOnly,
          stored == 0 ? -1 : firstSeq, stored == 0 ? -1 : next - 1));
    }
    BatchFlush.flush(tx, view);
    if (!rows.isEmpty()) {
      BatchFlush.insertAll(tx, EVENT, rows);
      if (!Boolean.getBoolean(WITHOUT_MERKLE_LOG)) {
        EventLog.append(tx, rows);
      }
      tx.update(ARCHIVE_COUNTER).set(ARCHIVE_COUNTER.NEXT_SEQ, next).where(ARCHIVE_COUNTER.ID.eq(1)).execute();
    }
    for (int b = 0; b < group.size(); b++) {
      Batch batch = group.get(b);
      StoreResult result = results.get(b);
      advanceCursor(tx, batch.feed(), daemonId, batch.slot(), batch.newAckId(), receivedAt, result.stored(),
          result.duplicates());
      hook.beforeCommit(batch.feed().tag(), batch.slot(), batch.events());
    }
    return results;
  }

  /** Identities of the group's events already in the raw log (queried in chunks). */
  private static Set<String> archived(DSLContext tx, List<Batch> group) {
    Set<String> distinct = new HashSet<>();
    for (Batch batch : group) {
      for (ReceivedEvent event : batch.events()) {
        distinct.add(event.identity());
      }
    }
    List<String> all = new ArrayList<>(distinct);
    Set<String> found = new HashSet<>();
    for (int from = 0; from < all.size(); from += IN_CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
      found.addAll(tx.select(EVENT.SHA256).from(EVENT).where(EVENT.SHA256.in(chunk)).fetchSet(EVENT.SHA256));
    }
    return found;
  }

  private static void advanceCursor(DSLContext tx, FeedIdentity feed, String daemonId, int slot, String ackId,
                                    OffsetDateTime at, int stored, int duplicates) {
    int updated = tx.update(FEED_CURSOR)
        .set(FEED_CURSOR.ACK_ID, ackId)
        .set(FEED_CURSOR.UPDATED_AT, at)
        .set(FEED_CURSOR.BATCHES, FEED_CURSOR.BATCHES.plus(1))
        .set(FEED_CURSOR.EVENTS, FEED_CURSOR.EVENTS.plus(stored))
        .set(FEED_CURSOR.DUPLICATES, FEED_CURSOR.DUPLICATES.plus(duplicates))
        .setNull(FEED_CURSOR.DRAINED_AT) // a feed configured again after it was drained is in use again
        .where(FeedCursors.key(feed, daemonId), FEED_CURSOR.SLOT.eq(slot))
        .execute();
    if (updated == 0) {
      tx.insertInto(FEED_CURSOR)
          .set(FEED_CURSOR.TAG, feed.tag())
          .set(FEED_CURSOR.EVENT_TYPES, feed.typesColumn())
          .set(FEED_CURSOR.SCOPES, feed.scopesColumn())
          .set(FEED_CURSOR.DAEMON_ID, daemonId)
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
