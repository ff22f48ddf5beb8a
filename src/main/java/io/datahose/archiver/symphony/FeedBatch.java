package io.datahose.archiver.symphony;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One answer of {@code POST /agent/v5/events/read}: the events, and the ackId that acknowledges them
 * when it is sent with the next read.
 *
 * @param events the events in the order the feed returned them, possibly empty
 * @param ackId  the opaque id to present on the next read, never empty
 */
public record FeedBatch(List<ReceivedEvent> events, String ackId) {

  /** The parsed views (an element that is not an object: an empty object), for metrics and the capture ledger. */
  public List<JsonObject> parsed() {
    return events.stream().map(e -> e.json() == null ? new JsonObject() : e.json()).toList();
  }
}
