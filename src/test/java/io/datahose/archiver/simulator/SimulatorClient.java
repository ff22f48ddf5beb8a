package io.datahose.archiver.simulator;

import io.datahose.archiver.symphony.EventTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/** Test-side client of the simulator: JWT signing, auth, reads. Blocking; call from the test thread. */
final class SimulatorClient {

  record Tokens(String session, String keyManager) {
  }

  private final String baseUrl;
  private final HttpClient http;

  SimulatorClient(String baseUrl) {
    this(baseUrl, null);
  }

  SimulatorClient(String baseUrl, SSLContext ssl) {
    this.baseUrl = baseUrl;
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5));
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.http = builder.build();
  }

  static String jwt(PrivateKey key, String alg, String sub, Instant exp) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString(new JsonObject().put("alg", alg).put("typ", "JWT").encode()
        .getBytes(StandardCharsets.UTF_8));
    JsonObject claims = new JsonObject().put("sub", sub);
    if (exp != null) {
      claims.put("exp", exp.getEpochSecond());
    }
    String payload = b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    try {
      Signature signature = Signature.getInstance("SHA512withRSA");
      signature.initSign(key);
      signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + "." + payload + "." + b64.encodeToString(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String validJwt(KeyPair keys, String user) {
    return jwt(keys.getPrivate(), "RS512", user, Instant.now().plusSeconds(240));
  }

  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    return http.send(request(path, body, null, headers), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  Tokens authenticate(KeyPair keys, String user) throws Exception {
    String body = new JsonObject().put("token", validJwt(keys, user)).encode();
    String session = new JsonObject(post("/login/pubkey/authenticate", body).body()).getString("token");
    String km = new JsonObject(post("/relay/pubkey/authenticate", body).body()).getString("token");
    return new Tokens(session, km);
  }

  static JsonObject readBody(String ackId, String... types) {
    JsonObject body = new JsonObject().put("type", "datahose").put("tag", "archiver")
        .put("eventTypes", new JsonArray(List.of(types.length == 0 ? EventTypes.ALL.toArray() : types)));
    if (ackId != null) {
      body.put("ackId", ackId);
    }
    return body;
  }

  HttpResponse<String> readRaw(Tokens tokens, JsonObject body, Duration timeout) throws Exception {
    return http.send(request("/agent/v5/events/read", body.encode(), timeout, "sessionToken", tokens.session(),
        "keyManagerToken", tokens.keyManager()), HttpResponse.BodyHandlers.ofString());
  }

  /** A read whose 200 body is returned exactly as received. */
  HttpResponse<byte[]> readBytes(Tokens tokens, JsonObject body, Duration timeout) throws Exception {
    return http.send(request("/agent/v5/events/read", body.encode(), timeout, "sessionToken", tokens.session(),
        "keyManagerToken", tokens.keyManager()), HttpResponse.BodyHandlers.ofByteArray());
  }

  CompletableFuture<HttpResponse<String>> readAsync(Tokens tokens, JsonObject body) {
    return http.sendAsync(request("/agent/v5/events/read", body.encode(), null, "sessionToken", tokens.session(),
        "keyManagerToken", tokens.keyManager()), HttpResponse.BodyHandlers.ofString());
  }

  /** @return the 200 response body of a read */
  JsonObject read(Tokens tokens, JsonObject body) throws Exception {
    HttpResponse<String> response = readRaw(tokens, body, Duration.ofSeconds(10));
    if (response.statusCode() != 200) {
      throw new AssertionError("read answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body());
  }

  private HttpRequest request(String path, String body, Duration timeout, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/json")
        .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (timeout != null) {
      builder.timeout(timeout);
    }
    for (int i = 0; i < headers.length; i += 2) {
      if (headers[i + 1] != null) {
        builder.header(headers[i], headers[i + 1]);
      }
    }
    return builder.build();
  }
}
