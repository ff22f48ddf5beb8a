package io.datahose.archiver.evidence;

import static io.datahose.archiver.db.Tables.DISPOSAL_CERTIFICATE;
import static io.datahose.archiver.db.Tables.EVENT;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Disposal certificates: one signed record per completed disposal run (policy, counts by type, seq ranges, the tree
 * before and after, and a digest of every tombstone it made), stored in {@code disposal_certificate} in the run's
 * transaction and filed as {@code disposal-<id>.json} in evidence.dir. {@code verify} checks each signature, that
 * every tombstone names a certificate whose ranges hold its seq, and each certificate's tombstone digest. Blocking.
 */
public final class DisposalCertificates {

  /** The certificate's {@code type} field. */
  public static final String TYPE = "datahose-archiver disposal certificate v1";

  /** A certificate as read back; {@code valid} = signature good and id as stored. */
  public record Certificate(long id, JsonObject record, boolean valid) {

    /** @return the certificate's seq ranges as {start, end} pairs, ascending (as the run wrote them) */
    public long[][] ranges() {
      JsonArray ranges = record.getJsonArray("seqRanges", new JsonArray());
      long[][] out = new long[ranges.size()][];
      for (int i = 0; i < ranges.size(); i++) {
        out[i] = new long[] {ranges.getJsonArray(i).getLong(0), ranges.getJsonArray(i).getLong(1)};
      }
      return out;
    }

    /** @return whether seq is in one of {@code ranges} (from {@link #ranges()}), by binary search */
    public static boolean covers(long[][] ranges, long seq) {
      int lo = 0;
      int hi = ranges.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (seq < ranges[mid][0]) {
          hi = mid - 1;
        } else if (seq > ranges[mid][1]) {
          lo = mid + 1;
        } else {
          return true;
        }
      }
      return false;
    }

    public String tombstoneDigest() {
      return record.getString("tombstoneDigest", "");
    }
  }

  private DisposalCertificates() {
  }

  static long nextIdOf(DSLContext dsl) {
    Long last = dsl.select(DSL.max(DISPOSAL_CERTIFICATE.ID)).from(DISPOSAL_CERTIFICATE).fetchOne(0, Long.class);
    return (last == null ? 0 : last) + 1;
  }

  /**
   * @return the id the next certificate gets (call inside the run's transaction): past the archive's and past every
   *     one filed in evidence.dir (after a restore the abandoned branch's certificates are there, never overwritten)
   */
  public static long nextId(DSLContext tx, Path evidenceDir) {
    return Math.max(nextIdOf(tx), maxFiledId(evidenceDir) + 1);
  }

  /** @return the highest certificate id filed in {@code dir}, 0 when none */
  static long maxFiledId(Path dir) {
    return filedIds(dir).stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** @return the line of one tombstone that its certificate's digest covers */
  static String tombstoneLine(long seq, String sha256, String rawSha256, String type, Long occurredMs, long receivedMs,
                              String streamId, String messageId, Long initiator) {
    return seq + "," + sha256 + "," + rawSha256 + "," + type + "," + occurredMs + "," + receivedMs + "," + streamId + ","
        + messageId + "," + initiator + "\n";
  }

  /** @return SHA-256 over the tombstone lines of certificate {@code id}'s events, in seq order (for verify) */
  public static byte[] tombstoneDigest(DSLContext dsl, long id) {
    MessageDigest d = Merkle.sha256();
    long after = Long.MIN_VALUE;
    while (true) {
      var page = dsl.select(EVENT.SEQ, EVENT.SHA256, EVENT.RAW_SHA256, EVENT.TYPE, EVENT.OCCURRED_AT,
              EVENT.RECEIVED_AT, EVENT.STREAM_ID, EVENT.MESSAGE_ID, EVENT.INITIATOR_USER_ID)
          .from(EVENT).where(EVENT.DISPOSAL_ID.eq(id), EVENT.SEQ.gt(after)).orderBy(EVENT.SEQ).limit(5_000).fetch();
      if (page.isEmpty()) {
        return d.digest();
      }
      after = digest(d, page);
    }
  }

  /** @return as {@link #tombstoneDigest(DSLContext, long)} over the events {@code seqs} (ascending; in the run) */
  public static byte[] tombstoneDigest(DSLContext dsl, List<Long> seqs) {
    MessageDigest d = Merkle.sha256();
    for (int from = 0; from < seqs.size(); from += 500) {
      digest(d, dsl.select(EVENT.SEQ, EVENT.SHA256, EVENT.RAW_SHA256, EVENT.TYPE, EVENT.OCCURRED_AT,
              EVENT.RECEIVED_AT, EVENT.STREAM_ID, EVENT.MESSAGE_ID, EVENT.INITIATOR_USER_ID)
          .from(EVENT).where(EVENT.SEQ.in(seqs.subList(from, Math.min(seqs.size(), from + 500)))).orderBy(EVENT.SEQ)
          .fetch());
    }
    return d.digest();
  }

  private static long digest(MessageDigest d,
                             org.jooq.Result<org.jooq.Record9<Long, String, String, String, java.time.OffsetDateTime,
                                 java.time.OffsetDateTime, String, String, Long>> page) {
    long last = Long.MIN_VALUE;
    for (var r : page) {
      last = r.value1();
      d.update(tombstoneLine(r.value1(), r.value2(), r.value3(), r.value4(),
          r.value5() == null ? null : r.value5().toInstant().toEpochMilli(), r.value6().toInstant().toEpochMilli(),
          r.value7(), r.value8(), r.value9()).getBytes(StandardCharsets.UTF_8));
    }
    return last;
  }

  /** Signs {@code record} and stores it as certificate {@code id} in {@code tx}. */
  public static void store(DSLContext tx, ArchiveKey key, long id, JsonObject record) {
    String text = record.encode();
    tx.insertInto(DISPOSAL_CERTIFICATE).set(DISPOSAL_CERTIFICATE.ID, id).set(DISPOSAL_CERTIFICATE.RECORD, text)
        .set(DISPOSAL_CERTIFICATE.SIGNATURE, key.sign(text.getBytes(StandardCharsets.UTF_8))).execute();
  }

  /** Files every certificate of the archive that evidence.dir lacks (a crash between commit and file write). */
  public static void refile(DSLContext dsl, Path dir) {
    if (dir == null) {
      return;
    }
    for (var r : dsl.selectFrom(DISPOSAL_CERTIFICATE).orderBy(DISPOSAL_CERTIFICATE.ID).fetch()) {
      PrivateFiles.fileSigned(dir, fileName(r.getId()), r.getRecord(), r.getSignature());
    }
  }

  /** @return the file name of certificate {@code id} in evidence.dir */
  public static String fileName(long id) {
    return String.format("disposal-%012d.json", id);
  }

  /** @return every certificate of the archive, oldest first, each checked against {@code key} */
  public static List<Certificate> all(DSLContext dsl, PublicKey key) {
    List<Certificate> out = new ArrayList<>();
    for (var r : dsl.selectFrom(DISPOSAL_CERTIFICATE).orderBy(DISPOSAL_CERTIFICATE.ID).fetch()) {
      boolean valid = ArchiveKey.verify(key, r.getRecord().getBytes(StandardCharsets.UTF_8), r.getSignature());
      JsonObject record;
      try {
        record = new JsonObject(r.getRecord());
      } catch (RuntimeException e) {
        record = new JsonObject();
        valid = false;
      }
      out.add(new Certificate(r.getId(), record, valid && record.getLong("id", -1L) == r.getId()
          && TYPE.equals(record.getString("type"))));
    }
    return out;
  }

  /** @return the certificate ids filed in {@code dir} */
  public static List<Long> filedIds(Path dir) {
    List<Long> ids = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return ids;
    }
    try (var files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.matches("disposal-\\d{12}\\.json"))
          .forEach(n -> ids.add(Long.parseLong(n.substring(9, 21))));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read evidence.dir " + dir + ": " + e.getMessage(), e);
    }
    return ids;
  }

  /** @return hex of {@link #tombstoneDigest} */
  public static String tombstoneDigestHex(DSLContext dsl, long id) {
    return HexFormat.of().formatHex(tombstoneDigest(dsl, id));
  }
}
