package io.datahose.archiver.retention;

import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.config.RetentionPolicy;
import io.datahose.archiver.evidence.ArchiveKey;
import io.datahose.archiver.evidence.DisposalCertificates;
import io.datahose.archiver.evidence.EventLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One disposal run: every event past its retention and under no legal hold loses its content — raw bytes, the
 * content projections (message text and entities, attachments, shared posts, Elements actions, suppressions,
 * system events) and its search document — and keeps a tombstone (seq, identity, rawSha256, type, times, stream,
 * message id, initiator) so the Merkle log, whose leaves cover only seq, rawSha256 and received_at, proves it still.
 * Structural projections (users, streams, rooms, memberships, connections) stay: retained conversations need them.
 * The whole run is one transaction with its signed certificate ({@link DisposalCertificates}): a crash leaves either
 * nothing or a completed, certified run. Blocking JDBC.
 */
public final class Disposal {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Disposal.class);
  private static final int PAGE = 2_000;
  /** At most this many seq ranges per run (its certificate lists them): the rest waits for the next run. */
  static final int MAX_RANGES = 20_000;
  /** Called with the chunk number after each chunk of tombstones is written (tests: a crash mid-run). */
  static java.util.function.IntConsumer afterChunk = chunk -> { };
  private static final int CHUNK = DisposalStore.CHUNK;

  private Disposal() {
  }

  /**
   * What a run found or did.
   *
   * @param certificate the certificate id, 0 for a dry run or a refused one
   * @param refused     why nothing was done (more than maxDisposePercent without confirmation), or null
   */
  public record Report(long certificate, long disposed, long held, long retained, Map<String, Long> byType,
                       List<long[]> seqRanges, long millis, String refused, boolean dryRun) {

    /** @return one line for the CLI and the log */
    public String describe() {
      if (refused != null) {
        return refusal(refused);
      }
      String what = disposed + " events " + (dryRun ? "would be disposed of" : "disposed of") + " " + byType
          + ", " + held + " past retention but under a legal hold, " + retained + " kept";
      return (dryRun ? "dispose --dry-run: " : "dispose: ") + what
          + (certificate > 0 ? "; certificate " + certificate : "") + String.format(" (%.1f s)", millis / 1000.0);
    }

    /** @return {@link #describe()} of a run refused for {@code why} (the CLI, told so by the running daemon) */
    public static String refusal(String why) {
      return "dispose REFUSED: " + why;
    }

    public JsonObject toJson() {
      JsonArray ranges = new JsonArray();
      seqRanges.forEach(r -> ranges.add(new JsonArray().add(r[0]).add(r[1])));
      return new JsonObject().put("certificate", certificate == 0 ? null : certificate).put("disposed", disposed)
          .put("held", held).put("retained", retained).put("byType", new JsonObject(new TreeMap<>(byType)))
          .put("seqRanges", ranges).put("millis", millis).put("refused", refused).put("dryRun", dryRun);
    }
  }

  /**
   * Runs disposal at {@code now}.
   *
   * @param confirm          run even when it disposes of more than {@code retention.maxDisposePercent}
   * @param disposedMessages told the message ids whose search documents must go (after the commit)
   */
  public static Report run(DSLContext dsl, AppConfig.Retention retention, ArchiveKey key, Path evidenceDir,
                           boolean dryRun, boolean confirm, Instant now, Consumer<List<String>> disposedMessages) {
    long started = System.nanoTime();
    DisposalCertificates.refile(dsl, evidenceDir);
    List<LegalHoldStore.Hold> holds = new LegalHoldStore(dsl).active();
    List<Long> planned = new ArrayList<>();
    Map<String, Long> plannedTypes = new TreeMap<>();
    long held = 0;
    long kept = 0;
    long after = Long.MIN_VALUE;
    RetentionPolicy policy = retention.policy();
    DisposalStore store = new DisposalStore(dsl);
    while (!policy.keepsEverything()) {
      List<DisposalPlan.Candidate> page = store.candidates(after, PAGE);
      if (page.isEmpty()) {
        break;
      }
      for (DisposalPlan.Candidate c : page) {
        after = c.seq();
        switch (DisposalPlan.decide(c, policy, holds, now)) {
          case DISPOSE -> {
            planned.add(c.seq());
            plannedTypes.merge(c.type() == null ? "(none)" : c.type(), 1L, Long::sum);
          }
          case HELD -> held++;
          case KEEP -> kept++;
        }
      }
    }
    if (policy.keepsEverything()) {
      kept = store.undisposed();
    }
    long total = planned.size() + held + kept;
    List<long[]> plannedRanges = ranges(planned);
    if (plannedRanges.size() > MAX_RANGES) {
      // scattered seqs (a policy for some types only): certify a bounded run, the next one takes the rest
      long lastIncluded = plannedRanges.get(MAX_RANGES - 1)[1];
      int keep = 0;
      while (keep < planned.size() && planned.get(keep) <= lastIncluded) {
        keep++;
      }
      kept += planned.size() - keep;
      planned = new ArrayList<>(planned.subList(0, keep));
      plannedRanges = new ArrayList<>(plannedRanges.subList(0, MAX_RANGES));
      plannedTypes = store.countTypes(planned);
    }
    final List<Long> seqs = planned;
    final Map<String, Long> byType = plannedTypes;
    final List<long[]> ranges = plannedRanges;
    final long retained = kept;
    double percent = total == 0 ? 0 : 100.0 * seqs.size() / total;
    if (!dryRun && !confirm && percent > retention.maxDisposePercent()) {
      String why = String.format("this run would dispose of %d of %d events (%.1f%%), more than "
          + "retention.maxDisposePercent (%s%%): check the retention policy, then run `dispose --confirm` "
          + "(or POST /api/v1/admin/dispose?confirm=true)", seqs.size(), total, percent,
          trim(retention.maxDisposePercent()));
      return new Report(0, seqs.size(), held, retained, byType, ranges, millis(started), why, false);
    }
    if (dryRun || seqs.isEmpty()) {
      return new Report(0, seqs.size(), held, retained, byType, ranges, millis(started), null, dryRun);
    }
    List<String> messages = new ArrayList<>();
    long[] certificate = new long[1];
    long heldPastRetention = held;
    dsl.transaction(cfg -> {
      DSLContext tx = DSL.using(cfg);
      LegalHoldStore.lock(tx);
      if (!new LegalHoldStore(tx).active().equals(holds)) {
        throw new HoldsChanged();
      }
      EventLog.State before = EventLog.state(tx);
      long id = DisposalCertificates.nextId(tx, evidenceDir);
      OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
      DisposalStore txStore = new DisposalStore(tx);
      for (int from = 0; from < seqs.size(); from += CHUNK) {
        messages.addAll(txStore.tombstone(seqs.subList(from, Math.min(seqs.size(), from + CHUNK)), at, id));
        afterChunk.accept(from / CHUNK + 1);
      }
      String digest = HexFormat.of().formatHex(DisposalCertificates.tombstoneDigest(tx, seqs));
      EventLog.State afterState = EventLog.state(tx);
      JsonArray rangeJson = new JsonArray();
      ranges.forEach(r -> rangeJson.add(new JsonArray().add(r[0]).add(r[1])));
      JsonObject record = new JsonObject()
          .put("type", DisposalCertificates.TYPE)
          .put("id", id)
          .put("archiveId", before.archiveId())
          .put("disposedAt", now.toEpochMilli())
          .put("disposedAtText", now.toString())
          .put("policy", policy.toJson())
          .put("maxDisposePercent", retention.maxDisposePercent())
          .put("confirmed", confirm)
          .put("events", seqs.size())
          .put("byType", new JsonObject(new TreeMap<>(byType)))
          .put("heldPastRetention", heldPastRetention)
          .put("holds", new JsonArray(holds.stream().map(LegalHoldStore.Hold::name).toList()))
          .put("seqRanges", rangeJson)
          .put("tombstoneDigest", digest)
          .put("treeBefore", new JsonObject().put("size", before.size())
              .put("root", HexFormat.of().formatHex(before.root())))
          .put("treeAfter", new JsonObject().put("size", afterState.size())
              .put("root", HexFormat.of().formatHex(afterState.root())));
      DisposalCertificates.store(tx, key, id, record);
      certificate[0] = id;
    });
    // search documents first: their text must not outlive the commit (and a failed deletion is retried at every run:
    // the ids of every disposed message are passed again)
    messages.addAll(store.disposedMessageIds());
    try {
      disposedMessages.accept(messages.stream().distinct().toList());
    } catch (RuntimeException e) {
      LOG.error("disposal committed (certificate {}), but deleting the search documents failed (the next run tries "
          + "again): {}", certificate[0], e.toString());
    }
    DisposalCertificates.refile(dsl, evidenceDir);
    return new Report(certificate[0], seqs.size(), held, retained, byType, ranges, millis(started), null, false);
  }

  /** The legal holds changed while the run planned: nothing was disposed of; the run is planned again. */
  static final class HoldsChanged extends RuntimeException {
    HoldsChanged() {
      super("the legal holds changed while disposal planned", null, false, false);
    }
  }

  /** As {@link #run}, planning again (up to three times) when a hold was created or released meanwhile. */
  public static Report runSafely(DSLContext dsl, AppConfig.Retention retention, ArchiveKey key, Path evidenceDir,
                                 boolean dryRun, boolean confirm, Instant now, Consumer<List<String>> disposed) {
    for (int attempt = 1; ; attempt++) {
      try {
        return run(dsl, retention, key, evidenceDir, dryRun, confirm, now, disposed);
      } catch (org.jooq.exception.DataAccessException | HoldsChanged e) {
        if (attempt >= 3 || !(e instanceof HoldsChanged || e.getCause() instanceof HoldsChanged)) {
          throw e;
        }
      }
    }
  }

  /** @return {@code seqs} (ascending) as closed ranges */
  static List<long[]> ranges(List<Long> seqs) {
    List<long[]> out = new ArrayList<>();
    for (long s : seqs) {
      if (!out.isEmpty() && out.get(out.size() - 1)[1] == s - 1) {
        out.get(out.size() - 1)[1] = s;
      } else {
        out.add(new long[] {s, s});
      }
    }
    return out;
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static long millis(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
