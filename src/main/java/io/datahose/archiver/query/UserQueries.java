package io.datahose.archiver.query;

import io.datahose.archiver.db.tables.records.AppUserRecord;
import io.vertx.core.json.JsonObject;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.List;

import static io.datahose.archiver.db.Tables.APP_USER;
import static io.datahose.archiver.db.Tables.EVENT;
import static io.datahose.archiver.db.Tables.MEMBERSHIP;
import static io.datahose.archiver.db.Tables.MESSAGE;
import static io.datahose.archiver.db.Tables.USER_IDENTITY;

/**
 * {@code GET /users} (by user id; {@code q} matches the id exactly or a name, email or username by prefix,
 * case-insensitive) and {@code GET /users/{id}}: identity as last seen, its history and activity counts.
 * Blocking JDBC; thread-safe.
 */
public final class UserQueries {

  private final DSLContext dsl;

  public UserQueries(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** @return one page of users */
  public Page list(String q, String cursor, int limit) {
    List<Condition> where = new ArrayList<>();
    if (q != null) {
      Condition text = APP_USER.DISPLAY_NAME.startsWithIgnoreCase(q).or(APP_USER.EMAIL.startsWithIgnoreCase(q))
          .or(APP_USER.USERNAME.startsWithIgnoreCase(q)).or(APP_USER.FIRST_NAME.startsWithIgnoreCase(q))
          .or(APP_USER.LAST_NAME.startsWithIgnoreCase(q));
      where.add(q.matches("\\d{1,18}") ? text.or(APP_USER.USER_ID.eq(Long.parseLong(q))) : text);
    }
    if (cursor != null) {
      where.add(APP_USER.USER_ID.gt(Cursor.seq(cursor)));
    }
    List<AppUserRecord> rows = dsl.selectFrom(APP_USER).where(where.isEmpty() ? DSL.noCondition() : DSL.and(where))
        .orderBy(APP_USER.USER_ID).limit(limit + 1).fetch();
    return new Page(Rows.toJson(rows.subList(0, Math.min(limit, rows.size()))),
        rows.size() > limit ? Cursor.ofSeq(rows.get(limit - 1).getUserId()) : null);
  }

  /** @throws QueryException 404 for a user never seen */
  public JsonObject get(long userId) {
    AppUserRecord user = dsl.selectFrom(APP_USER).where(APP_USER.USER_ID.eq(userId)).fetchOne();
    if (user == null) {
      throw QueryException.notFound("no user with that id");
    }
    JsonObject json = Rows.toJson(user);
    json.put("identityHistory", Rows.toJson(dsl.selectFrom(USER_IDENTITY).where(USER_IDENTITY.USER_ID.eq(userId))
        .orderBy(USER_IDENTITY.SEEN_AT, USER_IDENTITY.EVENT_SEQ).fetch()));
    json.put("activity", new JsonObject()
        .put("messagesSent", dsl.fetchCount(MESSAGE, MESSAGE.SENDER_USER_ID.eq(userId)))
        .put("eventsInitiated", dsl.fetchCount(EVENT, EVENT.INITIATOR_USER_ID.eq(userId)))
        .put("streams", dsl.fetchCount(dsl.selectDistinct(MEMBERSHIP.STREAM_ID).from(MEMBERSHIP)
            .where(MEMBERSHIP.USER_ID.eq(userId)))));
    return json;
  }
}
