package io.datahose.archiver.evidence;

import static io.datahose.archiver.db.Tables.ARCHIVE_COUNTER;
import static io.datahose.archiver.db.Tables.ARCHIVE_RESTORE;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.TREE_HEAD;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * What a restore does to the evidence, and how {@code verify} reads it back. A restore rolls the archive back to a
 * backup: the events the set-aside archive stored after it are gone, its tree heads filed in evidence.dir describe a
 * branch that no longer exists, and its seqs must never be handed out again (an officer's citation "seq 1234", a
 * delivered export's seq range or a bundle's proof would otherwise name another event). {@link #apply} makes the
 * discarded seqs void leaves of the Merkle log, moves the counter past them, and signs a restore record naming the
 * backup, the restored and abandoned tree sizes and head ids; it is stored in the archive ({@code archive_restore})
 * and filed in evidence.dir ({@code restore-<id>.json}, never rewritten). Blocking JDBC.
 */
public final class RestoreRecords {

  /** What the archive set aside by a restore had reached: its next seq and its newest tree head. */
  public record Abandoned(long nextSeq, long treeSize, long headId, String source) {
  }

  /**
   * A verified restore record.
   *
   * @param voidFrom first void seq, or 0 when the restore discarded no seq
   */
  public record Restore(long id, Instant restoredAt, String backup, long restoredTreeSize, long restoredHeadId,
                        long abandonedHeadId, long voidFrom, long voidTo, boolean signatureValid,
                        long restoredCertificateId, long abandonedCertificateId) {

    /** @return whether disposal certificate {@code id} was made on the branch this restore abandoned */
    public boolean abandonsCertificate(long certificateId) {
      return certificateId > restoredCertificateId && certificateId <= abandonedCertificateId;
    }

    /** @return whether {@code seq} is one this restore made void */
    public boolean voids(long seq) {
      return voidFrom > 0 && seq >= voidFrom && seq <= voidTo;
    }

    /** @return whether the filed head {@code id} belongs to the branch this restore abandoned */
    public boolean abandons(long headId) {
      return headId > restoredHeadId && headId <= abandonedHeadId;
    }
  }

  private RestoreRecords() {
  }

  /**
   * Reads how far the archive about to be set aside got: from the file itself (read-only) where it opens, and from
   * the newest tree head filed in evidence.dir, whichever is further.
   */
  public static Abandoned probe(Path databasePath, Path evidenceDir) {
    long nextSeq = 1;
    long size = 0;
    long headId = 0;
    String source = "evidence.dir";
    for (TreeHead filed : filedQuietly(evidenceDir, EventLog.NAME)) {
      size = Math.max(size, filed.treeSize());
      headId = Math.max(headId, filed.id());
      nextSeq = Math.max(nextSeq, filed.treeSize() + 1);
    }
    for (TreeHead filed : filedQuietly(evidenceDir, AccessLog.NAME)) {
      headId = Math.max(headId, filed.id());
    }
    if (Files.exists(Path.of(databasePath + ".mv.db"))) {
      try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + databasePath.toAbsolutePath()
          + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE;TRACE_LEVEL_FILE=0", "sa", "")) {
        DSLContext dsl = DSL.using(c, SQLDialect.H2);
        Long counter = dsl.select(ARCHIVE_COUNTER.NEXT_SEQ).from(ARCHIVE_COUNTER).fetchOne(0, Long.class);
        Long maxSeq = dsl.select(DSL.max(EVENT.SEQ)).from(EVENT).fetchOne(0, Long.class);
        Long maxHead = dsl.select(DSL.max(TREE_HEAD.ID)).from(TREE_HEAD).fetchOne(0, Long.class);
        nextSeq = Math.max(nextSeq, Math.max(counter == null ? 1 : counter, maxSeq == null ? 1 : maxSeq + 1));
        headId = Math.max(headId, maxHead == null ? 0 : maxHead);
        source = "the set-aside archive and evidence.dir";
      } catch (SQLException | RuntimeException e) {
        source = "evidence.dir only (the archive being replaced did not open: " + e.getMessage() + ")";
      }
    }
    return new Abandoned(nextSeq, size, headId, source);
  }

  /**
   * In the restored archive, before it is put in place (a crash before the move leaves the current archive as it
   * was; after it, the record is already in the archive): voids the seqs from its end up to the abandoned archive's,
   * moves the counter past them and stores the signed record, in one transaction. {@link #file} then files it in
   * evidence.dir and signs a tree head over the voids.
   *
   * @return the record as stored
   */
  public static Restore apply(DSLContext dsl, ArchiveKey key, Path evidenceDir, Abandoned abandoned, String backup,
                              Instant now) {
    String[] signed = new String[1];
    byte[][] signature = new byte[1][];
    long id = dsl.transactionResult(cfg -> {
      DSLContext tx = DSL.using(cfg);
      EventLog.State before = EventLog.state(tx);
      long restoredHeadId = TreeHeads.newestId(tx);
      long[] voids = EventLog.appendVoids(tx, abandoned.nextSeq() - 1, now.toEpochMilli());
      long next = tx.select(ARCHIVE_COUNTER.NEXT_SEQ).from(ARCHIVE_COUNTER).where(ARCHIVE_COUNTER.ID.eq(1))
          .forUpdate().fetchSingle(ARCHIVE_COUNTER.NEXT_SEQ);
      tx.update(ARCHIVE_COUNTER).set(ARCHIVE_COUNTER.NEXT_SEQ, Math.max(next, abandoned.nextSeq()))
          .where(ARCHIVE_COUNTER.ID.eq(1)).execute();
      Long last = tx.select(DSL.max(ARCHIVE_RESTORE.ID)).from(ARCHIVE_RESTORE).fetchOne(0, Long.class);
      long recordId = Math.max(last == null ? 0 : last, maxFiledRestore(evidenceDir)) + 1;
      long restoredCertificate = DisposalCertificates.nextIdOf(tx) - 1;
      JsonObject record = new JsonObject()
          .put("type", "datahose-archiver restore v1")
          .put("id", recordId)
          .put("archiveId", before.archiveId())
          .put("restoredAt", now.toEpochMilli())
          .put("restoredAtText", now.toString())
          .put("backup", backup)
          .put("restoredTreeSize", before.size())
          .put("restoredHeadId", restoredHeadId)
          .put("abandonedTreeSize", abandoned.treeSize())
          .put("abandonedHeadId", Math.max(restoredHeadId, abandoned.headId()))
          .put("abandonedNextSeq", abandoned.nextSeq())
          .put("restoredCertificateId", restoredCertificate)
          .put("abandonedCertificateId", Math.max(restoredCertificate, DisposalCertificates.maxFiledId(evidenceDir)))
          .put("voidFrom", voids == null ? 0 : voids[0])
          .put("voidTo", voids == null ? 0 : voids[1]);
      String text = record.encode();
      byte[] sig = key.sign(text.getBytes(StandardCharsets.UTF_8));
      tx.insertInto(ARCHIVE_RESTORE).set(ARCHIVE_RESTORE.ID, recordId).set(ARCHIVE_RESTORE.RECORD, text)
          .set(ARCHIVE_RESTORE.SIGNATURE, sig).execute();
      signed[0] = text;
      signature[0] = sig;
      return recordId;
    });
    return parse(id, signed[0], signature[0], key.publicKey());
  }

  /**
   * Files every restore record evidence.dir lacks (after the move; at start for one a crash kept from it) and signs a
   * tree head when the log grew (the voids).
   */
  public static void file(DSLContext dsl, ArchiveKey key, Path evidenceDir) {
    refile(dsl, evidenceDir);
    new TreeHeads(dsl, key, evidenceDir).checkpoint();
  }

  /** Files every restore record of the archive that evidence.dir lacks. */
  public static void refile(DSLContext dsl, Path evidenceDir) {
    if (evidenceDir == null) {
      return;
    }
    for (var r : dsl.selectFrom(ARCHIVE_RESTORE).orderBy(ARCHIVE_RESTORE.ID).fetch()) {
      PrivateFiles.fileSigned(evidenceDir, fileName(r.getId()), r.getRecord(), r.getSignature());
    }
  }

  /** @return every restore record of the archive, oldest first, each checked against {@code key} */
  public static List<Restore> all(DSLContext dsl, PublicKey key) {
    List<Restore> out = new ArrayList<>();
    dsl.selectFrom(ARCHIVE_RESTORE).orderBy(ARCHIVE_RESTORE.ID)
        .forEach(r -> out.add(parse(r.getId(), r.getRecord(), r.getSignature(), key)));
    return out;
  }

  /** @return how many seqs {@code restores} made void */
  public static long voided(List<Restore> restores) {
    return restores.stream().filter(r -> r.voidFrom() > 0).mapToLong(r -> r.voidTo() - r.voidFrom() + 1).sum();
  }

  /** @return the file name of restore record {@code id} in evidence.dir */
  public static String fileName(long id) {
    return String.format("restore-%012d.json", id);
  }

  private static Restore parse(long id, String text, byte[] signature, PublicKey key) {
    boolean valid = ArchiveKey.verify(key, text.getBytes(StandardCharsets.UTF_8), signature);
    JsonObject r;
    try {
      r = new JsonObject(text);
    } catch (RuntimeException e) {
      return new Restore(id, Instant.EPOCH, "?", 0, 0, 0, 0, 0, false, 0, 0);
    }
    return new Restore(id, Instant.ofEpochMilli(r.getLong("restoredAt", 0L)), r.getString("backup", "?"),
        r.getLong("restoredTreeSize", 0L), r.getLong("restoredHeadId", 0L), r.getLong("abandonedHeadId", 0L),
        r.getLong("voidFrom", 0L), r.getLong("voidTo", 0L), valid && r.getLong("id", -1L) == id,
        r.getLong("restoredCertificateId", 0L), r.getLong("abandonedCertificateId", 0L));
  }

  private static long maxFiledRestore(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("restore-\\d{12}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(8, 20))).max().orElse(0);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static List<TreeHead> filedQuietly(Path dir, String log) {
    try {
      return TreeHeads.filed(dir, log);
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
