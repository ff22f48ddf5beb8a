package io.datahose.archiver.retention;

import io.datahose.archiver.config.RetentionPolicy;
import java.time.Instant;
import java.util.List;

/**
 * Whether one event goes at a disposal run: past its retention (by type and stream type, counted from when it
 * happened, else when it was received) and under no legal hold in force. Pure.
 */
public final class DisposalPlan {

  private DisposalPlan() {
  }

  /** What disposal knows of an event (no content). */
  public record Candidate(long seq, String type, String streamType, String streamId, Long initiator,
                          Instant occurredAt, Instant receivedAt) {

    /** @return the time retention counts from: when it happened, else when it was received */
    public Instant time() {
      return occurredAt != null ? occurredAt : receivedAt;
    }
  }

  /** The decision for one event. */
  public enum Decision { KEEP, HELD, DISPOSE }

  public static Decision decide(Candidate c, RetentionPolicy policy, List<LegalHoldStore.Hold> holds, Instant now) {
    // both times must be past it: an occurred_at far in the past on a late event does not shorten its retention
    if (!policy.expired(c.type(), c.streamType(), c.time(), now)
        || !policy.expired(c.type(), c.streamType(), c.receivedAt(), now)) {
      return Decision.KEEP;
    }
    for (LegalHoldStore.Hold hold : holds) {
      if (hold.covers(c.streamId(), c.initiator(), c.time())) {
        return Decision.HELD;
      }
    }
    return Decision.DISPOSE;
  }
}
