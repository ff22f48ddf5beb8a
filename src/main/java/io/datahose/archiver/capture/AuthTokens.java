package io.datahose.archiver.capture;

/**
 * The pair of tokens Agent calls need: {@code sessionToken} (pod) and {@code keyManagerToken} (key
 * manager). Opaque values; {@link #toString()} masks them so they never reach a log.
 */
public record AuthTokens(String sessionToken, String keyManagerToken) {

  @Override
  public String toString() {
    return "AuthTokens[sessionToken=****, keyManagerToken=****]";
  }
}
