package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventIdentity;
import io.datahose.archiver.symphony.FeedBatch;
import io.datahose.archiver.symphony.FeedParser;
import io.datahose.archiver.symphony.ReceivedEvent;
import io.datahose.archiver.testing.TestKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Simulator with --wire-variants")
class SimulatorWireVariantsTest {

  private static final String BOT = "archiver-bot";
  private static final int EVENTS = 100;
  private static Vertx vertx;
  private static KeyPair keys;

  @BeforeAll
  static void setUpAll() {
    vertx = Vertx.vertx();
    keys = TestKeys.rsa();
  }

  @AfterAll
  static void tearDownAll() {
    vertx.close().await();
  }

  @Test
  @DisplayName("about P of served events differ from encode() in bytes, parse to equal objects and keep their identity, "
      + "also when a redelivery is re-spelled")
  void variantsKeepValueAndIdentity() throws Exception {
    SymphonySimulator simulator = SymphonySimulator.start(vertx, SimulatorOptions.builder().botUsername(BOT)
        .rsaPublicKey(keys.getPublic()).batchSize(EVENTS).visibilityTimeout(Duration.ofMillis(300))
        .longPoll(Duration.ofSeconds(5)).eventSeed(17).wireVariants(0.5).build()).await();
    try {
      SimulatorClient client = new SimulatorClient(simulator.baseUrl());
      SimulatorClient.Tokens tokens = client.authenticate(keys, BOT);
      simulator.publish(simulator.generator().next(EVENTS));
      Map<String, JsonObject> generated = simulator.ledger().generated().stream()
          .collect(Collectors.toMap(EventIdentity::of, Function.identity()));

      FeedBatch first = read(client, tokens);
      FeedBatch redelivered = read(client, tokens); // no ackId: the lease expires and the batch comes again

      long respelled = first.events().stream().filter(e -> !Arrays.equals(e.raw(),
          generated.get(e.identity()).encode().getBytes(StandardCharsets.UTF_8))).count();
      assertThat(respelled).isBetween(35L, 65L);
      for (ReceivedEvent event : first.events()) {
        assertThat(generated).containsKey(event.identity());
        assertThat(event.json()).isEqualTo(generated.get(event.identity()));
        assertThat(new JsonObject(new String(event.raw(), StandardCharsets.UTF_8)))
            .isEqualTo(generated.get(event.identity()));
      }
      assertThat(identities(redelivered)).containsExactlyInAnyOrderElementsOf(identities(first)).hasSize(EVENTS);
      Map<String, byte[]> firstBytes = first.events().stream()
          .collect(Collectors.toMap(ReceivedEvent::identity, ReceivedEvent::raw));
      assertThat(redelivered.events().stream()
          .filter(e -> !Arrays.equals(e.raw(), firstBytes.get(e.identity()))).count()).isPositive();
      assertThat(simulator.ledger().batches().get(first.ackId())).isEqualTo(identities(first));
      assertThat(simulator.ledger().deliveredHashes()).isEqualTo(generated.keySet());
    } finally {
      simulator.close().await();
    }
  }

  private static FeedBatch read(SimulatorClient client, SimulatorClient.Tokens tokens) throws Exception {
    HttpResponse<byte[]> response = client.readBytes(tokens, SimulatorClient.readBody(null), Duration.ofSeconds(10));
    assertThat(response.statusCode()).isEqualTo(200);
    return FeedParser.parse(response.body());
  }

  private static List<String> identities(FeedBatch batch) {
    return batch.events().stream().map(ReceivedEvent::identity).toList();
  }
}
