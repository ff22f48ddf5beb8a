package io.datahose.archiver.evidence;

import static io.datahose.archiver.db.Tables.ACCESS_LEAF;
import static io.datahose.archiver.db.Tables.ACCESS_LOG;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.EVIDENCE_LEAF;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.jooq.ResultQuery;
import org.jooq.exception.DataAccessException;

/**
 * {@code verify}: re-reads the whole archive and proves it against its signed tree heads. Recomputes every
 * {@code rawSha256} from the stored bytes, every Merkle leaf (compared with the stored leaf), and the root at every
 * signed tree size; checks each head's signature, the consistency chain between heads, and the heads filed in
 * evidence.dir (a head there that the archive lacks or disagrees with means the archive file was rolled back or
 * rewritten). Problems about one event name its seq; the first bad seq is reported first. Read-only; blocking JDBC
 * (the raw log is read on a second thread while the calling one hashes it); safe to run while the daemon writes
 * (events committed during the run are verified too).
 */
public final class ArchiveVerifier {

  private static final int MAX_PROBLEMS = 100;
  private static final int PAGE = 2_000;
  private static final long PAGE_BYTES = 8_000_000;
  private static final HexFormat HEX = HexFormat.of();

  private final DSLContext dsl;
  private final PublicKey key;
  private final Path evidenceDir;

  /**
   * @param key         the archive's public key
   * @param evidenceDir evidence.dir (its tree head files are checked too), or null
   */
  public ArchiveVerifier(DSLContext dsl, PublicKey key, Path evidenceDir) {
    this.dsl = dsl;
    this.key = key;
    this.evidenceDir = evidenceDir;
  }

  /** A root a signed head claims at one tree size, and which head claims it. */
  private record Claim(byte[] root, String who) {
  }

  /** @return the verification (never throws for a bad archive; a database error propagates) */
  public Verification verify() {
    long started = System.nanoTime();
    EventLog.State state = EventLog.state(dsl);
    List<TreeHead> heads = TreeHeads.all(dsl);
    // from now on the raw log is read on a second thread, up to two pages ahead: while the heads' signatures are
    // checked and while each page is hashed
    try (PageReader pages = new PageReader()) {
      return verify(started, state, heads, pages);
    }
  }

  private Verification verify(long started, EventLog.State state, List<TreeHead> heads, PageReader pages) {
    List<String> problems = new ArrayList<>();
    List<RestoreRecords.Restore> restores = RestoreRecords.all(dsl, key);
    for (RestoreRecords.Restore r : restores) {
      if (!r.signatureValid()) {
        problems.add("restore record " + r.id() + ": bad signature (not made by this archive's key)");
      }
    }
    restores = restores.stream().filter(RestoreRecords.Restore::signatureValid).toList();
    Map<Long, List<Claim>> claims = new TreeMap<>();
    checkHeads(heads, state, problems, claims, "tree head");
    checkFiled(heads, restores, problems, claims, EventLog.NAME, "tree head");
    Map<Long, DisposalCertificates.Certificate> certificates = new TreeMap<>();
    for (DisposalCertificates.Certificate c : DisposalCertificates.all(dsl, key)) {
      if (c.valid()) {
        certificates.put(c.id(), c);
      } else {
        problems.add("disposal certificate " + c.id() + ": bad signature (not made by this archive's key)");
      }
    }
    Map<Long, long[][]> certificateRanges = new HashMap<>();
    certificates.values().forEach(c -> certificateRanges.put(c.id(), c.ranges()));
    Map<Long, Long> disposed = new HashMap<>();
    dsl.select(EVENT.SEQ, EVENT.DISPOSAL_ID).from(EVENT).where(EVENT.DISPOSED_AT.isNotNull())
        .forEach(r -> disposed.put(r.value1(), r.value2() == null ? 0L : r.value2()));

    long[] firstBad = {-1};
    long events = 0;
    long bytes = 0;
    CompactRange range = new CompactRange();
    MessageDigest sha = Merkle.sha256();
    List<String> seqProblems = new ArrayList<>();
    long expected = 1;
    while (true) {
      // keyset pages: constant memory, and H2 never materializes the whole raw log
      List<EventRow> page = pages.next();
      if (page.isEmpty()) {
        break;
      }
      for (EventRow r : page) {
        long seq = r.seq;
        if (seq > expected) {
          expected = voids(restores, expected, seq - 1, range, claims, seqProblems, firstBad);
        }
        if (seq != expected) {
          note(seqProblems, firstBad, expected, seq > expected
              ? "seq " + expected + (seq == expected + 1 ? "" : ".." + (seq - 1))
                  + ": missing from the raw log (row deleted)"
              : "seq " + seq + ": out of order in the raw log");
          expected = seq;
        }
        byte[] raw = r.raw;
        if (raw == null && disposed.containsKey(seq)) {
          // a tombstone: no bytes to hash; its leaf (seq, rawSha256, received_at) is checked below like any other
          long[][] covered = certificateRanges.get(disposed.get(seq));
          if (covered == null || !DisposalCertificates.Certificate.covers(covered, seq)) {
            note(seqProblems, firstBad, seq, "seq " + seq + ": disposed of without a disposal certificate covering it");
          }
        } else if (raw == null) {
          note(seqProblems, firstBad, seq, "seq " + seq + ": holds no raw bytes");
          raw = new byte[0];
        }
        events++;
        byte[] rawSha = null;
        boolean rawShaMatches = false;
        if (raw != null) {
          bytes += raw.length;
          rawSha = sha.digest(raw);
          rawShaMatches = isHexOf(rawSha, r.rawSha256);
          if (!rawShaMatches) {
            note(seqProblems, firstBad, seq, "seq " + seq + ": raw bytes do not match rawSha256");
          }
        }
        byte[] leaf;
        try {
          // rawSha256 is the hex of rawSha when they match: its bytes need no parsing
          leaf = rawShaMatches ? Merkle.leafHash(seq, rawSha, r.receivedAtMillis)
              : Merkle.leafHash(seq, r.rawSha256, r.receivedAtMillis);
        } catch (IllegalArgumentException e) {
          note(seqProblems, firstBad, seq, "seq " + seq + ": rawSha256 is not a SHA-256");
          leaf = new byte[Merkle.HASH];
        }
        if (r.leaf == null) {
          note(seqProblems, firstBad, seq, "seq " + seq + ": not in the Merkle log (row inserted)");
        } else if (!Arrays.equals(leaf, r.leaf)) {
          note(seqProblems, firstBad, seq, "seq " + seq + ": does not match its Merkle leaf (seq, rawSha256 or "
              + "received_at altered)");
        }
        range.append(leaf, null);
        checkClaims(range, claims, seqProblems, firstBad);
        expected++;
      }
    }
    expected = voids(restores, expected, state.size(), range, claims, seqProblems, firstBad);
    long lastSeq = expected - 1;
    Long leavesAfter = dsl.selectCount().from(EVIDENCE_LEAF).where(EVIDENCE_LEAF.SEQ.gt(lastSeq),
        EVIDENCE_LEAF.SEQ.le(state.size())).fetchOne(0,
        Long.class);
    if (leavesAfter != null && leavesAfter > 0) {
      note(seqProblems, firstBad, lastSeq + 1, "seq " + (lastSeq + 1) + ": in the Merkle log but not in the raw log "
          + "(row deleted)");
    }
    for (Map.Entry<Long, List<Claim>> e : claims.entrySet()) {
      if (e.getKey() > range.size()) {
        for (Claim c : e.getValue()) {
          note(seqProblems, firstBad, range.size() + 1, "seq " + (range.size() + 1) + ".." + e.getKey()
              + ": missing from the raw log, which ends at seq " + range.size() + " but " + c.who() + " signed "
              + e.getKey() + " events (events deleted or the archive rolled back)");
        }
      }
    }
    if (state.size() > range.size() && leavesAfter == 0) {
      problems.add("Merkle log claims " + state.size() + " leaves, the raw log holds " + range.size() + " events");
    }
    checkCertificates(certificates, disposed, restores, problems);
    long accessRows = verifyAccessLog(restores, problems);
    List<String> all = new ArrayList<>(seqProblems);
    all.addAll(problems);
    long signed = heads.isEmpty() ? 0 : heads.get(heads.size() - 1).treeSize();
    long unsigned = Math.max(0, events - signed);
    long millis = (System.nanoTime() - started) / 1_000_000;
    String verdict;
    long voided = RestoreRecords.voided(restores);
    if (all.isEmpty()) {
      verdict = "OK: " + events + " events, " + bytes + " raw bytes, " + heads.size() + " signed tree heads verified"
          + (unsigned > 0 ? " (" + unsigned + " newest events not signed yet)" : "")
          + (disposed.isEmpty() ? "" : "; " + disposed.size() + " disposed of under " + certificates.size()
              + " certificate(s)")
          + (accessRows > 0 ? "; access log: " + accessRows + " rows" : "")
          + (voided > 0 ? "; " + voided + " seqs void by " + restores.size() + " restore(s)" : "");
    } else {
      verdict = "FAILED: " + all.get(0) + (all.size() > 1 ? " (and " + (all.size() - 1) + " more problems)" : "");
    }
    return new Verification(all.isEmpty(), verdict, all.subList(0, Math.min(all.size(), MAX_PROBLEMS)), firstBad[0],
        events, bytes, heads.size(), unsigned, millis, Instant.now().toString());
  }

  private void checkHeads(List<TreeHead> heads, EventLog.State state, List<String> problems,
                          Map<Long, List<Claim>> claims, String what) {
    TreeHead previous = null;
    for (TreeHead h : heads) {
      String who = what + " " + h.id();
      if (!h.signatureValid(key)) {
        problems.add(who + " (size " + h.treeSize() + "): bad signature");
      }
      if (!h.archiveId().equals(state.archiveId())) {
        problems.add(who + ": signed for archive " + h.archiveId() + ", this is " + state.archiveId());
      }
      if (previous != null) {
        if (h.previousSize() != previous.treeSize()
            || !Merkle.verifyConsistency(previous.treeSize(), h.treeSize(), previous.rootHash(), h.rootHash(),
            h.consistencyProof())) {
          problems.add(who + " (size " + h.treeSize() + "): not consistent with tree head " + previous.id()
              + " (size " + previous.treeSize() + "): the log was rewritten");
        }
      }
      claims.computeIfAbsent(h.treeSize(), k -> new ArrayList<>()).add(new Claim(h.rootHash(), who));
      previous = h;
    }
  }

  /**
   * Walks the seqs {@code from..to} that hold no event while a verified restore record says it made them void: each
   * must have exactly its void leaf in the Merkle log, which the root check then covers like any other leaf.
   *
   * @return the first seq from {@code from} that is not void (where the raw log must go on)
   */
  private long voids(List<RestoreRecords.Restore> restores, long from, long to, CompactRange range,
                     Map<Long, List<Claim>> claims, List<String> problems, long[] firstBad) {
    long seq = from;
    while (seq <= to) {
      long at = seq;
      RestoreRecords.Restore r = restores.stream().filter(x -> x.voids(at)).findFirst().orElse(null);
      if (r == null) {
        return seq;
      }
      long end = Math.min(to, r.voidTo());
      Map<Long, byte[]> stored = new TreeMap<>();
      dsl.select(EVIDENCE_LEAF.SEQ, EVIDENCE_LEAF.HASH).from(EVIDENCE_LEAF)
          .where(EVIDENCE_LEAF.SEQ.between(seq, end)).fetch().forEach(l -> stored.put(l.value1(), l.value2()));
      for (; seq <= end; seq++) {
        byte[] leaf = Merkle.voidLeaf(seq, r.restoredAt().toEpochMilli());
        if (!Arrays.equals(leaf, stored.get(seq))) {
          note(problems, firstBad, seq, "seq " + seq + ": made void by restore " + r.id()
              + ", but its Merkle leaf is not the void leaf");
        }
        range.append(leaf, null);
        checkClaims(range, claims, problems, firstBad);
      }
    }
    return seq;
  }

  /**
   * Each disposal certificate against the tombstones it made (their digest and count: a tombstone's type, times or
   * ids altered after disposal shows here, its seq, rawSha256 and received_at already in its leaf), and the
   * certificates filed in evidence.dir against the archive's (one filed but missing here was deleted from the archive).
   */
  private void checkCertificates(Map<Long, DisposalCertificates.Certificate> certificates, Map<Long, Long> disposed,
                                 List<RestoreRecords.Restore> restores, List<String> problems) {
    Map<Long, Long> counts = new HashMap<>();
    disposed.values().forEach(id -> counts.merge(id, 1L, Long::sum));
    for (DisposalCertificates.Certificate c : certificates.values()) {
      if (!DisposalCertificates.tombstoneDigestHex(dsl, c.id()).equals(c.tombstoneDigest())
          || counts.getOrDefault(c.id(), 0L).longValue() != c.record().getLong("events", -1L).longValue()) {
        problems.add("disposal certificate " + c.id() + ": its tombstones were altered or are missing ("
            + counts.getOrDefault(c.id(), 0L) + " tombstones, certificate says " + c.record().getLong("events", -1L)
            + ")");
      }
    }
    if (evidenceDir != null) {
      for (long id : DisposalCertificates.filedIds(evidenceDir)) {
        if (!certificates.containsKey(id) && restores.stream().noneMatch(r -> r.abandonsCertificate(id))) {
          problems.add("disposal certificate " + id + " in evidence.dir is missing from the archive (or was not signed "
              + "by this archive's key)");
        }
      }
    }
  }

  /**
   * The officer access log against its own Merkle log and signed heads: every row's leaf recomputed and compared,
   * rows without a leaf (inserted) and leaves without a row (deleted) named by row id, roots at every signed size,
   * the heads' signatures and consistency chain, and the copies filed in evidence.dir.
   *
   * @return the rows verified
   */
  private long verifyAccessLog(List<RestoreRecords.Restore> restores, List<String> problems) {
    EventLog.State state = AccessLog.state(dsl);
    List<TreeHead> heads = TreeHeads.all(dsl, AccessLog.NAME);
    Map<Long, List<Claim>> claims = new TreeMap<>();
    checkHeads(heads, state, problems, claims, "access log tree head");
    checkFiled(heads, restores, problems, claims, AccessLog.NAME, "access log tree head");
    CompactRange range = new CompactRange();
    long[] none = {-1};
    long rows = 0;
    long afterId = Long.MIN_VALUE;
    // the log as committed when this pass started: rows logged meanwhile (officers keep working) are the next pass's
    Long lastLogged = dsl.select(ACCESS_LEAF.ACCESS_ID).from(ACCESS_LEAF).where(ACCESS_LEAF.POSITION.eq(state.size()))
        .fetchOne(ACCESS_LEAF.ACCESS_ID);
    long rowBound = lastLogged == null ? Long.MIN_VALUE : lastLogged;
    long afterPosition = 0;
    java.util.ArrayDeque<io.datahose.archiver.db.tables.records.AccessLogRecord> pendingRows = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<org.jooq.Record3<Long, Long, byte[]>> pendingLeaves = new java.util.ArrayDeque<>();
    boolean rowsDone = false;
    boolean leavesDone = false;
    while (true) {
      if (pendingRows.isEmpty() && !rowsDone) {
        var page = dsl.selectFrom(ACCESS_LOG).where(ACCESS_LOG.ID.gt(afterId), ACCESS_LOG.ID.le(rowBound))
            .orderBy(ACCESS_LOG.ID).limit(PAGE).fetch();
        rowsDone = page.isEmpty();
        page.forEach(pendingRows::add);
        if (!page.isEmpty()) {
          afterId = page.get(page.size() - 1).getId();
        }
      }
      if (pendingLeaves.isEmpty() && !leavesDone) {
        var page = dsl.select(ACCESS_LEAF.POSITION, ACCESS_LEAF.ACCESS_ID, ACCESS_LEAF.HASH).from(ACCESS_LEAF)
            .where(ACCESS_LEAF.POSITION.gt(afterPosition), ACCESS_LEAF.POSITION.le(state.size()))
            .orderBy(ACCESS_LEAF.POSITION).limit(PAGE).fetch();
        leavesDone = page.isEmpty();
        page.forEach(pendingLeaves::add);
        if (!page.isEmpty()) {
          afterPosition = page.get(page.size() - 1).value1();
        }
      }
      var row = pendingRows.peek();
      var leaf = pendingLeaves.peek();
      if (row == null && leaf == null) {
        break;
      }
      if (leaf != null && leaf.value1() != range.size() + 1) {
        problems.add("access log Merkle leaf " + (range.size() + 1) + ": missing (leaf deleted)");
      }
      if (leaf == null || row != null && row.getId() < leaf.value2()) {
        problems.add("access log row " + row.getId() + ": not in the access log's Merkle log (row inserted)");
        pendingRows.poll();
        rows++;
        continue;
      }
      byte[] appended = leaf.value3();
      if (row == null || row.getId() > leaf.value2()) {
        problems.add("access log row " + leaf.value2() + ": in the Merkle log but not in the access log (row deleted)");
      } else {
        byte[] recomputed = AccessLog.leaf(row);
        if (!Arrays.equals(recomputed, leaf.value3())) {
          problems.add("access log row " + row.getId() + ": does not match its Merkle leaf (row altered)");
        }
        appended = recomputed;
        pendingRows.poll();
        rows++;
      }
      pendingLeaves.poll();
      range.append(appended, null);
      checkClaims(range, claims, problems, none);
    }
    for (Map.Entry<Long, List<Claim>> e : claims.entrySet()) {
      if (e.getKey() > range.size()) {
        for (Claim c : e.getValue()) {
          problems.add(c.who() + " signed " + e.getKey() + " access log rows, the access log holds " + range.size()
              + " (rows deleted or the archive rolled back)");
        }
      }
    }
    if (state.size() != range.size()) {
      problems.add("the access log's Merkle log claims " + state.size() + " leaves, " + range.size() + " were read");
    }
    // rows logged after this pass started carry their leaf (same transaction): one without is written around the log
    dsl.select(ACCESS_LOG.ID).from(ACCESS_LOG).where(ACCESS_LOG.ID.gt(rowBound),
            org.jooq.impl.DSL.notExists(dsl.selectOne().from(ACCESS_LEAF).where(ACCESS_LEAF.ACCESS_ID.eq(ACCESS_LOG.ID))))
        .orderBy(ACCESS_LOG.ID).limit(MAX_PROBLEMS).fetch(ACCESS_LOG.ID)
        .forEach(id -> problems.add("access log row " + id + ": not in the access log's Merkle log (row inserted)"));
    return rows;
  }

  private static void checkClaims(CompactRange range, Map<Long, List<Claim>> claims, List<String> problems,
                                  long[] firstBad) {
    List<Claim> atSize = claims.get(range.size());
    if (atSize != null) {
      byte[] root = range.root();
      for (Claim c : atSize) {
        if (!Arrays.equals(root, c.root())) {
          note(problems, firstBad, -1, c.who() + " (size " + range.size()
              + "): root does not match the raw log (an event at or before seq " + range.size()
              + " was altered together with its Merkle leaf)");
        }
      }
    }
  }

  private void checkFiled(List<TreeHead> heads, List<RestoreRecords.Restore> restores, List<String> problems,
                          Map<Long, List<Claim>> claims, String log, String what) {
    if (evidenceDir == null) {
      return;
    }
    List<TreeHead> filed;
    try {
      filed = TreeHeads.filed(evidenceDir, log);
    } catch (RuntimeException e) {
      problems.add(e.getMessage());
      return;
    }
    Map<Long, TreeHead> byId = new TreeMap<>();
    heads.forEach(h -> byId.put(h.id(), h));
    for (TreeHead f : filed) {
      String who = what + " " + f.id() + " in evidence.dir";
      if (!f.signatureValid(key)) {
        problems.add(who + " (size " + f.treeSize() + "): bad signature");
        continue;
      }
      TreeHead mine = byId.get(f.id());
      if (mine == null && restores.stream().anyMatch(r -> r.abandons(f.id()))) {
        continue; // a head of the branch a signed restore record abandoned: those events are gone by design
      }
      if (mine == null) {
        problems.add(who + " (size " + f.treeSize() + ", signed " + Instant.ofEpochMilli(f.timestamp())
            + ") is missing from the archive: the archive was rolled back to an older file or rewritten");
        claims.computeIfAbsent(f.treeSize(), k -> new ArrayList<>()).add(new Claim(f.rootHash(), who));
      } else if (mine.treeSize() != f.treeSize() || !Arrays.equals(mine.rootHash(), f.rootHash())
          || !mine.archiveId().equals(f.archiveId())) {
        problems.add(who + " (size " + f.treeSize() + ") differs from the archive's copy: the archive was rewritten");
        claims.computeIfAbsent(f.treeSize(), k -> new ArrayList<>()).add(new Claim(f.rootHash(), who));
      }
    }
  }

  /**
   * Reads the keyset pages of the raw log ({@link #page}) on its own thread, up to two pages ahead of {@link #next()}
   * (and one being read), until a page comes back empty: events committed meanwhile are read too. A database error is
   * thrown by {@link #next()}. Closing stops the thread after the page it is reading.
   */
  private final class PageReader implements AutoCloseable {

    private final BlockingQueue<Object> pages = new ArrayBlockingQueue<>(2);
    private final Thread thread = new Thread(this::run, "archive-verify-reader");
    private volatile boolean closed;

    PageReader() {
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      try {
        long after = Long.MIN_VALUE;
        while (!closed) {
          List<EventRow> page = page(after);
          if (!hand(page) || page.isEmpty()) {
            return;
          }
          after = page.get(page.size() - 1).seq;
        }
      } catch (RuntimeException | Error e) {
        hand(e);
      }
    }

    /** @return false when closed before {@code item} was taken */
    private boolean hand(Object item) {
      try {
        while (!pages.offer(item, 100, TimeUnit.MILLISECONDS)) {
          if (closed) {
            return false;
          }
        }
        return true;
      } catch (InterruptedException e) {
        return false;
      }
    }

    /** @return the next page, empty at the end (an interrupt waits for it, and stays set) */
    @SuppressWarnings("unchecked")
    List<EventRow> next() {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            Object item = pages.take();
            if (item instanceof RuntimeException e) {
              throw e;
            }
            if (item instanceof Error e) {
              throw e;
            }
            return (List<EventRow>) item;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void close() {
      closed = true;
      pages.clear();
    }
  }

  /** One row of the raw log as verify reads it, with its stored Merkle leaf (null: none). */
  private static final class EventRow {
    final long seq;
    /** raw_bytes, else raw_bytes_large; null when neither holds bytes */
    final byte[] raw;
    final String rawSha256;
    final long receivedAtMillis;
    byte[] leaf;

    EventRow(long seq, byte[] raw, String rawSha256, long receivedAtMillis) {
      this.seq = seq;
      this.raw = raw;
      this.rawSha256 = rawSha256;
      this.receivedAtMillis = receivedAtMillis;
    }
  }

  /**
   * The next keyset page of the raw log after seq {@code after}: up to {@value #PAGE} events (fewer once they hold
   * {@value #PAGE_BYTES} raw bytes), each with its stored leaf. The leaves of the page's seq range are a second
   * ordered scan merged by seq: a left join costs H2 an index look-up per event. Both queries are jOOQ's, read
   * through their JDBC result sets, because jOOQ reads every byte[] column from H2 as a BLOB (getBlob, then
   * length() and getBytes() each stream the value: three copies, most of verify's time).
   */
  private List<EventRow> page(long after) {
    List<EventRow> rows = new ArrayList<>();
    try {
      ResultQuery<?> events = dsl.select(EVENT.SEQ, EVENT.RAW_BYTES, EVENT.RAW_BYTES_LARGE, EVENT.RAW_SHA256,
              EVENT.RECEIVED_AT)
          .from(EVENT)
          .where(EVENT.SEQ.gt(after))
          .orderBy(EVENT.SEQ)
          .limit(PAGE);
      try (ResultSet rs = events.fetchResultSet()) {
        long bytes = 0;
        while (bytes < PAGE_BYTES && rs.next()) {
          byte[] raw = rs.getBytes(2);
          if (raw == null) {
            raw = rs.getBytes(3);
          }
          rows.add(new EventRow(rs.getLong(1), raw, rs.getString(4),
              rs.getObject(5, OffsetDateTime.class).toInstant().toEpochMilli()));
          bytes += raw == null ? 0 : raw.length;
        }
      }
      if (rows.isEmpty()) {
        return rows;
      }
      ResultQuery<?> leaves = dsl.select(EVIDENCE_LEAF.SEQ, EVIDENCE_LEAF.HASH)
          .from(EVIDENCE_LEAF)
          .where(EVIDENCE_LEAF.SEQ.between(rows.get(0).seq, rows.get(rows.size() - 1).seq))
          .orderBy(EVIDENCE_LEAF.SEQ);
      try (ResultSet rs = leaves.fetchResultSet()) {
        int i = 0;
        while (rs.next()) {
          long seq = rs.getLong(1);
          while (i < rows.size() && rows.get(i).seq < seq) {
            i++; // an event without a leaf: reported as inserted
          }
          if (i == rows.size()) {
            break;
          }
          if (rows.get(i).seq == seq) {
            rows.get(i).leaf = rs.getBytes(2);
          } // else a leaf without its event: reported as deleted (the gap in seq)
        }
      }
    } catch (SQLException e) {
      throw new DataAccessException("verify: reading the raw log after seq " + after + ": " + e.getMessage(), e);
    }
    return rows;
  }

  /** @return true when {@code hex} is {@code hash} in lower-case hex (as HexFormat writes it), allocating nothing */
  private static boolean isHexOf(byte[] hash, String hex) {
    if (hex == null || hex.length() != 2 * hash.length) {
      return false;
    }
    for (int i = 0; i < hash.length; i++) {
      if (hex.charAt(2 * i) != HEX.toHighHexDigit(hash[i]) || hex.charAt(2 * i + 1) != HEX.toLowHexDigit(hash[i])) {
        return false;
      }
    }
    return true;
  }

  private static void note(List<String> problems, long[] firstBad, long seq, String problem) {
    if (seq > 0 && (firstBad[0] < 0 || seq < firstBad[0])) {
      firstBad[0] = seq;
    }
    problems.add(problem);
  }
}
