package io.datahose.archiver.evidence;

import static io.datahose.archiver.db.Tables.EVIDENCE_LOG;
import static io.datahose.archiver.db.Tables.TREE_HEAD;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.datahose.archiver.db.tables.records.TreeHeadRecord;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs tree heads of the raw log's Merkle log and keeps them: a row in {@code tree_head} (committed first) and one
 * file per head in evidence.dir (0600, never rewritten). A head is signed only when the log grew since the last one.
 * Reads the heads back from both places for {@code verify}. Stateless apart from its inputs; blocking JDBC and file
 * I/O; call {@link #checkpoint} from one thread at a time (the scheduler, then shutdown).
 */
public final class TreeHeads {

  private static final Logger LOG = LoggerFactory.getLogger(TreeHeads.class);

  private final DSLContext dsl;
  private final ArchiveKey key;
  private final Path dir;

  /**
   * @param dir evidence.dir, or null to keep heads in the archive only
   */
  public TreeHeads(DSLContext dsl, ArchiveKey key, Path dir) {
    this.dsl = dsl;
    this.key = key;
    this.dir = dir;
  }

  /**
   * Signs a head of the log as committed now, unless it did not grow since the last head.
   *
   * @return the new head, empty when there was nothing new to sign
   * @throws UncheckedIOException when the head was stored in the archive but its file could not be written
   */
  public synchronized Optional<TreeHead> checkpoint() {
    List<TreeHead> signed = new ArrayList<>();
    Optional<TreeHead> events = dsl.transactionResult(cfg -> {
      DSLContext tx = DSL.using(cfg);
      // Daemons sharing one PostgreSQL archive sign in turn: the raw log's row lock (the one each batch takes after
      // the counter) orders them, so no two heads get one id or sign the same size twice.
      tx.selectFrom(EVIDENCE_LOG).where(EVIDENCE_LOG.LOG_NAME.eq(EventLog.NAME)).forUpdate().fetch();
      Optional<TreeHead> e = checkpoint(tx, EventLog.NAME, EventLog.state(tx), () -> EventLog.subtrees(tx));
      e.ifPresent(signed::add);
      checkpoint(tx, AccessLog.NAME, AccessLog.state(tx), () -> AccessLog.subtrees(tx)).ifPresent(signed::add);
      return e;
    });
    // filed only once committed: a file without its row would read as a rollback of the archive to verify
    for (TreeHead head : signed) {
      if (dir != null) {
        PrivateFiles.write(dir.resolve(head.fileName()),
            (head.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8), true);
      }
      LOG.info("signed tree head {} of the {} log: {} entries, root {}", head.id(), head.log(), head.treeSize(),
          head.rootHex());
    }
    return events;
  }

  private Optional<TreeHead> checkpoint(DSLContext dsl, String logName, EventLog.State state,
                                        java.util.function.Supplier<Merkle.Subtrees> subtrees) {
    Optional<TreeHead> last = latest(dsl, logName);
    if (state.size() == 0 || last.isPresent() && last.get().treeSize() >= state.size()) {
      return Optional.empty();
    }
    long previous = last.map(TreeHead::treeSize).orElse(-1L);
    List<byte[]> proof = previous <= 0 ? List.of() : Merkle.consistencyProof(previous, state.size(), subtrees.get());
    long now = Instant.now().toEpochMilli();
    // one id space for every log, past every head filed in evidence.dir too: after a restore the archive's own newest
    // head is older than the abandoned branch's files, which must never be overwritten (verify reads them against
    // the restore record)
    long id = Math.max(newestId(dsl), maxFiledId()) + 1;
    byte[] sig = key.sign(TreeHead.signedBytes(logName, state.archiveId(), state.size(), state.root(), now));
    TreeHead head = new TreeHead(id, logName, state.archiveId(), state.size(), state.root(), now,
        key.fingerprint(), sig, previous, proof);
    dsl.insertInto(TREE_HEAD)
        .set(TREE_HEAD.ID, id)
        .set(TREE_HEAD.LOG_NAME, head.log())
        .set(TREE_HEAD.ARCHIVE_ID, head.archiveId())
        .set(TREE_HEAD.TREE_SIZE, head.treeSize())
        .set(TREE_HEAD.ROOT_HASH, head.rootHash())
        .set(TREE_HEAD.SIGNED_AT, OffsetDateTime.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC))
        .set(TREE_HEAD.KEY_FINGERPRINT, head.keyFingerprint())
        .set(TREE_HEAD.SIGNATURE, sig)
        .set(TREE_HEAD.PREVIOUS_SIZE, previous < 0 ? null : previous)
        .set(TREE_HEAD.CONSISTENCY_PROOF, TreeHead.pack(proof))
        .execute();
    return Optional.of(head);
  }

  private long maxFiledId() {
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("tree-head-[a-z]+-\\d{12}\\.json"))
          .mapToLong(n -> {
            try {
              return Long.parseLong(n.substring(n.length() - 17, n.length() - 5));
            } catch (NumberFormatException e) {
              return 0;
            }
          }).max().orElse(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read evidence.dir " + dir + ": " + e.getMessage(), e);
    }
  }

  /** @return every head of the raw log in the archive, oldest first */
  public static List<TreeHead> all(DSLContext dsl) {
    return all(dsl, EventLog.NAME);
  }

  /** @return every head of log {@code logName} in the archive, oldest first */
  public static List<TreeHead> all(DSLContext dsl, String logName) {
    return dsl.selectFrom(TREE_HEAD).where(TREE_HEAD.LOG_NAME.eq(logName)).orderBy(TREE_HEAD.ID)
        .fetch(TreeHeads::head);
  }

  /** @return the newest head of the raw log in the archive */
  public static Optional<TreeHead> latest(DSLContext dsl) {
    return latest(dsl, EventLog.NAME);
  }

  /** @return the newest head of log {@code logName} in the archive */
  public static Optional<TreeHead> latest(DSLContext dsl, String logName) {
    return dsl.selectFrom(TREE_HEAD).where(TREE_HEAD.LOG_NAME.eq(logName)).orderBy(TREE_HEAD.ID.desc())
        .limit(1).fetchOptional(TreeHeads::head);
  }

  /** @return the key fingerprint of the archive's newest head, null when it has none */
  static String newestFingerprint(DSLContext dsl) {
    return dsl.select(TREE_HEAD.KEY_FINGERPRINT).from(TREE_HEAD).orderBy(TREE_HEAD.ID.desc()).limit(1)
        .fetchOne(TREE_HEAD.KEY_FINGERPRINT);
  }

  /** @return the newest head id of any log in the archive, 0 when none */
  static long newestId(DSLContext dsl) {
    Long newest = dsl.select(DSL.max(TREE_HEAD.ID)).from(TREE_HEAD).fetchOne(0, Long.class);
    return newest == null ? 0 : newest;
  }

  /**
   * @return the heads filed in {@code dir} ({@code tree-head-events-*.json}), by file name (= by id)
   * @throws IllegalArgumentException naming a file that is not a tree head
   */
  public static List<TreeHead> filed(Path dir) {
    return filed(dir, EventLog.NAME);
  }

  /** As {@link #filed(Path)} for the heads of log {@code logName}. */
  public static List<TreeHead> filed(Path dir, String logName) {
    List<TreeHead> heads = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return heads;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("tree-head-" + logName + "-")
          && p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        try {
          heads.add(TreeHead.fromJson(new JsonObject(Files.readString(f, StandardCharsets.UTF_8))));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(f.getFileName() + " in evidence.dir is not a tree head ("
              + e.getMessage() + ")");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read evidence.dir " + dir + ": " + e.getMessage(), e);
    }
    return heads;
  }

  private static TreeHead head(TreeHeadRecord r) {
    return new TreeHead(r.getId(), r.getLogName(), r.getArchiveId(), r.getTreeSize(), r.getRootHash(),
        r.getSignedAt().toInstant().toEpochMilli(), r.getKeyFingerprint(), r.getSignature(),
        r.getPreviousSize() == null ? -1 : r.getPreviousSize(), TreeHead.unpack(r.getConsistencyProof()));
  }
}
