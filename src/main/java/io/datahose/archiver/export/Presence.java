package io.datahose.archiver.export;

import io.datahose.archiver.archive.MembershipAction;
import io.datahose.archiver.query.ConversationQueries.MemberChange;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is in a conversation, folded over its membership rows as {@code Membership} does: JOINED, CREATOR, IM_MEMBER,
 * PROMOTED and DEMOTED make a member, LEFT ends it, REQUESTED changes nothing. Pure; not thread-safe.
 */
final class Presence {

  private final Set<Long> present;

  Presence(List<Long> atStart) {
    this.present = new TreeSet<>(atStart);
  }

  /**
   * @return the changes of presence these rows make, in order: an entry for a user not present, a leave for a user
   * present or not (a LEFT is evidence even when the history before it is incomplete)
   */
  List<ConversationSink.Change> apply(List<MemberChange> rows) {
    List<ConversationSink.Change> changes = new ArrayList<>(rows.size());
    for (MemberChange m : rows) {
      MembershipAction action = MembershipAction.fromStored(m.action());
      if (action == MembershipAction.LEFT) {
        present.remove(m.userId());
        changes.add(new ConversationSink.Change(m.userId(), false));
      } else if (action != MembershipAction.REQUESTED && present.add(m.userId())) {
        changes.add(new ConversationSink.Change(m.userId(), true));
      }
    }
    return changes;
  }

  /** @return the members now, by user id */
  List<Long> members() {
    return new ArrayList<>(present);
  }
}
