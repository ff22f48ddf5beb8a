package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.AppUserRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Consumer;

import static io.datahose.archiver.db.Tables.USER_IDENTITY;

/**
 * Every V4User seen anywhere in an event lands in {@code app_user} and {@code user_identity}. {@code app_user} holds
 * the current identity, each field (names, email, username) last-writer-wins by the event's own time then seq, so a
 * late old event never overwrites a newer name and a copy lacking a field keeps the known value; first/last seen are
 * the min/max of event times. {@code user_identity} holds every distinct identity the user was seen with, first and
 * last seen, so officers can tell how someone was named at the time. Users without a {@code userId} are skipped.
 * Pure (writes into the event's changes).
 */
final class UserProjection {

  private UserProjection() {
  }

  /** Upserts every user of a JSON array of V4User (absent array: nothing). */
  static void upsertAll(ProjectionContext ctx, JsonArray users) {
    if (users == null) {
      return;
    }
    for (int i = 0; i < users.size(); i++) {
      upsert(ctx, users.getJsonObject(i));
    }
  }

  /**
   * Upserts one V4User.
   *
   * @return its user id, null when {@code user} is null or has no userId
   */
  static Long upsert(ProjectionContext ctx, JsonObject user) {
    Long userId = user == null ? null : user.getLong("userId");
    if (userId == null) {
      return null;
    }
    String first = RowChecks.length(USER_IDENTITY.FIRST_NAME, user.getString("firstName"));
    String last = RowChecks.length(USER_IDENTITY.LAST_NAME, user.getString("lastName"));
    String display = RowChecks.length(USER_IDENTITY.DISPLAY_NAME, user.getString("displayName"));
    String email = RowChecks.length(USER_IDENTITY.EMAIL, user.getString("email"));
    String username = RowChecks.length(USER_IDENTITY.USERNAME,
        user.containsKey("username") ? user.getString("username") : user.getString("userName"));

    OffsetDateTime seen = ctx.seenAt();
    Versions.Version version = ctx.version();
    AppUserRecord row = ctx.changes().user(userId);
    row.setFirstSeenAt(min(row.getFirstSeenAt(), seen));
    row.setLastSeenAt(max(row.getLastSeenAt(), seen));
    Versions versions = Versions.parse(row.getFieldVersions());
    lww(versions, "firstName", version, first, row::setFirstName);
    lww(versions, "lastName", version, last, row::setLastName);
    lww(versions, "displayName", version, display, row::setDisplayName);
    lww(versions, "email", version, email, row::setEmail);
    lww(versions, "username", version, username, row::setUsername);
    if (versions.offer("event", version)) {
      row.setLastEventSeq(ctx.seq());
    }
    row.setFieldVersions(versions.format());
    if (first != null || last != null || display != null || email != null || username != null) {
      identity(ctx, userId, first, last, display, email, username);
    }
    return userId;
  }

  private static void identity(ProjectionContext ctx, long userId, String first, String last, String display,
                               String email, String username) {
    List<IdentityRow> rows = ctx.changes().identities(userId);
    Versions.Version version = ctx.version();
    for (IdentityRow row : rows) {
      if (row.sameIdentity(first, last, display, email, username)) {
        if (version.compareTo(row.first()) < 0) {
          row.firstSeenAt = ctx.seenAt();
          row.firstSeq = ctx.seq();
          row.changed = true;
        }
        if (version.isAfter(row.last())) {
          row.lastSeenAt = ctx.seenAt();
          row.lastSeq = ctx.seq();
          row.changed = true;
        }
        return;
      }
    }
    IdentityRow row = new IdentityRow(null, userId, first, last, display, email, username);
    row.firstSeenAt = ctx.seenAt();
    row.firstSeq = ctx.seq();
    row.lastSeenAt = ctx.seenAt();
    row.lastSeq = ctx.seq();
    row.changed = true;
    rows.add(row);
  }

  /** Sets {@code value} when present and {@code version} is newer than the field's. */
  static <T> void lww(Versions versions, String field, Versions.Version version, T value, Consumer<T> set) {
    if (value != null && versions.offer(field, version)) {
      set.accept(value);
    }
  }

  static OffsetDateTime min(OffsetDateTime a, OffsetDateTime b) {
    return a == null ? b : b == null || !b.isBefore(a) ? a : b;
  }

  static OffsetDateTime max(OffsetDateTime a, OffsetDateTime b) {
    return a == null ? b : b == null || !b.isAfter(a) ? a : b;
  }
}
