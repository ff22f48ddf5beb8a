package io.datahose.archiver.symphony;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * One element of a read response's {@code events} array, as received. Built by {@link FeedParser} (or
 * {@link #parse(byte[])}), immutable by convention: nobody writes into {@code raw}.
 *
 * @param raw       the element's bytes exactly as they were in the response body (never re-serialized)
 * @param json      the parsed view used by projections (the types Vert.x's decoder gives); null when
 *                  {@code rejection} is set
 * @param identity  dedup identity, see {@link EventIdentity}: lower-case hex SHA-256 of the canonical form (one-to-one
 *                  on JSON values), or of the received bytes when there is no canonical form ({@code note} says why)
 * @param rawSha256 lower-case hex SHA-256 of {@code raw}
 * @param note      a remark about the identity (for example {@code duplicate key "x": identity is the received bytes}),
 *                  or null
 * @param rejection why the element cannot be projected (for example {@code event is not a JSON object (a number)}), or
 *                  null
 */
public record ReceivedEvent(byte[] raw, JsonObject json, String identity, String rawSha256, String note,
                            String rejection) {

  /**
   * Parses one element from its bytes (tests, tools), exactly as {@link FeedParser} does inside a body.
   *
   * @param raw exactly one JSON value, UTF-8; kept as given (not copied)
   * @throws IllegalArgumentException when {@code raw} is not exactly one valid JSON value
   */
  public static ReceivedEvent parse(byte[] raw) {
    return JsonInput.single(raw, (reader, value) -> value.toEvent(raw));
  }

  /** An event given as parsed JSON (tests, benchmarks): its bytes are {@code json.encode()} in UTF-8. */
  public static ReceivedEvent of(JsonObject json) {
    return parse(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
