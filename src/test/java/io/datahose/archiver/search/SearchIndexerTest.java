package io.datahose.archiver.search;

import io.datahose.archiver.testing.TestDatabases;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.query.MessageFeed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static io.datahose.archiver.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The indexer between the archive's message table and the Lucene index: searchable at once, durable at most every
 * commit interval (a test clock, so no test waits for it), and a crash costs only re-indexing, never a duplicate.
 */
@DisplayName("Search indexer")
class SearchIndexerTest {

  private static final Duration INTERVAL = Duration.ofSeconds(5);

  @TempDir
  Path dir;
  private ArchiveDatabase db;
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @BeforeEach
  void open() {
    db = TestDatabases.fresh("indexer-" + UUID.randomUUID());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  @DisplayName("A catch-up makes new messages searchable at once; the Lucene commit waits for the interval")
  void searchableAtOnceCommittedAtInterval() {
    try (SearchIndex index = SearchIndex.inMemory()) {
      SearchIndexer indexer = indexer(index);
      archive(1, 10);
      assertThat(indexer.catchUp()).isEqualTo(10);
      assertThat(index.search("deal", 0, 100)).hasSize(10);
      assertThat(index.committedSeq()).isZero();

      advance(Duration.ofSeconds(1));
      assertThat(indexer.commitIfDue()).as("1 s after start").isFalse();
      advance(Duration.ofSeconds(4));
      assertThat(indexer.commitIfDue()).as("5 s after start").isTrue();
      assertThat(index.committedSeq()).isEqualTo(10);

      archive(11, 10);
      assertThat(indexer.catchUp()).isEqualTo(10);
      assertThat(index.search("deal", 0, 100)).hasSize(20);
      advance(Duration.ofSeconds(4));
      assertThat(indexer.commitIfDue()).as("4 s after the last commit").isFalse();
      assertThat(index.committedSeq()).isEqualTo(10);
      advance(Duration.ofSeconds(1));
      assertThat(indexer.commitIfDue()).isTrue();
      assertThat(index.committedSeq()).isEqualTo(20);

      advance(Duration.ofSeconds(60));
      assertThat(indexer.commitIfDue()).as("nothing added since the last commit").isFalse();
    }
  }

  @Test
  @DisplayName("After a crash the index reopens at its last commit and the next catch-up adds the rest exactly once")
  void crashLosesOnlyTheUncommittedPart() throws IOException {
    Path live = dir.resolve("live");
    Path crashed = dir.resolve("crashed");
    try (SearchIndex index = SearchIndex.open(live)) {
      SearchIndexer indexer = indexer(index);
      archive(1, 10);
      indexer.catchUp();
      advance(INTERVAL);
      assertThat(indexer.commitIfDue()).isTrue();
      archive(11, 10);
      indexer.catchUp();
      assertThat(index.search("deal", 0, 100)).hasSize(20);
      // the files as a crash would leave them: the writer never closes this copy
      copy(live, crashed);
    }
    try (SearchIndex index = SearchIndex.open(crashed)) {
      assertThat(index.lastSeq()).isEqualTo(10);
      assertThat(index.search("deal", 0, 100)).hasSize(10);
      assertThat(indexer(index).catchUp()).isEqualTo(10);
      List<SearchIndex.Hit> hits = index.search("deal", 0, 100);
      assertThat(hits).hasSize(20).extracting(SearchIndex.Hit::messageId).doesNotHaveDuplicates();
    }
    try (SearchIndex index = SearchIndex.open(live)) {
      assertThat(index.lastSeq()).as("close commits").isEqualTo(20);
    }
  }

  @Test
  @DisplayName("A rebuild empties the index, indexes the whole archive again and commits it")
  void rebuildCommits() {
    try (SearchIndex index = SearchIndex.inMemory()) {
      SearchIndexer indexer = indexer(index);
      archive(1, 15);
      indexer.catchUp();
      assertThat(indexer.rebuild()).isEqualTo(15);
      assertThat(index.committedSeq()).isEqualTo(15);
      assertThat(index.search("deal", 0, 100)).hasSize(15);
    }
  }

  private SearchIndexer indexer(SearchIndex index) {
    return new SearchIndexer(new MessageFeed(db.dsl()), index, INTERVAL, clock::get);
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  /** Messages with event seq {@code from} .. {@code from + n - 1}, each saying "deal" and its own word. */
  private void archive(long from, int n) {
    for (long seq = from; seq < from + n; seq++) {
      db.dsl().insertInto(MESSAGE).set(MESSAGE.MESSAGE_ID, "m" + seq).set(MESSAGE.EVENT_SEQ, seq)
          .set(MESSAGE.PLAIN_TEXT, "deal number" + seq).execute();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        try {
          Files.copy(f, to.resolve(f.getFileName()));
        } catch (NoSuchFileException e) {
          // deleted by Lucene while copying: not part of any commit, so not part of the crashed state either
        }
      }
    }
  }
}
