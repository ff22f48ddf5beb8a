package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.AppUserRecord;
import io.datahose.archiver.db.tables.records.StreamRecord;
import org.jooq.TableRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes one event's projector makes, on top of a read-only {@link BatchView}: rows it changes are copied
 * from the view on first touch (copy on write), rows it adds are collected. The view takes them with
 * {@link BatchView#apply} only when the projector returned; when it throws they are dropped, so nothing of a
 * raw-only event reaches the archive. Confined to the storing thread.
 */
final class EventChanges {

  private final BatchView view;
  final Map<Long, AppUserRecord> users = new HashMap<>();
  final Map<Long, List<IdentityRow>> identities = new HashMap<>();
  final Map<String, StreamRecord> streams = new HashMap<>();
  final Map<String, MessageState> messages = new HashMap<>();
  final Set<String> suppressed = new HashSet<>();
  final Map<String, BatchView.EditCandidate> edits = new HashMap<>();
  final Map<BatchView.ImKey, BatchView.ImParticipant> imParticipants = new HashMap<>();
  final Set<String> attachmentsReplaced = new LinkedHashSet<>();
  final List<TableRecord<?>> inserts = new ArrayList<>();

  EventChanges(BatchView view) {
    this.view = view;
  }

  /** The user row to change; a new row (only userId set) when the archive does not know the user. */
  AppUserRecord user(long userId) {
    return users.computeIfAbsent(userId, id -> {
      AppUserRecord known = view.users.get(id);
      if (known != null) {
        return BatchView.copy(known, new AppUserRecord());
      }
      AppUserRecord fresh = new AppUserRecord();
      fresh.setUserId(id);
      return fresh;
    });
  }

  /** The user's distinct identities, to change. */
  List<IdentityRow> identities(long userId) {
    return identities.computeIfAbsent(userId, id -> {
      List<IdentityRow> copy = new ArrayList<>();
      for (IdentityRow row : view.identities.getOrDefault(id, List.of())) {
        copy.add(row.copy());
      }
      return copy;
    });
  }

  /** The stream row to change; a new row (streamId set, not deactivated) when the archive does not know it. */
  StreamRecord stream(String streamId) {
    return streams.computeIfAbsent(streamId, id -> {
      StreamRecord known = view.streams.get(id);
      if (known != null) {
        return BatchView.copy(known, new StreamRecord());
      }
      StreamRecord fresh = new StreamRecord();
      fresh.setStreamId(id);
      fresh.setDeactivated(false);
      return fresh;
    });
  }

  /** @return the message's state to change, or null when neither the archive nor the batch has the id */
  MessageState message(String messageId) {
    MessageState mine = messages.get(messageId);
    if (mine != null) {
      return mine;
    }
    MessageState known = view.messages.get(messageId);
    if (known == null) {
      return null;
    }
    MessageState copy = known.copy();
    messages.put(messageId, copy);
    return copy;
  }

  /** Adds a message the archive does not have yet. */
  void putMessage(MessageState state) {
    messages.put(state.messageId, state);
  }

  boolean isSuppressed(String messageId) {
    return suppressed.contains(messageId) || view.suppressed.contains(messageId);
  }

  void suppress(String messageId) {
    suppressed.add(messageId);
  }

  BatchView.EditCandidate bestEdit(String original) {
    BatchView.EditCandidate mine = edits.get(original);
    return mine != null ? mine : view.edits.get(original);
  }

  void offerEdit(String original, BatchView.EditCandidate candidate) {
    BatchView.EditCandidate best = bestEdit(original);
    if (best == null || candidate.compareTo(best) < 0) {
      edits.put(original, candidate);
    }
  }

  BatchView.ImParticipant imParticipant(BatchView.ImKey key) {
    BatchView.ImParticipant mine = imParticipants.get(key);
    if (mine != null) {
      return mine;
    }
    BatchView.ImParticipant known = view.imParticipants.get(key);
    if (known == null) {
      return null;
    }
    BatchView.ImParticipant copy = new BatchView.ImParticipant(known.seq, known.version, known.inDatabase);
    copy.changed = known.changed;
    imParticipants.put(key, copy);
    return copy;
  }

  void putImParticipant(BatchView.ImKey key, BatchView.ImParticipant participant) {
    imParticipants.put(key, participant);
  }

  /** The attachments of an archived message are replaced by this event's. */
  void replaceAttachments(String messageId) {
    attachmentsReplaced.add(messageId);
  }

  /** Adds a row to insert. */
  void insert(TableRecord<?> row) {
    inserts.add(row);
  }
}
