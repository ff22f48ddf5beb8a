package io.datahose.archiver.ops;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.StoreResult;
import io.datahose.archiver.capture.CaptureListener;
import io.datahose.archiver.capture.CaptureStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The daemon's own Prometheus meters (Vert.x adds {@code vertx_http_server_*} for HTTP requests by route and code).
 * Fed by the read loop as a {@link CaptureListener} (ingest worker threads) and by gauges over suppliers that must
 * not block. Thread-safe. Names: {@code archiver_events_archived_total{type}}, {@code archiver_events_duplicate_total},
 * {@code archiver_events_raw_only_total}, {@code archiver_feed_read_seconds}, {@code archiver_batch_size},
 * {@code archiver_commit_seconds}, {@code archiver_feed_errors_total{kind}}, {@code archiver_reauthentications_total},
 * {@code archiver_ingest_lag_seconds}, {@code archiver_capture_gaps_total}, plus the gauges added by {@link #gauge}.
 */
public final class OpsMetrics implements CaptureListener {

  private final MeterRegistry registry;
  private final Archive archive;
  private final Counter duplicates;
  private final Counter rawOnly;
  private final Counter gaps;
  private final Timer readLatency;
  private final Timer commitLatency;
  private final DistributionSummary batchSize;
  private final AtomicLong lagMillis = new AtomicLong();

  public OpsMetrics(MeterRegistry registry, Archive archive, CaptureStatus status) {
    this.registry = registry;
    this.archive = archive;
    duplicates = Counter.builder("archiver.events.duplicate").description("redelivered events skipped").register(registry);
    rawOnly = Counter.builder("archiver.events.raw.only").description("events stored raw only").register(registry);
    gaps = Counter.builder("archiver.capture.gaps").description("capture gaps opened").register(registry);
    readLatency = Timer.builder("archiver.feed.read").description("feed read latency").register(registry);
    commitLatency = Timer.builder("archiver.commit").description("batch commit latency").register(registry);
    batchSize = DistributionSummary.builder("archiver.batch.size").description("events per batch").register(registry);
    FunctionCounter.builder("archiver.reauthentications", status,
        s -> s.slots().values().stream().mapToLong(CaptureStatus.Slot::reauthentications).sum())
        .register(registry); // weakly held: the CaptureStatus lives as long as the daemon
    Gauge.builder("archiver.ingest.lag.seconds", lagMillis, l -> l.get() / 1000.0).strongReference(true)
        .description("now minus the newest event time of the last batch").register(registry);
  }

  /**
   * Registers a gauge named {@code name} reading {@code value} (must be quick, non-blocking; null reads as NaN).
   * Held strongly: Micrometer keeps a gauge's object weakly by default, and a lambda nobody else holds is
   * collected at the next GC, after which the gauge reads NaN for good (an alert on it never fires).
   */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value, v -> {
      Number n = v.get();
      return n == null ? Double.NaN : n.doubleValue();
    }).strongReference(true).description(description).register(registry);
  }

  public void gapOpened() {
    gaps.increment();
  }

  @Override
  public void stored(int slot, List<JsonObject> events, StoreResult result, Duration latency, Duration commit) {
    readLatency.record(latency);
    commitLatency.record(commit);
    batchSize.record(events.size());
    duplicates.increment(result.duplicates());
    rawOnly.increment(result.rawOnly());
    if (result.stored() > 0) {
      Map<String, Long> byType = result.duplicates() == 0 ? byType(events) : archive.countByType(result.firstSeq(),
          result.lastSeq());
      byType.forEach((type, n) -> Counter.builder("archiver.events.archived").tag("type", type)
          .description("events archived, by type").register(registry).increment(n));
    }
    long newest = events.stream().mapToLong(e -> e.getValue("timestamp") instanceof Number n ? n.longValue() : 0)
        .max().orElse(0);
    if (newest > 0) {
      lagMillis.set(Math.max(0, System.currentTimeMillis() - newest));
    }
  }

  @Override
  public void readFailed(int slot, String kind, String reason) {
    Counter.builder("archiver.feed.errors").tag("kind", kind).description("failed reads by kind").register(registry)
        .increment();
  }

  @Override
  public void storeFailed(int slot, RuntimeException cause) {
    readFailed(slot, "DATABASE", cause.getMessage());
  }

  private static Map<String, Long> byType(List<JsonObject> events) {
    Map<String, Long> counts = new HashMap<>();
    events.forEach(e -> counts.merge(e.getValue("type") instanceof String t ? t : "(none)", 1L, Long::sum));
    return counts;
  }
}
