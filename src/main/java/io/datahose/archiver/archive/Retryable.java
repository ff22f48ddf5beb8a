package io.datahose.archiver.archive;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells lock conflicts (worth retrying the whole batch transaction) from every other failure. H2 reports a
 * lock timeout as error 50200 (SQLSTATE HYT00), a deadlock as 40001, a concurrent update of the same row as
 * 90131; other databases use SQLSTATE 40001 (serialization failure) and 40P01 (deadlock). Pure, thread-safe.
 */
final class Retryable {

  private static final Set<Integer> H2_CODES = Set.of(50200, 40001, 90131);
  private static final Set<String> SQL_STATES = Set.of("40001", "40P01", "55P03", "HYT00");

  private Retryable() {
  }

  /** @return true when {@code failure} or one of its causes is a lock timeout, deadlock or write conflict */
  static boolean isRetryable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        for (SQLException s = sql; s != null; s = s.getNextException()) {
          if (H2_CODES.contains(s.getErrorCode()) || (s.getSQLState() != null && SQL_STATES.contains(s.getSQLState()))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** @return true when {@code failure} or a cause is H2 error 90020 (database file in use by another process) */
  static boolean isDatabaseInUse(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == 90020) {
        return true;
      }
      if (t.getMessage() != null && t.getMessage().contains("90020")) {
        return true;
      }
    }
    return false;
  }
}
