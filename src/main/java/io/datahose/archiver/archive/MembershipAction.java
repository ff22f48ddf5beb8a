package io.datahose.archiver.archive;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a {@code membership} history row records; {@code membership.action} holds {@link #stored()}, the constant's
 * name (renaming a constant would change what is stored). A user is a member after any of the
 * {@link #makesMember()} actions until LEFT; an owner after CREATOR or PROMOTED until DEMOTED or LEFT; REQUESTED
 * changes neither.
 */
public enum MembershipAction {

  /** USERJOINEDROOM: the affected user joined. */
  JOINED(true),
  /** ROOMCREATED: the initiator created the room, its first owner. */
  CREATOR(true),
  /** INSTANTMESSAGECREATED: one row per member of the IM. */
  IM_MEMBER(true),
  /** ROOMMEMBERPROMOTEDTOOWNER: the affected user became an owner. */
  PROMOTED(true),
  /** ROOMMEMBERDEMOTEDFROMOWNER: the affected user is an owner no longer, but still a member. */
  DEMOTED(true),
  /** USERLEFTROOM: the affected user left. */
  LEFT(false),
  /** USERREQUESTEDTOJOINROOM: the initiator asked to join (the asked owners are in {@code join_request_owner}). */
  REQUESTED(false);

  private static final Map<String, MembershipAction> BY_STORED = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(MembershipAction::stored, Function.identity()));

  private final boolean makesMember;

  MembershipAction(boolean makesMember) {
    this.makesMember = makesMember;
  }

  /** @return the text in {@code membership.action} */
  public String stored() {
    return name();
  }

  /** @return whether a row with this action makes its user a member (until a later LEFT) */
  public boolean makesMember() {
    return makesMember;
  }

  /** @return the action stored as {@code text}, null for null or text that no projection writes */
  public static MembershipAction fromStored(String text) {
    return text == null ? null : BY_STORED.get(text);
  }
}
