package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventIdentity;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the simulator generated, delivered and saw acknowledged: the ground truth tests compare the archive to.
 * Event identity is {@link EventIdentity#of(JsonObject)}: the identity of {@code encode()}, which every wire
 * spelling of the event shares. Thread-safe (all methods synchronized); getters return snapshots.
 */
public final class Ledger {

  private final List<JsonObject> generated = new ArrayList<>();
  private final Set<String> generatedHashes = new LinkedHashSet<>();
  private final Set<String> servedRaw = new HashSet<>();
  private final Set<String> delivered = new LinkedHashSet<>();
  private final Set<String> truncated = new LinkedHashSet<>();
  private final Set<String> acknowledged = new LinkedHashSet<>();
  private final List<String> ackIdsPresented = new ArrayList<>();
  private final List<JsonObject> readBodies = new ArrayList<>();
  private final List<Fault> faultsServed = new ArrayList<>();
  private final List<Integer> faultedReads = new ArrayList<>();
  private final java.util.Map<String, List<String>> batches = new java.util.LinkedHashMap<>();
  private int deliveries;
  private int sessionAuths;
  private int keyManagerAuths;
  private int reads;

  /** @return every published event, in publication order (copies) */
  public synchronized List<JsonObject> generated() {
    return generated.stream().map(JsonObject::copy).toList();
  }

  /** @return number of published events */
  public synchronized int generatedCount() {
    return generated.size();
  }

  /** @return hashes of every published event */
  public synchronized Set<String> generatedHashes() {
    return Set.copyOf(generatedHashes);
  }

  /** @return hashes of events sent intact in a 200 response at least once */
  public synchronized Set<String> deliveredHashes() {
    return Set.copyOf(delivered);
  }

  /** @return SHA-256 of every event's bytes as served intact (each wire spelling once): what the archive may hold */
  public synchronized Set<String> servedRawHashes() {
    return Set.copyOf(servedRaw);
  }

  /** @return hashes of events sent only inside a truncated (TRUNCATED_JSON) body; not counted as delivered */
  public synchronized Set<String> truncatedHashes() {
    return Set.copyOf(truncated);
  }

  /** @return hashes of events whose lease was acknowledged by a later read */
  public synchronized Set<String> acknowledgedHashes() {
    return Set.copyOf(acknowledged);
  }

  /** @return the ackId of every read request in order ("" when the request carried none) */
  public synchronized List<String> ackIdsPresented() {
    return List.copyOf(ackIdsPresented);
  }

  /** @return every read request body that parsed as a JSON object, in order (copies) */
  public synchronized List<JsonObject> readBodies() {
    return readBodies.stream().map(JsonObject::copy).toList();
  }

  /** @return the faults applied to reads, in order */
  public synchronized List<Fault> faultsServed() {
    return List.copyOf(faultsServed);
  }

  /** @return for each fault served, the index in {@link #ackIdsPresented()} of the read it answered */
  public synchronized List<Integer> faultedReads() {
    return List.copyOf(faultedReads);
  }

  /** @return number of event copies sent intact (redeliveries counted again) */
  public synchronized int deliveries() {
    return deliveries;
  }

  /** @return number of distinct events delivered intact (cheap: no copy) */
  public synchronized int deliveredCount() {
    return delivered.size();
  }

  /** @return number of distinct events acknowledged (cheap: no copy) */
  public synchronized int acknowledgedCount() {
    return acknowledged.size();
  }

  /** @return number of distinct events sent only truncated (cheap: no copy) */
  public synchronized int truncatedCount() {
    return truncated.size();
  }

  /** @return number of read requests that carried an ackId (cheap: no copy) */
  public synchronized long acknowledgingReads() {
    return ackIdsPresented.stream().filter(a -> !a.isEmpty()).count();
  }

  public synchronized int sessionAuths() {
    return sessionAuths;
  }

  public synchronized int keyManagerAuths() {
    return keyManagerAuths;
  }

  /** @return number of read requests received (including faulted and rejected ones) */
  public synchronized int reads() {
    return reads;
  }

  synchronized void recordGenerated(Collection<JsonObject> events) {
    for (JsonObject event : events) {
      generated.add(event.copy());
      generatedHashes.add(EventIdentity.of(event));
    }
  }

  synchronized void recordRead(String ackId, JsonObject body) {
    reads++;
    ackIdsPresented.add(ackId == null ? "" : ackId);
    if (body != null) {
      readBodies.add(body.copy());
    }
  }

  synchronized void recordFault(Fault fault) {
    faultsServed.add(fault);
    faultedReads.add(ackIdsPresented.size() - 1);
  }

  synchronized void recordDelivered(Collection<JsonObject> events) {
    for (JsonObject event : events) {
      delivered.add(EventIdentity.of(event));
      deliveries++;
    }
  }

  /** @return for every batch sent intact, its ackId and the hashes of its events in order (delivery order) */
  public synchronized java.util.Map<String, List<String>> batches() {
    return new java.util.LinkedHashMap<>(batches);
  }

  /** The bytes of events served intact, as spelled on the wire (their SHA-256 is kept). */
  synchronized void recordServed(Collection<String> spellings) {
    for (String text : spellings) {
      servedRaw.add(EventIdentity.sha256Hex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
  }

  synchronized void recordBatch(String ackId, Collection<JsonObject> events) {
    batches.put(ackId, events.stream().map(EventIdentity::of).toList());
  }

  synchronized void recordTruncated(Collection<JsonObject> events) {
    events.forEach(event -> truncated.add(EventIdentity.of(event)));
  }

  synchronized void recordAcknowledged(Collection<JsonObject> events) {
    events.forEach(event -> acknowledged.add(EventIdentity.of(event)));
  }

  synchronized void recordSessionAuth() {
    sessionAuths++;
  }

  synchronized void recordKeyManagerAuth() {
    keyManagerAuths++;
  }
}
