package io.datahose.archiver.evidence;

import static io.datahose.archiver.db.Tables.ARCHIVE_COUNTER;
import static io.datahose.archiver.db.Tables.ARCHIVE_RESTORE;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.EVIDENCE_LEAF;
import static io.datahose.archiver.db.Tables.TREE_HEAD;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 5 and issue 12 (verify after restore): a restore never hands out again a seq the set-aside archive
 * used, says so in a signed record, and the restored archive verifies — against evidence.dir too, whose heads of the
 * abandoned branch the record explains — while a rollback without such a record is still caught.
 */
@DisplayName("restore and the evidence")
class RestoreEvidenceTest {

  @TempDir
  Path dir;
  EvidenceFixture archive;
  Path config;
  Path backup;

  @BeforeEach
  void backupThenMore() throws Exception {
    archive = new EvidenceFixture(dir).store(3, 40);           // seqs 1..120, heads 1..3
    archive.close();
    config = dir.resolve("config.yaml");
    Files.writeString(config, archive.yaml());
    assertThat(ArchiveVerifierTest.run("backup", "--config", config.toString())).startsWith("0 ");
    try (Stream<Path> zips = Files.list(dir.resolve("backups"))) {
      backup = zips.filter(p -> p.toString().endsWith(".zip")).findFirst().orElseThrow();
    }
    archive.reopen();
    archive.store(2, 10);                                     // seqs 121..140, heads 4..5, not in the backup
    // seqs 141..145: stored after the last signed head, so only the set-aside file itself knows them
    new io.datahose.archiver.archive.Archive(archive.db).storeJson("tag", 0, List.of(EvidenceFixture.event(900),
        EvidenceFixture.event(901), EvidenceFixture.event(902), EvidenceFixture.event(903), EvidenceFixture.event(904)),
        "ack-late");
    archive.close();
  }

  @AfterEach
  void close() {
    archive.close();
  }

  @Test
  @DisplayName("the discarded seqs become void, new events start past them, and the archive verifies before and after")
  void voidsDiscardedSeqs() throws Exception {
    String out = ArchiveVerifierTest.run("restore", backup.toString(), "--config", config.toString());
    assertThat(out).startsWith("0 ").contains("seqs 121..145 of the set-aside archive (read from the set-aside archive and evidence.dir)")
        .contains("new events start at seq 146").contains("verify: OK: 120 events");
    assertThat(dir.resolve("evidence").resolve(RestoreRecords.fileName(1))).exists();

    archive.reopen();
    var sql = archive.db.dsl();
    assertThat(sql.select(ARCHIVE_COUNTER.NEXT_SEQ).from(ARCHIVE_COUNTER).fetchSingle().value1()).isEqualTo(146L);
    assertThat(sql.fetchCount(EVENT, EVENT.SEQ.between(121L, 145L))).isZero();
    assertThat(sql.select(EVIDENCE_LEAF.HASH).from(EVIDENCE_LEAF).where(EVIDENCE_LEAF.SEQ.eq(130L)).fetchSingle()
        .value1()).isNotNull();
    assertThat(sql.select(TREE_HEAD.ID).from(TREE_HEAD).orderBy(TREE_HEAD.ID).fetch(TREE_HEAD.ID))
        .as("the restore's head is numbered past the abandoned branch's files (4, 5)").containsExactly(1L, 2L, 3L, 6L);

    archive.store(1, 10);
    assertThat(sql.select(DSL.min(EVENT.SEQ)).from(EVENT).where(EVENT.SEQ.gt(120L)).fetchSingle().value1())
        .as("no seq of the set-aside archive is handed out again").isEqualTo(146L);
    Verification v = archive.verify();
    assertThat(v.ok()).as(v.verdict()).isTrue();
    assertThat(v.events()).isEqualTo(130);
  }

  @Test
  @DisplayName("after a restore, backups still verify (the void seqs count as handed out), and one of them restores")
  void backupAfterRestore() throws Exception {
    assertThat(ArchiveVerifierTest.run("restore", backup.toString(), "--config", config.toString())).startsWith("0 ");
    // at once: 120 events, seqs 121..145 void, next seq 146
    assertThat(ArchiveVerifierTest.run("backup", "--config", config.toString())).startsWith("0 ")
        .contains("120 events (seq 1..145 of which 25 void by restores, gapless)");
    archive.reopen();
    archive.store(1, 10);                                     // seqs 146..155
    archive.close();
    String out = ArchiveVerifierTest.run("backup", "--config", config.toString());
    assertThat(out).startsWith("0 ").contains("130 events (seq 1..155 of which 25 void by restores, gapless)");
    Path after;
    try (Stream<Path> zips = Files.list(dir.resolve("backups"))) {
      after = zips.filter(p -> p.getFileName().toString().endsWith("-seq155.zip")).findFirst().orElseThrow();
    }
    assertThat(ArchiveVerifierTest.run("restore", after.toString(), "--config", config.toString()))
        .startsWith("0 ").contains("130 events (seq 1..155 of which 25 void by restores, gapless)")
        .contains("no seq past the backup had been used").contains("verify: OK: 130 events");
  }

  @Test
  @DisplayName("a restore record altered after signing, or a void leaf changed, fails verify")
  void tampering() {
    assertThat(ArchiveVerifierTest.run("restore", backup.toString(), "--config", config.toString())).startsWith("0 ");
    archive.reopen();
    var sql = archive.db.dsl();
    byte[] leaf = sql.select(EVIDENCE_LEAF.HASH).from(EVIDENCE_LEAF).where(EVIDENCE_LEAF.SEQ.eq(130L)).fetchSingle()
        .value1();
    leaf[0] ^= 1;
    sql.update(EVIDENCE_LEAF).set(EVIDENCE_LEAF.HASH, leaf).where(EVIDENCE_LEAF.SEQ.eq(130L)).execute();
    Verification v = archive.verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(130);
    assertThat(v.verdict()).contains("seq 130: made void by restore 1, but its Merkle leaf is not the void leaf");
    leaf[0] ^= 1;
    sql.update(EVIDENCE_LEAF).set(EVIDENCE_LEAF.HASH, leaf).where(EVIDENCE_LEAF.SEQ.eq(130L)).execute();
    assertThat(archive.verify().ok()).isTrue();

    String record = sql.select(ARCHIVE_RESTORE.RECORD).from(ARCHIVE_RESTORE).fetchSingle().value1();
    sql.update(ARCHIVE_RESTORE).set(ARCHIVE_RESTORE.RECORD, record.replace("\"voidTo\":145", "\"voidTo\":144"))
        .execute();
    List<String> problems = archive.verify().problems();
    assertThat(problems).contains("restore record 1: bad signature (not made by this archive's key)");
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("tree head 5 in evidence.dir")
        .contains("is missing from the archive"));
  }

  @Test
  @DisplayName("a disposal after the backup: its certificate is of the abandoned branch, the next one is numbered past it")
  void disposalAcrossRestore() {
    archive.reopen();
    var retention = new io.datahose.archiver.config.AppConfig.Retention(new io.datahose.archiver.config.RetentionPolicy(
        io.datahose.archiver.config.RetentionPolicy.Period.parse("1ms").orElseThrow(), java.util.Map.of(),
        java.util.Map.of()), java.time.Duration.ofDays(1), 100);
    java.time.Instant later = java.time.Instant.now().plus(java.time.Duration.ofDays(1));
    assertThat(io.datahose.archiver.retention.Disposal.run(archive.db.dsl(), retention, archive.key, archive.evidenceDir,
        false, true, later, ids -> { }).certificate()).isEqualTo(1);
    archive.close();
    String out = ArchiveVerifierTest.run("restore", backup.toString(), "--config", config.toString());
    assertThat(out).as(out).startsWith("0 ").contains("verify: OK");
    archive.reopen();
    assertThat(io.datahose.archiver.retention.Disposal.run(archive.db.dsl(), retention, archive.key, archive.evidenceDir,
        false, true, later, ids -> { }).certificate()).as("past the abandoned branch's certificate 1").isEqualTo(2);
    Verification v = archive.verify();
    assertThat(v.ok()).as(v.verdict()).isTrue();
  }

  @Test
  @DisplayName("the same file put back by hand, without a restore, is still caught as a rollback")
  void rollbackWithoutRecord() throws Exception {
    archive.reopen();
    archive.close();
    Path copy = dir.resolve("restored-by-hand");
    Files.createDirectories(copy);
    try (var zip = java.nio.file.FileSystems.newFileSystem(backup)) {
      try (Stream<Path> entries = Files.list(zip.getPath("/"))) {
        Path db = entries.filter(p -> p.toString().endsWith(".mv.db")).findFirst().orElseThrow();
        Files.copy(db, dir.resolve("archive.mv.db"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    archive.reopen();
    Verification v = archive.verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.verdict()).contains("seq 121..");
  }
}
