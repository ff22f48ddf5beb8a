package io.datahose.archiver.archive;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Archive on a file database: concurrent slots, restart, exclusive lock")
class ArchiveFileDatabaseTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("4 slots storing overlapping batches concurrently keep every distinct event exactly once, seq gapless")
  void concurrentSlots() throws Exception {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      events.add(ArchiveTestEvents.randomMessage(i));
    }
    try (ArchiveDatabase db = ArchiveDatabase.open(dir.resolve("archive"), true)) {
      Archive archive = new Archive(db);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<Integer>> stored = new ArrayList<>();
      for (int slot = 0; slot < 4; slot++) {
        int s = slot;
        stored.add(pool.submit(() -> {
          List<JsonObject> mine = new ArrayList<>(events.subList(s * 80, s * 80 + 160));
          Collections.shuffle(mine, new Random(s));
          int count = 0;
          for (int from = 0; from < mine.size(); from += 40) {
            count += archive.storeJson("tag", s, mine.subList(from, from + 40), "ack-" + s + "-" + from).stored();
          }
          return count;
        }));
      }
      int total = 0;
      for (Future<Integer> f : stored) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(total).isEqualTo(400);
      assertThat(db.dsl().fetchCount(EVENT)).isEqualTo(400);
      assertThat(db.dsl().fetchCount(MESSAGE)).isEqualTo(400);
      assertThat(db.dsl().select(EVENT.SEQ).from(EVENT).orderBy(EVENT.SEQ).fetch(EVENT.SEQ))
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 400).boxed().toList());
      for (int slot = 0; slot < 4; slot++) {
        assertThat(archive.ackId("tag", slot)).contains("ack-" + slot + "-120");
      }
    }
  }

  @Test
  @DisplayName("rows and cursor committed before close are there after reopening the file")
  void survivesRestart() {
    Path file = dir.resolve("archive");
    try (ArchiveDatabase db = ArchiveDatabase.open(file, false)) {
      new Archive(db).storeJson("tag", 2, List.of(ArchiveTestEvents.message("m1", "s", 1, "kept")), "ack-9");
    }
    try (ArchiveDatabase db = ArchiveDatabase.open(file, false)) {
      Archive archive = new Archive(db);
      assertThat(archive.ackId("tag", 2)).contains("ack-9");
      assertThat(db.dsl().fetchValue(MESSAGE.PLAIN_TEXT, MESSAGE.MESSAGE_ID.eq("m1"))).isEqualTo("kept");
      StoreResult again = archive.storeJson("tag", 2, List.of(ArchiveTestEvents.message("m1", "s", 1, "kept")), "ack-10");
      assertThat(again.duplicates()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a file held by another process fails to open with a one-line 'held by another process' message")
  void lockedByAnotherProcess() throws Exception {
    Path file = dir.resolve("archive");
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ArchiveHoldDatabase.class.getName(), file.toString())
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream()));
      String line;
      while ((line = out.readLine()) != null && !line.equals("open")) {
        // skip the child's log lines until it holds the database
      }
      assertThat(line).isEqualTo("open");

      assertThatThrownBy(() -> ArchiveDatabase.open(file, false))
          .isInstanceOf(ArchiveDatabaseException.class)
          .hasMessageContaining("is held by another process")
          .hasMessageNotContaining("\n");
    } finally {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
