package io.datahose.archiver.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One page of a list route: the items in the route's stable order and the cursor of the next page (null on the
 * last page).
 */
public record Page(JsonArray items, String nextCursor) {

  /** @return {@code {"items": [...], "count": n, "nextCursor": ...}} */
  public JsonObject toJson() {
    return new JsonObject().put("items", items).put("count", items.size()).put("nextCursor", nextCursor);
  }
}
