package io.datahose.archiver.archive;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static io.datahose.archiver.db.Tables.EVENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread interrupted while H2 reads or writes the archive file must not close that file for everyone. Vert.x
 * closes its worker pools with {@code shutdownNow} (an interrupt to every worker: a query, a backup, a delivery in
 * flight), and an interrupt inside {@code FileChannel} I/O closes the channel: with a plain {@code file:} URL the
 * whole archive then fails ("Cannot commit transaction", then "Error getting connection") and the daemon hung at
 * SIGTERM (CrashHarnessIT, a backup in flight at the stop).
 */
@DisplayName("An interrupted reader does not break the archive for the other threads")
class InterruptedThreadTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("backups and scans interrupted mid-I/O, 40 times: every later batch still commits and is read back")
  void interruptedIoKeepsTheFileOpen() throws Exception {
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), true)) {
      Archive archive = new Archive(db);
      List<io.vertx.core.json.JsonObject> first = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        first.add(ArchiveTestEvents.randomMessage(i));
      }
      archive.storeJson("tag", 0, first, "ack-0");
      for (int round = 0; round < 40; round++) {
        CountDownLatch started = new CountDownLatch(1);
        Path target = dir.resolve("b" + round + ".zip");
        boolean backup = round % 2 == 0;
        Thread worker = new Thread(() -> {
          try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            started.countDown();
            if (backup) {
              s.execute("BACKUP TO '" + target + "'");
            } else {
              try (ResultSet rs = s.executeQuery("SELECT SUM(OCTET_LENGTH(RAW_BYTES)) FROM EVENT")) {
                rs.next();
              }
            }
          } catch (Exception e) {
            // the interrupted statement itself may fail; what matters is everyone else's work after it
          }
        });
        worker.start();
        started.await();
        worker.interrupt();
        worker.join();
        int n = round;
        var batch = List.of(ArchiveTestEvents.randomMessage(10_000 + n));
        assertThat(archive.storeJson("tag", 0, batch, "ack-" + (n + 1)).stored())
            .as("a batch stored after interrupt %d", n).isEqualTo(1);
      }
      assertThat(db.dsl().fetchCount(EVENT)).isEqualTo(2040);
      assertThat(archive.ackId("tag", 0)).contains("ack-40");
    }
  }
}
