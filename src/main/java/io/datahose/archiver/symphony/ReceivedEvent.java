package io.datahose.archiver.symphony;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * One element of a read response's {@code events} array, as received.
 *
 * @param raw       the element's bytes exactly as they were in the response body (never re-serialized)
 * @param json      the parsed view used by projections; null when the element is not a JSON object
 * @param identity  dedup identity: lower-case hex SHA-256 of the canonical form (one-to-one on JSON values), or of
 *                  the received bytes when there is no canonical form (duplicate keys, not an object)
 * @param rawSha256 lower-case hex SHA-256 of {@code raw}
 * @param note      a remark about the identity (for example "duplicate key 'x': identity is the received bytes"),
 *                  or null
 * @param rejection why the element cannot be projected (not a JSON object), or null
 */
public record ReceivedEvent(byte[] raw, JsonObject json, String identity, String rawSha256, String note,
                            String rejection) {

  /** Parses one element from its bytes (tests, tools, and the read response parser). */
  public static ReceivedEvent parse(byte[] raw) {
    // interim: replaced by the streaming parser (issue 9 item 1/2)
    JsonObject json = new JsonObject(new String(raw, StandardCharsets.UTF_8));
    return new ReceivedEvent(raw, json, CanonicalJson.sha256(json),
        CanonicalJson.sha256Hex(new String(raw, StandardCharsets.UTF_8)), null, null);
  }

  /** An event given as parsed JSON (tests, benchmarks): its bytes are {@code json.encode()} in UTF-8. */
  public static ReceivedEvent of(JsonObject json) {
    return parse(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
