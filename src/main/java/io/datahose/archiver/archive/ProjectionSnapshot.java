package io.datahose.archiver.archive;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.datahose.archiver.db.Tables.*;

/**
 * Every projection table of an archive as sorted row texts, comparable across archives that stored the same events
 * in another order, batching or number of attempts: each seq column is replaced by the identity of the event it
 * names, surrogate ids (membership, user_identity) and {@code field_versions} (bookkeeping holding seqs) are left
 * out. Two archives of the same events must give equal snapshots; a row doubled, lost or changed shows as a
 * difference in its table.
 */
public final class ProjectionSnapshot {

  public static final List<Table<?>> TABLES = List.of(APP_USER, USER_IDENTITY, STREAM, ROOM_PROPERTIES, MEMBERSHIP,
      JOIN_REQUEST_OWNER, STREAM_STATUS_CHANGE, MESSAGE, ATTACHMENT, SUPPRESSION, IM_PARTICIPANT, CONNECTION,
      ELEMENTS_ACTION, SHARED_POST, SYSTEM_EVENT);
  /**
   * Columns of a content row that another event sets (a suppression, an edit): after disposal that other event may be
   * gone while the row stays, so a re-projection without it cannot give them.
   */
  public static final Set<String> CROSS_EVENT_COLUMNS = Set.of("SUPPRESSED", "REPLACED_BY");
  /** The tables that hold an event's content (what disposal removes); the others are structure. */
  public static final List<Table<?>> CONTENT_TABLES = List.of(MESSAGE, ATTACHMENT, SUPPRESSION, ELEMENTS_ACTION,
      SHARED_POST, SYSTEM_EVENT);
  private static final Set<String> LEFT_OUT = Set.of("ID", "FIELD_VERSIONS");
  private static final Set<String> SEQ_COLUMNS = Set.of("EVENT_SEQ", "LAST_EVENT_SEQ");

  private ProjectionSnapshot() {
  }

  /** @return table name -> sorted row texts */
  public static Map<String, List<String>> of(DSLContext sql) {
    Map<Long, String> identityOfSeq = identities(sql);
    Map<String, List<String>> tables = new TreeMap<>();
    for (Table<?> table : TABLES) {
      List<String> rows = new ArrayList<>();
      for (Record row : sql.selectFrom(table).fetch()) {
        rows.add(text(table, row, identityOfSeq));
      }
      Collections.sort(rows);
      tables.put(table.getName(), rows);
    }
    return tables;
  }

  /** @return seq -> identity of every event */
  public static Map<Long, String> identities(DSLContext sql) {
    Map<Long, String> identityOfSeq = new HashMap<>();
    sql.select(EVENT.SEQ, EVENT.SHA256).from(EVENT).forEach(r -> identityOfSeq.put(r.value1(), r.value2()));
    return identityOfSeq;
  }

  /** @return the comparable text of one projection row (seqs replaced by event identities) */
  public static String text(Table<?> table, Record row, Map<Long, String> identityOfSeq) {
    return text(table, row, identityOfSeq, Set.of());
  }

  /** As above, leaving out the columns named in {@code alsoLeftOut} too. */
  public static String text(Table<?> table, Record row, Map<Long, String> identityOfSeq, Set<String> alsoLeftOut) {
    StringBuilder text = new StringBuilder();
    for (Field<?> field : table.fields()) {
      if (LEFT_OUT.contains(field.getName()) || alsoLeftOut.contains(field.getName())) {
        continue;
      }
      Object value = row.get(field);
      if (SEQ_COLUMNS.contains(field.getName()) && value != null) {
        value = "event:" + identityOfSeq.get((Long) value);
      }
      text.append(field.getName()).append('=').append(value).append(' ');
    }
    return text.toString();
  }

  /**
   * Streams {@code table} (constant memory but for the counts) and counts its rows by a SHA-256 of their text.
   *
   * @return row-text hash -> how many rows have it
   */
  public static Map<String, Integer> counted(DSLContext sql, Table<?> table, Map<Long, String> identityOfSeq) {
    return counted(sql, table, identityOfSeq, row -> true);
  }

  /** As above, counting only the rows {@code include} accepts. */
  public static Map<String, Integer> counted(DSLContext sql, Table<?> table, Map<Long, String> identityOfSeq,
                                             java.util.function.Predicate<Record> include) {
    return counted(sql, table, identityOfSeq, include, Set.of());
  }

  /** As above, leaving out the columns named in {@code alsoLeftOut}. */
  public static Map<String, Integer> counted(DSLContext sql, Table<?> table, Map<Long, String> identityOfSeq,
                                             java.util.function.Predicate<Record> include, Set<String> alsoLeftOut) {
    Map<String, Integer> counts = new HashMap<>();
    java.security.MessageDigest sha;
    try {
      sha = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (var rows = sql.selectFrom(table).fetchSize(1000).fetchLazy()) {
      for (Record row : rows) {
        if (include.test(row)) {
          counts.merge(digest(sha, text(table, row, identityOfSeq, alsoLeftOut)), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  static String digest(java.security.MessageDigest sha, String text) {
    return java.util.HexFormat.of().formatHex(sha.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 16);
  }

  /** @return a short account of how {@code actual} differs from {@code expected}, per table ("" when equal) */
  public static String difference(Map<String, List<String>> expected, Map<String, List<String>> actual) {
    StringBuilder out = new StringBuilder();
    for (String table : expected.keySet()) {
      List<String> missing = new ArrayList<>(expected.get(table));
      List<String> extra = new ArrayList<>(actual.getOrDefault(table, List.of()));
      for (String row : actual.getOrDefault(table, List.of())) {
        missing.remove(row);
      }
      for (String row : expected.get(table)) {
        extra.remove(row);
      }
      if (!missing.isEmpty() || !extra.isEmpty()) {
        out.append(table).append(": ").append(missing.size()).append(" missing, ").append(extra.size())
            .append(" extra (e.g. ").append(!extra.isEmpty() ? extra.get(0) : missing.get(0)).append("); ");
      }
    }
    return out.toString();
  }
}
