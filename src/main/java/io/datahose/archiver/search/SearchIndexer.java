package io.datahose.archiver.search;

import io.datahose.archiver.query.MessageFeed;
import io.datahose.archiver.query.MessageFeed.IndexedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Keeps the {@link SearchIndex} caught up with the archive's {@code message} table: reads messages after the
 * index's last committed seq in pages and commits each page with its last seq. Called periodically by the API
 * verticle (on a worker) and before every search, so a search sees every message committed before it began.
 * Blocking; {@link #catchUp()} is synchronized (one indexer at a time).
 */
public final class SearchIndexer {

  private static final Logger LOG = LoggerFactory.getLogger(SearchIndexer.class);
  private static final int PAGE = 2000;

  private final MessageFeed feed;
  private final SearchIndex index;

  public SearchIndexer(MessageFeed feed, SearchIndex index) {
    this.feed = feed;
    this.index = index;
  }

  /** @return how many messages were indexed */
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

  /** Empties the index and indexes the whole archive again; @return how many messages were indexed */
  public synchronized long rebuild() {
    index.clear();
    return catchUp();
  }

  public SearchIndex index() {
    return index;
  }
}
