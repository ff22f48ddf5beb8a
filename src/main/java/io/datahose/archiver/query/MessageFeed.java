package io.datahose.archiver.query;

import io.datahose.archiver.search.IndexFeed;
import org.jooq.DSLContext;

import java.util.List;

import static io.datahose.archiver.db.Tables.MESSAGE;

/**
 * The search index's {@link IndexFeed}: archived messages in archive order (event seq), from the {@code message}
 * table. Blocking JDBC; thread-safe.
 */
public final class MessageFeed implements IndexFeed {

  private final DSLContext dsl;

  public MessageFeed(DSLContext dsl) {
    this.dsl = dsl;
  }

  @Override
  public List<IndexedMessage> after(long afterSeq, int limit) {
    // whole seqs only: a SHAREDPOST stores two messages under one seq, and the index remembers seqs
    Long lastSeq = dsl.select(MESSAGE.EVENT_SEQ).from(MESSAGE).where(MESSAGE.EVENT_SEQ.gt(afterSeq))
        .orderBy(MESSAGE.EVENT_SEQ).limit(1).offset(limit - 1).fetchOne(MESSAGE.EVENT_SEQ);
    var query = dsl.select(MESSAGE.EVENT_SEQ, MESSAGE.MESSAGE_ID, MESSAGE.PLAIN_TEXT, MESSAGE.ENTITY_JSON)
        .from(MESSAGE).where(MESSAGE.EVENT_SEQ.gt(afterSeq));
    if (lastSeq != null) {
      query = query.and(MESSAGE.EVENT_SEQ.le(lastSeq));
    }
    return query.orderBy(MESSAGE.EVENT_SEQ, MESSAGE.MESSAGE_ID)
        .fetch(r -> new IndexedMessage(r.value1(), r.value2(), r.value3(), r.value4()));
  }
}
