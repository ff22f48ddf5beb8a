package io.datahose.archiver.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The small pod the {@link EventGenerator} simulates: 50 users (internal and external, many non-ASCII names), rooms,
 * IMs, walls, sent messages, forms and pending connection requests. Mutable; confined to its generator.
 */
final class World {

  static final int INTERNAL_TENANT = 166;
  static final int EXTERNAL_TENANT = 190;

  private static final String[][] NAMES = {
      {"Zoë", "Ångström"}, {"雷", "李"}, {"Σωκράτης", "Παπαδόπουλος"}, {"José", "Núñez"}, {"Björn", "Ødegård"},
      {"Chloé", "Lefèvre"}, {"Łukasz", "Wąsowski"}, {"Anaïs", "Dubois"}, {"Jürgen", "Groß"}, {"Siobhán", "Ó Briain"},
      {"Илья", "Соколов"}, {"Ayşe", "Yılmaz"}, {"さくら", "山田"}, {"Mónica", "García"}, {"François", "Crémieux"},
      {"Dvořák", "Antonín"}, {"Søren", "Kierkegård"}, {"Nguyễn", "Văn An"}, {"Reed", "Feldman"}, {"Priya", "Nair"},
      {"Øystein", "Bråten"}, {"Mañuel", "Peña"}, {"Ἀλέξανδρος", "Μακεδών"}, {"Ingrid", "Þórsdóttir"},
      {"민준", "김"}, {"Göran", "Persson"}, {"Ľubica", "Šťastná"}, {"Oliver", "O'Neil"}, {"Fatima", "Al-Zahrā"},
      {"Hélène", "Bœuf"}};

  record User(long userId, String firstName, String lastName, String displayName, String email, String username,
              boolean external) {
    JsonObject json() {
      JsonObject user = new JsonObject().put("userId", userId).put("firstName", firstName).put("lastName", lastName)
          .put("displayName", displayName).put("email", email);
      if (username != null) {
        user.put("username", username);
      }
      return user;
    }
  }

  static final class Room {
    final String streamId;
    String name;
    String description;
    final boolean external;
    final boolean crossPod;
    final long createdDate;
    final User creator;
    final Set<User> members = new LinkedHashSet<>();
    final Set<User> owners = new LinkedHashSet<>();
    boolean active = true;
    boolean readOnly;

    Room(String streamId, String name, boolean external, boolean crossPod, long createdDate, User creator) {
      this.streamId = streamId;
      this.name = name;
      this.description = "";
      this.external = external;
      this.crossPod = crossPod;
      this.createdDate = createdDate;
      this.creator = creator;
    }

    JsonObject stream() {
      return new JsonObject().put("streamId", streamId).put("streamType", "ROOM").put("roomName", name)
          .put("external", external).put("crossPod", crossPod).put("recipientTenantIds", tenants(external));
    }

    JsonObject properties() {
      return new JsonObject().put("name", name).put("description", description).put("creatorUser", creator.json())
          .put("createdDate", createdDate).put("external", external).put("crossPod", crossPod)
          .put("public", !external).put("copyProtected", false).put("readOnly", readOnly)
          .put("discoverable", !external).put("membersCanInvite", true)
          .put("keywords", new JsonArray().add(new JsonObject().put("key", "desk").put("value", "Équités")))
          .put("canViewHistory", true);
    }
  }

  /** An IM (2 members) or MIM. */
  record Conversation(String streamId, List<User> members, boolean external) {
    JsonObject stream(boolean withMembers) {
      JsonObject stream = new JsonObject().put("streamId", streamId).put("streamType", members.size() > 2 ? "MIM" : "IM")
          .put("external", external).put("crossPod", false).put("recipientTenantIds", tenants(external));
      if (withMembers) {
        stream.put("members", new JsonArray(members.stream().map(User::json).toList()));
      }
      return stream;
    }
  }

  /** A sent message other events can refer to. */
  record Sent(JsonObject message, User author, JsonObject stream, String initialMessageId, long initialTimestamp,
              String formId) {
    String messageId() {
      return message.getString("messageId");
    }
  }

  record Request(User from, User to) {
  }

  final List<User> users = new ArrayList<>();
  final List<Room> rooms = new ArrayList<>();
  final List<Conversation> conversations = new ArrayList<>();
  final List<Sent> messages = new ArrayList<>();
  final List<Sent> wallPosts = new ArrayList<>();
  final List<Sent> forms = new ArrayList<>();
  final List<Request> pendingConnections = new ArrayList<>();

  World() {
    for (int i = 0; i < 50; i++) {
      String[] name = NAMES[i % NAMES.length];
      boolean external = i % 10 >= 7;
      String first = name[0];
      String last = i < NAMES.length ? name[1] : name[1] + "-" + (i / NAMES.length + 1);
      String slug = ascii(first + "." + last);
      String local = slug.length() < 4 ? "user" + i : slug;
      String domain = external ? "partner-bank.example" : "archiver-pod.example";
      long userId = external ? 68719476737L + i * 13L : 349026222342000L + i * 7L;
      users.add(new User(userId, first, last, first + " " + last + (external ? " (Partner)" : ""),
          local + "@" + domain, external ? null : local, external));
    }
  }

  List<User> internalUsers() {
    return users.stream().filter(u -> !u.external()).toList();
  }

  List<User> externalUsers() {
    return users.stream().filter(User::external).toList();
  }

  JsonObject wall(User user) {
    return new JsonObject().put("streamId", "wall_" + user.userId() + "___pWALLpOSTdA").put("streamType", "POST")
        .put("external", false);
  }

  static <T> T pick(Random random, List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  static JsonArray tenants(boolean external) {
    return external ? new JsonArray().add(INTERNAL_TENANT).add(EXTERNAL_TENANT) : new JsonArray().add(INTERNAL_TENANT);
  }

  private static String ascii(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("[^A-Za-z.]", "").toLowerCase();
  }
}
