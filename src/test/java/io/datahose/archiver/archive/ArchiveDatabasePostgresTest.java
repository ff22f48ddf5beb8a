package io.datahose.archiver.archive;

import io.datahose.archiver.testing.PgCluster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static io.datahose.archiver.db.Tables.ARCHIVE_COUNTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening a PostgreSQL archive: migrated once, durable commits required, clear errors (issue 16). */
@DisplayName("A PostgreSQL archive")
class ArchiveDatabasePostgresTest {

  @Test
  @DisplayName("is migrated at the first open and opened again unchanged; H2-only steps are skipped")
  void migratesOnce() {
    PgCluster pg = PgCluster.shared();
    String url = pg.createDatabase("open");
    try (ArchiveDatabase db = ArchiveDatabase.postgresql(url, pg.user(), pg.password(), "host-1")) {
      assertThat(db.embedded()).isFalse();
      assertThat(db.daemonId()).isEqualTo("host-1");
      assertThat(db.dsl().fetchValue("select count(*) from flyway_schema_history where success", Long.class))
          .isEqualTo(14L);
      db.syncToDisk(); // no CHECKPOINT SYNC on PostgreSQL: a no-op, not an error
    }
    try (ArchiveDatabase db = ArchiveDatabase.postgresql(url, pg.user(), pg.password(), "host-2")) {
      assertThat(db.dsl().fetchValue(ARCHIVE_COUNTER.NEXT_SEQ)).isEqualTo(1L);
    }
  }

  @Test
  @DisplayName("is refused when its commits would not be durable (synchronous_commit = off), naming the setting")
  void refusesAsynchronousCommit() throws Exception {
    PgCluster pg = PgCluster.shared();
    String url = pg.createDatabase("async");
    String name = url.substring(url.lastIndexOf('/') + 1);
    try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password()); Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE " + name + " SET synchronous_commit = off");
    }
    assertThatThrownBy(() -> ArchiveDatabase.postgresql(url, pg.user(), pg.password(), "d"))
        .isInstanceOf(ArchiveDatabaseException.class)
        .hasMessageContaining("synchronous_commit = off").hasMessageContaining("acknowledged before it is durable");
  }

  @Test
  @DisplayName("that cannot be reached fails with one clear line naming the database, not a stack of pool errors")
  void unreachable() {
    PgCluster pg = PgCluster.shared();
    String url = "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2";
    assertThatThrownBy(() -> ArchiveDatabase.postgresql(url, pg.user(), pg.password(), "d"))
        .isInstanceOf(ArchiveDatabaseException.class)
        .hasMessageStartingWith("cannot open archive database jdbc:postgresql://127.0.0.1:1/nowhere: ");
  }
}
