package io.datahose.archiver.capture;

/**
 * An authentication call answered with a non-200 status (or an unusable body). Carries the HTTP status
 * (0 when no response was received) and the server's message, which Symphony fills with the reason
 * ("invalid user", "public key not imported"...). Never contains a token or a JWT.
 */
public class SymphonyAuthException extends RuntimeException {

  private static final int MAX_MESSAGE = 500;

  private final int status;
  private final String serverMessage;

  /**
   * @param endpoint the URL called (no credentials in it)
   * @param status the HTTP status, 0 when none
   * @param serverMessage the response body or reason, truncated to 500 characters
   */
  public SymphonyAuthException(String endpoint, int status, String serverMessage) {
    super("authentication failed: " + endpoint + " answered " + status
        + (serverMessage == null || serverMessage.isBlank() ? "" : ": " + truncate(serverMessage)));
    this.status = status;
    this.serverMessage = serverMessage == null ? "" : truncate(serverMessage);
  }

  /** @return the HTTP status, 0 when no response was received */
  public int status() {
    return status;
  }

  /** @return the server's message (body), possibly empty */
  public String serverMessage() {
    return serverMessage;
  }

  private static String truncate(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
  }
}
