package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.AppUserRecord;
import io.datahose.archiver.db.tables.records.StreamRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableRecord;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static io.datahose.archiver.db.Tables.APP_USER;
import static io.datahose.archiver.db.Tables.ATTACHMENT;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.IM_PARTICIPANT;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static io.datahose.archiver.db.Tables.STREAM;
import static io.datahose.archiver.db.Tables.SUPPRESSION;
import static io.datahose.archiver.db.Tables.USER_IDENTITY;

/**
 * Everything the projections of one group of batches read, loaded once before projecting ({@link #prefetch}: one
 * {@code IN} query per table for every id the events mention), then changed in memory event by event: an event's
 * {@link EventChanges} are merged by {@link #apply} only when its projector returned, so a projector that throws has
 * changed nothing. {@link BatchFlush} writes the result. Confined to the storing thread of one transaction.
 */
final class BatchView {

  private static final int IN_CHUNK = 500;

  final Map<Long, AppUserRecord> users = new HashMap<>();
  final Set<Long> usersInDatabase = new HashSet<>();
  final Set<Long> dirtyUsers = new LinkedHashSet<>();
  final Map<Long, List<IdentityRow>> identities = new HashMap<>();
  final Map<String, StreamRecord> streams = new HashMap<>();
  final Set<String> streamsInDatabase = new HashSet<>();
  final Set<String> dirtyStreams = new LinkedHashSet<>();
  final Map<String, MessageState> messages = new LinkedHashMap<>();
  final Set<String> suppressed = new HashSet<>();
  /** Original message id -> its best known replacement: the earliest edit (sent time, then id). */
  final Map<String, EditCandidate> edits = new HashMap<>();
  final Map<ImKey, ImParticipant> imParticipants = new LinkedHashMap<>();
  /** Rows to insert, per table, in event order. */
  final Map<Table<?>, List<TableRecord<?>>> inserts = new LinkedHashMap<>();
  /** Archived messages rewritten by an earlier copy: their attachments are replaced. */
  final Set<String> attachmentsReplaced = new LinkedHashSet<>();

  record ImKey(String streamId, long userId) {
  }

  /** An IM participant row: the earliest event that named the user a member. */
  static final class ImParticipant {
    long seq;
    Versions.Version version;
    final boolean inDatabase;
    boolean changed;

    ImParticipant(long seq, Versions.Version version, boolean inDatabase) {
      this.seq = seq;
      this.version = version;
      this.inDatabase = inDatabase;
    }
  }

  /** A candidate for {@code replaced_by}; null sent time sorts last. */
  record EditCandidate(Long sentAt, String messageId) implements Comparable<EditCandidate> {
    @Override
    public int compareTo(EditCandidate o) {
      if (sentAt == null || o.sentAt == null) {
        if (sentAt != null || o.sentAt != null) {
          return sentAt == null ? 1 : -1;
        }
      } else if (!sentAt.equals(o.sentAt)) {
        return Long.compare(sentAt, o.sentAt);
      }
      return messageId.compareTo(o.messageId);
    }
  }

  /** Loads the rows every event of {@code events} (parsed views) may read or change. */
  void prefetch(DSLContext tx, List<JsonObject> events) {
    Set<Long> userIds = new HashSet<>();
    Set<String> streamIds = new HashSet<>();
    Set<String> messageIds = new HashSet<>();
    for (JsonObject event : events) {
      collect(event, userIds, streamIds, messageIds, 0);
    }
    chunks(userIds, chunk -> tx.selectFrom(APP_USER).where(APP_USER.USER_ID.in(chunk)).forEach(r -> {
      users.put(r.getUserId(), r);
      usersInDatabase.add(r.getUserId());
    }));
    chunks(userIds, chunk -> tx.selectFrom(USER_IDENTITY).where(USER_IDENTITY.USER_ID.in(chunk))
        .orderBy(USER_IDENTITY.ID).forEach(r -> {
          IdentityRow row = new IdentityRow(r.getId(), r.getUserId(), r.getFirstName(), r.getLastName(),
              r.getDisplayName(), r.getEmail(), r.getUsername());
          row.firstSeenAt = r.getSeenAt();
          row.firstSeq = r.getEventSeq();
          row.lastSeenAt = r.getLastSeenAt() != null ? r.getLastSeenAt() : r.getSeenAt();
          row.lastSeq = r.getLastEventSeq() != null ? r.getLastEventSeq() : r.getEventSeq();
          identities.computeIfAbsent(r.getUserId(), k -> new ArrayList<>()).add(row);
        }));
    chunks(streamIds, chunk -> tx.selectFrom(STREAM).where(STREAM.STREAM_ID.in(chunk)).forEach(r -> {
      streams.put(r.getStreamId(), r);
      streamsInDatabase.add(r.getStreamId());
    }));
    chunks(streamIds, chunk -> tx.select(IM_PARTICIPANT.STREAM_ID, IM_PARTICIPANT.USER_ID, IM_PARTICIPANT.EVENT_SEQ,
            DSL.coalesce(EVENT.OCCURRED_AT, EVENT.RECEIVED_AT))
        .from(IM_PARTICIPANT).join(EVENT).on(EVENT.SEQ.eq(IM_PARTICIPANT.EVENT_SEQ))
        .where(IM_PARTICIPANT.STREAM_ID.in(chunk)).forEach(r -> imParticipants.put(new ImKey(r.value1(), r.value2()),
            new ImParticipant(r.value3(), new Versions.Version(Projections.epoch(r.value4()), r.value3()), true))));
    prefetchMessages(tx, messageIds);
  }

  private void prefetchMessages(DSLContext tx, Set<String> ids) {
    chunks(ids, chunk -> tx.select(MESSAGE.MESSAGE_ID, MESSAGE.EVENT_SEQ, DSL.coalesce(EVENT.OCCURRED_AT,
            EVENT.RECEIVED_AT), MESSAGE.REPLACED_BY, MESSAGE.SUPPRESSED)
        .from(MESSAGE).join(EVENT).on(EVENT.SEQ.eq(MESSAGE.EVENT_SEQ))
        .where(MESSAGE.MESSAGE_ID.in(chunk)).forEach(r -> {
          MessageState state = new MessageState(r.value1(), true);
          state.owner = new Versions.Version(Projections.epoch(r.value3()), r.value2());
          state.replacedBy = r.value4();
          state.suppressed = Boolean.TRUE.equals(r.value5());
          messages.put(r.value1(), state);
        }));
    chunks(ids, chunk -> suppressed.addAll(tx.selectDistinct(SUPPRESSION.MESSAGE_ID).from(SUPPRESSION)
        .where(SUPPRESSION.MESSAGE_ID.in(chunk)).fetch(SUPPRESSION.MESSAGE_ID)));
    chunks(ids, chunk -> tx.select(MESSAGE.REPLACING, MESSAGE.MESSAGE_ID, MESSAGE.SENT_AT).from(MESSAGE)
        .where(MESSAGE.REPLACING.in(chunk)).forEach(r -> offerEdit(r.value1(),
            new EditCandidate(r.value3() == null ? null : Projections.epoch(r.value3()), r.value2()))));
    // A replaced_by that no archived edit explains came from the original's own payload: a candidate too.
    for (MessageState state : messages.values()) {
      if (state.replacedBy != null) {
        EditCandidate best = edits.get(state.messageId);
        if (best == null || !best.messageId().equals(state.replacedBy)) {
          offerEdit(state.messageId, new EditCandidate(null, state.replacedBy));
        }
      }
    }
  }

  private void offerEdit(String original, EditCandidate candidate) {
    edits.merge(original, candidate, (a, b) -> a.compareTo(b) <= 0 ? a : b);
  }

  private static <K> void chunks(Set<K> ids, Consumer<List<K>> query) {
    List<K> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += IN_CHUNK) {
      query.accept(all.subList(from, Math.min(all.size(), from + IN_CHUNK)));
    }
  }

  private static void collect(Object node, Set<Long> userIds, Set<String> streamIds, Set<String> messageIds,
                              int depth) {
    if (depth > 12) {
      return;
    }
    if (node instanceof JsonObject object) {
      for (Map.Entry<String, Object> e : object) {
        Object value = e.getValue();
        String key = e.getKey();
        if ("userId".equals(key) && value instanceof Number n) {
          userIds.add(n.longValue());
        } else if ("streamId".equals(key) && value instanceof String s && s.length() <= 256) {
          streamIds.add(s);
        } else if (("messageId".equals(key) || "replacing".equals(key) || "replacedBy".equals(key))
            && value instanceof String s && s.length() <= 256) {
          messageIds.add(s);
        } else if (value instanceof JsonObject || value instanceof JsonArray) {
          collect(value, userIds, streamIds, messageIds, depth + 1);
        }
      }
    } else if (node instanceof JsonArray array) {
      for (Object value : array) {
        if (value instanceof JsonObject || value instanceof JsonArray) {
          collect(value, userIds, streamIds, messageIds, depth + 1);
        }
      }
    }
  }

  /** Merges the changes of an event whose projector returned. */
  void apply(EventChanges changes) {
    changes.users.forEach((id, row) -> {
      users.put(id, row);
      dirtyUsers.add(id);
    });
    identities.putAll(changes.identities);
    changes.streams.forEach((id, row) -> {
      streams.put(id, row);
      dirtyStreams.add(id);
    });
    for (String id : changes.attachmentsReplaced) {
      List<TableRecord<?>> pending = inserts.get(ATTACHMENT);
      if (pending != null) {
        pending.removeIf(r -> id.equals(r.get(ATTACHMENT.MESSAGE_ID)));
      }
      MessageState state = changes.messages.get(id);
      if (state != null && state.inDatabase) {
        attachmentsReplaced.add(id);
      }
    }
    messages.putAll(changes.messages);
    suppressed.addAll(changes.suppressed);
    edits.putAll(changes.edits);
    imParticipants.putAll(changes.imParticipants);
    for (TableRecord<?> row : changes.inserts) {
      inserts.computeIfAbsent(row.getTable(), t -> new ArrayList<>()).add(row);
    }
  }

  /** Read-only lookups for {@link EventChanges}. */
  boolean knowsStream(String streamId) {
    return streams.containsKey(streamId);
  }

  static <R extends Record> R copy(R row, R into) {
    into.fromArray(row.intoArray());
    return into;
  }
}
