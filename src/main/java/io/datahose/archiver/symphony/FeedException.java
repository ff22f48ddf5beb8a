package io.datahose.archiver.symphony;

/**
 * A failed Datahose read, classified by what the reader must do next. The message carries the
 * server's error body (never tokens); it is safe to log.
 */
public final class FeedException extends RuntimeException {

  /** What a failed read means for the read loop. */
  public enum Kind {
    /** 401: refresh both tokens once and repeat the read with the same ackId. */
    UNAUTHORIZED,
    /** 429, 5xx, connection errors, timeouts, a 200 that is not a valid batch: back off, same ackId. */
    TRANSIENT,
    /** 400, 403, 404 and other 4xx: a configuration or entitlement problem; capture is DOWN. */
    FATAL
  }

  private final Kind kind;
  private final int status;

  public FeedException(Kind kind, int status, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
  }

  public Kind kind() {
    return kind;
  }

  /** @return the HTTP status, or 0 when no response was received */
  public int status() {
    return status;
  }

  /** @return what the failure most likely means, for the operator reading the log */
  public String meaning() {
    return switch (status) {
      case 400 -> "the Agent rejected the read request (malformed body, tag or eventTypes, or an ackId it no longer knows)";
      case 401 -> "the session or key manager token expired or was revoked";
      case 403 -> "the service account lacks the datahose entitlements ('Can read from datahose feeds' and "
          + "'Can create datahose feeds') or the Datahose add-on is not enabled on this pod";
      case 404 -> "the Agent does not serve /agent/v5/events/read: check symphony.agent.url and that the Agent is 22.6 or later";
      case 429 -> "the Agent is throttling reads";
      case 0 -> "the Agent could not be reached or did not answer in time";
      default -> status >= 500 ? "the Agent or an upstream service is unavailable" : "unexpected answer from the Agent";
    };
  }
}
