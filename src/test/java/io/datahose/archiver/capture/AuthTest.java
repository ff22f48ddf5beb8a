package io.datahose.archiver.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLPeerUnverifiedException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.testing.Certificates;
import io.datahose.archiver.testing.TestKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import io.vertx.junit5.VertxExtension;

@ExtendWith(VertxExtension.class)
@DisplayName("SymphonyAuth")
class AuthTest {

  private static final String BOT = "archiver-bot";
  private static final Certificates CERTS = Certificates.generate(BOT);   // RSA key generation is the slow part

  @TempDir
  Path dir;

  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final List<JsonObject> bodies = new CopyOnWriteArrayList<>();

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** A pod+KM stand-in: answers 200 {token} on the four auth paths, or {@code failWith} on the first call. */
  private HttpServer start(Vertx vertx, HttpServerOptions options, int failWith) throws Exception {
    return await(vertx.createHttpServer(options).requestHandler(req -> req.body().onSuccess(body -> {
      paths.add(req.path());
      bodies.add(body.length() == 0 ? new JsonObject() : body.toJsonObject());
      if (failWith != 0) {
        req.response().setStatusCode(failWith).end("{\"code\":401,\"message\":\"Invalid jwt\"}");
        return;
      }
      String prefix = req.path().startsWith("/login") || req.path().startsWith("/sessionauth") ? "session-" : "km-";
      req.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("name", prefix + "token").put("token", prefix + clientCn(req)).encode());
    })).listen(0, "127.0.0.1"));
  }

  private static String clientCn(HttpServerRequest req) {
    try {
      if (!req.isSSL()) {
        return "plain";
      }
      X509Certificate cert = (X509Certificate) req.connection().peerCertificates().get(0);
      return cert.getSubjectX500Principal().getName();
    } catch (SSLPeerUnverifiedException e) {
      return "unverified";
    }
  }

  private AppConfig rsaConfig(KeyPair keys, boolean pkcs1, String baseUrl) {
    AppConfig cfg = AppConfig.fromJson(new JsonObject().put("symphony", new JsonObject().put("bot",
        new JsonObject().put("username", BOT)
            .put("privateKey", TestKeys.writePrivateKey(keys, dir, pkcs1).toString()))), "test");
    return cfg.withSymphonyUrl(baseUrl);
  }

  @ParameterizedTest(name = "pkcs1={0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("RSA: posts an RS512 JWT for the bot, valid under 5 minutes and verifiable with its public key")
  void rsaJwt(boolean pkcs1, Vertx vertx) throws Exception {
    KeyPair keys = TestKeys.rsa();
    HttpServer server = start(vertx, new HttpServerOptions(), 0);
    AppConfig cfg = rsaConfig(keys, pkcs1, "http://127.0.0.1:" + server.actualPort() + "/");

    AuthTokens tokens = await(SymphonyAuth.create(vertx, cfg.symphony()).authenticate());

    assertThat(tokens).isEqualTo(new AuthTokens("session-plain", "km-plain"));
    assertThat(tokens.toString()).doesNotContain("session-plain", "km-plain");
    assertThat(paths).containsExactly("/login/pubkey/authenticate", "/relay/pubkey/authenticate");
    for (JsonObject body : bodies) {
      String[] jwt = body.getString("token").split("\\.");
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(jwt[0]), StandardCharsets.UTF_8));
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8));
      assertThat(header.getString("alg")).isEqualTo("RS512");
      assertThat(claims.getString("sub")).isEqualTo(BOT);
      long now = Instant.now().getEpochSecond();
      assertThat(claims.getLong("exp")).isBetween(now + 200, now + 300);
      Signature verifier = Signature.getInstance("SHA512withRSA");
      verifier.initVerify(keys.getPublic());
      verifier.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
      assertThat(verifier.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
    }
  }

  @Test
  @DisplayName("RSA: a 401 from the pod fails the future with SymphonyAuthException(401) and stops there")
  void rsaUnauthorized(Vertx vertx) throws Exception {
    HttpServer server = start(vertx, new HttpServerOptions(), 401);
    AppConfig cfg = rsaConfig(TestKeys.rsa(), false, "http://127.0.0.1:" + server.actualPort());

    assertThatThrownBy(() -> await(SymphonyAuth.create(vertx, cfg.symphony()).authenticate()))
        .cause().isInstanceOf(SymphonyAuthException.class)
        .hasMessageContaining("Invalid jwt")
        .satisfies(e -> assertThat(((SymphonyAuthException) e).status()).isEqualTo(401));
    assertThat(paths).containsExactly("/login/pubkey/authenticate");
  }

  @Test
  @DisplayName("RSA: a login endpoint that accepts and never answers fails the call after symphony.authTimeout")
  void rsaLoginThatNeverAnswersTimesOut(Vertx vertx) throws Exception {
    HttpServer silent = await(vertx.createHttpServer().requestHandler(req -> paths.add(req.path()))
        .listen(0, "127.0.0.1"));
    JsonObject json = new JsonObject().put("symphony", new JsonObject().put("authTimeout", "300ms").put("bot",
        new JsonObject().put("username", BOT)
            .put("privateKey", TestKeys.writePrivateKey(TestKeys.rsa(), dir, false).toString())));
    AppConfig cfg = AppConfig.fromJson(json, "test").withSymphonyUrl("http://127.0.0.1:" + silent.actualPort());
    assertThat(cfg.symphony().authTimeout()).isEqualTo(java.time.Duration.ofMillis(300));

    assertThatThrownBy(() -> await(SymphonyAuth.create(vertx, cfg.symphony()).authenticate()))
        .as("without a timeout this waits the 20 s of await() and fails with a TimeoutException instead")
        .isInstanceOf(java.util.concurrent.ExecutionException.class)
        .cause().hasMessageContaining("timeout");
    assertThat(paths).containsExactly("/login/pubkey/authenticate");
  }

  @Test
  @DisplayName("certificate: mutual TLS with client auth required; the server sees the bot's CN and returns tokens")
  void certificateAuth(Vertx vertx) throws Exception {
    Certificates certs = CERTS;
    HttpServer server = start(vertx, tlsServer(certs), 0);
    AppConfig cfg = certConfig(certs, true).withSymphonyUrl("https://localhost:" + server.actualPort());

    AuthTokens tokens = await(SymphonyAuth.create(vertx, cfg.symphony()).authenticate());

    assertThat(tokens).isEqualTo(new AuthTokens("session-CN=" + BOT, "km-CN=" + BOT));
    assertThat(paths).containsExactly("/sessionauth/v1/authenticate", "/keyauth/v1/authenticate");
  }

  @Test
  @DisplayName("certificate: without the trust store the pod's private-CA certificate is not trusted")
  void certificateAuthUntrusted(Vertx vertx) throws Exception {
    Certificates certs = CERTS;
    HttpServer server = start(vertx, tlsServer(certs), 0);
    AppConfig cfg = certConfig(certs, false).withSymphonyUrl("https://localhost:" + server.actualPort());

    assertThatThrownBy(() -> await(SymphonyAuth.create(vertx, cfg.symphony()).authenticate()))
        .cause().isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    assertThat(paths).isEmpty();
  }

  @Test
  @DisplayName("a PEM trust file (ca.pem) is accepted as the trust store")
  void pemTrustStore(Vertx vertx) throws Exception {
    Certificates certs = CERTS;
    HttpServer server = start(vertx, tlsServer(certs), 0);
    AppConfig cfg = AppConfig.fromJson(new JsonObject().put("symphony", new JsonObject()
        .put("bot", new JsonObject().put("username", BOT).put("certificate", new JsonObject()
            .put("path", certs.writeClientKeyStore(dir, "client-pw").toString()).put("password", "client-pw")))
        .put("trustStore", new JsonObject().put("path", certs.writeCaPem(dir).toString()))), "test")
        .withSymphonyUrl("https://127.0.0.1:" + server.actualPort());

    assertThat(await(SymphonyAuth.create(vertx, cfg.symphony()).authenticate()).sessionToken())
        .isEqualTo("session-CN=" + BOT);
  }

  private HttpServerOptions tlsServer(Certificates certs) {
    return new HttpServerOptions().setSsl(true).setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PfxOptions().setPath(certs.writeServerKeyStore(dir, "server-pw").toString())
            .setPassword("server-pw"))
        .setTrustOptions(new PfxOptions().setPath(certs.writeTrustStore(dir, "trust-pw").toString())
            .setPassword("trust-pw"));
  }

  private AppConfig certConfig(Certificates certs, boolean withTrustStore) {
    JsonObject symphony = new JsonObject().put("bot", new JsonObject().put("username", BOT)
        .put("certificate", new JsonObject().put("path", certs.writeClientKeyStore(dir, "client-pw").toString())
            .put("password", "client-pw")));
    if (withTrustStore) {
      symphony.put("trustStore", new JsonObject().put("path", certs.writeTrustStore(dir, "trust-pw").toString())
          .put("password", "trust-pw"));
    }
    return AppConfig.fromJson(new JsonObject().put("symphony", symphony), "test");
  }
}
