package io.datahose.archiver.capture;

import io.datahose.archiver.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Creates the {@link WebClient} for every Symphony call (auth, feed, health): trusts the JVM's CAs plus
 * {@code symphony.trustStore}, presents the bot's PKCS#12 certificate when asked (certificate auth),
 * connect timeout 15 s, keep-alive, user agent {@code datahose-archiver}. Host names are verified.
 * Read timeouts are per request (the feed sets {@code datahose.readTimeout}). Blocking file I/O when a
 * trust store is configured: call at start-up, not on an event loop in steady state.
 */
public final class SymphonyHttp {

  /** Connect timeout of every Symphony call, as the BDK's default (symphony-datahose.md §4.6). */
  public static final int CONNECT_TIMEOUT_MS = 15_000;

  /** The User-Agent header value. */
  public static final String USER_AGENT = "datahose-archiver";

  private SymphonyHttp() {
  }

  /**
   * @param clientCertificate true to present {@code cfg.bot().certificate()} (mutual TLS)
   * @return a new client; the caller closes it
   */
  public static WebClient client(Vertx vertx, AppConfig.Symphony cfg, boolean clientCertificate) {
    return WebClient.create(vertx, options(cfg, clientCertificate));
  }

  /** @return the options {@link #client} uses (exposed for callers building their own client) */
  public static WebClientOptions options(AppConfig.Symphony cfg, boolean clientCertificate) {
    WebClientOptions options = new WebClientOptions()
        .setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setKeepAlive(true)
        .setVerifyHost(true)
        .setUserAgent(USER_AGENT);
    if (cfg.trustStore().path() != null) {
      options.setTrustOptions(TrustOptions.wrap(TrustStores.withExtraCas(cfg.trustStore())));
    }
    if (clientCertificate) {
      AppConfig.Store cert = cfg.bot().certificate();
      if (cert.path() == null) {
        throw new IllegalArgumentException("symphony.bot.certificate.path is not set");
      }
      options.setKeyCertOptions(new PfxOptions().setPath(cert.path().toString()).setPassword(cert.passwordValue()));
    }
    return options;
  }
}
