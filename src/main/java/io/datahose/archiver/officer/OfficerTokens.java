package io.datahose.archiver.officer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Officer bearer tokens: 32 random bytes, base64url without padding, shown once; only their SHA-256 (hex) is
 * stored, and hashes are compared in constant time. Pure; thread-safe.
 */
public final class OfficerTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private OfficerTokens() {
  }

  /** @return a new random token */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** @return the lower-case hex SHA-256 of the token's UTF-8 bytes */
  public static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return true when both hashes are equal, in time independent of where they differ */
  public static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
