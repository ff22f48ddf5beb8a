package io.datahose.archiver.evidence;

import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.EVIDENCE_LEAF;
import static io.datahose.archiver.db.Tables.TREE_HEAD;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;

import io.datahose.archiver.cli.Main;
import io.datahose.archiver.db.tables.records.EventRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("verify: the archive against its Merkle log and signed tree heads")
class ArchiveVerifierTest {

  @TempDir
  Path dir;
  EvidenceFixture archive;

  @BeforeEach
  void store() {
    archive = new EvidenceFixture(dir).store(3, 40);
  }

  @AfterEach
  void close() {
    archive.close();
  }

  private EventRecord row(long seq) {
    return archive.db.dsl().selectFrom(EVENT).where(EVENT.SEQ.eq(seq)).fetchSingle();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private void assertCaught(long seq, String fragment) {
    Verification v = archive.verify();
    assertThat(v.ok()).as(v.verdict()).isFalse();
    assertThat(v.verdict()).startsWith("FAILED: ").contains(fragment);
    if (seq > 0) {
      assertThat(v.firstBadSeq()).isEqualTo(seq);
      assertThat(v.verdict()).contains("seq " + seq);
    }
  }

  @Test
  @DisplayName("a clean archive verifies, heads stored in the archive and filed in evidence.dir (0600)")
  void clean() throws Exception {
    Verification v = archive.verify();
    assertThat(v.ok()).as(v.verdict()).isTrue();
    assertThat(v.verdict()).isEqualTo("OK: 120 events, " + v.rawBytes() + " raw bytes, 3 signed tree heads verified");
    assertThat(v.events()).isEqualTo(120);
    assertThat(v.unsignedEvents()).isZero();
    try (var files = Files.list(archive.evidenceDir)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("tree-head-"))).hasSize(3)
          .allSatisfy(f -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
              .isEqualTo("rw-------"));
    }
    assertThat(archive.heads().checkpoint()).as("nothing new: no head").isEmpty();
  }

  @Test
  @DisplayName("one raw byte changed is caught at its seq")
  void rawByteChanged() {
    byte[] raw = row(37).getRawBytes();
    raw[10] ^= 1;
    archive.db.dsl().update(EVENT).set(EVENT.RAW_BYTES, raw).where(EVENT.SEQ.eq(37L)).execute();
    assertCaught(37, "seq 37: raw bytes do not match rawSha256");
  }

  @Test
  @DisplayName("rawSha256 recomputed to match an edited raw is caught at its seq, also when the leaf is rewritten")
  void rawAndHashEdited() throws Exception {
    byte[] raw = new String(row(42).getRawBytes(), StandardCharsets.UTF_8).replace("text 41", "text XX")
        .getBytes(StandardCharsets.UTF_8);
    archive.db.dsl().update(EVENT).set(EVENT.RAW_BYTES, raw).set(EVENT.RAW_SHA256, sha256(raw))
        .where(EVENT.SEQ.eq(42L)).execute();
    assertCaught(42, "seq 42: does not match its Merkle leaf");

    EventRecord edited = row(42);
    archive.db.dsl().update(EVIDENCE_LEAF).set(EVIDENCE_LEAF.HASH, Merkle.leafHash(42, edited.getRawSha256(),
        edited.getReceivedAt().toInstant().toEpochMilli())).where(EVIDENCE_LEAF.SEQ.eq(42L)).execute();
    Verification v = archive.verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.verdict()).contains("tree head 2 (size 80): root does not match the raw log");
  }

  @Test
  @DisplayName("a row deleted is caught at its seq")
  void rowDeleted() {
    archive.db.dsl().deleteFrom(EVENT).where(EVENT.SEQ.eq(50L)).execute();
    assertCaught(50, "seq 50: missing from the raw log (row deleted)");
  }

  @Test
  @DisplayName("the last rows deleted (leaves and all) are caught through the signed tree head")
  void tailDeleted() {
    archive.db.dsl().deleteFrom(EVENT).where(EVENT.SEQ.gt(115L)).execute();
    archive.db.dsl().deleteFrom(EVIDENCE_LEAF).where(EVIDENCE_LEAF.SEQ.gt(115L)).execute();
    assertCaught(116, "seq 116..120: missing from the raw log, which ends at seq 115 but tree head 3 signed 120");
  }

  @Test
  @DisplayName("a row inserted is caught at its seq")
  void rowInserted() {
    EventRecord copy = row(10).copy();
    copy.setSeq(121L);
    copy.setSha256("f".repeat(64));
    archive.db.dsl().insertInto(EVENT).set(copy).execute();
    assertCaught(121, "seq 121: not in the Merkle log (row inserted)");
  }

  @Test
  @DisplayName("two seqs swapped are caught at the first")
  void seqsSwapped() {
    archive.db.dsl().update(EVENT).set(EVENT.SEQ, -1L).where(EVENT.SEQ.eq(20L)).execute();
    archive.db.dsl().update(EVENT).set(EVENT.SEQ, 20L).where(EVENT.SEQ.eq(21L)).execute();
    archive.db.dsl().update(EVENT).set(EVENT.SEQ, 21L).where(EVENT.SEQ.eq(-1L)).execute();
    assertCaught(20, "seq 20: does not match its Merkle leaf");
  }

  @Test
  @DisplayName("a tree head with a bad signature is caught")
  void badSignature() {
    byte[] sig = archive.db.dsl().select(TREE_HEAD.SIGNATURE).from(TREE_HEAD).where(TREE_HEAD.ID.eq(2L))
        .fetchSingle(TREE_HEAD.SIGNATURE);
    sig[5] ^= 1;
    archive.db.dsl().update(TREE_HEAD).set(TREE_HEAD.SIGNATURE, sig).where(TREE_HEAD.ID.eq(2L)).execute();
    assertCaught(-1, "tree head 2 (size 80): bad signature");
  }

  @Test
  @Tag("h2") // replaces the H2 file; the PostgreSQL execution leaves it out
  @DisplayName("the archive file replaced by an older backup is caught through evidence.dir")
  void rolledBack() throws Exception {
    archive.close();
    Path mv = dir.resolve("archive.mv.db");
    Path older = dir.resolve("older.mv.db");
    Files.copy(mv, older);
    archive.reopen();
    archive.store(2, 10);
    assertThat(archive.verify().ok()).isTrue();
    archive.close();
    Files.copy(older, mv, StandardCopyOption.REPLACE_EXISTING);
    archive.reopen();
    assertCaught(121, "seq 121..130: missing from the raw log, which ends at seq 120 but tree head 4 in evidence.dir");
    assertThat(archive.verify().problems()).anySatisfy(p -> assertThat(p).startsWith("tree head 4 in evidence.dir "
        + "(size 130").contains("is missing from the archive: the archive was rolled back to an older file"));
  }

  @Test
  @DisplayName("datahose-archiver verify prints a one-line verdict: exit 0 when clean, 1 naming the first bad seq")
  void command() throws Exception {
    archive.close();
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, archive.yaml());
    assertThat(run("verify", "--config", config.toString())).startsWith("0 verify: OK: 120 events");
    archive.reopen();
    byte[] raw = row(7).getRawBytes();
    raw[0] ^= 1;
    archive.db.dsl().update(EVENT).set(EVENT.RAW_BYTES, raw).where(EVENT.SEQ.eq(7L)).execute();
    archive.close();
    assertThat(run("verify", "--config", config.toString()))
        .startsWith("1 verify: FAILED: seq 7: raw bytes do not match rawSha256");
    archive.reopen();
  }

  @Test
  @DisplayName("verify --deep re-projects the raw log: a projection row altered or deleted fails it, naming the table")
  void deep() throws Exception {
    archive.close();
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, archive.yaml());
    assertThat(run("verify", "--config", config.toString(), "--deep"))
        .startsWith("0 verify: OK: 120 events").contains("verify --deep: OK: 120 events re-projected");
    archive.reopen();
    archive.db.dsl().update(io.datahose.archiver.db.Tables.MESSAGE)
        .set(io.datahose.archiver.db.Tables.MESSAGE.PLAIN_TEXT, "edited after the fact")
        .where(io.datahose.archiver.db.Tables.MESSAGE.EVENT_SEQ.eq(57L)).execute();
    archive.close();
    assertThat(run("verify", "--config", config.toString(), "--deep"))
        .as("the raw log is intact, so plain verify passes").startsWith("1 verify: OK: 120 events")
        .contains("verify --deep: FAILED: projection table MESSAGE: 1 rows that a re-projection of the raw log does "
            + "not give, 1 rows it gives are missing (e.g. the row of seq 57)");
    archive.reopen();
    var user = io.datahose.archiver.db.Tables.APP_USER;
    archive.db.dsl().deleteFrom(user).where(user.USER_ID.eq(1003L)).execute();
    archive.close();
    assertThat(run("verify", "--config", config.toString(), "--deep"))
        .contains("verify --deep: FAILED: projection table APP_USER: 1 rows it gives are missing");
    archive.reopen();
  }

  /** @return the exit code, a space, and stdout */
  static String run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = Main.execute(args);
      return code + " " + buf.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(out);
    }
  }
}
