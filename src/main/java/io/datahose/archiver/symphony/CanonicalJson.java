package io.datahose.archiver.symphony;

import io.vertx.core.json.JsonObject;

/**
 * Former event identity (sorted keys, numbers as doubles: not one-to-one). Kept only as a forwarder because tests
 * outside the feed's packages still call it ({@code api/ApiRoutesTest}, {@code api/ApiExportTest}); delete it when
 * they call {@link EventIdentity#of(JsonObject)}.
 *
 * @deprecated use {@link EventIdentity}
 */
@Deprecated(forRemoval = true)
public final class CanonicalJson {

  private CanonicalJson() {
  }

  /** @return {@link EventIdentity#of(JsonObject)} */
  public static String sha256(JsonObject event) {
    return EventIdentity.of(event);
  }
}
