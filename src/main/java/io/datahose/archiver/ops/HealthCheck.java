package io.datahose.archiver.ops;

import io.datahose.archiver.capture.CaptureLedger;
import io.datahose.archiver.capture.CaptureStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The daemon's health: {@code UP}, {@code DEGRADED} or {@code DOWN} with one check each for the feed, the Agent's
 * ceservice, the database, the last backup and open capture gaps. DOWN: no reader slot is reading, or the database
 * cannot take batches (disk, commit). DEGRADED: an open capture gap, some slot down, ceservice not UP, or no backup
 * for two intervals. Reads only in-memory state plus a stat/statfs: safe on the event loop; thread-safe.
 */
public final class HealthCheck {

  /** Overall status, worst first. */
  public enum Status { DOWN, DEGRADED, UP }

  private final CaptureStatus capture;
  private final StorageGuard storage;
  private final CaptureLedger ledger;
  private final Backups backups;
  private final Duration backupInterval;
  private final Instant startedAt = Instant.now();
  private final Map<String, Supplier<JsonObject>> extra = new ConcurrentHashMap<>();

  public HealthCheck(CaptureStatus capture, StorageGuard storage, CaptureLedger ledger, Backups backups,
                     Duration backupInterval) {
    this.capture = capture;
    this.storage = storage;
    this.ledger = ledger;
    this.backups = backups;
    this.backupInterval = backupInterval;
  }

  /** @return the health body: {@code {"status": ..., "checks": {feed, agent, database, backup, gaps}}} */
  public JsonObject health() {
    JsonObject checks = new JsonObject().put("feed", feed()).put("agent", agent()).put("database", database())
        .put("backup", backup()).put("gaps", gaps());
    extra.forEach((name, check) -> checks.put(name, check.get()));
    Status worst = Status.UP;
    for (String name : checks.fieldNames()) {
      Status s = Status.valueOf(checks.getJsonObject(name).getString("status"));
      worst = s.compareTo(worst) < 0 ? s : worst;
    }
    return new JsonObject().put("status", worst.name()).put("time", Instant.now().toString()).put("checks", checks);
  }

  /** Adds a check of another component ({@code status} UP, DEGRADED or DOWN plus details); read on each call. */
  public void addCheck(String name, Supplier<JsonObject> check) {
    extra.put(name, check);
  }

  /** @return the overall status alone */
  public Status status() {
    return Status.valueOf(health().getString("status"));
  }

  private JsonObject feed() {
    Map<Integer, CaptureStatus.Slot> slots = capture.slots();
    JsonArray list = new JsonArray();
    long up = 0;
    for (Map.Entry<Integer, CaptureStatus.Slot> e : slots.entrySet()) {
      CaptureStatus.Slot s = e.getValue();
      up += s.state() == CaptureStatus.State.UP ? 1 : 0;
      list.add(new JsonObject().put("slot", e.getKey()).put("state", s.state().name()).put("reason", s.reason())
          .put("lastSuccessfulRead", str(s.lastSuccessfulRead())).put("consecutiveFailures", s.consecutiveFailures())
          .put("lastError", s.lastError()).put("reads", s.reads()).put("stored", s.stored()));
    }
    boolean starting = slots.values().stream().allMatch(s -> s.state() == CaptureStatus.State.STARTING);
    Status status = up == slots.size() && up > 0 ? Status.UP : up > 0 || starting ? Status.DEGRADED : Status.DOWN;
    return new JsonObject().put("status", status.name()).put("slots", list);
  }

  private JsonObject agent() {
    boolean up = capture.ceserviceUp();
    JsonObject check = new JsonObject().put("status", up ? "UP" : "DEGRADED").put("ceservice", up ? "UP" : "DOWN");
    return up ? check : check.put("message", capture.ceserviceMessage()).put("meaning", "message events "
        + "(MESSAGESENT, MESSAGESUPPRESSED, SYMPHONYELEMENTSACTION) do not flow until the Agent's Content Export "
        + "service account (ceservice) is configured; other event types are captured");
  }

  private JsonObject database() {
    String problem = storage.problem();
    return new JsonObject().put("status", problem == null ? "UP" : "DOWN").put("writable", problem == null)
        .put("reason", problem).put("sizeBytes", storage.databaseSize()).put("freeDiskBytes", storage.freeDisk())
        .put("minFreeDiskBytes", storage.minFreeDisk());
  }

  private JsonObject backup() {
    if (backups.external()) {
      return new JsonObject().put("status", "UP").put("external", Backups.EXTERNAL);
    }
    Instant last = backups.lastBackupAt();
    Duration age = last == null ? Duration.between(startedAt, Instant.now()) : Duration.between(last, Instant.now());
    boolean stale = age.compareTo(backupInterval.multipliedBy(2)) > 0;
    return new JsonObject().put("status", stale ? "DEGRADED" : "UP").put("lastBackupAt", str(last))
        .put("ageSeconds", last == null ? null : age.toSeconds()).put("intervalSeconds", backupInterval.toSeconds());
  }

  private JsonObject gaps() {
    CaptureLedger.Gap gap = ledger.openGap();
    JsonArray open = new JsonArray();
    if (gap != null) {
      open.add(new JsonObject().put("from", gap.from().toString()).put("cause", gap.cause()));
    }
    return new JsonObject().put("status", gap == null ? "UP" : "DEGRADED").put("open", open);
  }

  private static String str(Instant at) {
    return at == null ? null : at.toString();
  }
}
