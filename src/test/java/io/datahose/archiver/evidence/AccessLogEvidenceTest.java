package io.datahose.archiver.evidence;

import static io.datahose.archiver.db.Tables.ACCESS_LOG;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.datahose.archiver.accesslog.AccessLogStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 item 2: the officer access log has its own Merkle log and signed heads, and verify checks them. */
@DisplayName("verify: the officer access log against its own Merkle log")
class AccessLogEvidenceTest {

  @TempDir
  Path dir;
  EvidenceFixture archive;

  @BeforeEach
  void log() {
    archive = new EvidenceFixture(dir).store(1, 10);
    AccessLogStore store = new AccessLogStore(archive.db.dsl());
    for (int i = 0; i < 30; i++) {
      store.append(entry(i));
      if (i % 10 == 9) {
        archive.heads().checkpoint();
      }
    }
  }

  @AfterEach
  void close() {
    archive.close();
  }

  private static AccessLogStore.Entry entry(int i) {
    return new AccessLogStore.Entry(OffsetDateTime.of(2026, 12, 1, 10, 0, i, 123_456_789, ZoneOffset.UTC),
        "officer-" + i % 3, "/api/v1/messages", "GET", "{\"q\":\"term " + i + "\"}", 200, (long) i, "127.0.0.1",
        "/api/v1/messages", "{}", 100L + i, AccessLogStore.ANSWERED);
  }

  private List<String> problems() {
    Verification v = archive.verify();
    assertThat(v.ok()).as(v.verdict()).isFalse();
    return v.problems();
  }

  @Test
  @DisplayName("a clean access log verifies; its heads are signed and filed in evidence.dir")
  void clean() throws Exception {
    Verification v = archive.verify();
    assertThat(v.ok()).as(v.verdict()).isTrue();
    assertThat(v.verdict()).endsWith("; access log: 30 rows");
    assertThat(TreeHeads.all(archive.db.dsl(), AccessLog.NAME)).extracting(TreeHead::treeSize)
        .containsExactly(10L, 20L, 30L);
    try (var files = Files.list(archive.evidenceDir)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("tree-head-access-"))).hasSize(3);
    }
  }

  @Test
  @DisplayName("an altered, deleted or inserted row is caught and named by its id")
  void tampering() {
    long id = archive.db.dsl().select(ACCESS_LOG.ID).from(ACCESS_LOG).orderBy(ACCESS_LOG.ID).offset(4).limit(1)
        .fetchSingle().value1();
    archive.db.dsl().update(ACCESS_LOG).set(ACCESS_LOG.OFFICER, "someone-else").where(ACCESS_LOG.ID.eq(id)).execute();
    assertThat(problems()).contains("access log row " + id + ": does not match its Merkle leaf (row altered)");
    archive.db.dsl().update(ACCESS_LOG).set(ACCESS_LOG.OFFICER, "officer-1").where(ACCESS_LOG.ID.eq(id)).execute();
    assertThat(archive.verify().ok()).isTrue();

    archive.db.dsl().deleteFrom(ACCESS_LOG).where(ACCESS_LOG.ID.eq(id)).execute();
    assertThat(problems()).contains("access log row " + id + ": in the Merkle log but not in the access log (row deleted)");
  }

  @Test
  @DisplayName("a row written around the log (no leaf) is caught as inserted")
  void inserted() {
    var r = archive.db.dsl().selectFrom(ACCESS_LOG).orderBy(ACCESS_LOG.ID.desc()).limit(1).fetchSingle();
    r.setId(r.getId() + 100);
    r.changed(true);
    archive.db.dsl().insertInto(ACCESS_LOG).set(r).execute();
    assertThat(problems()).contains("access log row " + r.getId() + ": not in the access log's Merkle log (row inserted)");
  }
}
