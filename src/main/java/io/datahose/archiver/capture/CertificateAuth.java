package io.datahose.archiver.capture;

import io.datahose.archiver.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/**
 * Certificate authentication (symphony-datahose.md §3.1): mutual TLS with the bot's PKCS#12 certificate
 * (CN = bot username), an empty POST to {@code {sessionAuth}/sessionauth/v1/authenticate} and then to
 * {@code {keyAuth}/keyauth/v1/authenticate}. Non-blocking after construction.
 */
public final class CertificateAuth implements SymphonyAuth {

  private final AppConfig.Symphony cfg;
  private final WebClient client;

  /** Builds the mutual-TLS client from {@code cfg.bot().certificate()} and {@code cfg.trustStore()}. */
  public CertificateAuth(Vertx vertx, AppConfig.Symphony cfg) {
    this.cfg = cfg;
    this.client = SymphonyHttp.client(vertx, cfg, true);
  }

  @Override
  public Future<AuthTokens> authenticate() {
    String sessionUrl = cfg.sessionAuthUrl() + "/sessionauth/v1/authenticate";
    String kmUrl = cfg.keyAuthUrl() + "/keyauth/v1/authenticate";
    return TokenCall.post(client.postAbs(sessionUrl), sessionUrl, null, cfg.authTimeout())
        .compose(session -> TokenCall.post(client.postAbs(kmUrl), kmUrl, null, cfg.authTimeout())
            .map(km -> new AuthTokens(session, km)));
  }
}
