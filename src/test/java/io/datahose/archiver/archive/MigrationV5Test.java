package io.datahose.archiver.archive;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.USER_IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * V5 on an archive written before it: a file database migrated to V4 only gets legacy raw-log rows (text in
 * {@code raw}, and one above the VARCHAR size in {@code raw_large}) and a {@code user_identity} row, then is opened
 * by {@link ArchiveDatabase#open}, which migrates it to the latest version.
 */
@DisplayName("Migration V5 of an archive written by V4")
class MigrationV5Test {

  private static final OffsetDateTime AT = OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

  @TempDir
  Path dir;

  @Test
  @DisplayName("Legacy raw text becomes its UTF-8 bytes with their SHA-256, the text columns are gone, and "
      + "identities get a last-seen time and seq")
  void legacyRowsAreMigrated() throws Exception {
    Path file = dir.resolve("archive");
    JdbcDataSource legacy = new JdbcDataSource();
    legacy.setURL("jdbc:h2:file:" + file.toAbsolutePath());
    legacy.setUser("sa");
    Flyway.configure().dataSource(legacy).locations(ArchiveDatabase.H2_MIGRATIONS).target("4").load().migrate();

    Map<Long, String> raw = new TreeMap<>();
    raw.put(1L, "{\"id\":\"a\",\"type\":\"MESSAGESENT\",\"text\":\"Gr\u00fc\u00dfe, caf\u00e9 \u65e5\u672c \ud83c\udf89\"}");
    raw.put(2L, "{\"id\":\"b\",\"type\":\"USERJOINEDROOM\"}");
    raw.put(4L, "{\"id\":\"d\",\"lone\":\"\ud83d\"}");
    raw.put(5L, "{\"id\":\"e\",\"text\":\"" + "\u00e9".repeat(600_000) + "\"}");
    String large = "{\"id\":\"c\",\"text\":\"" + "\u00e9\u20ac\ud83d\ude00x".repeat(220_000) + "\"}";
    try (var connection = legacy.getConnection()) {
      DSLContext sql = DSL.using(connection, SQLDialect.H2);
      for (Map.Entry<Long, String> e : raw.entrySet()) {
        sql.query("insert into event (seq, sha256, type, received_at, reader_slot, raw) values (?, ?, ?, ?, 0, ?)",
            e.getKey(), "%064d".formatted(e.getKey()), "MESSAGESENT", AT, e.getValue()).execute();
      }
      sql.query("insert into event (seq, sha256, type, received_at, reader_slot, raw_large) values (?, ?, ?, ?, 0, ?)",
          3L, "%064d".formatted(3), "MESSAGESENT", AT, large).execute();
      sql.query("insert into user_identity (user_id, display_name, seen_at, event_seq) values (?, ?, ?, ?)",
          42L, "Zo\u00eb", AT, 2L).execute();
      assertThat(sql.fetchValue("select count(*) from event where raw is not null")).isEqualTo(4L);
    }
    raw.put(3L, large);
    assertThat(large.length()).as("the large row is above the VARCHAR size").isGreaterThan(1_000_000);

    try (ArchiveDatabase db = ArchiveDatabase.open(file, false)) {
      DSLContext dsl = db.dsl();
      Map<Long, Record> rows = new TreeMap<>();
      dsl.select(EVENT.SEQ, EVENT.RAW_BYTES, EVENT.RAW_BYTES_LARGE, EVENT.RAW_SHA256).from(EVENT)
          .forEach(r -> rows.put(r.get(EVENT.SEQ), r));
      assertThat(rows.keySet()).containsExactly(1L, 2L, 3L, 4L, 5L);
      for (Map.Entry<Long, String> e : raw.entrySet()) {
        Record r = rows.get(e.getKey());
        byte[] expected = e.getValue().getBytes(StandardCharsets.UTF_8);
        assertThat(r.get(EVENT.RAW_BYTES) == null).as("seq %d in exactly one of raw_bytes, raw_bytes_large",
            e.getKey()).isNotEqualTo(r.get(EVENT.RAW_BYTES_LARGE) == null);
        byte[] bytes = r.get(EVENT.RAW_BYTES) != null ? r.get(EVENT.RAW_BYTES) : r.get(EVENT.RAW_BYTES_LARGE);
        // compared by length and hash: a megabyte array in a failure message hides the point
        assertThat(bytes).as("bytes of seq %d", e.getKey()).isNotNull();
        assertThat(bytes.length).as("byte length of seq %d", e.getKey()).isEqualTo(expected.length);
        assertThat(sha256(bytes)).as("bytes of seq %d", e.getKey()).isEqualTo(sha256(expected));
        assertThat(r.get(EVENT.RAW_SHA256)).as("raw_sha256 of seq %d", e.getKey()).isEqualTo(sha256(expected));
      }
      assertThat(dsl.fetchValue("select count(*) from information_schema.columns where table_name = ? "
          + "and column_name in (?, ?)", "EVENT", "RAW", "RAW_LARGE")).isEqualTo(0L);
      var identity = dsl.selectFrom(USER_IDENTITY).fetchSingle();
      assertThat(identity.getLastSeenAt()).isEqualTo(AT);
      assertThat(identity.getLastEventSeq()).isEqualTo(2L);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
