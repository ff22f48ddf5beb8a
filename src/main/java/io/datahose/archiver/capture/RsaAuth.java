package io.datahose.archiver.capture;

import io.datahose.archiver.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;

/**
 * RSA authentication (symphony-datahose.md §3.2): signs a fresh RS512 JWT ({@code sub} = bot username,
 * {@code exp} = now + 240 s) per call and posts it as {@code {"token": jwt}} to
 * {@code {pod}/login/pubkey/authenticate}, then to {@code {keyManager}/relay/pubkey/authenticate}. The
 * constructor reads the key file (blocking; call at start-up); {@link #authenticate()} is non-blocking.
 * The JWT is never logged.
 */
public final class RsaAuth implements SymphonyAuth {

  /** JWT lifetime: the BDK's 4 minutes, under Symphony's 5-minute limit with room for clock skew. */
  public static final int JWT_LIFETIME_SECONDS = 240;

  private final AppConfig.Symphony cfg;
  private final JWTAuth signer;
  private final WebClient client;

  /** Reads {@code cfg.bot().privateKey()} (PKCS#8 or PKCS#1) and builds the signer and the HTTP client. */
  public RsaAuth(Vertx vertx, AppConfig.Symphony cfg) {
    this.cfg = cfg;
    // vertx-auth-jwt wants PKCS#8 PEM: Pem converts a PKCS#1 file first
    String pkcs8 = Pem.privateKeyPkcs8Pem(Pem.readPrivateKey(cfg.bot().privateKey()));
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS512").setBuffer(pkcs8)));
    this.client = SymphonyHttp.client(vertx, cfg, false);
  }

  /** @return a freshly signed authentication JWT (exposed for diagnostics and tests; a credential: never log it) */
  public String signJwt() {
    return signer.generateToken(new JsonObject(), new JWTOptions()
        .setAlgorithm("RS512")
        .setSubject(cfg.bot().username())
        .setExpiresInSeconds(JWT_LIFETIME_SECONDS));
  }

  @Override
  public Future<AuthTokens> authenticate() {
    String sessionUrl = cfg.podUrl() + "/login/pubkey/authenticate";
    String kmUrl = cfg.keyManagerUrl() + "/relay/pubkey/authenticate";
    return TokenCall.post(client.postAbs(sessionUrl), sessionUrl, new JsonObject().put("token", signJwt()),
            cfg.authTimeout())
        .compose(session -> TokenCall.post(client.postAbs(kmUrl), kmUrl, new JsonObject().put("token", signJwt()),
                cfg.authTimeout())
            .map(km -> new AuthTokens(session, km)));
  }
}
