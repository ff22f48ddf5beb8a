package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.AppUserRecord;
import io.datahose.archiver.db.tables.records.StreamRecord;
import io.datahose.archiver.db.tables.records.UserIdentityRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.UpdatableRecord;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.datahose.archiver.db.Tables.APP_USER;
import static io.datahose.archiver.db.Tables.STREAM;
import static io.datahose.archiver.db.Tables.USER_IDENTITY;

/**
 * The {@code app_user} and {@code stream} rows one batch touches, kept in memory for the whole batch transaction:
 * loaded once (one IN query per table for every id the batch's JSON mentions), changed in memory by the
 * projections, and written once per distinct row at the end of the batch ({@link #flush}) with one rendered
 * statement bound many times; {@code user_identity} rows are appended in event order at the same time. Because
 * those writes leave the event's savepoint, every change of the current event is logged and undone by
 * {@link #rollbackEvent} when the event turns raw-only, and values are checked against their column sizes
 * in Java ({@link #checkLength}) so a too-long value still fails inside the event, not at the flush.
 * Confined to the storing thread of one batch.
 */
final class BatchRows {

  private static final int IN_CHUNK = 500;

  private final DSLContext tx;
  private final Map<Long, AppUserRecord> users = new HashMap<>();
  private final Map<String, StreamRecord> streams = new HashMap<>();
  /** Keys that exist in the database (loaded); the others are inserted at the flush. */
  private final Set<Object> inDatabase = new HashSet<>();
  /** Keys looked up in the database and known absent. */
  private final Set<Object> absent = new HashSet<>();
  private final Set<Long> dirtyUsers = new LinkedHashSet<>();
  private final Set<String> dirtyStreams = new LinkedHashSet<>();
  private final List<UserIdentityRecord> identities = new ArrayList<>();

  /** Undo log of the current event: key -> values before its first change (null: not cached before). */
  private final Map<Object, Object[]> undo = new LinkedHashMap<>();
  private final Map<Object, Boolean> wasDirty = new HashMap<>();
  private int identitiesAtStart;

  BatchRows(DSLContext tx) {
    this.tx = tx;
  }

  /** Loads, in one query per table, every user and stream any of {@code events} mentions (by JSON key). */
  void prefetch(List<JsonObject> events) {
    Set<Long> userIds = new HashSet<>();
    Set<String> streamIds = new HashSet<>();
    for (JsonObject event : events) {
      collect(event, userIds, streamIds, 0);
    }
    load(userIds, APP_USER, APP_USER.USER_ID, AppUserRecord::getUserId, users);
    load(streamIds, STREAM, STREAM.STREAM_ID, StreamRecord::getStreamId, streams);
  }

  private <K, R extends UpdatableRecord<R>> void load(Set<K> ids, Table<R> table, TableField<R, K> key,
                                                      Function<R, K> id, Map<K, R> into) {
    List<K> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += IN_CHUNK) {
      List<K> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
      for (R row : tx.selectFrom(table).where(key.in(chunk)).fetch()) {
        into.put(id.apply(row), row);
        inDatabase.add(tag(row));
      }
    }
    for (K k : all) {
      if (!into.containsKey(k)) {
        absent.add(tag(table, k));
      }
    }
  }

  private static void collect(Object node, Set<Long> userIds, Set<String> streamIds, int depth) {
    if (depth > 12) {
      return;
    }
    if (node instanceof JsonObject object) {
      for (Map.Entry<String, Object> e : object) {
        Object value = e.getValue();
        if ("userId".equals(e.getKey()) && value instanceof Number n) {
          userIds.add(n.longValue());
        } else if ("streamId".equals(e.getKey()) && value instanceof String s && s.length() <= 256) {
          streamIds.add(s);
        } else if (value instanceof JsonObject || value instanceof JsonArray) {
          collect(value, userIds, streamIds, depth + 1);
        }
      }
    } else if (node instanceof JsonArray array) {
      for (Object value : array) {
        if (value instanceof JsonObject || value instanceof JsonArray) {
          collect(value, userIds, streamIds, depth + 1);
        }
      }
    }
  }

  /**
   * The user row for {@code userId}, about to be changed by the current event (its prior state is logged).
   *
   * @return the cached row, or a new one (userId set, nothing else) when the archive does not know the user
   */
  AppUserRecord user(long userId) {
    AppUserRecord row = cached(users, APP_USER, APP_USER.USER_ID, userId);
    Object tag = tag(APP_USER, userId);
    if (row == null) {
      undo.putIfAbsent(tag, null);
      wasDirty.putIfAbsent(tag, false);
      row = tx.newRecord(APP_USER);
      row.setUserId(userId);
      users.put(userId, row);
    } else if (!undo.containsKey(tag)) {
      undo.put(tag, row.intoArray());
      wasDirty.put(tag, dirtyUsers.contains(userId));
    }
    dirtyUsers.add(userId);
    return row;
  }

  /** The stream row for {@code streamId}, about to be changed (prior state logged); a new row when unknown. */
  StreamRecord stream(String streamId) {
    StreamRecord row = cached(streams, STREAM, STREAM.STREAM_ID, streamId);
    Object tag = tag(STREAM, streamId);
    if (row == null) {
      undo.putIfAbsent(tag, null);
      wasDirty.putIfAbsent(tag, false);
      row = tx.newRecord(STREAM);
      row.setStreamId(streamId);
      streams.put(streamId, row);
    } else if (!undo.containsKey(tag)) {
      undo.put(tag, row.intoArray());
      wasDirty.put(tag, dirtyStreams.contains(streamId));
    }
    dirtyStreams.add(streamId);
    return row;
  }

  /** A new stream row (not cached before this event) has no first_seen yet: the caller initializes it. */
  boolean isFresh(StreamRecord row) {
    return row.getFirstSeenAt() == null && !inDatabase.contains(tag(row));
  }

  /** Appends an identity-history row (written at the flush, in order). */
  void addIdentity(UserIdentityRecord identity) {
    identities.add(identity);
  }

  private <K, R extends UpdatableRecord<R>> R cached(Map<K, R> map, Table<R> table, TableField<R, K> key, K id) {
    R row = map.get(id);
    if (row != null) {
      return row;
    }
    Object tag = tag(table, id);
    if (absent.contains(tag)) {
      return null;
    }
    R loaded = tx.selectFrom(table).where(key.eq(id)).fetchOne();
    if (loaded == null) {
      absent.add(tag);
      return null;
    }
    map.put(id, loaded);
    inDatabase.add(tag);
    return loaded;
  }

  /** Starts an event: clears the undo log. */
  void beginEvent() {
    undo.clear();
    wasDirty.clear();
    identitiesAtStart = identities.size();
  }

  /** The current event turned raw-only: puts every row it changed back as it was. */
  void rollbackEvent() {
    for (Map.Entry<Object, Object[]> e : undo.entrySet()) {
      Tag tag = (Tag) e.getKey();
      boolean users = tag.table() == APP_USER;
      if (e.getValue() == null) {
        if (users) {
          this.users.remove((Long) tag.id());
          dirtyUsers.remove((Long) tag.id());
        } else {
          streams.remove((String) tag.id());
          dirtyStreams.remove((String) tag.id());
        }
        continue;
      }
      UpdatableRecord<?> row = users ? this.users.get((Long) tag.id()) : streams.get((String) tag.id());
      row.fromArray(e.getValue());
      if (!Boolean.TRUE.equals(wasDirty.get(tag))) {
        if (users) {
          dirtyUsers.remove((Long) tag.id());
        } else {
          dirtyStreams.remove((String) tag.id());
        }
      }
    }
    identities.subList(identitiesAtStart, identities.size()).clear();
    undo.clear();
    wasDirty.clear();
  }

  /** Writes every changed row once: inserts for new keys, updates for known ones, then identity rows. */
  void flush() {
    write(APP_USER, APP_USER.USER_ID, dirtyUsers, users);
    write(STREAM, STREAM.STREAM_ID, dirtyStreams, streams);
    if (!identities.isEmpty()) {
      Field<?>[] fields = {USER_IDENTITY.USER_ID, USER_IDENTITY.FIRST_NAME, USER_IDENTITY.LAST_NAME,
          USER_IDENTITY.DISPLAY_NAME, USER_IDENTITY.EMAIL, USER_IDENTITY.USERNAME, USER_IDENTITY.SEEN_AT,
          USER_IDENTITY.EVENT_SEQ};
      BatchBindStep batch = tx.batch(tx.insertInto(USER_IDENTITY).columns(fields).values(params(fields)));
      for (UserIdentityRecord r : identities) {
        batch.bind(r.getUserId(), r.getFirstName(), r.getLastName(), r.getDisplayName(), r.getEmail(),
            r.getUsername(), r.getSeenAt(), r.getEventSeq());
      }
      batch.execute();
    }
  }

  private <K, R extends UpdatableRecord<R>> void write(Table<R> table, TableField<R, K> key, Collection<K> dirty,
                                                       Map<K, R> rows) {
    if (dirty.isEmpty()) {
      return;
    }
    Field<?>[] all = table.fields();
    BatchBindStep inserts = null;
    BatchBindStep updates = null;
    for (K id : dirty) {
      R row = rows.get(id);
      Object[] values = row.intoArray();
      if (inDatabase.contains(tag(table, id))) {
        if (updates == null) {
          Map<Field<?>, Param<?>> set = new LinkedHashMap<>();
          for (Field<?> f : all) {
            if (!f.equals(key)) {
              set.put(f, param(f));
            }
          }
          updates = tx.batch(tx.update(table).set(set).where(key.eq(DSL.param(key.getName(), key.getType()))));
        }
        Object[] bind = new Object[all.length];
        int j = 0;
        Object keyValue = null;
        for (int i = 0; i < all.length; i++) {
          if (all[i].equals(key)) {
            keyValue = values[i];
          } else {
            bind[j++] = values[i];
          }
        }
        bind[j] = keyValue;
        updates.bind(bind);
      } else {
        if (inserts == null) {
          inserts = tx.batch(tx.insertInto(table).columns(all).values(params(all)));
        }
        inserts.bind(values);
      }
    }
    if (inserts != null) {
      inserts.execute();
    }
    if (updates != null) {
      updates.execute();
    }
  }

  /** Inserts {@code rows} (every column, in table order) with one statement rendered once and bound per row. */
  static <R extends UpdatableRecord<R>> void insertAll(DSLContext tx, Table<R> table, List<R> rows) {
    Field<?>[] all = table.fields();
    BatchBindStep batch = tx.batch(tx.insertInto(table).columns(all).values(params(all)));
    for (R row : rows) {
      batch.bind(row.intoArray());
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

  /**
   * Throws when {@code value} is longer than {@code field}'s VARCHAR size, as the database would at the insert.
   *
   * @return value
   */
  static String checkLength(TableField<?, String> field, String value) {
    int max = field.getDataType().length();
    if (value != null && max > 0 && value.length() > max) {
      throw new IllegalArgumentException((field.getTable().getName() + "." + field.getName()).toLowerCase(Locale.ROOT)
          + ": value too long (" + value.length() + " > " + max + " characters)");
    }
    return value;
  }

  private static Tag tag(UpdatableRecord<?> row) {
    return row instanceof AppUserRecord u ? new Tag(APP_USER, u.getUserId())
        : new Tag(STREAM, ((StreamRecord) row).getStreamId());
  }

  private static Tag tag(Table<?> table, Object id) {
    return new Tag(table, id);
  }

  private record Tag(Table<?> table, Object id) {
  }
}
