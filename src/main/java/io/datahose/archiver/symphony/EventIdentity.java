package io.datahose.archiver.symphony;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The dedup identity of a Real-Time Event: one-to-one on JSON values, so a redelivery spelled differently on the wire
 * (escapes, spacing, exponent forms, key order) is recognised as the same event while distinct values never collide.
 * Event {@code id} alone is not unique (simultaneous activities share one), hence a hash of the whole value.
 *
 * <p>identity = lower-case hex SHA-256 of {@code 'C'} followed by the value's {@link CanonicalForm} (any JSON value,
 * object or not). A value without a canonical form — duplicate keys (merging them would equate distinct events),
 * nesting deeper than {@value ValueReader#MAX_DEPTH} levels — is identified by SHA-256 of {@code 'R'} followed by the
 * received bytes; the two prefixes keep the domains apart. Pure; thread-safe.
 */
public final class EventIdentity {

  private static final HexFormat HEX = HexFormat.of();

  private EventIdentity() {
  }

  /**
   * @param json exactly one JSON value, UTF-8
   * @return its identity
   * @throws IllegalArgumentException when {@code json} is not exactly one valid JSON value
   */
  public static String of(byte[] json) {
    return JsonInput.single(json, (reader, value) -> value.identity(json));
  }

  /** @return the identity of {@code event.encode()} in UTF-8 (the simulator's ledger, tests) */
  public static String of(JsonObject event) {
    return of(event.encode().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param json exactly one JSON value, UTF-8
   * @return its canonical form (ASCII), empty when it has none (duplicate keys, too deep)
   * @throws IllegalArgumentException when {@code json} is not exactly one valid JSON value
   */
  public static Optional<String> canonical(byte[] json) {
    return JsonInput.single(json, (reader, value) -> Optional.ofNullable(reader.canonicalText()));
  }

  /** @return lower-case hex SHA-256 of {@code bytes} */
  public static String sha256Hex(byte[] bytes) {
    return HEX.formatHex(sha256().digest(bytes));
  }

  static String ofCanonical(byte[] form, int length) {
    MessageDigest digest = sha256();
    digest.update((byte) 'C');
    digest.update(form, 0, length);
    return HEX.formatHex(digest.digest());
  }

  static String ofReceivedBytes(byte[] raw) {
    MessageDigest digest = sha256();
    digest.update((byte) 'R');
    digest.update(raw);
    return HEX.formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
