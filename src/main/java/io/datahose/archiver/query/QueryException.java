package io.datahose.archiver.query;

/**
 * A request the archive cannot answer because of its input: the API maps it to {@code status} with the JSON body
 * {@code {"error": error, "detail": detail}}. Thrown on worker threads by query classes and by parameter parsing;
 * its message never contains archive data beyond what the caller sent.
 */
public final class QueryException extends RuntimeException {

  private final int status;
  private final String error;

  public QueryException(int status, String error, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.error = error;
  }

  /** @return a 400 "bad_request" */
  public static QueryException badInput(String detail) {
    return new QueryException(400, "bad_request", detail);
  }

  /** @return a 404 "not_found" */
  public static QueryException notFound(String detail) {
    return new QueryException(404, "not_found", detail);
  }

  /** @return a 409 "conflict" */
  public static QueryException conflict(String detail) {
    return new QueryException(409, "conflict", detail);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String detail() {
    return getMessage();
  }
}
