package io.datahose.archiver.archive;

import java.nio.file.Path;
import java.util.List;

/**
 * Child-process helper for ArchiveDurabilityTest: stores {@code args[1]} batches of 50 events with fsync
 * off, prints "committed" after the last store returned, then halts the JVM at once — what kill -9 does:
 * no shutdown hooks, no close, nothing flushed by H2 after the commit.
 */
public final class ArchiveCommitThenHalt {

  private ArchiveCommitThenHalt() {
  }

  public static void main(String[] args) {
    ArchiveDatabase db = ArchiveDatabase.open(Path.of(args[0]), false);
    Archive archive = new Archive(db);
    int batches = Integer.parseInt(args[1]);
    for (int b = 0; b < batches; b++) {
      List<io.vertx.core.json.JsonObject> batch = new java.util.ArrayList<>();
      for (int i = 0; i < 50; i++) {
        batch.add(ArchiveTestEvents.randomMessage(b * 50 + i));
      }
      archive.storeJson("tag", 0, batch, "ack-" + b);
    }
    System.out.println("committed");
    System.out.flush();
    Runtime.getRuntime().halt(137);
  }
}
