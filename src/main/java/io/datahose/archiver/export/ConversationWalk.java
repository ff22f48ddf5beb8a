package io.datahose.archiver.export;

import io.datahose.archiver.query.ConversationQueries;
import io.datahose.archiver.query.ConversationQueries.StreamEvent;
import io.datahose.archiver.query.ExportScope;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link ConversationSink} over an export scope: stream by stream (stream id order), each stream's events
 * in (occurrence time, seq) order, cut into one conversation per UTC day. Reads one page of {@value #PAGE} events
 * at a time, so memory does not grow with the export. Counts what it wrote into {@link ExportStats}. Blocking.
 */
final class ConversationWalk {

  static final int PAGE = 500;

  private final ConversationQueries queries;
  private final People people;

  ConversationWalk(ConversationQueries queries, People people) {
    this.queries = queries;
    this.people = people;
  }

  void run(ExportScope scope, ConversationSink sink, ExportStats stats) throws IOException {
    for (String stream = queries.nextStream(scope, null); stream != null; stream = queries.nextStream(scope, stream)) {
      walkStream(scope, stream, sink, stats);
    }
  }

  private void walkStream(ExportScope scope, String streamId, ConversationSink sink, ExportStats stats)
      throws IOException {
    ConversationQueries.StreamInfo info = queries.stream(streamId);
    Conversation open = null;
    Presence presence = null;
    OffsetDateTime afterTime = null;
    long afterSeq = 0;
    while (true) {
      List<StreamEvent> page = queries.page(scope, streamId, afterTime, afterSeq, PAGE);
      if (page.isEmpty()) {
        break;
      }
      prefetchPeople(page);
      for (StreamEvent e : page) {
        LocalDate day = e.occurredAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
        if (open == null || !open.day().equals(day)) {
          if (open != null) {
            close(open, presence, sink);
          }
          open = begin(scope, info, day);
          presence = new Presence(open.present());
          people.prefetch(open.present());
          sink.begin(open);
          stats.conversations++;
        }
        List<ConversationSink.Change> changes = presence.apply(e.members());
        people.prefetch(changes.stream().map(ConversationSink.Change::userId).toList());
        sink.event(open, e, changes);
        stats.count(e, changes);
      }
      StreamEvent last = page.get(page.size() - 1);
      afterTime = last.occurredAt();
      afterSeq = last.seq();
    }
    if (open != null) {
      close(open, presence, sink);
    }
  }

  private Conversation begin(ExportScope scope, ConversationQueries.StreamInfo info, LocalDate day) {
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    if (scope.from() != null && scope.from().toInstant().isAfter(start)) {
      start = scope.from().toInstant();
    }
    if (scope.to() != null && scope.to().toInstant().isBefore(end)) {
      end = scope.to().toInstant();
    }
    List<Long> present = queries.membersBefore(info.streamId(), start.atOffset(ZoneOffset.UTC));
    return new Conversation(info, day, start, end, present, people);
  }

  private static void close(Conversation c, Presence presence, ConversationSink sink) throws IOException {
    sink.end(c, presence.members());
  }

  private void prefetchPeople(List<StreamEvent> page) {
    List<Long> ids = new ArrayList<>();
    for (StreamEvent e : page) {
      ids.add(e.initiatorId());
      e.messages().forEach(m -> ids.add(m.senderId()));
      if (e.suppression() != null) {
        ids.add(e.suppression().suppressedBy());
        ids.add(e.suppression().senderId());
      }
    }
    people.prefetch(ids);
  }
}
