package io.datahose.archiver.archive;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The space of a dead chunk is reused only after a sync that forced the commit which made it dead. */
@DisplayName("Durable space reuse (H2 chunks freed only after the sync)")
class DurableSpaceReuseTest {

  private static final int COMMITS = 20;

  @TempDir
  Path dir;
  private MVStore store;
  private MVMap<Integer, String> map;

  @BeforeEach
  void open() {
    store = new MVStore.Builder().fileName(dir.resolve("store.mv").toString()).autoCommitDisabled().open();
    store.setVersionsToKeep(0); // as H2's database engine sets it
    map = store.openMap("m");
    map.put(0, "first");
    store.commit();
    store.sync();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  @DisplayName("Unsynced commits keep every superseded chunk; after a sync their space is freed")
  void deadChunksWaitForTheSync() {
    DurableSpaceReuse space = new DurableSpaceReuse(store);
    rewriteTheSameKey();
    assertThat(chunkCount()).as("chunks made dead by unsynced commits are kept").isGreaterThanOrEqualTo(COMMITS);
    assertThat(space.hasUnsyncedCommits()).isTrue();

    space.sync(() -> {
      store.commit();
      store.sync();
    });
    assertThat(space.hasUnsyncedCommits()).isFalse();
    map.put(1, "after the sync");
    store.commit();
    assertThat(chunkCount()).as("chunks killed by synced commits are freed").isLessThan(5);
    assertThat(map.get(1)).isEqualTo("after the sync");
    space.release();
  }

  @Test
  @DisplayName("Without the registration (retention 0 alone) the same commits free chunks at once")
  void withoutItChunksAreFreedBeforeAnySync() {
    store.getFileStore().setRetentionTime(0);
    rewriteTheSameKey();
    assertThat(chunkCount()).isLessThan(5);
  }

  private void rewriteTheSameKey() {
    for (int i = 0; i < COMMITS; i++) {
      map.put(1, "version " + i + " " + "x".repeat(2000));
      store.commit();
    }
  }

  private int chunkCount() {
    Map<String, String> info = new HashMap<>();
    store.getFileStore().populateInfo(info::put);
    return Integer.parseInt(info.get("info.CHUNK_COUNT"));
  }
}
