package io.datahose.archiver.cli;

/**
 * A command that could not do what it was asked, with the reason an operator reads: Main's one handler prints
 * {@code datahose-archiver: <command> failed: <reason>} on stderr and exits with {@link #exitCode()}.
 */
final class CommandFailure extends RuntimeException {

  private final int exitCode;

  CommandFailure(String reason) {
    this(1, reason, null);
  }

  CommandFailure(int exitCode, String reason, Throwable cause) {
    super(reason, cause, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
