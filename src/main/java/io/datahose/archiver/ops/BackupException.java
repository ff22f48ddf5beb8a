package io.datahose.archiver.ops;

/** A backup could not be written or failed its verification, or a restore was refused or failed. */
public class BackupException extends RuntimeException {

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
