package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventIdentity;
import io.datahose.archiver.testing.TestKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorTest {

  private static final String BOT = "archiver-bot";
  private static Vertx vertx;
  private static java.security.KeyPair keys;
  private SymphonySimulator simulator;
  private SimulatorClient client;

  @BeforeAll
  static void setUpAll() {
    vertx = Vertx.vertx();
    keys = TestKeys.rsa();
  }

  @AfterAll
  static void tearDownAll() {
    vertx.close().await();
  }

  @AfterEach
  void tearDown() {
    if (simulator != null) {
      simulator.close().await();
    }
  }

  private SymphonySimulator start(SimulatorOptions.Builder builder) {
    simulator = SymphonySimulator.start(vertx, builder.build()).await();
    client = new SimulatorClient(simulator.baseUrl());
    return simulator;
  }

  private static SimulatorOptions.Builder fast() {
    return SimulatorOptions.builder().botUsername(BOT).rsaPublicKey(keys.getPublic()).batchSize(10)
        .visibilityTimeout(Duration.ofMillis(200)).longPoll(Duration.ofMillis(300)).slowDelay(Duration.ofSeconds(30));
  }

  private static Set<String> hashes(JsonObject response) {
    return response.getJsonArray("events").stream().map(e -> EventIdentity.of((JsonObject) e))
        .collect(Collectors.toSet());
  }

  private static Set<String> hashes(List<JsonObject> events) {
    return events.stream().map(EventIdentity::of).collect(Collectors.toSet());
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 5000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.onSpinWait();
    }
  }

  @Test
  @DisplayName("A valid RS512 JWT yields a session token and a key-manager token, each counted in the ledger")
  void validJwtYieldsTokens() throws Exception {
    start(fast());
    String body = new JsonObject().put("token", SimulatorClient.validJwt(keys, BOT)).encode();

    HttpResponse<String> session = client.post("/login/pubkey/authenticate", body);
    HttpResponse<String> km = client.post("/relay/pubkey/authenticate", body);

    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(session.body()).getString("name")).isEqualTo("sessionToken");
    assertThat(new JsonObject(session.body()).getString("token")).isNotBlank();
    assertThat(new JsonObject(km.body()).getString("name")).isEqualTo("keyManagerToken");
    assertThat(simulator.ledger().sessionAuths()).isEqualTo(1);
    assertThat(simulator.ledger().keyManagerAuths()).isEqualTo(1);
  }

  @Test
  @DisplayName("JWTs with a wrong key, another algorithm, expired, too long-lived, another subject or no exp get 401")
  void invalidJwtsAreRejected() throws Exception {
    start(fast());
    java.security.KeyPair other = TestKeys.rsa();
    List<String> bad = List.of(
        SimulatorClient.validJwt(other, BOT),
        SimulatorClient.jwt(keys.getPrivate(), "RS256", BOT, Instant.now().plusSeconds(240)),
        SimulatorClient.jwt(keys.getPrivate(), "RS512", BOT, Instant.now().minusSeconds(5)),
        SimulatorClient.jwt(keys.getPrivate(), "RS512", BOT, Instant.now().plusSeconds(600)),
        SimulatorClient.jwt(keys.getPrivate(), "RS512", "someone-else", Instant.now().plusSeconds(240)),
        SimulatorClient.jwt(keys.getPrivate(), "RS512", BOT, null),
        "not.a.jwt");
    for (String jwt : bad) {
      HttpResponse<String> response = client.post("/login/pubkey/authenticate",
          new JsonObject().put("token", jwt).encode());
      assertThat(response.statusCode()).as(jwt).isEqualTo(401);
      assertThat(new JsonObject(response.body()).getInteger("code")).isEqualTo(401);
    }
    assertThat(simulator.ledger().sessionAuths()).isZero();
  }

  @Test
  @DisplayName("Reads without tokens, or with invalidated tokens, get 401")
  void readsNeedValidTokens() throws Exception {
    start(fast());
    HttpResponse<String> none = client.readRaw(new SimulatorClient.Tokens(null, null), SimulatorClient.readBody(null),
        Duration.ofSeconds(5));
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    assertThat(client.readRaw(tokens, SimulatorClient.readBody(null), Duration.ofSeconds(5)).statusCode())
        .isEqualTo(200);

    simulator.invalidateTokens();

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(client.readRaw(tokens, SimulatorClient.readBody(null), Duration.ofSeconds(5)).statusCode())
        .isEqualTo(401);
  }

  @Test
  @DisplayName("Invalid read bodies (type, 81-character tag, unknown or no event types, bad scope) get 400")
  void invalidBodiesGet400() throws Exception {
    start(fast());
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    List<JsonObject> bodies = List.of(
        SimulatorClient.readBody(null).put("type", "fanout"),
        SimulatorClient.readBody(null).put("tag", "x".repeat(81)),
        SimulatorClient.readBody(null).put("tag", ""),
        SimulatorClient.readBody(null, "MESSAGE_SENT"),
        SimulatorClient.readBody(null).put("eventTypes", new JsonArray()),
        SimulatorClient.readBody(null).put("scopes", new JsonArray().add("GALACTIC")));
    for (JsonObject body : bodies) {
      HttpResponse<String> response = client.readRaw(tokens, body, Duration.ofSeconds(5));
      assertThat(response.statusCode()).as(body.encode()).isEqualTo(400);
      assertThat(new JsonObject(response.body()).getString("message")).isNotBlank();
    }
    assertThat(client.readRaw(tokens, SimulatorClient.readBody(null).put("tag", "x".repeat(80)),
        Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("Events published before the feed exists are delivered, and the next read's ackId acknowledges them")
  void batchThenAckIsAcknowledged() throws Exception {
    start(fast());
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    List<JsonObject> events = simulator.generator().next(5);
    simulator.publish(events);

    JsonObject first = client.read(tokens, SimulatorClient.readBody(""));
    JsonObject second = client.read(tokens, SimulatorClient.readBody(first.getString("ackId")));

    assertThat(hashes(first)).isEqualTo(hashes(events));
    assertThat(second.getJsonArray("events")).isEmpty();
    assertThat(second.getString("ackId")).isNotEqualTo(first.getString("ackId"));
    assertThat(simulator.ledger().acknowledgedHashes()).isEqualTo(hashes(events));
    assertThat(simulator.ledger().deliveredHashes()).isEqualTo(hashes(events));
    assertThat(simulator.ledger().ackIdsPresented()).containsExactly("", first.getString("ackId"));
    assertThat(simulator.ledger().generatedHashes()).isEqualTo(hashes(events));
  }

  @Test
  @DisplayName("An unacknowledged batch is redelivered after the visibility timeout; an unknown ackId is ignored")
  void unackedBatchIsRedelivered() throws Exception {
    start(fast().longPoll(Duration.ofSeconds(3)));
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    List<JsonObject> events = simulator.generator().next(4);
    simulator.publish(events);

    JsonObject first = client.read(tokens, SimulatorClient.readBody(null));
    JsonObject again = client.read(tokens, SimulatorClient.readBody("no-such-ack-id"));

    assertThat(hashes(first)).isEqualTo(hashes(events));
    assertThat(hashes(again)).isEqualTo(hashes(events));
    assertThat(simulator.ledger().acknowledgedHashes()).isEmpty();
  }

  @Test
  @DisplayName("Two readers of one feed get disjoint batches that together hold every event")
  void twoReadersGetDisjointBatches() throws Exception {
    start(fast());
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    List<JsonObject> events = simulator.generator().next(20);
    simulator.publish(events);

    CompletableFuture<HttpResponse<String>> a = client.readAsync(tokens, SimulatorClient.readBody(null));
    CompletableFuture<HttpResponse<String>> b = client.readAsync(tokens, SimulatorClient.readBody(null));
    Set<String> first = hashes(new JsonObject(a.get().body()));
    Set<String> second = hashes(new JsonObject(b.get().body()));

    assertThat(first).hasSize(10).doesNotContainAnyElementsOf(second);
    Set<String> union = new HashSet<>(first);
    union.addAll(second);
    assertThat(union).isEqualTo(hashes(events));
  }

  @Test
  @DisplayName("A feed with other event types or scopes only receives matching events")
  void filtersByTypeAndScope() throws Exception {
    start(fast().batchSize(1000));
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    JsonObject roomsFeed = SimulatorClient.readBody(null, "ROOMCREATED");
    JsonObject externalFeed = SimulatorClient.readBody(null).put("tag", "ext").put("scopes", new JsonArray().add("EXTERNAL"));
    // a feed sees what is published after its first read (as on the Agent): make both, then publish
    assertThat(client.read(tokens, roomsFeed).getJsonArray("events")).isEmpty();
    assertThat(client.read(tokens, externalFeed).getJsonArray("events")).isEmpty();
    List<JsonObject> events = simulator.generator().next(300);
    simulator.publish(events);

    JsonObject rooms = client.read(tokens, roomsFeed);
    JsonObject external = client.read(tokens, externalFeed);

    assertThat(rooms.getJsonArray("events")).isNotEmpty().allSatisfy(e ->
        assertThat(((JsonObject) e).getString("type")).isEqualTo("ROOMCREATED"));
    assertThat(external.getJsonArray("events")).isNotEmpty().allSatisfy(e ->
        assertThat(Scopes.scopeOf((JsonObject) e)).isEqualTo("EXTERNAL"));
  }

  @Test
  @DisplayName("An empty read long-polls and returns early when events are published")
  void longPollReturnsEarlyOnPublish() throws Exception {
    start(fast().longPoll(Duration.ofSeconds(20)));
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    long started = System.nanoTime();
    CompletableFuture<HttpResponse<String>> pending = client.readAsync(tokens, SimulatorClient.readBody(null));
    await(() -> simulator.ledger().reads() == 1);
    assertThat(pending).isNotDone();

    List<JsonObject> events = simulator.generator().next(3);
    simulator.publish(events);

    assertThat(hashes(new JsonObject(pending.get().body()))).isEqualTo(hashes(events));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  @DisplayName("An empty read with nothing published answers after the long poll with no events and a fresh ackId")
  void emptyLongPollAnswersEmpty() throws Exception {
    start(fast());
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);

    JsonObject response = client.read(tokens, SimulatorClient.readBody(null));

    assertThat(response.getJsonArray("events")).isEmpty();
    assertThat(response.getString("ackId")).isNotBlank();
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"HTTP_400", "HTTP_403", "HTTP_404", "HTTP_429", "HTTP_500", "HTTP_503"})
  @DisplayName("An HTTP fault answers its status with a V2Error body, leases nothing and does not process the ackId")
  void httpFaultLeasesNothing(Fault fault) throws Exception {
    start(fast());
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    simulator.publish(simulator.generator().next(3));
    JsonObject first = client.read(tokens, SimulatorClient.readBody(null));
    List<JsonObject> more = simulator.generator().next(2);
    simulator.publish(more);
    simulator.faults().next(fault);

    HttpResponse<String> failed = client.readRaw(tokens, SimulatorClient.readBody(first.getString("ackId")),
        Duration.ofSeconds(5));
    Set<String> ackedAfterFault = simulator.ledger().acknowledgedHashes();
    JsonObject retried = client.read(tokens, SimulatorClient.readBody(first.getString("ackId")));

    assertThat(failed.statusCode()).isEqualTo(fault.status());
    assertThat(new JsonObject(failed.body()).getInteger("code")).isEqualTo(fault.status());
    assertThat(ackedAfterFault).isEmpty();
    assertThat(hashes(retried)).isEqualTo(hashes(more));
    assertThat(simulator.ledger().acknowledgedHashes()).isEqualTo(hashes(first));
    assertThat(simulator.ledger().faultsServed()).containsExactly(fault);
  }

  @Test
  @DisplayName("HTTP_401 answers 401 and invalidates the tokens until the client authenticates again")
  void http401InvalidatesTokens() throws Exception {
    start(fast());
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    simulator.faults().next(Fault.HTTP_401);

    int faulted = client.readRaw(tokens, SimulatorClient.readBody(null), Duration.ofSeconds(5)).statusCode();
    int stale = client.readRaw(tokens, SimulatorClient.readBody(null), Duration.ofSeconds(5)).statusCode();
    int fresh = client.readRaw(client.authenticate(keys, BOT), SimulatorClient.readBody(null),
        Duration.ofSeconds(5)).statusCode();

    assertThat(List.of(faulted, stale, fresh)).containsExactly(401, 401, 200);
  }

  @Test
  @DisplayName("SLOW leases the batch but does not answer in time; the batch is redelivered after the visibility timeout")
  void slowResponseRedelivers() throws Exception {
    start(fast());
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    List<JsonObject> events = simulator.generator().next(3);
    simulator.publish(events);
    simulator.faults().next(Fault.SLOW);

    assertThatThrownBy(() -> client.readRaw(tokens, SimulatorClient.readBody(null), Duration.ofMillis(300)))
        .isInstanceOf(HttpTimeoutException.class);
    JsonObject again = client.read(tokens, SimulatorClient.readBody(null));

    assertThat(hashes(again)).isEqualTo(hashes(events));
    assertThat(simulator.ledger().deliveries()).isEqualTo(3);
  }

  @Test
  @DisplayName("DROP_CONNECTION closes the connection without answering and leases nothing")
  void dropConnectionLeasesNothing() throws Exception {
    start(fast().visibilityTimeout(Duration.ofMinutes(5)));
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    List<JsonObject> events = simulator.generator().next(3);
    simulator.publish(events);
    simulator.faults().next(Fault.DROP_CONNECTION);

    assertThatThrownBy(() -> client.readRaw(tokens, SimulatorClient.readBody(null), Duration.ofSeconds(5)))
        .isInstanceOf(IOException.class);
    JsonObject next = client.read(tokens, SimulatorClient.readBody(null));

    assertThat(hashes(next)).isEqualTo(hashes(events));
  }

  @Test
  @DisplayName("TRUNCATED_JSON sends half a body with status 200; its events are recorded as truncated and redelivered")
  void truncatedJsonRedelivers() throws Exception {
    start(fast().longPoll(Duration.ofSeconds(3)));
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    List<JsonObject> events = simulator.generator().next(3);
    simulator.publish(events);
    simulator.faults().next(Fault.TRUNCATED_JSON);

    HttpResponse<String> truncated = client.readRaw(tokens, SimulatorClient.readBody(null), Duration.ofSeconds(5));
    Set<String> deliveredBefore = simulator.ledger().deliveredHashes();
    JsonObject again = client.read(tokens, SimulatorClient.readBody(null));

    assertThat(truncated.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> new JsonObject(truncated.body())).isInstanceOf(RuntimeException.class);
    assertThat(deliveredBefore).isEmpty();
    assertThat(simulator.ledger().truncatedHashes()).isEqualTo(hashes(events));
    assertThat(hashes(again)).isEqualTo(hashes(events));
  }

  @Test
  @DisplayName("REDELIVER_ACKED mixes already acknowledged events into a batch of new ones")
  void redeliverAckedMixesOldEvents() throws Exception {
    start(fast());
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    List<JsonObject> old = simulator.generator().next(3);
    simulator.publish(old);
    JsonObject first = client.read(tokens, SimulatorClient.readBody(null));
    List<JsonObject> fresh = simulator.generator().next(2);
    simulator.publish(fresh);
    simulator.faults().next(Fault.REDELIVER_ACKED);

    JsonObject mixed = client.read(tokens, SimulatorClient.readBody(first.getString("ackId")));

    Set<String> expected = new HashSet<>(hashes(old));
    expected.addAll(hashes(fresh));
    assertThat(hashes(mixed)).isEqualTo(expected);
  }

  @Test
  @DisplayName("Random fault mode is deterministic per seed and only picks transient faults")
  void randomFaultsAreSeeded() {
    FaultPlan a = new FaultPlan();
    FaultPlan b = new FaultPlan();
    a.random(42, 0.5);
    b.random(42, 0.5);
    a.next(Fault.HTTP_403);

    assertThat(a.take()).isEqualTo(Fault.HTTP_403);
    List<Fault> fromA = new java.util.ArrayList<>();
    List<Fault> fromB = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      fromA.add(a.take());
      fromB.add(b.take());
    }
    assertThat(fromA).isEqualTo(fromB).contains((Fault) null);
    assertThat(fromA.stream().filter(f -> f != null)).isNotEmpty().allMatch(FaultPlan.TRANSIENT::contains);
    a.clear();
    assertThat(a.take()).isNull();
  }

  @Test
  @DisplayName("Extended health is 200 while ceservice is UP and 503 with a message when it is DOWN")
  void healthFollowsCeservice() throws Exception {
    start(fast());
    HttpResponse<String> up = client.get("/agent/v3/health/extended");
    simulator.setCeservice(false, "ceservice credentials missing");
    HttpResponse<String> down = client.get("/agent/v3/health/extended");

    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(up.body()).getJsonObject("users").getJsonObject("ceservice").getString("status"))
        .isEqualTo("UP");
    assertThat(down.statusCode()).isEqualTo(503);
    JsonObject ceservice = new JsonObject(down.body()).getJsonObject("users").getJsonObject("ceservice");
    assertThat(ceservice.getString("status")).isEqualTo("DOWN");
    assertThat(ceservice.getString("message")).isEqualTo("ceservice credentials missing");
  }

  @Test
  @DisplayName("Steady mode publishes generated events on a timer until stopped")
  void steadyModePublishes() {
    start(fast());
    simulator.startSteady(vertx, 100);
    await(() -> simulator.ledger().generatedCount() >= 20);
    simulator.stopSteady();
    assertThat(simulator.ledger().generatedHashes()).isNotEmpty();
  }

  @Test
  @DisplayName("Under seeded random faults a client that retries with its last good ackId gets every event acknowledged")
  void randomFaultsStillDeliverEverything() throws Exception {
    start(fast().longPoll(Duration.ofMillis(100)).slowDelay(Duration.ofSeconds(30)));
    List<JsonObject> events = simulator.generator().next(200);
    simulator.publish(events);
    simulator.faults().random(2026, 0.3);
    SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
    String ackId = "";
    long deadline = System.currentTimeMillis() + 15_000;
    while (!simulator.ledger().acknowledgedHashes().containsAll(hashes(events))) {
      assertThat(System.currentTimeMillis()).as("all acknowledged in time").isLessThan(deadline);
      try {
        HttpResponse<String> response = client.readRaw(tokens, SimulatorClient.readBody(ackId), Duration.ofMillis(400));
        if (response.statusCode() == 401) {
          tokens = client.authenticate(keys, BOT);
        } else if (response.statusCode() == 200) {
          ackId = new JsonObject(response.body()).getString("ackId");
        }
      } catch (IOException | io.vertx.core.json.DecodeException e) {
        // timeout, dropped connection or truncated body: repeat the read with the same ackId
      }
    }
    assertThat(simulator.ledger().faultsServed()).isNotEmpty();
    assertThat(simulator.ledger().deliveredHashes()).containsAll(hashes(events));
  }
}
