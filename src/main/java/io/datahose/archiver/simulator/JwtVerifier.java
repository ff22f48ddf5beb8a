package io.datahose.archiver.simulator;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;

/**
 * Verifies the RSA authentication JWT the way the pod does: header {@code alg} RS512, SHA512withRSA signature over
 * {@code base64url(header).base64url(payload)}, {@code sub} = bot username, {@code exp} present, not expired and at
 * most 5 minutes ahead. Pure and thread-safe.
 */
final class JwtVerifier {

  static final long MAX_LIFETIME_SECONDS = 300;

  private final PublicKey publicKey;
  private final String username;
  private final Clock clock;

  JwtVerifier(PublicKey publicKey, String username, Clock clock) {
    this.publicKey = publicKey;
    this.username = username;
    this.clock = clock;
  }

  /** @return null when {@code jwt} is acceptable, otherwise the reason it is rejected */
  String rejection(String jwt) {
    if (publicKey == null) {
      return "no public key imported for this user";
    }
    if (jwt == null || jwt.isEmpty()) {
      return "missing token";
    }
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      return "malformed token";
    }
    try {
      JsonObject header = decode(parts[0]);
      JsonObject claims = decode(parts[1]);
      if (!"RS512".equals(header.getString("alg"))) {
        return "unsupported algorithm";
      }
      Signature verifier = Signature.getInstance("SHA512withRSA");
      verifier.initVerify(publicKey);
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return "invalid signature";
      }
      if (!username.equals(claims.getValue("sub"))) {
        return "invalid user";
      }
      if (!(claims.getValue("exp") instanceof Number exp)) {
        return "missing exp";
      }
      long now = clock.millis() / 1000;
      if (exp.longValue() <= now) {
        return "token expired";
      }
      if (exp.longValue() > now + MAX_LIFETIME_SECONDS) {
        return "exp more than 5 minutes in the future";
      }
      return null;
    } catch (IllegalArgumentException | ClassCastException | GeneralSecurityException | io.vertx.core.json.DecodeException e) {
      return "malformed token";
    }
  }

  private static JsonObject decode(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }
}
