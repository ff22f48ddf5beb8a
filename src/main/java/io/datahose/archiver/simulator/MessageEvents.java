package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Conversation events: INSTANTMESSAGECREATED, MESSAGESENT (plain, edits, wall posts, forms), MESSAGESUPPRESSED,
 * SHAREDPOST and SYMPHONYELEMENTSACTION. Each method returns the events it caused, prerequisites first.
 * Confined to its generator.
 */
final class MessageEvents {

  private final EventContext ctx;
  private final RoomEvents rooms;

  MessageEvents(EventContext ctx, RoomEvents rooms) {
    this.ctx = ctx;
    this.rooms = rooms;
  }

  record Where(JsonObject stream, List<World.User> members, boolean external) {
  }

  /** Picks an active room or IM with members, creating one first (events into {@code out}) when needed. */
  Where conversation(List<JsonObject> out) {
    List<World.Room> active = ctx.world.rooms.stream().filter(r -> r.active && !r.members.isEmpty()).toList();
    boolean wantRoom = ctx.random.nextInt(10) < 6;
    if (wantRoom && active.isEmpty() || !wantRoom && ctx.world.conversations.isEmpty()) {
      out.addAll(wantRoom ? rooms.roomCreated() : imCreated());
      return conversation(out);
    }
    if (wantRoom) {
      World.Room room = World.pick(ctx.random, active);
      JsonObject stream = room.stream();
      stream.remove("recipientTenantIds");
      return new Where(stream, new ArrayList<>(room.members), room.external);
    }
    World.Conversation im = World.pick(ctx.random, ctx.world.conversations);
    return new Where(im.stream(false), im.members(), im.external());
  }
  List<JsonObject> imCreated() {
    World.User creator = World.pick(ctx.random, ctx.world.internalUsers());
    List<World.User> members = new ArrayList<>(List.of(creator));
    int size = ctx.random.nextInt(6) == 0 ? 3 : 2;
    while (members.size() < size) {
      World.User other = World.pick(ctx.random, ctx.world.users);
      if (!members.contains(other)) {
        members.add(other);
      }
    }
    boolean external = members.stream().anyMatch(World.User::external);
    World.Conversation im = new World.Conversation(Ids.streamOrMessageId(ctx.random), List.copyOf(members), external);
    ctx.world.conversations.add(im);
    return List.of(ctx.event(EventType.INSTANTMESSAGECREATED, creator,
        new JsonObject().put("stream", im.stream(true))));
  }

  private JsonObject message(World.User author, JsonObject stream, List<World.User> members, boolean external,
                             String text, String data) {
    ctx.clock += 1;
    JsonObject message = new JsonObject().put("messageId", Ids.streamOrMessageId(ctx.random)).put("timestamp", ctx.clock + 1)
        .put("message", text).put("data", data);
    JsonArray attachments = ctx.messages.attachments(stream.getString("streamId"));
    if (attachments != null) {
      message.put("attachments", attachments);
    }
    message.put("user", author.json()).put("stream", stream.copy()).put("externalRecipients", external)
        .put("userAgent", ctx.random.nextBoolean() ? "DESKTOP-26.3.0-2311-Windows-10-Chrome-141.0" : "Agent-26.3.1-Linux")
        .put("originalFormat", "com.symphony.messageml.v2").put("sid", Ids.uuid(ctx.random));
    if (!ctx.world.messages.isEmpty() && ctx.random.nextInt(20) == 0) {
      message.put("parentMessageId", World.pick(ctx.random, ctx.world.messages).messageId());
    }
    if (ctx.random.nextInt(40) == 0) {
      message.put("disclaimer", "Messages are archived — Les messages sont archivés");
    }
    return message;
  }

  private JsonObject sent(World.User author, JsonObject message) {
    JsonObject event = ctx.event(EventType.MESSAGESENT, Ids.eventId(ctx.random), message.getString("messageId"), author,
        new JsonObject().put("message", message));
    message.put("timestamp", event.getLong("timestamp"));
    return event;
  }

  List<JsonObject> messageSent() {
    List<JsonObject> out = new ArrayList<>();
    Where where = conversation(out);
    World.User author = World.pick(ctx.random, where.members());
    Messages.Content content = ctx.messages.content(where.members());
    JsonObject message = message(author, where.stream(), where.members(), where.external(), content.presentationMl(),
        content.data());
    out.add(sent(author, message));
    ctx.world.messages.add(new World.Sent(message, author, where.stream(), message.getString("messageId"),
        message.getLong("timestamp"), null));
    return out;
  }

  List<JsonObject> edit() {
    List<World.Sent> editable = ctx.world.messages.stream().filter(s -> s.formId() == null).toList();
    if (editable.isEmpty()) {
      return messageSent();
    }
    World.Sent original = World.pick(ctx.random, editable);
    Messages.Content content = ctx.messages.content(List.of());
    JsonObject message = message(original.author(), original.stream(), List.of(),
        original.message().getBoolean("externalRecipients"), content.presentationMl(), content.data())
        .put("replacing", original.messageId()).put("initialMessageId", original.initialMessageId())
        .put("initialTimestamp", original.initialTimestamp()).put("silent", ctx.random.nextBoolean());
    List<JsonObject> out = List.of(sent(original.author(), message));
    ctx.world.messages.add(new World.Sent(message, original.author(), original.stream(), original.initialMessageId(),
        original.initialTimestamp(), null));
    return out;
  }

  List<JsonObject> messageSuppressed() {
    List<JsonObject> out = new ArrayList<>();
    World.Sent victim = pickSent(out, ctx.world.messages, this::messageSent);
    World.User officer = World.pick(ctx.random, ctx.world.internalUsers());
    out.add(ctx.event(EventType.MESSAGESUPPRESSED, officer, new JsonObject().put("messageId", victim.messageId())
        .put("stream", streamOf(victim))));
    return out;
  }

  List<JsonObject> wallPost() {
    World.User author = World.pick(ctx.random, ctx.world.internalUsers());
    Messages.Content content = ctx.messages.content(List.of());
    JsonObject stream = ctx.world.wall(author);
    JsonObject message = message(author, stream, List.of(), false, content.presentationMl(), content.data());
    ctx.world.wallPosts.add(new World.Sent(message, author, stream, message.getString("messageId"),
        message.getLong("timestamp"), null));
    return List.of(sent(author, message));
  }

  List<JsonObject> sharedPost() {
    List<JsonObject> out = new ArrayList<>();
    World.Sent original = pickSent(out, ctx.world.wallPosts, this::wallPost);
    World.User sharer = World.pick(ctx.random, ctx.world.internalUsers());
    String comment = "<div data-format=\"PresentationML\" data-version=\"2.0\" class=\"wysiwyg\"><p>À lire — "
        + Messages.escape(original.author().displayName()) + "</p></div>";
    JsonObject share = message(sharer, ctx.world.wall(sharer), List.of(), false, comment, "{}");
    out.add(ctx.event(EventType.SHAREDPOST, sharer, new JsonObject().put("message", share)
        .put("sharedMessage", original.message().copy())));
    return out;
  }

  List<JsonObject> formMessage() {
    List<JsonObject> out = new ArrayList<>();
    Where where = conversation(out);
    World.User author = World.pick(ctx.random, where.members());
    String formId = "form_" + Ids.token(ctx.random, 6);
    JsonObject message = message(author, where.stream(), where.members(), where.external(), ctx.messages.form(formId), "{}");
    out.add(sent(author, message));
    ctx.world.forms.add(new World.Sent(message, author, where.stream(), message.getString("messageId"),
        message.getLong("timestamp"), formId));
    ctx.world.messages.add(ctx.world.forms.get(ctx.world.forms.size() - 1));
    return out;
  }

  List<JsonObject> elementsAction() {
    List<JsonObject> out = new ArrayList<>();
    World.Sent form = pickSent(out, ctx.world.forms, this::formMessage);
    World.User user = World.pick(ctx.random, ctx.world.users);
    JsonObject values = new JsonObject().put("action", "submit").put("ticker", ctx.random.nextBoolean() ? "AAPL" : "ÅSA")
        .put("quantity", String.valueOf(100 * (1 + ctx.random.nextInt(50))))
        .put("comment", ctx.random.nextBoolean() ? "Bitte prüfen — 请确认" : "ok");
    out.add(ctx.event(EventType.SYMPHONYELEMENTSACTION, user, new JsonObject().put("stream", streamOf(form))
        .put("formMessageId", form.messageId()).put("formId", form.formId()).put("formValues", values)));
    return out;
  }

  /**
   * Picks one of {@code sent} (messages, wall posts or forms), sending one first ({@code send}, its events into
   * {@code out}) when there is none yet.
   */
  private World.Sent pickSent(List<JsonObject> out, List<World.Sent> sent, Supplier<List<JsonObject>> send) {
    if (sent.isEmpty()) {
      out.addAll(send.get());
    }
    return World.pick(ctx.random, sent);
  }

  /** The {@code stream} of an event about an earlier message: the id, type and externality of the message's stream. */
  private static JsonObject streamOf(World.Sent sent) {
    return new JsonObject().put("streamId", sent.stream().getString("streamId"))
        .put("streamType", sent.stream().getString("streamType"))
        .put("external", sent.stream().getBoolean("external", false));
  }
}
