package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.MessageRecord;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.TableRecord;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.datahose.archiver.db.Tables.APP_USER;
import static io.datahose.archiver.db.Tables.ATTACHMENT;
import static io.datahose.archiver.db.Tables.IM_PARTICIPANT;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static io.datahose.archiver.db.Tables.STREAM;
import static io.datahose.archiver.db.Tables.USER_IDENTITY;

/**
 * Writes a projected {@link BatchView} with one JDBC batch per table and kind of write (insert, update): each
 * statement is rendered once by jOOQ and bound once per row. No per-event statements. Runs inside the group's
 * transaction; stateless, blocking.
 */
final class BatchFlush {

  private BatchFlush() {
  }

  static void flush(DSLContext tx, BatchView view) {
    upsert(tx, APP_USER, APP_USER.USER_ID, view.dirtyUsers, view.users::get, view.usersInDatabase::contains);
    upsert(tx, STREAM, STREAM.STREAM_ID, view.dirtyStreams, view.streams::get, view.streamsInDatabase::contains);
    identities(tx, view);
    messages(tx, view);
    imParticipants(tx, view);
    if (!view.attachmentsReplaced.isEmpty()) {
      tx.deleteFrom(ATTACHMENT).where(ATTACHMENT.MESSAGE_ID.in(view.attachmentsReplaced)).execute();
    }
    for (Map.Entry<Table<?>, List<TableRecord<?>>> e : view.inserts.entrySet()) {
      insertAll(tx, e.getKey(), e.getValue());
    }
  }

  private static <K, R extends TableRecord<R>> void upsert(DSLContext tx, Table<R> table, TableField<R, K> key,
                                                           Collection<K> dirty, Function<K, R> rows,
                                                           java.util.function.Predicate<K> inDatabase) {
    List<R> inserts = new ArrayList<>();
    List<R> updates = new ArrayList<>();
    for (K id : dirty) {
      (inDatabase.test(id) ? updates : inserts).add(rows.apply(id));
    }
    insertAll(tx, table, inserts);
    updateAll(tx, table, key, updates);
  }

  private static void identities(DSLContext tx, BatchView view) {
    List<IdentityRow> inserts = new ArrayList<>();
    List<IdentityRow> updates = new ArrayList<>();
    for (List<IdentityRow> rows : view.identities.values()) {
      for (IdentityRow row : rows) {
        if (row.changed) {
          (row.id == null ? inserts : updates).add(row);
        }
      }
    }
    if (!inserts.isEmpty()) {
      Field<?>[] fields = {USER_IDENTITY.USER_ID, USER_IDENTITY.FIRST_NAME, USER_IDENTITY.LAST_NAME,
          USER_IDENTITY.DISPLAY_NAME, USER_IDENTITY.EMAIL, USER_IDENTITY.USERNAME, USER_IDENTITY.SEEN_AT,
          USER_IDENTITY.EVENT_SEQ, USER_IDENTITY.LAST_SEEN_AT, USER_IDENTITY.LAST_EVENT_SEQ};
      // in first-seen order, so ids follow the order identities appeared in (not the order events arrived in)
      inserts.sort((a, b) -> a.first().compareTo(b.first()));
      BatchBindStep batch = tx.batch(tx.insertInto(USER_IDENTITY).columns(fields).values(params(fields)));
      for (IdentityRow r : inserts) {
        batch.bind(r.userId, r.firstName, r.lastName, r.displayName, r.email, r.username, r.firstSeenAt, r.firstSeq,
            r.lastSeenAt, r.lastSeq);
      }
      batch.execute();
    }
    if (!updates.isEmpty()) {
      BatchBindStep batch = tx.batch(tx.update(USER_IDENTITY)
          .set(USER_IDENTITY.SEEN_AT, param(USER_IDENTITY.SEEN_AT))
          .set(USER_IDENTITY.EVENT_SEQ, param(USER_IDENTITY.EVENT_SEQ))
          .set(USER_IDENTITY.LAST_SEEN_AT, param(USER_IDENTITY.LAST_SEEN_AT))
          .set(USER_IDENTITY.LAST_EVENT_SEQ, param(USER_IDENTITY.LAST_EVENT_SEQ))
          .where(USER_IDENTITY.ID.eq(param(USER_IDENTITY.ID))));
      for (IdentityRow r : updates) {
        batch.bind(r.firstSeenAt, r.firstSeq, r.lastSeenAt, r.lastSeq, r.id);
      }
      batch.execute();
    }
  }

  private static void messages(DSLContext tx, BatchView view) {
    List<MessageRecord> inserts = new ArrayList<>();
    List<MessageRecord> rewrites = new ArrayList<>();
    List<MessageState> flags = new ArrayList<>();
    for (MessageState state : view.messages.values()) {
      if (!state.inDatabase) {
        inserts.add(state.row);
      } else if (state.rewrite) {
        rewrites.add(state.row);
      } else if (state.flagsChanged) {
        flags.add(state);
      }
    }
    insertAll(tx, MESSAGE, inserts);
    updateAll(tx, MESSAGE, MESSAGE.MESSAGE_ID, rewrites);
    if (!flags.isEmpty()) {
      BatchBindStep batch = tx.batch(tx.update(MESSAGE)
          .set(MESSAGE.REPLACED_BY, param(MESSAGE.REPLACED_BY))
          .set(MESSAGE.SUPPRESSED, param(MESSAGE.SUPPRESSED))
          .where(MESSAGE.MESSAGE_ID.eq(param(MESSAGE.MESSAGE_ID))));
      for (MessageState s : flags) {
        batch.bind(s.replacedBy, s.suppressed, s.messageId);
      }
      batch.execute();
    }
  }

  private static void imParticipants(DSLContext tx, BatchView view) {
    List<Object[]> inserts = new ArrayList<>();
    List<Object[]> updates = new ArrayList<>();
    view.imParticipants.forEach((key, p) -> {
      if (p.changed) {
        (p.inDatabase ? updates : inserts).add(p.inDatabase ? new Object[] {p.seq, key.streamId(), key.userId()}
            : new Object[] {key.streamId(), key.userId(), p.seq});
      }
    });
    if (!inserts.isEmpty()) {
      Field<?>[] fields = {IM_PARTICIPANT.STREAM_ID, IM_PARTICIPANT.USER_ID, IM_PARTICIPANT.EVENT_SEQ};
      BatchBindStep batch = tx.batch(tx.insertInto(IM_PARTICIPANT).columns(fields).values(params(fields)));
      inserts.forEach(batch::bind);
      batch.execute();
    }
    if (!updates.isEmpty()) {
      BatchBindStep batch = tx.batch(tx.update(IM_PARTICIPANT)
          .set(IM_PARTICIPANT.EVENT_SEQ, param(IM_PARTICIPANT.EVENT_SEQ))
          .where(IM_PARTICIPANT.STREAM_ID.eq(param(IM_PARTICIPANT.STREAM_ID)),
              IM_PARTICIPANT.USER_ID.eq(param(IM_PARTICIPANT.USER_ID))));
      updates.forEach(batch::bind);
      batch.execute();
    }
  }

  /** Inserts {@code rows} (every column but a generated identity) with one statement bound per row. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void insertAll(DSLContext tx, Table<?> table, List<? extends Record> rows) {
    if (rows.isEmpty()) {
      return;
    }
    Field<?>[] fields = Arrays.stream(table.fields()).filter(f -> !f.getDataType().identity()).toArray(Field[]::new);
    BatchBindStep batch = tx.batch(tx.insertInto((Table) table).columns(fields).values(params(fields)));
    for (Record row : rows) {
      Object[] values = new Object[fields.length];
      for (int i = 0; i < fields.length; i++) {
        values[i] = row.get(fields[i]);
      }
      batch.bind(values);
    }
    batch.execute();
  }

  /** Updates every column of {@code rows} but {@code key}, by key, with one statement bound per row. */
  private static <K, R extends TableRecord<R>> void updateAll(DSLContext tx, Table<R> table, TableField<R, K> key,
                                                              List<R> rows) {
    if (rows.isEmpty()) {
      return;
    }
    Field<?>[] all = table.fields();
    Map<Field<?>, Param<?>> set = new LinkedHashMap<>();
    for (Field<?> f : all) {
      if (!f.equals(key)) {
        set.put(f, param(f));
      }
    }
    BatchBindStep batch = tx.batch(tx.update(table).set(set).where(key.eq(param(key))));
    for (R row : rows) {
      Object[] bind = new Object[all.length];
      int j = 0;
      for (Field<?> f : all) {
        if (!f.equals(key)) {
          bind[j++] = row.get(f);
        }
      }
      bind[j] = row.get(key);
      batch.bind(bind);
    }
    batch.execute();
  }

  private static List<Param<?>> params(Field<?>[] fields) {
    List<Param<?>> params = new ArrayList<>(fields.length);
    for (Field<?> f : fields) {
      params.add(param(f));
    }
    return params;
  }

  private static <T> Param<T> param(Field<T> f) {
    return DSL.param(f.getName(), f.getDataType());
  }
}
