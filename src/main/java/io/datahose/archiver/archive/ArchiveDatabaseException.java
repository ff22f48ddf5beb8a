package io.datahose.archiver.archive;

/**
 * The archive database cannot be opened or forced to disk. The message is one line fit for stderr, e.g.
 * "archive database /var/lib/x is held by another process (...)"; the cause keeps H2's details.
 */
public final class ArchiveDatabaseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ArchiveDatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
