package io.datahose.archiver.capture;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.FeedCursors;
import io.datahose.archiver.archive.StoreResult;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.symphony.FeedBatch;
import io.datahose.archiver.symphony.FeedException;
import io.datahose.archiver.symphony.FeedIdentity;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Random;

/**
 * The read → store → read chain of one reader slot. Deploy as a WORKER verticle, one instance per slot:
 * the batch is stored (blocking JDBC) on this verticle's worker thread, and only after the commit is the
 * next read sent with the new ackId — that read is what acknowledges the batch. A failed store leaves the
 * ackId where it was, so the batch is redelivered and never acknowledged unstored.
 *
 * <p>Retry matrix: 401 → refresh tokens once, repeat with the same ackId; 429/5xx/network/timeout/malformed
 * body → exponential backoff with jitter, same ackId; 400/403/404 → ERROR with the server's body and its
 * likely meaning, slot DOWN, retry every {@code fatalInterval} (a 400 is first retried at once with an
 * empty ackId). The loop never exits on its own, never spins and never drops a batch.
 */
public final class IngestVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);
  private static final long BLOCKED_RECHECK_MILLIS = 2_000;

  private final int slot;
  private final FeedIdentity identity;
  /** Non-null for a reader of an old feed: see {@link #drainer}. */
  private final Drain drain;
  private long quietSinceNanos;
  private final AppConfig config;
  private final Archive archive;
  private final TokenCache tokens;
  private final CaptureStatus.Slot status;
  private final Backoff backoff;
  private final CaptureListener listener;
  private long readStartedNanos;
  private long readLatencyNanos;

  private WebClient client;
  private io.vertx.core.http.HttpClient http;
  private FeedClient feed;
  private String ackId;
  private AuthTokens presented;
  private int transientFailures;
  private boolean refreshedForThisRead;
  private boolean emptyAckIdTried;
  private boolean stopping;
  private long timerId = -1;

  public IngestVerticle(int slot, AppConfig config, Archive archive, TokenCache tokens, CaptureStatus status) {
    this(slot, config, archive, tokens, status, CaptureListener.NONE);
  }

  /** As above, reporting to {@code listener} (capture ledger, metrics, storage guard). */
  public IngestVerticle(int slot, AppConfig config, Archive archive, TokenCache tokens, CaptureStatus status,
                        CaptureListener listener) {
    this(slot, config.datahose().identity(), null, config, archive, tokens, status.slot(slot), listener);
  }

  private IngestVerticle(int slot, FeedIdentity identity, Drain drain, AppConfig config, Archive archive,
                         TokenCache tokens, CaptureStatus.Slot status, CaptureListener listener) {
    this.listener = listener;
    this.slot = slot;
    this.identity = identity;
    this.drain = drain;
    this.config = config;
    this.archive = archive;
    this.tokens = tokens;
    this.status = status;
    this.backoff = new Backoff(config.datahose().retry(), new Random());
  }

  /**
   * A reader of an old feed (configured before a change of tag, types or scopes): it reads on from {@code cursor}
   * with the old identity, storing as usual, until a read comes back empty after {@code datahose.drainQuietPeriod}
   * without an event (longer than the Agent's redelivery delay, so a batch leased before a crash has come back);
   * then it marks the cursor drained in {@code cursors} and undeploys itself. Its status is its own: the configured
   * slot of the same number is the one health and the gap check follow.
   */
  public static IngestVerticle drainer(FeedCursors.Cursor cursor, AppConfig config, Archive archive,
                                       FeedCursors cursors, TokenCache tokens, CaptureListener listener) {
    CaptureStatus.Slot own = new CaptureStatus(config.capture().gapThreshold()).slot(cursor.slot());
    return new IngestVerticle(cursor.slot(), cursor.feed(), new Drain(cursors, config.datahose().drainQuietPeriod()),
        config, archive, tokens, own, listener);
  }

  /** What a drainer needs: where to mark the old feed drained, and how long it must be quiet first. */
  private record Drain(FeedCursors cursors, Duration quietPeriod) {
  }

  @Override
  public Future<?> start() {
    AppConfig.Datahose datahose = config.datahose();
    var options = SymphonyHttp.options(config.symphony(), false);
    http = vertx.createHttpClient(options);
    client = WebClient.wrap(http, options);
    feed = new FeedClient(client, config.symphony().agentUrl(), datahose.readTimeout(),
        identity.tag(), identity.eventTypes(), identity.scopes());
    // Worker verticle: start() runs on our worker thread, so the blocking lookup is allowed here.
    ackId = archive.ackId(identity, slot).orElse("");
    quietSinceNanos = System.nanoTime();
    if (drain == null) {
      LOG.info("reader slot {} starts on feed tag '{}' {}", slot, identity.tag(),
          ackId.isEmpty() ? "with a new feed position" : "from its committed ackId");
      listener.slotStarted(slot);
    } else {
      LOG.info("reader slot {} drains its old feed ({}) from its committed ackId", slot, identity.describe());
    }
    read();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    // Runs on our worker context, so no store is in flight now; an in-flight read is abandoned and its
    // batch, never acknowledged, is redelivered to the next reader.
    stopping = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    // Returned, so the undeploy (and the close of the capture pool after it) waits until the connections are closed:
    // a connection closing after the pool would have its last event refused by the terminated pool (a WARN at stop).
    return http.close().recover(e -> Future.succeededFuture());
  }

  private void read() {
    timerId = -1;
    if (stopping) {
      return;
    }
    String blocked = listener.readBlocked(slot);
    if (blocked != null) {
      // Disk or database fault: do not read what could not be stored; check again shortly.
      status.blocked(blocked);
      later(Math.min(backoff.fatalMillis(), BLOCKED_RECHECK_MILLIS));
      return;
    }
    // The token future is shared by every slot and completes on whichever context asked first: hop back to this
    // slot's own context before reading, so that the read, and the blocking store after it, run on this slot's
    // worker. Otherwise all slots would store one after another on one context and never share a group commit.
    tokens.tokens().onComplete(current -> context.runOnContext(v -> guarded(() -> {
      if (stopping) {
        return;
      }
      if (current.failed()) {
        handleFailure(current.cause());
        return;
      }
      presented = current.result();
      readStartedNanos = System.nanoTime();
      feed.read(presented, ackId).onComplete(result -> guarded(() -> {
        if (stopping) {
          return;
        }
        readLatencyNanos = System.nanoTime() - readStartedNanos;
        if (result.succeeded()) {
          store(result.result());
        } else {
          handleFailure(result.cause());
        }
      }));
    })));
  }

  /**
   * Runs a step of the loop; anything it throws is a transient failure retried with backoff, so no exception
   * ends the loop while the slot looks UP (the health check would still see it stall).
   */
  private void guarded(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.error("reader slot {}: unexpected failure in the read loop, retrying: {}", slot, e.toString(), e);
      transientFailure("unexpected: " + e);
    }
  }

  private void store(FeedBatch batch) {
    if (drain != null && batch.events().isEmpty()
        && System.nanoTime() - quietSinceNanos >= drain.quietPeriod().toNanos()) {
      drained(batch.ackId());
      return;
    }
    StoreResult stored;
    long commitStarted = System.nanoTime();
    try {
      stored = archive.store(identity, slot, batch.events(), batch.ackId());
      status.storeTook(System.nanoTime() - commitStarted);
    } catch (RuntimeException e) {
      listener.storeFailed(slot, e);
      LOG.error("reader slot {}: storing a batch of {} events failed, it is not acknowledged and will be "
          + "redelivered: {}", slot, batch.events().size(), e.toString());
      status.failed("database: " + e.getMessage(), true);
      later(backoff.delayMillis(++transientFailures));
      return;
    }
    ackId = batch.ackId();
    if (!batch.events().isEmpty()) {
      quietSinceNanos = System.nanoTime();
    }
    transientFailures = 0;
    refreshedForThisRead = false;
    emptyAckIdTried = false;
    status.readSucceeded(stored.stored(), stored.duplicates(), stored.rawOnly());
    try {
      listener.stored(slot, batch.parsed(), stored, Duration.ofNanos(readLatencyNanos),
          Duration.ofNanos(System.nanoTime() - commitStarted));
    } catch (RuntimeException e) {
      // The batch is committed and acknowledged by the next read: a ledger or metrics fault must not end the loop.
      LOG.error("reader slot {}: after a committed batch, a capture listener failed (reading goes on): {}", slot,
          e.toString());
    }
    if (stored.received() > 0) {
      LOG.debug("reader slot {}: batch of {} stored ({} new, {} duplicates, {} raw only)", slot,
          stored.received(), stored.stored(), stored.duplicates(), stored.rawOnly());
    }
    context.runOnContext(v -> read());
  }

  /**
   * The old feed answered empty after its quiet period: everything it delivered is committed and acknowledged (this
   * read acknowledged the last batch), so it is left. The cursor keeps the last ack id, marked drained.
   */
  private void drained(String lastAckId) {
    long events;
    try {
      events = drain.cursors().markDrained(identity, slot, lastAckId, java.time.Instant.now());
    } catch (RuntimeException e) {
      LOG.error("reader slot {}: the old feed is empty but could not be marked drained, reading it on: {}", slot,
          e.toString());
      later(backoff.delayMillis(++transientFailures));
      return;
    }
    LOG.warn("reader slot {}: old feed ({}) drained: empty for {}; {} events were stored from it in all; this slot "
        + "now reads only the configured feed", slot, identity.describe(), drain.quietPeriod(), events);
    stopping = true;
    vertx.undeploy(deploymentID());
  }

  private void handleFailure(Throwable cause) {
    String kind = cause instanceof FeedException f ? f.kind().name()
        : cause instanceof SymphonyAuthException ? "AUTH" : "OTHER";
    listener.readFailed(slot, kind, String.valueOf(cause.getMessage()));
    if (cause instanceof FeedException failure) {
      switch (failure.kind()) {
        case UNAUTHORIZED -> unauthorized(failure);
        case TRANSIENT -> transientFailure(failure.getMessage() + " (" + failure.meaning() + ")");
        case FATAL -> fatal(failure);
      }
    } else if (cause instanceof SymphonyAuthException auth && auth.status() >= 400 && auth.status() < 500) {
      String reason = "authentication refused: " + auth.getMessage()
          + " (check symphony.bot.username and the bot's key or certificate registered on the pod)";
      LOG.error("reader slot {}: {}; retrying in {} ms", slot, reason, backoff.fatalMillis());
      status.failed(reason, true);
      later(backoff.fatalMillis());
    } else {
      transientFailure(String.valueOf(cause));
    }
  }

  private void unauthorized(FeedException failure) {
    if (refreshedForThisRead) {
      // A fresh token was refused too: do not spin on re-authentication.
      transientFailure(failure.getMessage() + " (" + failure.meaning() + ", again after re-authentication)");
      return;
    }
    refreshedForThisRead = true;
    status.reauthenticated();
    LOG.info("reader slot {}: tokens refused (401), re-authenticating and repeating the read", slot);
    tokens.refresh(presented).onComplete(r -> context.runOnContext(v -> read()));
  }

  private void transientFailure(String reason) {
    long delay = backoff.delayMillis(++transientFailures);
    LOG.warn("reader slot {}: read failed: {}; retrying in {} ms with the same ackId", slot, reason, delay);
    status.failed(reason, transientFailures >= 5);
    later(delay);
  }

  private void fatal(FeedException failure) {
    String reason = failure.getMessage() + " — most likely " + failure.meaning();
    status.failed(reason, true);
    if (failure.status() == 400 && !emptyAckIdTried && !ackId.isEmpty()) {
      // The Agent may no longer know our ackId; the unacknowledged batch comes back and is deduplicated.
      emptyAckIdTried = true;
      LOG.error("reader slot {}: {}; retrying at once with an empty ackId", slot, reason);
      ackId = "";
      context.runOnContext(v -> read());
      return;
    }
    LOG.error("reader slot {}: capture is DOWN: {}; retrying every {} ms", slot, reason, backoff.fatalMillis());
    later(backoff.fatalMillis());
  }

  private void later(long delayMillis) {
    if (!stopping) {
      timerId = vertx.setTimer(delayMillis, id -> read());
    }
  }
}
