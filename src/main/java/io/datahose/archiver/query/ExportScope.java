package io.datahose.archiver.query;

import java.time.OffsetDateTime;

/**
 * What an export covers: the {@code /export} filters (event type, stream, initiator, occurrence time [from, to)) and
 * a seq range (afterSeq, throughSeq] fixed when the export starts, so events archived while it runs are left for the
 * next one (a scheduled delivery continues after {@code throughSeq}).
 */
public record ExportScope(String type, String stream, Long user, OffsetDateTime from, OffsetDateTime to,
                          long afterSeq, long throughSeq) {

  /** @return the scope of {@code filter} (its cursor and limit are ignored) over (afterSeq, throughSeq] */
  public static ExportScope of(EventFilter filter, long afterSeq, long throughSeq) {
    return new ExportScope(filter.type(), filter.stream(), filter.user(), filter.from(), filter.to(), afterSeq,
        throughSeq);
  }

  /** @return the same filters as an {@link EventFilter} starting after {@code seq}, {@code limit} per page */
  public EventFilter page(long seq, int limit) {
    return new EventFilter(type, stream, user, from, to, Cursor.ofSeq(seq), limit);
  }
}
