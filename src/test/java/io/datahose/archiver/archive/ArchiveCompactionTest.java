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
 * With WRITE_DELAY=0 H2 never compacts by itself, and its 45 s retention keeps every dead chunk of the last 45 s:
 * a file archive grew 10-20x its content. With page compression, space reused as soon as a sync made it safe
 * ({@link DurableSpaceReuse}) and online compaction, the open file stays within a small multiple of what
 * {@code SHUTDOWN COMPACT} leaves (compressed, fully packed pages). Measured here: 2.2-3.3x with compaction,
 * 5.9x without it (compression and space reuse alone).
 */
@DisplayName("Archive file size under online compaction")
class ArchiveCompactionTest {

  private static final int EVENTS = 5_000;
  private static final int BATCH = 100;

  @TempDir
  Path dir;

  @Test
  @DisplayName("The open file stays within 4.5x its compacted size (without online compaction: ~6x)")
  void fileStaysNearItsContent() throws Exception {
    Path file = dir.resolve("archive");
    Path mvDb = dir.resolve("archive.mv.db");
    List<JsonObject> events = new EventGenerator(7).next(EVENTS);
    long live;
    try (ArchiveDatabase db = ArchiveDatabase.open(file, true)) {
      Archive archive = new Archive(db);
      for (int i = 0; i < EVENTS; i += BATCH) {
        archive.storeJson("t", 0, events.subList(i, i + BATCH), "ack" + i);
      }
      assertThat(db.dsl().fetchCount(EVENT)).isEqualTo(EVENTS);
      live = Files.size(mvDb);
    }
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file, "sa", "");
         Statement s = c.createStatement()) {
      s.execute("SHUTDOWN COMPACT");
    }
    long compacted = Files.size(mvDb);
    System.out.printf("compaction test: live %d bytes/event, compacted %d bytes/event%n", live / EVENTS,
        compacted / EVENTS);
    assertThat(live).as("live file vs its content after SHUTDOWN COMPACT (%d bytes)", compacted)
        .isLessThan(9 * compacted / 2);
  }
}
