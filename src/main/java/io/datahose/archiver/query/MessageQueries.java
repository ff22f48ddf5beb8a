package io.datahose.archiver.query;

import io.datahose.archiver.archive.MembershipAction;
import io.datahose.archiver.search.SearchIndex;
import io.datahose.archiver.search.SearchIndexer;
import io.datahose.archiver.search.SearchSyntaxException;
import io.vertx.core.json.JsonArray;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.datahose.archiver.db.Tables.MEMBERSHIP;
import static io.datahose.archiver.db.Tables.MESSAGE;

/**
 * {@code GET /messages}: messages in archive order (event seq, then message id) matching a {@link MessageFilter}.
 * With {@code q}, the Lucene index supplies candidates in seq order, chunk by chunk, and SQL applies the other
 * filters to each chunk by message id, so the full text never needs a LIKE scan. Blocking JDBC; thread-safe.
 */
public final class MessageQueries {

  private static final int SEARCH_CHUNK = 2000;
  private static final List<String> MEMBER_ACTIONS = Arrays.stream(MembershipAction.values())
      .filter(MembershipAction::makesMember).map(MembershipAction::stored).toList();

  private final DSLContext dsl;
  private final SearchIndexer indexer;

  public MessageQueries(DSLContext dsl, SearchIndexer indexer) {
    this.dsl = dsl;
    this.indexer = indexer;
  }

  /** @return one page of messages */
  public Page list(MessageFilter f) {
    long afterSeq = -1;
    String afterId = "";
    if (f.cursor() != null) {
      Object[] key = Cursor.seqAndId(f.cursor());
      afterSeq = (Long) key[0];
      afterId = (String) key[1];
    }
    List<Condition> where = conditions(f);
    where.add(DSL.row(MESSAGE.EVENT_SEQ, MESSAGE.MESSAGE_ID).gt(afterSeq, afterId));
    List<Record> rows = f.q() == null ? fetch(where, f.limit() + 1) : search(f, where, afterSeq);
    JsonArray items = new JsonArray();
    for (int i = 0; i < Math.min(f.limit(), rows.size()); i++) {
      items.add(Rows.toJson(rows.get(i)));
    }
    String next = null;
    if (rows.size() > f.limit()) {
      Record last = rows.get(f.limit() - 1);
      next = Cursor.of(last.get(MESSAGE.EVENT_SEQ) + "|" + last.get(MESSAGE.MESSAGE_ID));
    }
    return new Page(items, next);
  }

  private List<SearchIndex.Hit> hits(String q, long fromSeq) {
    try {
      return indexer.index().search(q, fromSeq, SEARCH_CHUNK);
    } catch (SearchSyntaxException e) {
      throw QueryException.badInput(e.getMessage());
    }
  }

  private List<Record> search(MessageFilter f, List<Condition> where, long afterSeq) {
    indexer.catchUp();
    List<Record> found = new ArrayList<>();
    long fromSeq = Math.max(afterSeq, 0);
    while (found.size() <= f.limit()) {
      List<SearchIndex.Hit> hits = new ArrayList<>(hits(f.q(), fromSeq));
      boolean more = hits.size() == SEARCH_CHUNK;
      if (more) {
        // keep whole seqs only (a SHAREDPOST holds two messages under one seq), the rest comes in the next chunk
        long lastSeq = hits.get(hits.size() - 1).seq();
        hits.removeIf(h -> h.seq() == lastSeq);
      }
      if (hits.isEmpty()) {
        break;
      }
      List<Condition> chunk = new ArrayList<>(where);
      chunk.add(MESSAGE.MESSAGE_ID.in(hits.stream().map(SearchIndex.Hit::messageId).toList()));
      found.addAll(fetch(chunk, f.limit() + 1 - found.size()));
      if (!more) {
        break;
      }
      fromSeq = hits.get(hits.size() - 1).seq() + 1;
    }
    return found;
  }

  private List<Record> fetch(List<Condition> where, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return new ArrayList<>(dsl.select(MESSAGE.EVENT_SEQ, MESSAGE.MESSAGE_ID, MESSAGE.STREAM_ID, MESSAGE.SENDER_USER_ID,
            MESSAGE.SENT_AT, MESSAGE.PLAIN_TEXT, MESSAGE.REPLACING, MESSAGE.REPLACED_BY, MESSAGE.EXTERNAL_RECIPIENTS,
            MESSAGE.ATTACHMENT_COUNT, MESSAGE.SUPPRESSED)
        .from(MESSAGE).where(DSL.and(where))
        .orderBy(MESSAGE.EVENT_SEQ, MESSAGE.MESSAGE_ID).limit(limit).fetch());
  }

  private static List<Condition> conditions(MessageFilter f) {
    List<Condition> where = new ArrayList<>();
    if (f.user() != null) {
      where.add(MESSAGE.SENDER_USER_ID.eq(f.user()));
    }
    if (f.stream() != null) {
      where.add(MESSAGE.STREAM_ID.eq(f.stream()));
    }
    if (f.from() != null) {
      where.add(MESSAGE.SENT_AT.ge(f.from()));
    }
    if (f.to() != null) {
      where.add(MESSAGE.SENT_AT.lt(f.to()));
    }
    if (f.external() != null) {
      where.add(f.external() ? MESSAGE.EXTERNAL_RECIPIENTS.isTrue()
          : MESSAGE.EXTERNAL_RECIPIENTS.isNull().or(MESSAGE.EXTERNAL_RECIPIENTS.isFalse()));
    }
    if (f.hasAttachments() != null) {
      where.add(f.hasAttachments() ? MESSAGE.ATTACHMENT_COUNT.gt(0) : MESSAGE.ATTACHMENT_COUNT.eq(0));
    }
    if (f.participant() != null) {
      where.add(MESSAGE.SENDER_USER_ID.eq(f.participant()).or(memberWhenSent(f.participant())));
    }
    return where;
  }

  /** The participant was a member of the message's stream when it was sent: joined before and not left since. */
  private static Condition memberWhenSent(long userId) {
    var m = MEMBERSHIP.as("m");
    var l = MEMBERSHIP.as("l");
    return DSL.exists(DSL.selectOne().from(m)
        .where(m.STREAM_ID.eq(MESSAGE.STREAM_ID), m.USER_ID.eq(userId), m.ACTION.in(MEMBER_ACTIONS),
            m.OCCURRED_AT.le(MESSAGE.SENT_AT))
        .andNotExists(DSL.selectOne().from(l)
            .where(l.STREAM_ID.eq(m.STREAM_ID), l.USER_ID.eq(userId), l.ACTION.eq(MembershipAction.LEFT.stored()),
                l.OCCURRED_AT.gt(m.OCCURRED_AT), l.OCCURRED_AT.le(MESSAGE.SENT_AT))));
  }
}
