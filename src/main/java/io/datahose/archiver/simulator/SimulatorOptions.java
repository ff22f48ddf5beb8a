package io.datahose.archiver.simulator;

import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a {@link SymphonySimulator}. Build with {@link #builder()}.
 *
 * @param botUsername       service-account username: JWT {@code sub} and client-certificate CN must equal it
 * @param rsaPublicKey      key that verifies the RS512 JWTs (null: RSA authentication always fails)
 * @param batchSize         maximum events per read response (default 100)
 * @param visibilityTimeout time after which an unacknowledged lease is redelivered (default 30 s)
 * @param longPoll          how long an empty read waits for events (default 20 s)
 * @param port              listen port on 127.0.0.1; 0 = ephemeral (default)
 * @param tls               TLS + client-certificate settings, or null for plain HTTP (default)
 * @param slowDelay         response delay for {@link Fault#SLOW} (default 2 min)
 * @param eventSeed         seed of the simulator's {@link EventGenerator} and of the wire variants (default 1)
 * @param wireVariants      share (0..1) of served events spelled differently from {@code encode()} on the wire:
 *                          escapes, whitespace, exponent forms, key order; the same JSON value (default 0)
 */
public record SimulatorOptions(String botUsername, PublicKey rsaPublicKey, int batchSize, Duration visibilityTimeout,
                               Duration longPoll, int port, Tls tls, Duration slowDelay, long eventSeed,
                               double wireVariants) {

  /**
   * TLS settings: the server's key store and the trust store of CAs whose client certificates are accepted.
   * Both PKCS#12. When set, every endpoint is served over HTTPS and the certificate endpoints are enabled.
   */
  public record Tls(Path serverKeyStore, String serverKeyStorePassword, Path clientCaTrustStore,
                    String clientCaTrustStorePassword) {
  }

  public SimulatorOptions {
    Objects.requireNonNull(botUsername, "botUsername");
    Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
    Objects.requireNonNull(longPoll, "longPoll");
    Objects.requireNonNull(slowDelay, "slowDelay");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1");
    }
    if (!(wireVariants >= 0 && wireVariants <= 1)) {
      throw new IllegalArgumentException("wireVariants must be between 0 and 1: " + wireVariants);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder with the documented defaults. Not thread-safe. */
  public static final class Builder {
    private String botUsername = "archiver-bot";
    private PublicKey rsaPublicKey;
    private int batchSize = 100;
    private Duration visibilityTimeout = Duration.ofSeconds(30);
    private Duration longPoll = Duration.ofSeconds(20);
    private int port;
    private Tls tls;
    private Duration slowDelay = Duration.ofMinutes(2);
    private long eventSeed = 1;
    private double wireVariants;

    public Builder botUsername(String value) { this.botUsername = value; return this; }
    public Builder rsaPublicKey(PublicKey value) { this.rsaPublicKey = value; return this; }
    public Builder batchSize(int value) { this.batchSize = value; return this; }
    public Builder visibilityTimeout(Duration value) { this.visibilityTimeout = value; return this; }
    public Builder longPoll(Duration value) { this.longPoll = value; return this; }
    public Builder port(int value) { this.port = value; return this; }
    public Builder tls(Tls value) { this.tls = value; return this; }
    public Builder slowDelay(Duration value) { this.slowDelay = value; return this; }
    public Builder eventSeed(long value) { this.eventSeed = value; return this; }
    public Builder wireVariants(double value) { this.wireVariants = value; return this; }

    /** TLS with a server key store and a client-CA trust store (both PKCS#12). */
    public Builder tls(Path serverKeyStorePkcs12, String serverPassword, Path clientCaTrustStorePkcs12,
                       String trustPassword) {
      return tls(new Tls(serverKeyStorePkcs12, serverPassword, clientCaTrustStorePkcs12, trustPassword));
    }

    public SimulatorOptions build() {
      return new SimulatorOptions(botUsername, rsaPublicKey, batchSize, visibilityTimeout, longPoll, port, tls,
          slowDelay, eventSeed, wireVariants);
    }
  }
}
