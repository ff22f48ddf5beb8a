package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Connection requests/acceptances between internal and external users, and GENERICSYSTEMEVENT (calls,
 * federation) in existing conversations. Confined to its generator.
 */
final class ContactEvents {

  private final EventContext ctx;
  private final MessageEvents conversations;

  ContactEvents(EventContext ctx, MessageEvents conversations) {
    this.ctx = ctx;
    this.conversations = conversations;
  }

  List<JsonObject> connectionRequested() {
    World.User from = World.pick(ctx.random, ctx.world.internalUsers());
    World.User to = World.pick(ctx.random, ctx.world.externalUsers());
    ctx.world.pendingConnections.add(new World.Request(from, to));
    return List.of(ctx.event(EventType.CONNECTIONREQUESTED, Ids.eventId(ctx.random), null, from,
        new JsonObject().put("toUser", to.json())));
  }

  List<JsonObject> connectionAccepted() {
    List<JsonObject> out = new ArrayList<>();
    if (ctx.world.pendingConnections.isEmpty()) {
      out.addAll(connectionRequested());
    }
    World.Request request = ctx.world.pendingConnections.remove(ctx.random.nextInt(ctx.world.pendingConnections.size()));
    out.add(ctx.event(EventType.CONNECTIONACCEPTED, Ids.eventId(ctx.random), null, request.to(),
        new JsonObject().put("fromUser", request.from().json())));
    return out;
  }

  List<JsonObject> genericSystemEvent() {
    List<JsonObject> out = new ArrayList<>();
    MessageEvents.Where where = conversations.conversation(out);
    String[][] kinds = {{"voice", "call.started"}, {"voice", "call.ended"}, {"federation", "federation.connected"},
        {"federation", "test.event"}};
    String[] kind = kinds[ctx.random.nextInt(kinds.length)];
    JsonObject parameters = new JsonObject().put("callId", Ids.uuid(ctx.random))
        .put("participants", new JsonArray(where.members().stream().map(World.User::userId).toList()))
        .put("note", "réunion 会议");
    JsonObject stream = new JsonObject().put("streamId", where.stream().getString("streamId"))
        .put("external", where.external()).put("crossPod", "federation".equals(kind[0]));
    out.add(ctx.event(EventType.GENERICSYSTEMEVENT, World.pick(ctx.random, where.members()), new JsonObject()
        .put("stream", stream).put("eventTimestamp", ctx.clock - ctx.random.nextInt(5000)).put("sourceSystem", kind[0])
        .put("eventSubtype", kind[1]).put("parameters", parameters)));
    return out;
  }
}
