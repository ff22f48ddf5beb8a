package io.datahose.archiver.ops;

import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.ArchiveDatabase;
import io.datahose.archiver.archive.StoreResult;
import io.datahose.archiver.capture.CaptureLedger;
import io.datahose.archiver.capture.CaptureLedgerStore;
import io.datahose.archiver.capture.CaptureStatus;
import io.datahose.archiver.testing.TestClock;
import io.datahose.archiver.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One stalled slot opens a capture gap while the others read; it closes when that slot reads again. */
@DisplayName("A stalled reader slot opens a capture gap")
class SlotStallGapTest {

  private static final Duration THRESHOLD = Duration.ofMinutes(2);
  private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
  private ArchiveDatabase db;
  private CaptureLedger ledger;

  @BeforeEach
  void open() {
    db = TestDatabases.fresh("stall-" + System.nanoTime());
    Archive archive = new Archive(db);
    OpsMetrics metrics = new OpsMetrics(new SimpleMeterRegistry(), archive, new CaptureStatus(THRESHOLD, clock));
    ledger = new CaptureLedger(new CaptureLedgerStore(db), THRESHOLD, metrics::gapOpened, clock);
    ledger.start();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  @DisplayName("Slot 1 silent past the threshold while slot 0 reads: a gap naming slot 1 from its last read")
  void stalledSlotOpensAndClosesAGap() {
    ledger.slotStarted(0);
    ledger.slotStarted(1);
    Instant slot1Last = clock.instant();
    read(1);
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(30));
      read(0);
      ledger.check();
    }
    assertThat(ledger.openGap()).as("150 s without slot 1, threshold 120 s").isNotNull();
    assertThat(ledger.openGap().from()).isEqualTo(slot1Last);
    assertThat(ledger.openGap().cause()).contains("reader slot 1");

    read(0);
    assertThat(ledger.openGap()).as("slot 0 reading does not close it").isNotNull();
    read(1);
    assertThat(ledger.openGap()).as("slot 1 reads again").isNull();
  }

  @Test
  @DisplayName("Both slots reading within the threshold: no gap")
  void slotsReadingOpenNoGap() {
    ledger.slotStarted(0);
    ledger.slotStarted(1);
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(60));
      read(0);
      read(1);
      ledger.check();
    }
    assertThat(ledger.openGap()).isNull();
  }

  private void read(int slot) {
    ledger.stored(slot, List.of(), new StoreResult(0, 0, 0, 0, 0, 0), Duration.ZERO, Duration.ZERO);
  }
}
