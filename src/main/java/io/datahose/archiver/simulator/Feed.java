package io.datahose.archiver.simulator;

import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One datahose feed (tag + event-type filter + scopes): its read position in the global event log, events waiting for
 * redelivery, outstanding leases and acknowledged events. Confined to the simulator's event loop.
 */
final class Feed {

  record Lease(String ackId, List<JsonObject> events, long expiresAt) {
  }

  private final Set<String> eventTypes;
  private final Deque<JsonObject> redeliver = new ArrayDeque<>();
  private final Map<String, Lease> leases = new LinkedHashMap<>();
  private static final int ACKNOWLEDGED_KEPT = 100;

  private final Deque<JsonObject> acknowledged = new ArrayDeque<>();
  private int position;

  /** @param position where in the global log this feed starts (a feed sees the events published after it was made) */
  Feed(Set<String> eventTypes, int position) {
    this.eventTypes = Set.copyOf(eventTypes);
    this.position = position;
  }

  /** @return the events of the lease {@code ackId} named, now acknowledged; empty when it names no outstanding lease */
  List<JsonObject> acknowledge(String ackId) {
    Lease lease = ackId == null ? null : leases.remove(ackId);
    if (lease == null) {
      return List.of();
    }
    for (JsonObject event : lease.events()) {
      acknowledged.addLast(event);
      if (acknowledged.size() > ACKNOWLEDGED_KEPT) {
        acknowledged.pollFirst();
      }
    }
    return lease.events();
  }

  /** Puts the events of leases expired at {@code now} back at the front of the queue, oldest lease first. */
  void requeueExpired(long now) {
    List<JsonObject> expired = new ArrayList<>();
    for (Iterator<Lease> it = leases.values().iterator(); it.hasNext(); ) {
      Lease lease = it.next();
      if (lease.expiresAt() <= now) {
        expired.addAll(lease.events());
        it.remove();
      }
    }
    for (int i = expired.size() - 1; i >= 0; i--) {
      redeliver.addFirst(expired.get(i));
    }
  }

  /** @return the earliest lease expiry, or Long.MAX_VALUE when no lease is outstanding */
  long nextExpiry() {
    return leases.values().stream().mapToLong(Lease::expiresAt).min().orElse(Long.MAX_VALUE);
  }

  /**
   * Takes up to {@code max} pending events: redeliveries first, then new events from {@code log} matching the type
   * filter and {@code scope}. New events not matching are skipped for good (they are not for this feed/read).
   */
  List<JsonObject> take(int max, List<JsonObject> log, Predicate<JsonObject> scope) {
    List<JsonObject> batch = new ArrayList<>();
    while (batch.size() < max && !redeliver.isEmpty()) {
      batch.add(redeliver.pollFirst());
    }
    synchronized (log) {
      while (batch.size() < max && position < log.size()) {
        JsonObject event = log.get(position++);
        if (eventTypes.contains(event.getString("type")) && scope.test(event)) {
          batch.add(event);
        }
      }
    }
    return batch;
  }

  /** @return a new lease over {@code events} with a fresh random ackId */
  Lease lease(List<JsonObject> events, long expiresAt) {
    return lease(events, expiresAt, 0);
  }

  /** As {@link #lease(List, long)}, the ackId padded to {@code ackIdLength} characters when that is larger. */
  Lease lease(List<JsonObject> events, long expiresAt, int ackIdLength) {
    StringBuilder ackId = new StringBuilder(UUID.randomUUID().toString().replace("-", ""));
    while (ackId.length() < ackIdLength) {
      ackId.append('A');
    }
    Lease lease = new Lease(ackId.toString(), List.copyOf(events), expiresAt);
    leases.put(lease.ackId(), lease);
    return lease;
  }

  /** @return up to {@code max} of the most recently acknowledged events (the feed keeps the last 100) */
  List<JsonObject> recentlyAcknowledged(int max) {
    List<JsonObject> all = new ArrayList<>(acknowledged);
    return List.copyOf(all.subList(Math.max(0, all.size() - max), all.size()));
  }
}
