package io.datahose.archiver.archive;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One {@code user_identity} row: a distinct identity (names, email, username as an event carried them) a user was
 * seen with, first and last seen. A set, not a log of changes, so it does not depend on the order events arrive in.
 * Confined to the storing thread.
 */
final class IdentityRow {

  /** Database id; null until inserted. */
  Long id;
  final long userId;
  final String firstName;
  final String lastName;
  final String displayName;
  final String email;
  final String username;
  OffsetDateTime firstSeenAt;
  long firstSeq;
  OffsetDateTime lastSeenAt;
  long lastSeq;
  boolean changed;

  IdentityRow(Long id, long userId, String firstName, String lastName, String displayName, String email,
              String username) {
    this.id = id;
    this.userId = userId;
    this.firstName = firstName;
    this.lastName = lastName;
    this.displayName = displayName;
    this.email = email;
    this.username = username;
  }

  boolean sameIdentity(String first, String last, String display, String mail, String user) {
    return Objects.equals(firstName, first) && Objects.equals(lastName, last) && Objects.equals(displayName, display)
        && Objects.equals(email, mail) && Objects.equals(username, user);
  }

  Versions.Version first() {
    return new Versions.Version(Projections.epoch(firstSeenAt), firstSeq);
  }

  Versions.Version last() {
    return new Versions.Version(Projections.epoch(lastSeenAt), lastSeq);
  }

  IdentityRow copy() {
    IdentityRow c = new IdentityRow(id, userId, firstName, lastName, displayName, email, username);
    c.firstSeenAt = firstSeenAt;
    c.firstSeq = firstSeq;
    c.lastSeenAt = lastSeenAt;
    c.lastSeq = lastSeq;
    c.changed = changed;
    return c;
  }
}
