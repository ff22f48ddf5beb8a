package io.datahose.archiver.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Deterministic (per seed) generator of realistic Real-Time Events ({@code V4Event}) of all 17 types in a small
 * simulated pod (see {@link World}): rooms are created before use, edits and suppressions refer to earlier messages,
 * actions to earlier forms, acceptances to earlier requests. Timestamps strictly increase from the start time.
 * Room creation with initial members yields a ROOMCREATED and USERJOINEDROOM events sharing one {@code id}; about 3%
 * of events carry an unknown {@code futureField}. Thread-safe (methods synchronized).
 */
public final class EventGenerator {

  /** The 17 event types: the 16 of the datahose spec plus GENERICSYSTEMEVENT. */
  public static final List<String> ALL_TYPES = List.of("MESSAGESENT", "MESSAGESUPPRESSED", "SYMPHONYELEMENTSACTION",
      "SHAREDPOST", "INSTANTMESSAGECREATED", "ROOMCREATED", "ROOMUPDATED", "ROOMDEACTIVATED", "ROOMREACTIVATED",
      "USERREQUESTEDTOJOINROOM", "USERJOINEDROOM", "USERLEFTROOM", "ROOMMEMBERPROMOTEDTOOWNER",
      "ROOMMEMBERDEMOTEDFROMOWNER", "CONNECTIONREQUESTED", "CONNECTIONACCEPTED", "GENERICSYSTEMEVENT");

  /** 2026-01-01T00:00:00Z */
  public static final long DEFAULT_START = 1_767_225_600_000L;

  private final Random random;
  private final World world = new World();
  private final Messages messages;
  private final Deque<JsonObject> overflow = new ArrayDeque<>();
  private final Map<String, Supplier<List<JsonObject>>> byType = new LinkedHashMap<>();
  private final List<Map.Entry<Integer, Supplier<List<JsonObject>>>> mix = new ArrayList<>();
  private int totalWeight;
  private long clock;

  public EventGenerator(long seed) {
    this(seed, DEFAULT_START);
  }

  public EventGenerator(long seed, long startMillis) {
    this.random = new Random(seed);
    this.messages = new Messages(random);
    this.clock = startMillis;
    register("MESSAGESENT", 45, this::messageSent);
    register("MESSAGESUPPRESSED", 3, this::messageSuppressed);
    register("SYMPHONYELEMENTSACTION", 4, this::elementsAction);
    register("SHAREDPOST", 3, this::sharedPost);
    register("INSTANTMESSAGECREATED", 5, this::imCreated);
    register("ROOMCREATED", 5, this::roomCreated);
    register("ROOMUPDATED", 3, this::roomUpdated);
    register("ROOMDEACTIVATED", 1, this::roomDeactivated);
    register("ROOMREACTIVATED", 1, this::roomReactivated);
    register("USERREQUESTEDTOJOINROOM", 2, this::requestedToJoin);
    register("USERJOINEDROOM", 4, this::joined);
    register("USERLEFTROOM", 3, this::left);
    register("ROOMMEMBERPROMOTEDTOOWNER", 2, this::promoted);
    register("ROOMMEMBERDEMOTEDFROMOWNER", 2, this::demoted);
    register("CONNECTIONREQUESTED", 2, this::connectionRequested);
    register("CONNECTIONACCEPTED", 2, this::connectionAccepted);
    register("GENERICSYSTEMEVENT", 2, this::genericSystemEvent);
    mix.add(Map.entry(4, this::edit));
    mix.add(Map.entry(3, this::wallPost));
    mix.add(Map.entry(2, this::formMessage));
    totalWeight = mix.stream().mapToInt(Map.Entry::getKey).sum();
  }

  /** @return the {@code payload} member name of {@code type} (e.g. MESSAGESENT → messageSent) */
  public static String payloadKey(String type) {
    return switch (type) {
      case "MESSAGESENT" -> "messageSent";
      case "MESSAGESUPPRESSED" -> "messageSuppressed";
      case "SYMPHONYELEMENTSACTION" -> "symphonyElementsAction";
      case "SHAREDPOST" -> "sharedPost";
      case "INSTANTMESSAGECREATED" -> "instantMessageCreated";
      case "ROOMCREATED" -> "roomCreated";
      case "ROOMUPDATED" -> "roomUpdated";
      case "ROOMDEACTIVATED" -> "roomDeactivated";
      case "ROOMREACTIVATED" -> "roomReactivated";
      case "USERREQUESTEDTOJOINROOM" -> "userRequestedToJoinRoom";
      case "USERJOINEDROOM" -> "userJoinedRoom";
      case "USERLEFTROOM" -> "userLeftRoom";
      case "ROOMMEMBERPROMOTEDTOOWNER" -> "roomMemberPromotedToOwner";
      case "ROOMMEMBERDEMOTEDFROMOWNER" -> "roomMemberDemotedFromOwner";
      case "CONNECTIONREQUESTED" -> "connectionRequested";
      case "CONNECTIONACCEPTED" -> "connectionAccepted";
      case "GENERICSYSTEMEVENT" -> "genericSystemEvent";
      default -> throw new IllegalArgumentException("unknown event type " + type);
    };
  }

  /** @return the next {@code n} events of a realistic mix, in causal order */
  public synchronized List<JsonObject> next(int n) {
    List<JsonObject> out = new ArrayList<>(n);
    while (out.size() < n) {
      if (overflow.isEmpty()) {
        overflow.addAll(pickFromMix().get());
      }
      out.add(overflow.pollFirst());
    }
    return out;
  }

  /**
   * @return one valid event of {@code type}. Prerequisite events (e.g. the room it happens in) are created in the
   * world but not returned.
   */
  public synchronized JsonObject one(String type) {
    Supplier<List<JsonObject>> supplier = byType.get(type);
    if (supplier == null) {
      throw new IllegalArgumentException("unknown event type " + type);
    }
    return supplier.get().stream().filter(e -> type.equals(e.getString("type"))).findFirst().orElseThrow();
  }

  private void register(String type, int weight, Supplier<List<JsonObject>> supplier) {
    byType.put(type, supplier);
    mix.add(Map.entry(weight, supplier));
  }

  private Supplier<List<JsonObject>> pickFromMix() {
    int roll = random.nextInt(totalWeight);
    for (Map.Entry<Integer, Supplier<List<JsonObject>>> entry : mix) {
      roll -= entry.getKey();
      if (roll < 0) {
        return entry.getValue();
      }
    }
    throw new IllegalStateException("weights");
  }

  // ---- envelope -------------------------------------------------------------------------------------------

  private JsonObject event(String type, String id, String messageId, World.User initiator, JsonObject payload) {
    clock += 1 + random.nextInt(3000);
    JsonObject event = new JsonObject().put("id", id);
    if (messageId != null) {
      event.put("messageId", messageId);
    }
    event.put("timestamp", clock).put("type", type)
        .put("initiator", new JsonObject().put("user", initiator.json()))
        .put("payload", new JsonObject().put(payloadKey(type), payload));
    if (random.nextInt(33) == 0) {
      JsonObject future = new JsonObject().put("introducedIn", "27.2").put("flags", new JsonArray().add("ß").add(7));
      if (random.nextBoolean()) {
        event.put("futureField", future);
      } else {
        payload.put("futureField", future);
      }
    }
    return event;
  }

  private JsonObject event(String type, World.User initiator, JsonObject payload) {
    return event(type, Ids.eventId(random), Ids.streamOrMessageId(random), initiator, payload);
  }

  // ---- streams ----------------------------------------------------------------------------------------------

  private record Where(JsonObject stream, List<World.User> members, boolean external) {
  }

  /** Picks an active room or IM with members, creating one first (events into {@code out}) when needed. */
  private Where conversation(List<JsonObject> out) {
    List<World.Room> active = world.rooms.stream().filter(r -> r.active && !r.members.isEmpty()).toList();
    boolean wantRoom = random.nextInt(10) < 6;
    if (wantRoom && active.isEmpty() || !wantRoom && world.conversations.isEmpty()) {
      out.addAll(wantRoom ? roomCreated() : imCreated());
      return conversation(out);
    }
    if (wantRoom) {
      World.Room room = World.pick(random, active);
      JsonObject stream = room.stream();
      stream.remove("recipientTenantIds");
      return new Where(stream, new ArrayList<>(room.members), room.external);
    }
    World.Conversation im = World.pick(random, world.conversations);
    return new Where(im.stream(false), im.members(), im.external());
  }

  private World.Room activeRoom(List<JsonObject> out) {
    List<World.Room> active = world.rooms.stream().filter(r -> r.active).toList();
    if (active.isEmpty()) {
      out.addAll(roomCreated());
      return world.rooms.get(world.rooms.size() - 1);
    }
    return World.pick(random, active);
  }

  // ---- messages ---------------------------------------------------------------------------------------------

  private JsonObject message(World.User author, JsonObject stream, List<World.User> members, boolean external,
                             String text, String data) {
    clock += 1;
    JsonObject message = new JsonObject().put("messageId", Ids.streamOrMessageId(random)).put("timestamp", clock + 1)
        .put("message", text).put("data", data);
    JsonArray attachments = messages.attachments(stream.getString("streamId"));
    if (attachments != null) {
      message.put("attachments", attachments);
    }
    message.put("user", author.json()).put("stream", stream.copy()).put("externalRecipients", external)
        .put("userAgent", random.nextBoolean() ? "DESKTOP-26.3.0-2311-Windows-10-Chrome-141.0" : "Agent-26.3.1-Linux")
        .put("originalFormat", "com.symphony.messageml.v2").put("sid", Ids.uuid(random));
    if (!world.messages.isEmpty() && random.nextInt(20) == 0) {
      message.put("parentMessageId", World.pick(random, world.messages).messageId());
    }
    if (random.nextInt(40) == 0) {
      message.put("disclaimer", "Messages are archived — Les messages sont archivés");
    }
    return message;
  }

  private JsonObject sent(World.User author, JsonObject message) {
    JsonObject event = event("MESSAGESENT", Ids.eventId(random), message.getString("messageId"), author,
        new JsonObject().put("message", message));
    message.put("timestamp", event.getLong("timestamp"));
    return event;
  }

  private List<JsonObject> messageSent() {
    List<JsonObject> out = new ArrayList<>();
    Where where = conversation(out);
    World.User author = World.pick(random, where.members());
    Messages.Content content = messages.content(where.members());
    JsonObject message = message(author, where.stream(), where.members(), where.external(), content.presentationMl(),
        content.data());
    out.add(sent(author, message));
    world.messages.add(new World.Sent(message, author, where.stream(), message.getString("messageId"),
        message.getLong("timestamp"), null));
    return out;
  }

  private List<JsonObject> edit() {
    List<World.Sent> editable = world.messages.stream().filter(s -> s.formId() == null).toList();
    if (editable.isEmpty()) {
      return messageSent();
    }
    World.Sent original = World.pick(random, editable);
    Messages.Content content = messages.content(List.of());
    JsonObject message = message(original.author(), original.stream(), List.of(),
        original.message().getBoolean("externalRecipients"), content.presentationMl(), content.data())
        .put("replacing", original.messageId()).put("initialMessageId", original.initialMessageId())
        .put("initialTimestamp", original.initialTimestamp()).put("silent", random.nextBoolean());
    List<JsonObject> out = List.of(sent(original.author(), message));
    world.messages.add(new World.Sent(message, original.author(), original.stream(), original.initialMessageId(),
        original.initialTimestamp(), null));
    return out;
  }

  private List<JsonObject> messageSuppressed() {
    List<JsonObject> out = new ArrayList<>();
    if (world.messages.isEmpty()) {
      out.addAll(messageSent());
    }
    World.Sent victim = World.pick(random, world.messages);
    World.User officer = World.pick(random, world.internalUsers());
    JsonObject stream = new JsonObject().put("streamId", victim.stream().getString("streamId"))
        .put("streamType", victim.stream().getString("streamType"))
        .put("external", victim.stream().getBoolean("external", false));
    out.add(event("MESSAGESUPPRESSED", officer, new JsonObject().put("messageId", victim.messageId())
        .put("stream", stream)));
    return out;
  }

  private List<JsonObject> wallPost() {
    World.User author = World.pick(random, world.internalUsers());
    Messages.Content content = messages.content(List.of());
    JsonObject stream = world.wall(author);
    JsonObject message = message(author, stream, List.of(), false, content.presentationMl(), content.data());
    world.wallPosts.add(new World.Sent(message, author, stream, message.getString("messageId"),
        message.getLong("timestamp"), null));
    return List.of(sent(author, message));
  }

  private List<JsonObject> sharedPost() {
    List<JsonObject> out = new ArrayList<>();
    if (world.wallPosts.isEmpty()) {
      out.addAll(wallPost());
    }
    World.Sent original = World.pick(random, world.wallPosts);
    World.User sharer = World.pick(random, world.internalUsers());
    String comment = "<div data-format=\"PresentationML\" data-version=\"2.0\" class=\"wysiwyg\"><p>À lire — "
        + Messages.escape(original.author().displayName()) + "</p></div>";
    JsonObject share = message(sharer, world.wall(sharer), List.of(), false, comment, "{}");
    out.add(event("SHAREDPOST", sharer, new JsonObject().put("message", share)
        .put("sharedMessage", original.message().copy())));
    return out;
  }

  private List<JsonObject> formMessage() {
    List<JsonObject> out = new ArrayList<>();
    Where where = conversation(out);
    World.User author = World.pick(random, where.members());
    String formId = "form_" + Ids.token(random, 6);
    JsonObject message = message(author, where.stream(), where.members(), where.external(), messages.form(formId), "{}");
    out.add(sent(author, message));
    world.forms.add(new World.Sent(message, author, where.stream(), message.getString("messageId"),
        message.getLong("timestamp"), formId));
    world.messages.add(world.forms.get(world.forms.size() - 1));
    return out;
  }

  private List<JsonObject> elementsAction() {
    List<JsonObject> out = new ArrayList<>();
    if (world.forms.isEmpty()) {
      out.addAll(formMessage());
    }
    World.Sent form = World.pick(random, world.forms);
    World.User user = World.pick(random, world.users);
    JsonObject values = new JsonObject().put("action", "submit").put("ticker", random.nextBoolean() ? "AAPL" : "ÅSA")
        .put("quantity", String.valueOf(100 * (1 + random.nextInt(50))))
        .put("comment", random.nextBoolean() ? "Bitte prüfen — 请确认" : "ok");
    JsonObject stream = new JsonObject().put("streamId", form.stream().getString("streamId"))
        .put("streamType", form.stream().getString("streamType"))
        .put("external", form.stream().getBoolean("external", false));
    out.add(event("SYMPHONYELEMENTSACTION", user, new JsonObject().put("stream", stream)
        .put("formMessageId", form.messageId()).put("formId", form.formId()).put("formValues", values)));
    return out;
  }

  // ---- conversations ----------------------------------------------------------------------------------------

  private List<JsonObject> imCreated() {
    World.User creator = World.pick(random, world.internalUsers());
    List<World.User> members = new ArrayList<>(List.of(creator));
    int size = random.nextInt(6) == 0 ? 3 : 2;
    while (members.size() < size) {
      World.User other = World.pick(random, world.users);
      if (!members.contains(other)) {
        members.add(other);
      }
    }
    boolean external = members.stream().anyMatch(World.User::external);
    World.Conversation im = new World.Conversation(Ids.streamOrMessageId(random), List.copyOf(members), external);
    world.conversations.add(im);
    return List.of(event("INSTANTMESSAGECREATED", creator, new JsonObject().put("stream", im.stream(true))));
  }

  private List<JsonObject> roomCreated() {
    World.User creator = World.pick(random, world.internalUsers());
    int kind = random.nextInt(10);
    boolean external = kind >= 7;
    boolean crossPod = kind == 9;
    String name = ROOM_NAMES[random.nextInt(ROOM_NAMES.length)] + " " + (world.rooms.size() + 1);
    World.Room room = new World.Room(Ids.streamOrMessageId(random), name, external, crossPod, clock + 1, creator);
    room.description = random.nextBoolean() ? "#" + Ids.token(random, 5) : "Salle de marché — 交易室";
    room.members.add(creator);
    room.owners.add(creator);
    world.rooms.add(room);
    String id = Ids.eventId(random);
    List<JsonObject> out = new ArrayList<>();
    out.add(event("ROOMCREATED", id, Ids.streamOrMessageId(random), creator,
        new JsonObject().put("stream", room.stream()).put("roomProperties", room.properties())));
    if (random.nextBoolean()) {
      int initial = 1 + random.nextInt(3);
      for (int i = 0; i < initial; i++) {
        World.User member = candidate(room);
        room.members.add(member);
        out.add(event("USERJOINEDROOM", id, Ids.streamOrMessageId(random), creator,
            new JsonObject().put("stream", room.stream()).put("affectedUser", member.json())));
      }
    }
    return out;
  }

  private static final String[] ROOM_NAMES = {"FX Desk", "Équités Paris", "東京 Rates", "Credit Flow",
      "Σύσκεψη", "Compliance Watch", "Deal Team Ørsted", "Client — Müller AG"};

  private World.User candidate(World.Room room) {
    List<World.User> pool = room.external ? world.users : world.internalUsers();
    World.User user = World.pick(random, pool);
    for (int i = 0; i < 20 && room.members.contains(user); i++) {
      user = World.pick(random, pool);
    }
    if (room.members.contains(user)) {
      user = world.users.stream().filter(u -> !room.members.contains(u)).findFirst().orElse(user);
    }
    return user;
  }

  private List<JsonObject> roomUpdated() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    World.User owner = World.pick(random, new ArrayList<>(room.owners));
    if (random.nextBoolean()) {
      room.name = room.name + " (" + Ids.token(random, 2) + ")";
    } else {
      room.description = "Mise à jour " + Ids.token(random, 4);
      room.readOnly = !room.readOnly;
    }
    out.add(event("ROOMUPDATED", owner, new JsonObject().put("stream", room.stream())
        .put("newRoomProperties", room.properties())));
    return out;
  }

  private List<JsonObject> roomDeactivated() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    room.active = false;
    out.add(event("ROOMDEACTIVATED", World.pick(random, new ArrayList<>(room.owners)), new JsonObject()
        .put("stream", new JsonObject().put("streamId", room.streamId).put("streamType", "ROOM"))));
    return out;
  }

  private List<JsonObject> roomReactivated() {
    List<JsonObject> out = new ArrayList<>();
    List<World.Room> inactive = world.rooms.stream().filter(r -> !r.active).toList();
    if (inactive.isEmpty()) {
      out.addAll(roomDeactivated());
      inactive = world.rooms.stream().filter(r -> !r.active).toList();
    }
    World.Room room = World.pick(random, inactive);
    room.active = true;
    out.add(event("ROOMREACTIVATED", World.pick(random, new ArrayList<>(room.owners)), new JsonObject()
        .put("stream", room.stream())));
    return out;
  }

  private List<JsonObject> requestedToJoin() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    World.User requester = candidate(room);
    JsonArray owners = new JsonArray(room.owners.stream().map(World.User::json).toList());
    JsonObject stream = room.stream().put("members", new JsonArray());
    out.add(event("USERREQUESTEDTOJOINROOM", requester, new JsonObject().put("stream", stream)
        .put("affectedUsers", owners)));
    return out;
  }

  private List<JsonObject> joined() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    out.addAll(joinedIn(room));
    return out;
  }

  private List<JsonObject> joinedIn(World.Room room) {
    List<JsonObject> out = new ArrayList<>();
    World.User joiner = candidate(room);
    World.User initiator = random.nextBoolean() ? joiner : World.pick(random, new ArrayList<>(room.owners));
    room.members.add(joiner);
    out.add(event("USERJOINEDROOM", initiator, new JsonObject().put("stream", room.stream())
        .put("affectedUser", joiner.json())));
    return out;
  }

  private List<JsonObject> left() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    List<World.User> leavers = room.members.stream().filter(m -> !room.owners.contains(m)).toList();
    while (leavers.isEmpty()) {
      out.addAll(joinedIn(room));
      leavers = room.members.stream().filter(m -> !room.owners.contains(m)).toList();
    }
    World.User leaver = World.pick(random, leavers);
    room.members.remove(leaver);
    out.add(event("USERLEFTROOM", leaver, new JsonObject().put("stream", room.stream())
        .put("affectedUser", leaver.json())));
    return out;
  }

  private List<JsonObject> promoted() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    List<World.User> plain = room.members.stream().filter(m -> !room.owners.contains(m)).toList();
    while (plain.isEmpty()) {
      out.addAll(joinedIn(room));
      plain = room.members.stream().filter(m -> !room.owners.contains(m)).toList();
    }
    World.User member = World.pick(random, plain);
    World.User owner = World.pick(random, new ArrayList<>(room.owners));
    room.owners.add(member);
    out.add(event("ROOMMEMBERPROMOTEDTOOWNER", owner, new JsonObject().put("stream", room.stream())
        .put("affectedUser", member.json())));
    return out;
  }

  private List<JsonObject> demoted() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    if (room.owners.size() < 2) {
      out.addAll(promotedIn(room));
    }
    List<World.User> owners = new ArrayList<>(room.owners);
    World.User target = owners.get(owners.size() - 1);
    World.User by = owners.get(0);
    room.owners.remove(target);
    out.add(event("ROOMMEMBERDEMOTEDFROMOWNER", by, new JsonObject().put("stream", room.stream())
        .put("affectedUser", target.json())));
    return out;
  }

  private List<JsonObject> promotedIn(World.Room room) {
    List<JsonObject> out = new ArrayList<>();
    World.User member = candidate(room);
    room.members.add(member);
    World.User owner = room.owners.iterator().next();
    out.add(event("USERJOINEDROOM", owner, new JsonObject().put("stream", room.stream())
        .put("affectedUser", member.json())));
    room.owners.add(member);
    out.add(event("ROOMMEMBERPROMOTEDTOOWNER", owner, new JsonObject().put("stream", room.stream())
        .put("affectedUser", member.json())));
    return out;
  }

  // ---- connections and system events -----------------------------------------------------------------------

  private List<JsonObject> connectionRequested() {
    World.User from = World.pick(random, world.internalUsers());
    World.User to = World.pick(random, world.externalUsers());
    world.pendingConnections.add(new World.Request(from, to));
    return List.of(event("CONNECTIONREQUESTED", Ids.eventId(random), null, from,
        new JsonObject().put("toUser", to.json())));
  }

  private List<JsonObject> connectionAccepted() {
    List<JsonObject> out = new ArrayList<>();
    if (world.pendingConnections.isEmpty()) {
      out.addAll(connectionRequested());
    }
    World.Request request = world.pendingConnections.remove(random.nextInt(world.pendingConnections.size()));
    out.add(event("CONNECTIONACCEPTED", Ids.eventId(random), null, request.to(),
        new JsonObject().put("fromUser", request.from().json())));
    return out;
  }

  private List<JsonObject> genericSystemEvent() {
    List<JsonObject> out = new ArrayList<>();
    Where where = conversation(out);
    String[][] kinds = {{"voice", "call.started"}, {"voice", "call.ended"}, {"federation", "federation.connected"},
        {"federation", "test.event"}};
    String[] kind = kinds[random.nextInt(kinds.length)];
    JsonObject parameters = new JsonObject().put("callId", Ids.uuid(random))
        .put("participants", new JsonArray(where.members().stream().map(World.User::userId).toList()))
        .put("note", "réunion 会议");
    JsonObject stream = new JsonObject().put("streamId", where.stream().getString("streamId"))
        .put("external", where.external()).put("crossPod", "federation".equals(kind[0]));
    out.add(event("GENERICSYSTEMEVENT", World.pick(random, where.members()), new JsonObject().put("stream", stream)
        .put("eventTimestamp", clock - random.nextInt(5000)).put("sourceSystem", kind[0])
        .put("eventSubtype", kind[1]).put("parameters", parameters)));
    return out;
  }
}
