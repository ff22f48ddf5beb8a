package io.datahose.archiver.officer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Optional;

/**
 * Who an {@code Authorization: Bearer} header names: the {@link LocalAdmin local admin channel}'s principal (its token
 * checked first, in constant time and in memory), or the officer whose token hashes to a stored hash, compared in
 * constant time. The lookup runs off the event loop. HTTP's answers (401, 403) are the API's
 * ({@code api.OfficerAuth}); this decides only who the caller is. Thread-safe.
 */
public final class OfficerAuthenticator {

  private static final int MAX_HEADER = 300;

  private final Vertx vertx;
  private final OfficerStore officers;
  private final LocalAdmin local;

  /** @param local the local admin channel, or null for none */
  public OfficerAuthenticator(Vertx vertx, OfficerStore officers, LocalAdmin local) {
    this.vertx = vertx;
    this.officers = officers;
    this.local = local;
  }

  /**
   * @return a future of the officer (revoked ones too: check {@link Officer#active()}), empty for no, a malformed
   *     or an unknown token
   */
  public Future<Optional<Officer>> authenticate(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)
        || header.length() > MAX_HEADER) {
      return Future.succeededFuture(Optional.empty());
    }
    String token = header.substring(7).trim();
    if (local != null && local.accepts(token)) {
      return Future.succeededFuture(Optional.of(local.officer()));
    }
    String hash = OfficerTokens.hash(token);
    return vertx.executeBlocking(() -> {
      StringBuilder stored = new StringBuilder();
      Optional<Officer> officer = officers.byTokenHash(hash, stored);
      return officer.isPresent() && OfficerTokens.sameHash(hash, stored.toString()) ? officer : Optional.empty();
    });
  }

  /** @return whether {@code officer} is the local admin channel's principal */
  public boolean isLocal(Officer officer) {
    return local != null && officer != null && local.isPrincipal(officer);
  }
}
