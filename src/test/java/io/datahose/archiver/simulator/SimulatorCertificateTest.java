package io.datahose.archiver.simulator;

import io.datahose.archiver.testing.Certificates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatorCertificateTest {

  private static final String BOT = "archiver-bot";
  private static final String PW = "changeit";
  private static Vertx vertx;
  private static SymphonySimulator simulator;
  private static Path dir;
  private static Certificates pki;
  private static Certificates otherPki;

  @BeforeAll
  static void start(@TempDir Path tmp) throws Exception {
    dir = tmp;
    vertx = Vertx.vertx();
    pki = Certificates.generate(BOT);
    otherPki = Certificates.generate("intruder");
    Files.createDirectories(dir.resolve("other"));
    Path trust = dir.resolve("clients-ca.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", pki.caCertificate());
    store.setCertificateEntry("other-ca", otherPki.caCertificate());
    try (OutputStream out = Files.newOutputStream(trust)) {
      store.store(out, PW.toCharArray());
    }
    SimulatorOptions options = SimulatorOptions.builder().botUsername(BOT).longPoll(Duration.ofMillis(200))
        .tls(pki.writeServerKeyStore(dir, PW), PW, trust, PW).build();
    simulator = SymphonySimulator.start(vertx, options).await();
  }

  @AfterAll
  static void stop() {
    simulator.close().await();
    vertx.close().await();
  }

  private static SSLContext ssl(Path clientKeyStore) throws Exception {
    KeyStore trust = load(pki.writeTrustStore(dir, PW));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (clientKeyStore != null) {
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(load(clientKeyStore), PW.toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static KeyStore load(Path file) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PW.toCharArray());
    }
    return store;
  }

  @Test
  @DisplayName("A client certificate with CN = bot username gets session and key-manager tokens that can read")
  void botCertificateAuthenticates() throws Exception {
    SimulatorClient client = new SimulatorClient(simulator.baseUrl(), ssl(pki.writeClientKeyStore(dir, PW)));

    HttpResponse<String> session = client.post("/sessionauth/v1/authenticate", null);
    HttpResponse<String> km = client.post("/keyauth/v1/authenticate", null);
    SimulatorClient.Tokens tokens = new SimulatorClient.Tokens(new JsonObject(session.body()).getString("token"),
        new JsonObject(km.body()).getString("token"));

    assertThat(simulator.baseUrl()).startsWith("https://127.0.0.1:");
    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(session.body()).getString("name")).isEqualTo("sessionToken");
    assertThat(new JsonObject(km.body()).getString("name")).isEqualTo("keyManagerToken");
    assertThat(client.readRaw(tokens, SimulatorClient.readBody(null), Duration.ofSeconds(5)).statusCode())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("Certificate authentication without a client certificate gets 401")
  void noCertificateIsUnauthorized() throws Exception {
    SimulatorClient client = new SimulatorClient(simulator.baseUrl(), ssl(null));

    assertThat(client.post("/sessionauth/v1/authenticate", null).statusCode()).isEqualTo(401);
    assertThat(client.post("/keyauth/v1/authenticate", null).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("A trusted client certificate for another user gets 403")
  void otherUsersCertificateIsForbidden() throws Exception {
    Path otherDir = dir.resolve("other");
    SimulatorClient client = new SimulatorClient(simulator.baseUrl(), ssl(otherPki.writeClientKeyStore(otherDir, PW)));

    assertThat(client.post("/sessionauth/v1/authenticate", null).statusCode()).isEqualTo(403);
  }
}
