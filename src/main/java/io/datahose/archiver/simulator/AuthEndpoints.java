package io.datahose.archiver.simulator;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * Pod / key-manager authentication: RSA ({@code /login|/relay/pubkey/authenticate}, JWT in the body) and
 * certificate ({@code /sessionauth|/keyauth/v1/authenticate}, mutual TLS, CN = bot username).
 * Stateless apart from {@link Tokens} and the {@link Ledger}; handlers run on the event loop.
 */
final class AuthEndpoints {

  private final JwtVerifier verifier;
  private final String username;
  private final Tokens tokens;
  private final Ledger ledger;

  AuthEndpoints(SimulatorOptions options, Tokens tokens, Ledger ledger) {
    this.verifier = new JwtVerifier(options.rsaPublicKey(), options.botUsername(), Clock.systemUTC());
    this.username = options.botUsername();
    this.tokens = tokens;
    this.ledger = ledger;
  }

  void rsaSession(RoutingContext ctx) {
    if (rsaAccepted(ctx)) {
      ledger.recordSessionAuth();
      token(ctx, "sessionToken", tokens.newSession());
    }
  }

  void rsaKeyManager(RoutingContext ctx) {
    if (rsaAccepted(ctx)) {
      ledger.recordKeyManagerAuth();
      token(ctx, "keyManagerToken", tokens.newKeyManager());
    }
  }

  void certSession(RoutingContext ctx) {
    if (certAccepted(ctx)) {
      ledger.recordSessionAuth();
      token(ctx, "sessionToken", tokens.newSession());
    }
  }

  void certKeyManager(RoutingContext ctx) {
    if (certAccepted(ctx)) {
      ledger.recordKeyManagerAuth();
      token(ctx, "keyManagerToken", tokens.newKeyManager());
    }
  }

  private boolean rsaAccepted(RoutingContext ctx) {
    String jwt;
    try {
      JsonObject body = ctx.body().asJsonObject();
      jwt = body == null ? null : body.getString("token");
    } catch (RuntimeException e) {
      jwt = null;
    }
    String rejection = verifier.rejection(jwt);
    if (rejection != null) {
      ReadEndpoint.error(ctx, 401, "Invalid token: " + rejection);
      return false;
    }
    return true;
  }

  private boolean certAccepted(RoutingContext ctx) {
    List<Certificate> chain;
    try {
      chain = ctx.request().connection().peerCertificates();
    } catch (SSLPeerUnverifiedException | RuntimeException e) {
      chain = null;
    }
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate cert)) {
      ReadEndpoint.error(ctx, 401, "A client certificate is required");
      return false;
    }
    if (!username.equals(commonName(cert))) {
      ReadEndpoint.error(ctx, 403, "Certificate authentication is not allowed for this user");
      return false;
    }
    return true;
  }

  static String commonName(X509Certificate cert) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return null;
  }

  private static void token(RoutingContext ctx, String name, String token) {
    ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("name", name).put("token", token).encode());
  }
}
