package io.datahose.archiver.query;

import io.datahose.archiver.archive.MembershipAction;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.datahose.archiver.db.Tables.APP_USER;
import static io.datahose.archiver.db.Tables.ATTACHMENT;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.MEMBERSHIP;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static io.datahose.archiver.db.Tables.STREAM;
import static io.datahose.archiver.db.Tables.SUPPRESSION;

/**
 * The read side of the conversation export formats (actiance, eml, csv): the events of an {@link ExportScope} one
 * stream at a time, in (occurrence time, seq) order, each with what the projections made of it: message versions
 * (with attachments), membership changes, a suppression. Paged by keyset so an export holds one page at a time.
 * Blocking JDBC; thread-safe.
 */
public final class ConversationQueries {

  /** A user as last seen; {@code email} may be null. */
  public record Person(long userId, String email, String username, String displayName) {
  }

  /** A stream's current properties (type IM, MIM, ROOM, POST; name for rooms). */
  public record StreamInfo(String streamId, String type, String name, Boolean external, Boolean isPublic,
                           Boolean crossPod) {
  }

  /** An attachment's metadata (the archive holds no file bytes). */
  public record Attachment(String attachmentId, String name, Long sizeBytes) {
  }

  /** One message version: the original, an edit ({@code replacing} set) or an edited one ({@code replacedBy}). */
  public record MessageVersion(String messageId, Long senderId, OffsetDateTime sentAt, String text,
                               String presentationMl, String parentMessageId, String replacing, String replacedBy,
                               Boolean externalRecipients, boolean suppressed, List<Attachment> attachments) {
  }

  /** A suppression of {@code messageId} (sender and text of that message when it is archived). */
  public record Suppression(String messageId, Long suppressedBy, OffsetDateTime suppressedAt, Long senderId,
                            String text) {
  }

  /** A membership history row: JOINED, LEFT, CREATOR, IM_MEMBER, PROMOTED, DEMOTED, REQUESTED. */
  public record MemberChange(long userId, String action) {
  }

  /** An event of a stream with its projected rows; all lists may be empty. */
  public record StreamEvent(long seq, String type, OffsetDateTime occurredAt, Long initiatorId,
                            List<MessageVersion> messages, List<MemberChange> members, Suppression suppression) {
  }

  /** Counts of a scope by event type, and its seq range (null when empty). */
  public record Summary(Map<String, Long> byType, Long firstSeq, Long lastSeq, long total,
                        OffsetDateTime firstOccurredAt, OffsetDateTime lastReceivedAt) {
  }

  private final DSLContext dsl;

  public ConversationQueries(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** @return the highest seq archived, 0 for an empty archive */
  public long maxSeq() {
    Long max = dsl.select(DSL.max(EVENT.SEQ)).from(EVENT).fetchOne(0, Long.class);
    return max == null ? 0 : max;
  }

  /** @return the scope's events counted by type ({@code "(none)"} for events without a type) */
  public Summary summary(ExportScope scope) {
    Map<String, Long> byType = new TreeMap<>();
    Long first = null;
    Long last = null;
    long total = 0;
    OffsetDateTime firstOccurred = null;
    OffsetDateTime lastReceived = null;
    for (var r : dsl.select(EVENT.TYPE, DSL.count(), DSL.min(EVENT.SEQ), DSL.max(EVENT.SEQ),
            DSL.min(EVENT.OCCURRED_AT), DSL.max(EVENT.RECEIVED_AT)).from(EVENT)
        .where(where(scope)).groupBy(EVENT.TYPE).fetch()) {
      if (r.value5() != null && (firstOccurred == null || r.value5().isBefore(firstOccurred))) {
        firstOccurred = r.value5();
      }
      if (r.value6() != null && (lastReceived == null || r.value6().isAfter(lastReceived))) {
        lastReceived = r.value6();
      }
      byType.put(r.value1() == null ? "(none)" : r.value1(), r.value2().longValue());
      total += r.value2();
      first = first == null || r.value3() < first ? r.value3() : first;
      last = last == null || r.value4() > last ? r.value4() : last;
    }
    return new Summary(byType, first, last, total, firstOccurred, lastReceived);
  }

  /** @return the first stream id after {@code after} (null: from the start) holding an event of the scope, or null */
  public String nextStream(ExportScope scope, String after) {
    List<Condition> where = where(scope);
    where.add(EVENT.STREAM_ID.isNotNull());
    if (after != null) {
      where.add(EVENT.STREAM_ID.gt(after));
    }
    // ORDER BY + LIMIT 1, not MIN(): H2 walks the stream index and stops at the first match
    return dsl.select(EVENT.STREAM_ID).from(EVENT).where(where).orderBy(EVENT.STREAM_ID).limit(1)
        .fetchOne(0, String.class);
  }

  /** @return the stream's properties, or a bare record when only events name it */
  public StreamInfo stream(String streamId) {
    var r = dsl.select(STREAM.STREAM_TYPE, STREAM.ROOM_NAME, STREAM.EXTERNAL, STREAM.IS_PUBLIC, STREAM.CROSS_POD)
        .from(STREAM).where(STREAM.STREAM_ID.eq(streamId)).fetchOne();
    return r == null ? new StreamInfo(streamId, null, null, null, null, null)
        : new StreamInfo(streamId, r.value1(), r.value2(), r.value3(), r.value4(), r.value5());
  }

  /**
   * @return the users who were members of the stream just before {@code at}, by user id (see {@link Membership}:
   * JOINED, CREATOR, IM_MEMBER, PROMOTED, DEMOTED make a member, LEFT ends it)
   */
  public List<Long> membersBefore(String streamId, OffsetDateTime at) {
    Map<Long, Boolean> members = new TreeMap<>();
    for (var r : dsl.select(MEMBERSHIP.USER_ID, MEMBERSHIP.ACTION).from(MEMBERSHIP)
        .where(MEMBERSHIP.STREAM_ID.eq(streamId), MEMBERSHIP.OCCURRED_AT.lt(at))
        .orderBy(MEMBERSHIP.OCCURRED_AT, MEMBERSHIP.EVENT_SEQ, MEMBERSHIP.ID).fetch()) {
      MembershipAction action = MembershipAction.fromStored(r.value2());
      if (action == MembershipAction.LEFT) {
        members.remove(r.value1());
      } else if (action != MembershipAction.REQUESTED) {
        members.put(r.value1(), true);
      }
    }
    return new ArrayList<>(members.keySet());
  }

  /**
   * One page of a stream's events in the scope, in (occurred_at, seq) order after ({@code afterTime},
   * {@code afterSeq}); {@code afterTime} null starts at the beginning. Events without an occurrence time are not
   * part of any conversation (the manifest counts them as not represented).
   */
  public List<StreamEvent> page(ExportScope scope, String streamId, OffsetDateTime afterTime, long afterSeq,
                                int limit) {
    List<Condition> where = where(scope);
    where.add(EVENT.STREAM_ID.eq(streamId));
    where.add(EVENT.OCCURRED_AT.isNotNull());
    if (afterTime != null) {
      where.add(EVENT.OCCURRED_AT.ge(afterTime)); // redundant, but a range an (stream_id, occurred_at) index can use
      where.add(EVENT.OCCURRED_AT.gt(afterTime).or(EVENT.OCCURRED_AT.eq(afterTime).and(EVENT.SEQ.gt(afterSeq))));
    }
    var events = dsl.select(EVENT.SEQ, EVENT.TYPE, EVENT.OCCURRED_AT, EVENT.INITIATOR_USER_ID).from(EVENT)
        .where(where).orderBy(EVENT.OCCURRED_AT, EVENT.SEQ).limit(limit).fetch();
    if (events.isEmpty()) {
      return List.of();
    }
    List<Long> seqs = events.map(r -> r.value1());
    Map<Long, List<MessageVersion>> messages = messages(seqs);
    Map<Long, List<MemberChange>> members = new HashMap<>();
    dsl.select(MEMBERSHIP.EVENT_SEQ, MEMBERSHIP.USER_ID, MEMBERSHIP.ACTION).from(MEMBERSHIP)
        .where(MEMBERSHIP.EVENT_SEQ.in(seqs)).orderBy(MEMBERSHIP.EVENT_SEQ, MEMBERSHIP.ID)
        .forEach(r -> members.computeIfAbsent(r.value1(), k -> new ArrayList<>())
            .add(new MemberChange(r.value2(), r.value3())));
    Map<Long, Suppression> suppressions = suppressions(seqs);
    List<StreamEvent> page = new ArrayList<>(events.size());
    for (var r : events) {
      long seq = r.value1();
      page.add(new StreamEvent(seq, r.value2(), r.value3(), r.value4(), messages.getOrDefault(seq, List.of()),
          members.getOrDefault(seq, List.of()), suppressions.get(seq)));
    }
    return page;
  }

  /** @return the users with these ids as last seen (unknown ids are absent) */
  public Map<Long, Person> users(Collection<Long> ids) {
    Map<Long, Person> users = new HashMap<>();
    if (ids.isEmpty()) {
      return users;
    }
    dsl.select(APP_USER.USER_ID, APP_USER.EMAIL, APP_USER.USERNAME, APP_USER.DISPLAY_NAME).from(APP_USER)
        .where(APP_USER.USER_ID.in(ids))
        .forEach(r -> users.put(r.value1(), new Person(r.value1(), r.value2(), r.value3(), r.value4())));
    return users;
  }

  private Map<Long, List<MessageVersion>> messages(List<Long> seqs) {
    var rows = dsl.select(MESSAGE.EVENT_SEQ, MESSAGE.MESSAGE_ID, MESSAGE.SENDER_USER_ID, MESSAGE.SENT_AT,
            MESSAGE.PLAIN_TEXT, MESSAGE.PRESENTATION_ML, MESSAGE.PARENT_MESSAGE_ID, MESSAGE.REPLACING,
            MESSAGE.REPLACED_BY, MESSAGE.EXTERNAL_RECIPIENTS, MESSAGE.SUPPRESSED, MESSAGE.ATTACHMENT_COUNT)
        .from(MESSAGE).where(MESSAGE.EVENT_SEQ.in(seqs)).orderBy(MESSAGE.EVENT_SEQ, MESSAGE.MESSAGE_ID).fetch();
    List<String> withFiles = rows.stream().filter(r -> r.value12() > 0).map(r -> r.value2()).toList();
    Map<String, List<Attachment>> files = new HashMap<>();
    if (!withFiles.isEmpty()) {
      dsl.select(ATTACHMENT.MESSAGE_ID, ATTACHMENT.ATTACHMENT_ID, ATTACHMENT.NAME, ATTACHMENT.SIZE_BYTES)
          .from(ATTACHMENT).where(ATTACHMENT.MESSAGE_ID.in(withFiles))
          .orderBy(ATTACHMENT.MESSAGE_ID, ATTACHMENT.ATTACHMENT_ID)
          .forEach(r -> files.computeIfAbsent(r.value1(), k -> new ArrayList<>())
              .add(new Attachment(r.value2(), r.value3(), r.value4())));
    }
    Map<Long, List<MessageVersion>> bySeq = new LinkedHashMap<>();
    for (Record r : rows) {
      String id = r.get(MESSAGE.MESSAGE_ID);
      bySeq.computeIfAbsent(r.get(MESSAGE.EVENT_SEQ), k -> new ArrayList<>()).add(new MessageVersion(id,
          r.get(MESSAGE.SENDER_USER_ID), r.get(MESSAGE.SENT_AT), r.get(MESSAGE.PLAIN_TEXT),
          r.get(MESSAGE.PRESENTATION_ML), r.get(MESSAGE.PARENT_MESSAGE_ID), r.get(MESSAGE.REPLACING),
          r.get(MESSAGE.REPLACED_BY), r.get(MESSAGE.EXTERNAL_RECIPIENTS), Boolean.TRUE.equals(r.get(MESSAGE.SUPPRESSED)),
          files.getOrDefault(id, List.of())));
    }
    return bySeq;
  }

  private Map<Long, Suppression> suppressions(List<Long> seqs) {
    var rows = dsl.select(SUPPRESSION.EVENT_SEQ, SUPPRESSION.MESSAGE_ID, SUPPRESSION.SUPPRESSED_BY,
        SUPPRESSION.SUPPRESSED_AT).from(SUPPRESSION).where(SUPPRESSION.EVENT_SEQ.in(seqs)).fetch();
    Map<Long, Suppression> bySeq = new HashMap<>();
    if (rows.isEmpty()) {
      return bySeq;
    }
    Map<String, Record> suppressed = new HashMap<>();
    dsl.select(MESSAGE.MESSAGE_ID, MESSAGE.SENDER_USER_ID, MESSAGE.PLAIN_TEXT).from(MESSAGE)
        .where(MESSAGE.MESSAGE_ID.in(rows.map(r -> r.value2()))).forEach(r -> suppressed.put(r.value1(), r));
    for (var r : rows) {
      Record m = suppressed.get(r.value2());
      bySeq.put(r.value1(), new Suppression(r.value2(), r.value3(), r.value4(),
          m == null ? null : m.get(MESSAGE.SENDER_USER_ID), m == null ? null : m.get(MESSAGE.PLAIN_TEXT)));
    }
    return bySeq;
  }

  private static List<Condition> where(ExportScope s) {
    List<Condition> where = new ArrayList<>();
    where.add(EVENT.SEQ.gt(s.afterSeq()));
    where.add(EVENT.SEQ.le(s.throughSeq()));
    if (s.type() != null) {
      where.add(EVENT.TYPE.eq(s.type()));
    }
    if (s.stream() != null) {
      where.add(EVENT.STREAM_ID.eq(s.stream()));
    }
    if (s.user() != null) {
      where.add(EVENT.INITIATOR_USER_ID.eq(s.user()));
    }
    if (s.from() != null) {
      where.add(EVENT.OCCURRED_AT.ge(s.from()));
    }
    if (s.to() != null) {
      where.add(EVENT.OCCURRED_AT.lt(s.to()));
    }
    return where;
  }
}
