package io.datahose.archiver.capture;

import io.vertx.core.Future;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Session and key manager tokens shared by every reader slot. Tokens are kept until a read answers
 * 401; then {@link #refresh(AuthTokens)} re-authenticates once, however many slots saw the 401 with the
 * same stale tokens. Thread-safe: slots run on different worker contexts.
 */
public final class TokenCache {

  private final SymphonyAuth auth;
  private final AtomicInteger authentications = new AtomicInteger();
  private Future<AuthTokens> current;

  public TokenCache(SymphonyAuth auth) {
    this.auth = auth;
  }

  /** @return the current tokens, authenticating first when there are none (or the last attempt failed) */
  public synchronized Future<AuthTokens> tokens() {
    if (current == null || current.failed()) {
      current = authenticate();
    }
    return current;
  }

  /**
   * Replaces {@code stale} tokens after a 401. A slot that presents tokens already replaced gets the
   * newer ones without another authentication.
   *
   * @return a future of tokens newer than {@code stale}
   */
  public synchronized Future<AuthTokens> refresh(AuthTokens stale) {
    boolean staleIsCurrent = current != null && current.succeeded() && current.result().equals(stale);
    if (current == null || current.failed() || staleIsCurrent) {
      current = authenticate();
    }
    return current;
  }

  /** @return how many times this cache authenticated (pod + key manager count as one) */
  public int authentications() {
    return authentications.get();
  }

  private Future<AuthTokens> authenticate() {
    authentications.incrementAndGet();
    return auth.authenticate();
  }
}
