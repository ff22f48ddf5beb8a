package io.datahose.archiver.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One room's whole life as Datahose events, one minute apart from {@link #T0}: created by 501, 502 and 503 join,
 * 502 promoted, messages, an edit, a suppression, a rename, 502 demoted, 503 leaves, deactivated, reactivated.
 */
final class RoomStory {

  static final String ROOM = "story-room-1";
  static final long T0 = 1_800_000_000_000L;
  static final long CREATOR = 501;
  static final long BOB = 502;
  static final long CAROL = 503;

  private final List<JsonObject> events = new ArrayList<>();

  private RoomStory() {
  }

  static List<JsonObject> events() {
    RoomStory s = new RoomStory();
    s.add("ROOMCREATED", CREATOR, "roomCreated", new JsonObject().put("stream", s.stream())
        .put("roomProperties", new JsonObject().put("name", "Rates desk").put("external", false)
            .put("creatorUser", user(CREATOR))));
    s.add("USERJOINEDROOM", BOB, "userJoinedRoom", new JsonObject().put("stream", s.stream()).put("affectedUser", user(BOB)));
    s.add("USERJOINEDROOM", CAROL, "userJoinedRoom", new JsonObject().put("stream", s.stream()).put("affectedUser", user(CAROL)));
    s.add("ROOMMEMBERPROMOTEDTOOWNER", CREATOR, "roomMemberPromotedToOwner",
        new JsonObject().put("stream", s.stream()).put("affectedUser", user(BOB)));
    s.message("story-m1", BOB, "Buying $ACME at noon", null);
    s.message("story-m2", CAROL, "Original wording", null);
    s.message("story-m2e", CAROL, "Edited wording", "story-m2");
    s.message("story-m3", BOB, "Delete this", null);
    s.add("MESSAGESUPPRESSED", CREATOR, "messageSuppressed", new JsonObject().put("messageId", "story-m3")
        .put("stream", s.stream()));
    s.add("ROOMUPDATED", CREATOR, "roomUpdated", new JsonObject().put("stream", s.stream())
        .put("newRoomProperties", new JsonObject().put("name", "Rates desk (EU)")));
    s.add("ROOMMEMBERDEMOTEDFROMOWNER", CREATOR, "roomMemberDemotedFromOwner",
        new JsonObject().put("stream", s.stream()).put("affectedUser", user(BOB)));
    s.add("USERLEFTROOM", CAROL, "userLeftRoom", new JsonObject().put("stream", s.stream()).put("affectedUser", user(CAROL)));
    s.add("ROOMDEACTIVATED", CREATOR, "roomDeactivated", new JsonObject().put("stream", s.stream()));
    s.add("ROOMREACTIVATED", CREATOR, "roomReactivated", new JsonObject().put("stream", s.stream()));
    return s.events;
  }

  /** @return the time of the i-th event (0-based) */
  static long at(int i) {
    return T0 + i * 60_000L;
  }

  private void message(String id, long sender, String text, String replacing) {
    JsonObject m = new JsonObject().put("messageId", id).put("timestamp", at(events.size()))
        .put("message", "<div data-format=\"PresentationML\" data-version=\"2.0\"><p>" + text + "</p></div>")
        .put("data", "{}").put("user", user(sender)).put("stream", stream());
    if (replacing != null) {
      m.put("replacing", replacing).put("initialMessageId", replacing);
    }
    add("MESSAGESENT", sender, "messageSent", new JsonObject().put("message", m)).put("messageId", id);
  }

  private JsonObject add(String type, long initiator, String key, JsonObject body) {
    JsonObject event = new JsonObject().put("id", "story-" + events.size()).put("type", type)
        .put("timestamp", at(events.size())).put("initiator", new JsonObject().put("user", user(initiator)))
        .put("payload", new JsonObject().put(key, body));
    events.add(event);
    return event;
  }

  private JsonObject stream() {
    return new JsonObject().put("streamId", ROOM).put("streamType", "ROOM").put("members", new JsonArray());
  }

  private static JsonObject user(long id) {
    return new JsonObject().put("userId", id).put("displayName", "User " + id).put("email", "u" + id + "@bank.example")
        .put("username", "u" + id);
  }
}
