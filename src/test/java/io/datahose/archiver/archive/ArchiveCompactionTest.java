package io.datahose.archiver.archive;

import io.datahose.archiver.simulator.EventGenerator;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static io.datahose.archiver.db.Tables.EVENT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With WRITE_DELAY=0 H2 never compacts by itself: a file archive grows ~10x its content (about 21 KB per
 * generated event against ~2 KB after SHUTDOWN COMPACT). Online compaction keeps it within a small multiple.
 * H2's 45 s retention time would keep this short test's chunks out of reach, so it is set to 0 here (the daemon
 * keeps the default; the steady state is then the same plus ~45 s of writes).
 */
@DisplayName("Archive file size under online compaction")
class ArchiveCompactionTest {

  private static final int EVENTS = 5_000;
  private static final int BATCH = 100;

  @TempDir
  Path dir;

  @Test
  @DisplayName("The live file stays within 7x its compacted size (without compaction: ~10x)")
  void fileStaysNearItsContent() throws Exception {
    Path file = dir.resolve("archive");
    List<JsonObject> events = new EventGenerator(7).next(EVENTS);
    try (ArchiveDatabase db = ArchiveDatabase.open(file, true)) {
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("SET RETENTION_TIME 0");
      }
      Archive archive = new Archive(db);
      for (int i = 0; i < EVENTS; i += BATCH) {
        archive.storeJson("t", 0, events.subList(i, i + BATCH), "ack" + i);
      }
      assertThat(db.dsl().fetchCount(EVENT)).isEqualTo(EVENTS);
    }
    Path mvDb = dir.resolve("archive.mv.db");
    long live = Files.size(mvDb);
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file, "sa", "");
         Statement s = c.createStatement()) {
      s.execute("SHUTDOWN COMPACT");
    }
    long compacted = Files.size(mvDb);
    System.out.printf("compaction test: live %d bytes/event, compacted %d bytes/event%n", live / EVENTS,
        compacted / EVENTS);
    assertThat(live).as("live file vs its content after SHUTDOWN COMPACT (%d bytes)", compacted)
        .isLessThan(7 * compacted);
  }
}
