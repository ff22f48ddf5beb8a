package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Room lifecycle and membership events: ROOMCREATED (with initial members sharing its {@code id}), ROOMUPDATED,
 * ROOMDEACTIVATED/REACTIVATED, USERREQUESTEDTOJOINROOM, USERJOINEDROOM, USERLEFTROOM, promotions and demotions.
 * Each method returns the events it caused, prerequisites first. Confined to its generator.
 */
final class RoomEvents {

  private final EventContext ctx;

  RoomEvents(EventContext ctx) {
    this.ctx = ctx;
  }

  World.Room activeRoom(List<JsonObject> out) {
    List<World.Room> active = ctx.world.rooms.stream().filter(r -> r.active).toList();
    if (active.isEmpty()) {
      out.addAll(roomCreated());
      return ctx.world.rooms.get(ctx.world.rooms.size() - 1);
    }
    return World.pick(ctx.random, active);
  }

  List<JsonObject> roomCreated() {
    World.User creator = World.pick(ctx.random, ctx.world.internalUsers());
    int kind = ctx.random.nextInt(10);
    boolean external = kind >= 7;
    boolean crossPod = kind == 9;
    String name = ROOM_NAMES[ctx.random.nextInt(ROOM_NAMES.length)] + " " + (ctx.world.rooms.size() + 1);
    World.Room room = new World.Room(Ids.streamOrMessageId(ctx.random), name, external, crossPod, ctx.clock + 1, creator);
    room.description = ctx.random.nextBoolean() ? "#" + Ids.token(ctx.random, 5) : "Salle de marché — 交易室";
    room.members.add(creator);
    room.owners.add(creator);
    ctx.world.rooms.add(room);
    String id = Ids.eventId(ctx.random);
    List<JsonObject> out = new ArrayList<>();
    out.add(ctx.event(EventType.ROOMCREATED, id, Ids.streamOrMessageId(ctx.random), creator,
        new JsonObject().put("stream", room.stream()).put("roomProperties", room.properties())));
    if (ctx.random.nextBoolean()) {
      int initial = 1 + ctx.random.nextInt(3);
      for (int i = 0; i < initial; i++) {
        World.User member = candidate(room);
        room.members.add(member);
        out.add(ctx.event(EventType.USERJOINEDROOM, id, Ids.streamOrMessageId(ctx.random), creator,
            new JsonObject().put("stream", room.stream()).put("affectedUser", member.json())));
      }
    }
    return out;
  }

  private static final String[] ROOM_NAMES = {"FX Desk", "Équités Paris", "東京 Rates", "Credit Flow",
      "Σύσκεψη", "Compliance Watch", "Deal Team Ørsted", "Client — Müller AG"};

  World.User candidate(World.Room room) {
    List<World.User> pool = room.external ? ctx.world.users : ctx.world.internalUsers();
    World.User user = World.pick(ctx.random, pool);
    for (int i = 0; i < 20 && room.members.contains(user); i++) {
      user = World.pick(ctx.random, pool);
    }
    if (room.members.contains(user)) {
      user = ctx.world.users.stream().filter(u -> !room.members.contains(u)).findFirst().orElse(user);
    }
    return user;
  }

  List<JsonObject> roomUpdated() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    World.User owner = World.pick(ctx.random, new ArrayList<>(room.owners));
    if (ctx.random.nextBoolean()) {
      room.name = room.name + " (" + Ids.token(ctx.random, 2) + ")";
    } else {
      room.description = "Mise à jour " + Ids.token(ctx.random, 4);
      room.readOnly = !room.readOnly;
    }
    out.add(ctx.event(EventType.ROOMUPDATED, owner, new JsonObject().put("stream", room.stream())
        .put("newRoomProperties", room.properties())));
    return out;
  }

  List<JsonObject> roomDeactivated() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    room.active = false;
    out.add(ctx.event(EventType.ROOMDEACTIVATED, World.pick(ctx.random, new ArrayList<>(room.owners)), new JsonObject()
        .put("stream", new JsonObject().put("streamId", room.streamId).put("streamType", "ROOM"))));
    return out;
  }

  List<JsonObject> roomReactivated() {
    List<JsonObject> out = new ArrayList<>();
    List<World.Room> inactive = ctx.world.rooms.stream().filter(r -> !r.active).toList();
    if (inactive.isEmpty()) {
      out.addAll(roomDeactivated());
      inactive = ctx.world.rooms.stream().filter(r -> !r.active).toList();
    }
    World.Room room = World.pick(ctx.random, inactive);
    room.active = true;
    out.add(ctx.event(EventType.ROOMREACTIVATED, World.pick(ctx.random, new ArrayList<>(room.owners)), new JsonObject()
        .put("stream", room.stream())));
    return out;
  }

  List<JsonObject> requestedToJoin() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    World.User requester = candidate(room);
    JsonArray owners = new JsonArray(room.owners.stream().map(World.User::json).toList());
    JsonObject stream = room.stream().put("members", new JsonArray());
    out.add(ctx.event(EventType.USERREQUESTEDTOJOINROOM, requester, new JsonObject().put("stream", stream)
        .put("affectedUsers", owners)));
    return out;
  }

  List<JsonObject> joined() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    out.addAll(joinedIn(room));
    return out;
  }

  List<JsonObject> joinedIn(World.Room room) {
    List<JsonObject> out = new ArrayList<>();
    World.User joiner = candidate(room);
    World.User initiator = ctx.random.nextBoolean() ? joiner : World.pick(ctx.random, new ArrayList<>(room.owners));
    room.members.add(joiner);
    out.add(ctx.event(EventType.USERJOINEDROOM, initiator, new JsonObject().put("stream", room.stream())
        .put("affectedUser", joiner.json())));
    return out;
  }

  List<JsonObject> left() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    List<World.User> leavers = room.members.stream().filter(m -> !room.owners.contains(m)).toList();
    while (leavers.isEmpty()) {
      out.addAll(joinedIn(room));
      leavers = room.members.stream().filter(m -> !room.owners.contains(m)).toList();
    }
    World.User leaver = World.pick(ctx.random, leavers);
    room.members.remove(leaver);
    out.add(ctx.event(EventType.USERLEFTROOM, leaver, new JsonObject().put("stream", room.stream())
        .put("affectedUser", leaver.json())));
    return out;
  }

  List<JsonObject> promoted() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    List<World.User> plain = room.members.stream().filter(m -> !room.owners.contains(m)).toList();
    while (plain.isEmpty()) {
      out.addAll(joinedIn(room));
      plain = room.members.stream().filter(m -> !room.owners.contains(m)).toList();
    }
    World.User member = World.pick(ctx.random, plain);
    World.User owner = World.pick(ctx.random, new ArrayList<>(room.owners));
    room.owners.add(member);
    out.add(ctx.event(EventType.ROOMMEMBERPROMOTEDTOOWNER, owner, new JsonObject().put("stream", room.stream())
        .put("affectedUser", member.json())));
    return out;
  }

  List<JsonObject> demoted() {
    List<JsonObject> out = new ArrayList<>();
    World.Room room = activeRoom(out);
    if (room.owners.size() < 2) {
      out.addAll(promotedIn(room));
    }
    List<World.User> owners = new ArrayList<>(room.owners);
    World.User target = owners.get(owners.size() - 1);
    World.User by = owners.get(0);
    room.owners.remove(target);
    out.add(ctx.event(EventType.ROOMMEMBERDEMOTEDFROMOWNER, by, new JsonObject().put("stream", room.stream())
        .put("affectedUser", target.json())));
    return out;
  }

  List<JsonObject> promotedIn(World.Room room) {
    List<JsonObject> out = new ArrayList<>();
    World.User member = candidate(room);
    room.members.add(member);
    World.User owner = room.owners.iterator().next();
    out.add(ctx.event(EventType.USERJOINEDROOM, owner, new JsonObject().put("stream", room.stream())
        .put("affectedUser", member.json())));
    room.owners.add(member);
    out.add(ctx.event(EventType.ROOMMEMBERPROMOTEDTOOWNER, owner, new JsonObject().put("stream", room.stream())
        .put("affectedUser", member.json())));
    return out;
  }
}
