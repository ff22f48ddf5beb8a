package io.datahose.archiver.search;

import io.datahose.archiver.search.IndexFeed.IndexedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Keeps the {@link SearchIndex} caught up with the archive's {@code message} table: {@link #catchUp()} reads the
 * messages after the index's last seq in pages and adds them, searchable at once but not yet durable;
 * {@link #commitIfDue()} makes them durable (a Lucene commit, with fsync) at most once per {@link #COMMIT_INTERVAL}.
 * The API verticle calls both every second on its own indexing thread, and every search calls {@link #catchUp()}
 * first, so a search sees every message committed to the archive before it began while no Lucene commit runs on
 * an ingest worker or in a search. A crash loses only the uncommitted part of the index, which the next catch-up
 * adds again from the archive. Blocking; thread-safe ({@link #catchUp()} and {@link #rebuild()} are synchronized:
 * one indexer at a time).
 */
public final class SearchIndexer {

  /** The longest time indexed messages stay uncommitted (lost by a crash, then indexed again). */
  public static final Duration COMMIT_INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(SearchIndexer.class);
  private static final int PAGE = 2000;

  private final IndexFeed feed;
  private final SearchIndex index;
  private final long commitIntervalNanos;
  private final LongSupplier nanoClock;
  private final Object commitLock = new Object();
  private long lastCommit;

  public SearchIndexer(IndexFeed feed, SearchIndex index) {
    this(feed, index, COMMIT_INTERVAL, System::nanoTime);
  }

  /** As {@link #SearchIndexer(IndexFeed, SearchIndex)} with another commit interval and clock (tests). */
  SearchIndexer(IndexFeed feed, SearchIndex index, Duration commitInterval, LongSupplier nanoClock) {
    this.feed = feed;
    this.index = index;
    this.commitIntervalNanos = commitInterval.toNanos();
    this.nanoClock = nanoClock;
    this.lastCommit = nanoClock.getAsLong();
  }

  /** Adds every message archived after the index's last seq, searchable on return; @return how many */
  public synchronized long catchUp() {
    long total = 0;
    while (true) {
      List<IndexedMessage> page = feed.after(index.lastSeq(), PAGE);
      if (page.isEmpty()) {
        break;
      }
      index.add(page, page.get(page.size() - 1).seq());
      total += page.size();
    }
    if (total > 0) {
      LOG.debug("search index: {} message(s) indexed up to seq {}", total, index.lastSeq());
    }
    return total;
  }

  /**
   * Commits the index when {@link #COMMIT_INTERVAL} has passed since the last commit and messages were added since;
   * otherwise does nothing.
   *
   * @return whether a commit was written
   */
  public boolean commitIfDue() {
    synchronized (commitLock) {
      long now = nanoClock.getAsLong();
      if (now - lastCommit < commitIntervalNanos || !index.commit()) {
        return false;
      }
      lastCommit = now;
      LOG.debug("search index committed up to seq {}", index.committedSeq());
      return true;
    }
  }

  /** Empties the index, indexes the whole archive again and commits; @return how many messages were indexed */
  public synchronized long rebuild() {
    index.clear();
    long indexed = catchUp();
    index.commit();
    return indexed;
  }

  public SearchIndex index() {
    return index;
  }
}
