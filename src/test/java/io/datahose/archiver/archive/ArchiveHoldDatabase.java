package io.datahose.archiver.archive;

import java.nio.file.Path;

/** Child-process helper for ArchiveFileDatabaseTest: opens the file database, says "open", holds it 60 s. */
public final class ArchiveHoldDatabase {

  private ArchiveHoldDatabase() {
  }

  public static void main(String[] args) throws Exception {
    try (ArchiveDatabase db = ArchiveDatabase.open(Path.of(args[0]), false)) {
      System.out.println("open");
      System.out.flush();
      Thread.sleep(60_000);
    }
  }
}
