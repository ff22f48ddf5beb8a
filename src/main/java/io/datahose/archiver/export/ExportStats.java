package io.datahose.archiver.export;

import io.datahose.archiver.query.ConversationQueries.StreamEvent;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a conversation export wrote, for its manifest: conversations, message versions, suppressions, entries, leaves,
 * attachments, and the events of the scope by type that became part of a conversation. Not thread-safe.
 */
final class ExportStats {

  long conversations;
  long messageVersions;
  long suppressions;
  long entered;
  long left;
  long attachments;
  long parts;
  final Map<String, Long> represented = new TreeMap<>();

  void count(StreamEvent e, List<ConversationSink.Change> changes) {
    messageVersions += e.messages().size();
    e.messages().forEach(m -> attachments += m.attachments().size());
    if (e.suppression() != null) {
      suppressions++;
    }
    for (ConversationSink.Change c : changes) {
      if (c.entered()) {
        entered++;
      } else {
        left++;
      }
    }
    if (!e.messages().isEmpty() || e.suppression() != null || !changes.isEmpty()) {
      represented.merge(e.type() == null ? "(none)" : e.type(), 1L, Long::sum);
    }
  }

  /** @return the counts as manifest members; {@code notRepresented} = events of the scope outside any element */
  JsonObject toJson(Map<String, Long> inScope) {
    JsonObject notRepresented = new JsonObject();
    inScope.forEach((type, n) -> {
      long left = n - represented.getOrDefault(type, 0L);
      if (left > 0) {
        notRepresented.put(type, left);
      }
    });
    JsonObject json = new JsonObject().put("conversations", conversations).put("messageVersions", messageVersions)
        .put("suppressions", suppressions).put("participantsEntered", entered).put("participantsLeft", left)
        .put("attachments", attachments);
    if (parts > 0) {
      json.put("messages", parts);
    }
    return json.put("notRepresented", notRepresented);
  }
}
