package io.datahose.archiver.simulator;

/**
 * A fault the simulator can inject into one {@code POST /agent/v5/events/read} request. A fault is taken for every
 * read request in arrival order, before the tokens and the body are checked; the HTTP errors, 401 and
 * DROP_CONNECTION therefore apply even to reads that would otherwise be rejected.
 * <ul>
 *   <li>{@code HTTP_xxx}: answer that status with a V2Error body; nothing is leased and the ackId is not processed.
 *       {@link #HTTP_401} also invalidates all current tokens.</li>
 *   <li>{@link #SLOW}: lease normally but delay the answer by {@code SimulatorOptions.slowDelay()}.</li>
 *   <li>{@link #DROP_CONNECTION}: close the connection without answering; nothing is leased, the ackId is not processed.</li>
 *   <li>{@link #TRUNCATED_JSON}: lease normally but send only the first half of the body (status 200).</li>
 *   <li>{@link #REDELIVER_ACKED}: serve normally and add some already acknowledged events to the batch.</li>
 *   <li>{@link #HTTP_204}: no body at all; {@link #HTTP_206}: a V2Error body with status 206 (a 2xx that is no batch).</li>
 *   <li>{@link #LONG_ACK_ID}: serve normally under an ackId of {@link #LONG_ACK_ID_CHARS} characters.</li>
 * </ul>
 */
public enum Fault {
  HTTP_204(204), HTTP_206(206),
  HTTP_400(400), HTTP_401(401), HTTP_403(403), HTTP_404(404), HTTP_429(429), HTTP_500(500), HTTP_503(503),
  SLOW(0), DROP_CONNECTION(0), TRUNCATED_JSON(0), REDELIVER_ACKED(0), LONG_ACK_ID(0);

  /** The length of the ackId {@link #LONG_ACK_ID} hands out (the cursor column held 4,000 before V6). */
  public static final int LONG_ACK_ID_CHARS = 5_000;

  private final int status;

  Fault(int status) {
    this.status = status;
  }

  /** @return the HTTP status this fault answers with, or 0 when it is not an HTTP error fault */
  public int status() {
    return status;
  }

  /** @return true for the HTTP error faults (nothing leased, ackId not processed) */
  public boolean isHttpError() {
    return status != 0;
  }
}
