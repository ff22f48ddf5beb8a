package io.datahose.archiver.capture;

import io.datahose.archiver.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Obtains a fresh pair of tokens from the pod and the key manager. Callers keep the tokens until a 401
 * and then call {@link #authenticate()} again (symphony-datahose.md §3.3). Implementations are
 * non-blocking and may be called from any Vert.x context.
 */
public interface SymphonyAuth {

  /**
   * Authenticates the session first, then the key manager.
   *
   * @return a future of both tokens; failed with {@link SymphonyAuthException} for a non-200 answer, or with
   *     the I/O cause when no answer arrived
   */
  Future<AuthTokens> authenticate();

  /**
   * @return RSA-JWT authentication when {@code cfg.bot().privateKey()} is set, certificate authentication
   *     otherwise
   * @throws io.datahose.archiver.config.ConfigException when the bot has no credentials
   */
  static SymphonyAuth create(Vertx vertx, AppConfig.Symphony cfg) {
    if (cfg.bot().usesRsa()) {
      return new RsaAuth(vertx, cfg);
    }
    if (cfg.bot().certificate().path() == null) {
      throw new io.datahose.archiver.config.ConfigException("symphony.bot.privateKey",
          "is required (or symphony.bot.certificate.path for certificate authentication)", "configuration");
    }
    return new CertificateAuth(vertx, cfg);
  }
}
