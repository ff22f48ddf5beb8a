package io.datahose.archiver.cli;

/** Turns a start-up exception into the one line an operator reads on stderr. */
final class StartupFailure {

  private StartupFailure() {
  }

  /** @return the innermost meaningful message of {@code e}'s cause chain, on one line */
  static String describe(Throwable e) {
    Throwable deepest = e;
    String message = e.getMessage();
    while (deepest.getCause() != null && deepest.getCause() != deepest) {
      deepest = deepest.getCause();
      if (deepest.getMessage() != null) {
        message = deepest.getMessage();
      }
    }
    if (message == null) {
      message = deepest.getClass().getSimpleName();
    }
    String firstLine = message.lines().findFirst().orElse(message);
    return e.getMessage() != null && !e.getMessage().equals(message)
        ? e.getMessage().lines().findFirst().orElse("") + ": " + firstLine
        : firstLine;
  }
}
