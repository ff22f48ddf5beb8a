package io.datahose.archiver.testing;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("PgCluster runs a private PostgreSQL server with one database per test")
class PgClusterTest {

  @Test
  @DisplayName("the shared cluster serves two distinct databases with synchronous_commit on and fsync off")
  void twoDatabases() throws SQLException {
    PgCluster cluster = PgCluster.shared();
    assertThat(PgCluster.available()).isTrue();
    assertThat(PgCluster.shared()).isSameAs(cluster);

    String first = cluster.createDatabase("PgClusterTest.first");
    String second = cluster.createDatabase("PgClusterTest.first");
    assertThat(first).startsWith("jdbc:postgresql://127.0.0.1:" + cluster.port() + "/pgclustertest_first_");
    assertThat(second).isNotEqualTo(first);

    try (Connection one = connect(cluster, first); Connection two = connect(cluster, second)) {
      assertThat(single(one, "select 1")).isEqualTo("1");
      assertThat(single(two, "select 1")).isEqualTo("1");
      assertThat(single(one, "SHOW synchronous_commit")).isEqualTo("on");
      assertThat(single(one, "SHOW fsync")).isEqualTo("off");
      assertThat(single(one, "select current_database()")).isNotEqualTo(single(two, "select current_database()"));

      try (Statement statement = one.createStatement()) {
        statement.execute("create table only_in_first (id int primary key)");
        statement.execute("insert into only_in_first values (1)");
      }
      assertThat(single(one, "select count(*) from only_in_first")).isEqualTo("1");
      assertThat(single(two, "select count(*) from pg_tables where tablename = 'only_in_first'")).isEqualTo("0");
      assertThatThrownBy(() -> single(two, "select count(*) from only_in_first"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("only_in_first");
    }
  }

  @Test
  @DisplayName("a private cluster with fsync on accepts connections until stop, and stop is idempotent")
  void privateCluster() throws SQLException {
    PgCluster cluster = PgCluster.start(true);
    try {
      String url = cluster.createDatabase("private");
      try (Connection connection = connect(cluster, url)) {
        assertThat(single(connection, "SHOW fsync")).isEqualTo("on");
        assertThat(single(connection, "SHOW full_page_writes")).isEqualTo("on");
        assertThat(single(connection, "SHOW max_connections")).isEqualTo("200");
      }
    } finally {
      cluster.stop();
    }
    cluster.stop();
    assertThatThrownBy(() -> connect(cluster, cluster.url("postgres")).close()).isInstanceOf(SQLException.class);
  }

  private static Connection connect(PgCluster cluster, String url) throws SQLException {
    return DriverManager.getConnection(url, cluster.user(), cluster.password());
  }

  private static String single(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as(sql).isTrue();
      return rows.getString(1);
    }
  }
}
