package io.datahose.archiver.query;

import java.time.OffsetDateTime;

/**
 * The filters of {@code GET /events} and {@code GET /export}, combined with AND: event type, stream, initiator,
 * occurrence time [from, to); plus the keyset cursor and page size.
 */
public record EventFilter(String type, String stream, Long user, OffsetDateTime from, OffsetDateTime to,
                          String cursor, int limit) {

  /** @return the same filters starting after {@code seq} (export paging) */
  public EventFilter afterSeq(long seq, int pageSize) {
    return new EventFilter(type, stream, user, from, to, Cursor.ofSeq(seq), pageSize);
  }
}
