package io.datahose.archiver.search;

import java.util.List;

/** The archived messages the index is fed, in archive order (event seq): the query side reads them from the archive. */
public interface IndexFeed {

  /** What the index needs of one message. */
  record IndexedMessage(long seq, String messageId, String plainText, String entityJson) {
  }

  /**
   * @return up to {@code limit} messages whose event seq is greater than {@code afterSeq}, by seq then id, whole seqs
   *     only (a seq that holds two messages is never split)
   */
  List<IndexedMessage> after(long afterSeq, int limit);
}
