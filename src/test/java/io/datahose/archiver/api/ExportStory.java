package io.datahose.archiver.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A room (its name has a comma, quotes and a line break) whose life crosses a UTC midnight, for the export formats: created by Zoë (601), 山田 太郎 (602) and
 * Ann (603, no email) join, a message with a comma and quotes, one with an attachment and its edit;
 * after midnight a non-ASCII message that is suppressed, 602 leaves, a last message. One hour apart from
 * {@link #T0} (22:00 UTC), so events 0..1 fall on the first day and 2.. on the second.
 */
final class ExportStory {

  static final String ROOM = "export-room-1";
  static final String NAME = "Rates, \"EU\"\ndesk"; // a line break: message text never has one (PlainText)
  static final long T0 = 1_800_000_000_000L - 1_800_000_000_000L % 86_400_000L + 22 * 3_600_000L;
  static final long ZOE = 601;
  static final long YAMADA = 602;
  static final long ANN = 603;
  static final String TRICKY = "Price is 101,5 \"firm\"";

  private final List<JsonObject> events = new ArrayList<>();

  private ExportStory() {
  }

  static List<JsonObject> events() {
    ExportStory s = new ExportStory();
    s.add("ROOMCREATED", ZOE, "roomCreated", new JsonObject().put("stream", s.stream())
        .put("roomProperties", new JsonObject().put("name", NAME).put("external", false).put("public", false)
            .put("creatorUser", user(ZOE))));
    s.add("USERJOINEDROOM", YAMADA, "userJoinedRoom", new JsonObject().put("stream", s.stream())
        .put("affectedUser", user(YAMADA)));
    s.add("USERJOINEDROOM", ANN, "userJoinedRoom", new JsonObject().put("stream", s.stream())
        .put("affectedUser", user(ANN)));
    s.message("export-m1", YAMADA, TRICKY + "<br/>second line", null, null);
    s.message("export-m2", ANN, "See the term sheet", null, new JsonArray().add(new JsonObject()
        .put("id", "att-1").put("name", "term sheet.pdf").put("size", 1234)));
    s.message("export-m2e", ANN, "See the term sheet (v2)", "export-m2", null);
    s.message("export-m3", ZOE, "Ünïcödé ✓ 山田", null, null);
    s.add("MESSAGESUPPRESSED", ZOE, "messageSuppressed", new JsonObject().put("messageId", "export-m3")
        .put("stream", s.stream()));
    s.add("USERLEFTROOM", YAMADA, "userLeftRoom", new JsonObject().put("stream", s.stream())
        .put("affectedUser", user(YAMADA)));
    s.message("export-m4", ZOE, "Closing for today", null, null);
    return s.events;
  }

  /** @return the time of the i-th event (0-based) */
  static long at(int i) {
    return T0 + i * 3_600_000L;
  }

  private void message(String id, long sender, String text, String replacing, JsonArray attachments) {
    JsonObject m = new JsonObject().put("messageId", id).put("timestamp", at(events.size()))
        .put("message", "<div data-format=\"PresentationML\" data-version=\"2.0\"><p>" + text + "</p></div>")
        .put("data", "{}").put("user", user(sender)).put("stream", stream());
    if (replacing != null) {
      m.put("replacing", replacing).put("initialMessageId", replacing);
    }
    if (attachments != null) {
      m.put("attachments", attachments);
    }
    add("MESSAGESENT", sender, "messageSent", new JsonObject().put("message", m)).put("messageId", id);
  }

  private JsonObject add(String type, long initiator, String key, JsonObject body) {
    JsonObject event = new JsonObject().put("id", "export-" + events.size()).put("type", type)
        .put("timestamp", at(events.size())).put("initiator", new JsonObject().put("user", user(initiator)))
        .put("payload", new JsonObject().put(key, body));
    events.add(event);
    return event;
  }

  private JsonObject stream() {
    return new JsonObject().put("streamId", ROOM).put("streamType", "ROOM").put("members", new JsonArray());
  }

  static JsonObject user(long id) {
    JsonObject u = new JsonObject().put("userId", id).put("username", "u" + id);
    if (id == ZOE) {
      return u.put("displayName", "Zoë Müller").put("email", "zoe@bank.example");
    }
    if (id == YAMADA) {
      return u.put("displayName", "山田 太郎").put("email", "yamada@bank.example");
    }
    return u.put("displayName", "Ann O'Neil");
  }
}
