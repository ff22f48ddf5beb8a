package io.datahose.archiver.query;

import io.datahose.archiver.archive.MembershipAction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

import static io.datahose.archiver.db.Tables.MEMBERSHIP;

/**
 * Who was in a stream at an instant, from the membership history: a user is a member after JOINED, CREATOR,
 * IM_MEMBER, PROMOTED or DEMOTED and until LEFT; an owner after CREATOR or PROMOTED and until DEMOTED or LEFT
 * (REQUESTED changes nothing). Blocking JDBC; thread-safe.
 */
final class Membership {

  private final DSLContext dsl;

  Membership(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** @return the members at {@code at} (now when null), by user id: {@code [{userId, owner, since}]} */
  JsonArray at(String streamId, OffsetDateTime at) {
    var rows = dsl.select(MEMBERSHIP.USER_ID, MEMBERSHIP.ACTION, MEMBERSHIP.OCCURRED_AT).from(MEMBERSHIP)
        .where(MEMBERSHIP.STREAM_ID.eq(streamId))
        .and(at == null ? MEMBERSHIP.ID.isNotNull() : MEMBERSHIP.OCCURRED_AT.le(at))
        .orderBy(MEMBERSHIP.OCCURRED_AT, MEMBERSHIP.EVENT_SEQ, MEMBERSHIP.ID).fetch();
    Map<Long, JsonObject> members = new TreeMap<>();
    for (var r : rows) {
      long user = r.value1();
      JsonObject m = members.get(user);
      MembershipAction action = MembershipAction.fromStored(r.value2());
      if (action == MembershipAction.LEFT) {
        members.remove(user);
      } else if (action != MembershipAction.REQUESTED) {
        if (m == null) {
          m = new JsonObject().put("userId", user).put("owner", false).put("since", Rows.value(r.value3()));
          members.put(user, m);
        }
        if (action == MembershipAction.CREATOR || action == MembershipAction.PROMOTED) {
          m.put("owner", true);
        } else if (action == MembershipAction.DEMOTED) {
          m.put("owner", false);
        }
      }
    }
    return new JsonArray(new java.util.ArrayList<>(members.values()));
  }
}
