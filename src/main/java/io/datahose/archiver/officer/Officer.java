package io.datahose.archiver.officer;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An officer as listed (never with its token hash), and the rules every way of adding one (the CLI, the admin API)
 * checks: the three roles and the name's syntax.
 *
 * @param revokedAt null while the officer's token is valid
 */
public record Officer(String name, String role, OffsetDateTime createdAt, OffsetDateTime revokedAt) {

  /** Reads messages, streams, users and exports them. */
  public static final String ROLE_OFFICER = "officer";
  /** Reads the access log. */
  public static final String ROLE_AUDITOR = "auditor";
  /** Manages officers, holds, disposal, backups and verification. */
  public static final String ROLE_ADMIN = "admin";
  /** Every role, in the order the messages name them. */
  public static final List<String> ROLES = List.of(ROLE_OFFICER, ROLE_AUDITOR, ROLE_ADMIN);
  /** The roles as the error messages spell them. */
  public static final String ROLES_TEXT = "officer, auditor or admin";

  private static final Pattern NAME = Pattern.compile("[\\w.@-]{1,100}");
  private static final String NAME_RULE = "must be 1..100 of letters, digits, . _ @ -";

  /** @return whether the token is still valid */
  public boolean active() {
    return revokedAt == null;
  }

  /** @return what is wrong with {@code name} as an officer's name ("must be …"), or null when nothing is */
  public static String nameProblem(String name) {
    return name != null && NAME.matcher(name).matches() ? null : NAME_RULE;
  }
}
