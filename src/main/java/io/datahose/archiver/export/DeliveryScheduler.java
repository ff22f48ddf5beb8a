package io.datahose.archiver.export;

import io.datahose.archiver.config.AppConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs the configured deliveries in the daemon: each on its own timer, one attempt at a time on a worker thread of
 * its own pool (a long export never holds a query worker); after a success the next attempt comes {@code every}
 * later, after a failure sooner, with back-off from {@value #FIRST_RETRY_SECONDS} s doubling up to {@code every}
 * (at most 15 minutes). Stopping is always safe: a delivery's position moves only after its target confirmed.
 * State for {@code /health} ({@link #health()}) and metrics ({@code archiver.export.*}, tag {@code name}).
 */
public final class DeliveryScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryScheduler.class);
  static final long FIRST_RETRY_SECONDS = 5;
  private static final Duration MAX_RETRY = Duration.ofMinutes(15);
  private static final Duration FIRST_ATTEMPT = Duration.ofSeconds(5);

  /** One delivery's state; written on the worker, read by health and metrics. */
  private static final class State {
    final AppConfig.Delivery config;
    final DeliveryRun run;
    volatile Instant lastAttemptAt;
    volatile Instant lastDeliveredAt;
    volatile Instant nextAttemptAt;
    volatile long deliveredThrough;
    volatile long deliveries;
    volatile int consecutiveFailures;
    volatile String lastError;
    long timer = -1;

    State(AppConfig.Delivery config, DeliveryRun run) {
      this.config = config;
      this.run = run;
    }
  }

  private final Vertx vertx;
  private final List<State> states = new ArrayList<>();
  private final WorkerExecutor workers;
  private volatile boolean closed;

  public DeliveryScheduler(Vertx vertx, List<AppConfig.Delivery> deliveries,
                           Function<AppConfig.Delivery, DeliveryRun> runs) {
    this.vertx = vertx;
    deliveries.forEach(d -> states.add(new State(d, runs.apply(d))));
    workers = vertx.createSharedWorkerExecutor("export-deliveries", Math.max(1, Math.min(4, deliveries.size())),
        6, TimeUnit.HOURS);
  }

  /** Registers {@code archiver.export.delivered.seq}, {@code .failures} and {@code .deliveries} per delivery. */
  public DeliveryScheduler metrics(MeterRegistry registry) {
    for (State s : states) {
      Gauge.builder("archiver.export.delivered.seq", s, x -> x.deliveredThrough).tag("name", s.config.name())
          .description("highest seq delivered").register(registry);
      Gauge.builder("archiver.export.failures", s, x -> x.consecutiveFailures).tag("name", s.config.name())
          .description("consecutive failed delivery attempts").register(registry);
      Gauge.builder("archiver.export.deliveries", s, x -> x.deliveries).tag("name", s.config.name())
          .description("deliveries committed since start").register(registry);
    }
    return this;
  }

  /** Schedules the first attempt of every delivery a few seconds from now. */
  public void start() {
    states.forEach(s -> schedule(s, FIRST_ATTEMPT));
    if (!states.isEmpty()) {
      LOG.info("export deliveries scheduled: {}", states.stream().map(s -> s.config.name() + " ("
          + s.config.format() + " every " + s.config.every() + ")").toList());
    }
  }

  /** @return {@code {status, deliveries: [...]}}: DEGRADED while any delivery's last attempt failed */
  public JsonObject health() {
    JsonArray list = new JsonArray();
    boolean failing = false;
    for (State s : states) {
      failing |= s.consecutiveFailures > 0;
      list.add(new JsonObject().put("name", s.config.name()).put("format", s.config.format())
          .put("state", s.consecutiveFailures > 0 ? "RETRYING" : "OK")
          .put("deliveredThroughSeq", s.deliveredThrough).put("lastDeliveredAt", str(s.lastDeliveredAt))
          .put("lastAttemptAt", str(s.lastAttemptAt)).put("nextAttemptAt", str(s.nextAttemptAt))
          .put("consecutiveFailures", s.consecutiveFailures).put("lastError", s.lastError));
    }
    return new JsonObject().put("status", failing ? "DEGRADED" : "UP").put("deliveries", list);
  }

  private void schedule(State s, Duration in) {
    if (closed) {
      return;
    }
    s.nextAttemptAt = Instant.now().plus(in);
    s.timer = vertx.setTimer(Math.max(1, in.toMillis()), id -> attempt(s));
  }

  private void attempt(State s) {
    workers.executeBlocking(() -> {
      s.lastAttemptAt = Instant.now();
      return s.run.deliverOnce();
    }, false).onComplete(result -> {
      if (result.succeeded()) {
        s.consecutiveFailures = 0;
        s.lastError = null;
        DeliveryRun.Outcome outcome = result.result();
        if (outcome.delivered()) {
          s.deliveries++;
          s.lastDeliveredAt = Instant.now();
          s.deliveredThrough = outcome.delivery().throughSeq();
          LOG.info("export {} delivered seq {}..{} ({} events) to {}", s.config.name(),
              outcome.delivery().afterSeq() + 1, outcome.delivery().throughSeq(), outcome.delivery().events(),
              outcome.delivery().target());
        }
        schedule(s, s.config.every());
      } else {
        s.consecutiveFailures++;
        s.lastError = result.cause().getMessage();
        Duration retry = retryDelay(s.consecutiveFailures, s.config.every());
        LOG.warn("export {} failed (attempt {}), retrying in {}: {}", s.config.name(), s.consecutiveFailures, retry,
            result.cause().toString());
        schedule(s, retry);
      }
    });
  }

  /** @return the wait before retry {@code failures} (1 = first): 5 s doubling, at most min(every, 15 min) */
  static Duration retryDelay(int failures, Duration every) {
    Duration cap = every.compareTo(MAX_RETRY) < 0 ? every : MAX_RETRY;
    long seconds = FIRST_RETRY_SECONDS << Math.min(20, failures - 1);
    Duration d = Duration.ofSeconds(seconds);
    return d.compareTo(cap) < 0 ? d : cap;
  }

  @Override
  public void close() {
    closed = true;
    states.forEach(s -> vertx.cancelTimer(s.timer));
    workers.close();
  }

  private static String str(Instant at) {
    return at == null ? null : at.toString();
  }
}
