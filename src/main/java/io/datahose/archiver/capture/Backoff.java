package io.datahose.archiver.capture;

import io.datahose.archiver.config.AppConfig;

import java.util.Random;

/**
 * Exponential backoff with jitter for transient read failures, from {@code datahose.retry}: attempt n
 * waits {@code initialInterval × multiplier^(n-1)}, capped at {@code maxInterval}, then scaled by a random
 * factor in [0.5, 1.0] so several slots (or daemons) do not retry in lockstep. Not thread-safe; one per slot.
 */
final class Backoff {

  private final AppConfig.Retry retry;
  private final Random random;

  Backoff(AppConfig.Retry retry, Random random) {
    this.retry = retry;
    this.random = random;
  }

  /** @return the delay in milliseconds before retry number {@code attempt} (1-based), at least 1 */
  long delayMillis(int attempt) {
    double base = retry.initialInterval().toMillis() * Math.pow(retry.multiplier(), Math.max(0, attempt - 1));
    double capped = Math.min(base, retry.maxInterval().toMillis());
    return Math.max(1L, Math.round(capped * (0.5 + random.nextDouble() * 0.5)));
  }

  /** @return the delay between attempts while capture is DOWN for a fatal answer */
  long fatalMillis() {
    return Math.max(1L, retry.fatalInterval().toMillis());
  }
}
