package io.datahose.archiver.evidence;

import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The outcome of one {@code verify}: a one-line verdict, the problems found (the first bad seq first among the
 * raw-log problems), what was read and how fast. Immutable.
 *
 * @param firstBadSeq the first seq found bad, or -1 when none (or the problem is not about one event)
 */
public record Verification(boolean ok, String verdict, List<String> problems, long firstBadSeq, long events,
                           long rawBytes, long treeHeads, long unsignedEvents, long millis, String finishedAt) {

  /** @return raw bytes hashed per second, in MB/s (10^6 bytes) */
  public double megabytesPerSecond() {
    return millis == 0 ? 0 : rawBytes / 1e6 / (millis / 1000.0);
  }

  public JsonObject toJson() {
    return new JsonObject().put("ok", ok).put("verdict", verdict).put("problems", new JsonArray(problems))
        .put("firstBadSeq", firstBadSeq < 0 ? null : firstBadSeq).put("events", events).put("rawBytes", rawBytes)
        .put("treeHeads", treeHeads).put("unsignedEvents", unsignedEvents).put("millis", millis)
        .put("megabytesPerSecond", Math.round(megabytesPerSecond() * 10) / 10.0).put("finishedAt", finishedAt);
  }
}
