package io.datahose.archiver.archive;

import io.datahose.archiver.db.tables.records.AppUserRecord;
import io.datahose.archiver.db.tables.records.UserIdentityRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.TableField;

import java.time.OffsetDateTime;
import java.util.Objects;

import static io.datahose.archiver.db.Tables.APP_USER;
import static io.datahose.archiver.db.Tables.USER_IDENTITY;

/**
 * Every V4User seen anywhere in an event lands in {@code app_user} (latest identity, first/last seen, last seq)
 * and, whenever its identity (names, email, username) changes, in a new {@code user_identity} row so officers
 * can tell how someone was named at the time. Identity fields absent from the event keep their stored value
 * (initiators often carry fewer fields than message authors), so partial copies do not create false changes.
 * Users without a {@code userId} are skipped. Blocking; call on the storing worker thread.
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
    OffsetDateTime seen = ctx.seenAt();
    AppUserRecord row = ctx.rows().user(userId);
    row.setFirstSeenAt(min(row.getFirstSeenAt(), seen));
    row.setLastSeenAt(max(row.getLastSeenAt(), seen));
    boolean identityChanged = false;
    identityChanged |= apply(user, "firstName", APP_USER.FIRST_NAME, row.getFirstName(), row::setFirstName);
    identityChanged |= apply(user, "lastName", APP_USER.LAST_NAME, row.getLastName(), row::setLastName);
    identityChanged |= apply(user, "displayName", APP_USER.DISPLAY_NAME, row.getDisplayName(), row::setDisplayName);
    identityChanged |= apply(user, "email", APP_USER.EMAIL, row.getEmail(), row::setEmail);
    String username = user.containsKey("username") ? user.getString("username") : user.getString("userName");
    if (username != null && !username.equals(row.getUsername())) {
      row.setUsername(BatchRows.checkLength(APP_USER.USERNAME, username));
      identityChanged = true;
    }
    row.setLastEventSeq(ctx.seq());
    if (identityChanged) {
      UserIdentityRecord identity = ctx.tx().newRecord(USER_IDENTITY);
      identity.setUserId(userId);
      identity.setFirstName(row.getFirstName());
      identity.setLastName(row.getLastName());
      identity.setDisplayName(row.getDisplayName());
      identity.setEmail(row.getEmail());
      identity.setUsername(row.getUsername());
      identity.setSeenAt(seen);
      identity.setEventSeq(ctx.seq());
      ctx.rows().addIdentity(identity);
    }
    return userId;
  }

  private static boolean apply(JsonObject user, String key, TableField<AppUserRecord, String> column, String stored,
                               java.util.function.Consumer<String> set) {
    String value = user.getString(key);
    if (value == null || Objects.equals(value, stored)) {
      return false;
    }
    set.accept(BatchRows.checkLength(column, value));
    return true;
  }

  private static OffsetDateTime min(OffsetDateTime a, OffsetDateTime b) {
    return a == null ? b : b == null || !b.isBefore(a) ? a : b;
  }

  private static OffsetDateTime max(OffsetDateTime a, OffsetDateTime b) {
    return a == null ? b : b == null || !b.isAfter(a) ? a : b;
  }
}
