package io.datahose.archiver.symphony;

import io.datahose.archiver.capture.AuthTokens;
import io.datahose.archiver.capture.FeedClient;
import io.datahose.archiver.simulator.EventGenerator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
@DisplayName("FeedClient")
class FeedClientTest {

  private static final AuthTokens TOKENS = new AuthTokens("session", "km");

  /** The body the stand-in Agent answers every read with. */
  private final AtomicReference<byte[]> answer = new AtomicReference<>();
  private FeedClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    HttpServer server = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body ->
        req.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(answer.get()))))
        .listen(0, "127.0.0.1"));
    client = new FeedClient(WebClient.create(vertx), "http://127.0.0.1:" + server.actualPort(), Duration.ofSeconds(5),
        "archiver", List.of("MESSAGESENT"), List.of());
  }

  @Test
  @DisplayName("over HTTP, each event's bytes out equal its bytes in: odd spellings, non-objects and generated events")
  void bytesOutEqualBytesIn() throws Exception {
    List<String> elements = new ArrayList<>(List.of(
        "{\"name\":\"caf\\u00e9\",\"n\":1.50E1,\"z\":-0}",
        "{ \"s\" :\t\"\\ud83d\" ,\n\"text\":\"é中😀 ],}\"}",
        "{\"a\":1,\"a\":2}",
        "42", "\"x\"", "null", "[1,2]", "true"));
    new EventGenerator(9).next(50).forEach(e -> elements.add(e.encode()));
    answer.set(FeedParserTest.body(elements, true));

    FeedBatch batch = await(client.read(TOKENS, "previous"));

    assertThat(batch.ackId()).isEqualTo("ack-1");
    assertThat(batch.events()).extracting(e -> new String(e.raw(), StandardCharsets.UTF_8))
        .containsExactlyElementsOf(elements);
    for (int i = 0; i < elements.size(); i++) {
      byte[] sent = elements.get(i).getBytes(StandardCharsets.UTF_8);
      assertThat(batch.events().get(i).raw()).isEqualTo(sent);
      assertThat(batch.events().get(i).rawSha256()).isEqualTo(FeedParserTest.sha256(sent));
    }
    assertThat(batch.events().get(0).json()).isEqualTo(new JsonObject().put("name", "café").put("n", 15.0)
        .put("z", 0));
  }

  @Test
  @DisplayName("a 200 whose body is not a well-formed batch fails the read as TRANSIENT, with nothing to store")
  void malformedBodiesAreTransient() {
    List<byte[]> bodies = List.of(
        "{\"events\":[{\"a\":1}],\"ackId\":\"a\"".getBytes(StandardCharsets.UTF_8),
        "{\"events\":[{\"a\":1}]}".getBytes(StandardCharsets.UTF_8),
        "{\"events\":{},\"ackId\":\"a\"}".getBytes(StandardCharsets.UTF_8),
        FeedParserTest.concat("{\"events\":[\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFE},
            "\"],\"ackId\":\"a\"}".getBytes(StandardCharsets.UTF_8)),
        new byte[0]);
    for (byte[] body : bodies) {
      answer.set(body);
      assertThatThrownBy(() -> await(client.read(TOKENS, "a")))
          .as(new String(body, StandardCharsets.UTF_8))
          .isInstanceOfSatisfying(FeedException.class, e -> {
            assertThat(e.kind()).isEqualTo(FeedException.Kind.TRANSIENT);
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.getMessage()).startsWith("malformed read response: ");
          });
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
