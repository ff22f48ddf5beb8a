package io.datahose.archiver.capture;

import io.datahose.archiver.archive.FeedCursors.Cursor;
import io.datahose.archiver.symphony.FeedIdentity;

import java.util.List;

/**
 * Which old feeds must still be read after a change of {@code datahose.tag}, {@code eventTypes} or {@code scopes}.
 * Pure: decided from the committed cursors alone.
 */
public final class FeedChanges {

  private FeedChanges() {
  }

  /**
   * @return the cursors of feeds other than {@code configured} that were read and not yet drained: each is read on
   *     with its own identity and ack id until it is empty, so that what the Agent holds for it is not abandoned
   */
  public static List<Cursor> toDrain(FeedIdentity configured, List<Cursor> cursors) {
    return cursors.stream()
        .filter(c -> !c.feed().equals(configured))
        .filter(c -> c.drainedAt() == null)
        .filter(c -> !c.ackId().isEmpty())
        .toList();
  }
}
