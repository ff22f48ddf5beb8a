package io.datahose.archiver.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@code POST /agent/v5/events/read}: faults, token check, body validation, acknowledgement, redelivery of expired
 * leases, leasing and long-polling; each served event is spelled by {@link WireVariants}. All state is confined to the simulator's event loop; {@link #wakeAll()} must be
 * called there too.
 */
final class ReadEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(ReadEndpoint.class);
  private static final int REDELIVERED_ACKED_COUNT = 3;

  private final Vertx vertx;
  private final SimulatorOptions options;
  private final Ledger ledger;
  private final FaultPlan faults;
  private final Tokens tokens;
  private final List<JsonObject> log;

  private int logSize() {
    synchronized (log) {
      return log.size();
    }
  }
  private final Map<String, Feed> feeds = new HashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Set<Long> slowTimers = new LinkedHashSet<>();
  private final WireVariants wire;

  /** A read waiting for events (long poll). */
  private final class Waiter {
    final RoutingContext ctx;
    final Feed feed;
    final Predicate<JsonObject> scope;
    final long deadline;
    final Fault fault;
    long timer = -1;

    Waiter(RoutingContext ctx, Feed feed, Predicate<JsonObject> scope, long deadline, Fault fault) {
      this.ctx = ctx;
      this.feed = feed;
      this.scope = scope;
      this.deadline = deadline;
      this.fault = fault;
    }
  }

  ReadEndpoint(Vertx vertx, SimulatorOptions options, Ledger ledger, FaultPlan faults, Tokens tokens,
               List<JsonObject> log) {
    this.vertx = vertx;
    this.options = options;
    this.ledger = ledger;
    this.faults = faults;
    this.tokens = tokens;
    this.log = log;
    this.wire = new WireVariants(options.wireVariants(), options.eventSeed());
  }

  void handle(RoutingContext ctx) {
    JsonObject body = parse(ctx);
    ledger.recordRead(body == null || !(body.getValue("ackId") instanceof String s) ? "" : s, body);
    Fault fault = faults.take();
    if (fault != null) {
      ledger.recordFault(fault);
      LOG.debug("injecting fault {}", fault);
      if (fault.isHttpError()) {
        if (fault == Fault.HTTP_401) {
          tokens.invalidateAll();
        }
        if (fault == Fault.HTTP_204) {
          ctx.response().setStatusCode(204).end();
        } else {
          error(ctx, fault.status(), "injected fault " + fault);
        }
        return;
      }
      if (fault == Fault.DROP_CONNECTION) {
        ctx.request().connection().close();
        return;
      }
    }
    if (!tokens.valid(ctx.request().getHeader("sessionToken"), ctx.request().getHeader("keyManagerToken"))) {
      error(ctx, 401, "Invalid session");
      return;
    }
    String invalid = body == null ? "body must be a JSON object" : ReadBody.validate(body);
    if (invalid != null) {
      error(ctx, 400, invalid);
      return;
    }
    Set<String> types = new TreeSet<>(body.getJsonArray("eventTypes").stream().map(Object::toString).toList());
    Set<String> scopes = new TreeSet<>();
    JsonArray scopeArray = body.getJsonArray("scopes", new JsonArray());
    scopeArray.forEach(s -> scopes.add(s.toString()));
    // A feed is named by tag + types + scopes, as on the Agent: another identity is another feed. The pod's first
    // feed sees everything published since the simulator started (tests publish before the daemon's first read);
    // a feed made later sees only what is published after it, like a new feed on a real Agent.
    String identity = body.getString("tag") + "|" + String.join(",", types) + "|" + String.join(",", scopes);
    Feed feed = feeds.computeIfAbsent(identity, k -> new Feed(types, feeds.isEmpty() ? 0 : logSize()));
    ledger.recordAcknowledged(feed.acknowledge(body.getString("ackId")));
    long deadline = System.currentTimeMillis() + options.longPoll().toMillis();
    Waiter waiter = new Waiter(ctx, feed, Scopes.filter(scopes), deadline, fault);
    ctx.response().closeHandler(v -> waiters.remove(waiter));
    if (!tryServe(waiter)) {
      waiters.add(waiter);
      schedule(waiter);
    }
  }

  /** Re-tries every waiting read; call after events were published. */
  void wakeAll() {
    for (Waiter waiter : List.copyOf(waiters)) {
      if (tryServe(waiter)) {
        waiters.remove(waiter);
        vertx.cancelTimer(waiter.timer);
      }
    }
  }

  /** Forgets all waiting reads (unanswered; the server closes their connections) and cancels delayed answers. */
  void shutdown() {
    slowTimers.forEach(vertx::cancelTimer);
    for (Waiter waiter : List.copyOf(waiters)) {
      vertx.cancelTimer(waiter.timer);
    }
    waiters.clear();
  }

  private void schedule(Waiter waiter) {
    long wakeAt = Math.min(waiter.deadline, waiter.feed.nextExpiry());
    long delay = Math.max(1, wakeAt - System.currentTimeMillis());
    waiter.timer = vertx.setTimer(delay, id -> {
      if (!waiters.contains(waiter)) {
        return;
      }
      if (tryServe(waiter)) {
        waiters.remove(waiter);
      } else {
        schedule(waiter);
      }
    });
  }

  /** @return true when the read was answered (events were available) */
  private boolean tryServe(Waiter waiter) {
    Fault fault = waiter.fault;
    if (waiter.ctx.response().closed() || waiter.ctx.response().ended()) {
      return true;
    }
    waiter.feed.requeueExpired(System.currentTimeMillis());
    List<JsonObject> batch = waiter.feed.take(options.batchSize(), log, waiter.scope);
    if (fault == Fault.REDELIVER_ACKED) {
      batch = new ArrayList<>(batch);
      batch.addAll(waiter.feed.recentlyAcknowledged(REDELIVERED_ACKED_COUNT));
    }
    if (batch.isEmpty() && System.currentTimeMillis() < waiter.deadline) {
      return false;
    }
    respond(waiter, batch, fault);
    return true;
  }

  private void respond(Waiter waiter, List<JsonObject> batch, Fault fault) {
    Feed.Lease lease = waiter.feed.lease(batch, System.currentTimeMillis() + options.visibilityTimeout().toMillis(),
        fault == Fault.LONG_ACK_ID ? Fault.LONG_ACK_ID_CHARS : 0);
    List<String> spellings = new ArrayList<>(batch.size());
    for (JsonObject event : batch) {
      spellings.add(wire.spell(event));
    }
    String text = responseText(spellings, lease.ackId());
    RoutingContext ctx = waiter.ctx;
    ctx.response().putHeader("Content-Type", "application/json");
    if (fault == Fault.TRUNCATED_JSON) {
      ledger.recordTruncated(batch);
      ctx.response().end(text.substring(0, text.length() / 2));
    } else if (fault == Fault.SLOW) {
      long[] timer = new long[1];
      timer[0] = vertx.setTimer(Math.max(1, options.slowDelay().toMillis()), id -> {
        slowTimers.remove(timer[0]);
        if (!ctx.response().closed() && !ctx.response().ended()) {
          ledger.recordDelivered(batch);
          ledger.recordServed(spellings);
          ledger.recordBatch(lease.ackId(), batch);
          ctx.response().end(text);
        }
      });
      slowTimers.add(timer[0]);
      ctx.response().closeHandler(v -> {
        vertx.cancelTimer(timer[0]);
        slowTimers.remove(timer[0]);
      });
    } else {
      ledger.recordDelivered(batch);
      ledger.recordServed(spellings);
      ledger.recordBatch(lease.ackId(), batch);
      ctx.response().end(text);
    }
  }

  /** The V5EventList text, written here so that each event's bytes are its wire spelling. */
  private static String responseText(List<String> spellings, String ackId) {
    StringBuilder text = new StringBuilder(64 + spellings.size() * 2048).append("{\"events\":[");
    for (int i = 0; i < spellings.size(); i++) {
      text.append(i == 0 ? "" : ",").append(spellings.get(i));
    }
    return text.append("],\"ackId\":").append(Json.encode(ackId)).append('}').toString();
  }

  static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("code", status).put("message", message).encode());
  }

  private static JsonObject parse(RoutingContext ctx) {
    try {
      Object value = ctx.body().asJsonObject();
      return value instanceof JsonObject json ? json : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
