package io.datahose.archiver.capture;

import io.datahose.archiver.testing.TestClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A slot without a successful read for capture.gapThreshold is DOWN, whatever its last recorded state. */
@DisplayName("Health sees a stalled reader slot")
class SlotStallTest {

  private static final Duration THRESHOLD = Duration.ofMinutes(2);
  private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final CaptureStatus status = new CaptureStatus(THRESHOLD, clock);

  @Test
  @DisplayName("UP after a read; DOWN with the stall named once the threshold passes without one; UP again after a read")
  void upSlotThatStopsReadingGoesDown() {
    CaptureStatus.Slot slot = status.slot(0);
    slot.readSucceeded(10, 0, 0);
    clock.advance(THRESHOLD);
    assertThat(slot.state()).as("exactly at the threshold").isEqualTo(CaptureStatus.State.UP);

    clock.advance(Duration.ofSeconds(1));
    assertThat(slot.state()).isEqualTo(CaptureStatus.State.DOWN);
    assertThat(slot.reason()).contains("no successful read for 121000 ms", "capture.gapThreshold 120000 ms");
    assertThat(status.up()).isFalse();

    slot.readSucceeded(1, 0, 0);
    assertThat(slot.state()).isEqualTo(CaptureStatus.State.UP);
    assertThat(status.up()).isTrue();
  }

  @Test
  @DisplayName("A slot that never read is STARTING, then DOWN once the threshold passes after its start")
  void slotThatNeverReadGoesDown() {
    CaptureStatus.Slot slot = status.slot(1);
    assertThat(slot.state()).isEqualTo(CaptureStatus.State.STARTING);
    clock.advance(THRESHOLD.plusSeconds(1));
    assertThat(slot.state()).isEqualTo(CaptureStatus.State.DOWN);
  }
}
