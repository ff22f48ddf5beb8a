package io.datahose.archiver.capture;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.StoreHook;
import io.datahose.archiver.config.AppConfig;
import io.datahose.archiver.simulator.Fault;
import io.datahose.archiver.simulator.Ledger;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestPod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once capture end to end: the real ingest path against the simulated pod, with the daemon
 * stopped and restarted mid-stream while faults fire, with failing and "crashing" transactions, and
 * with four reader slots sharing one feed. The archive is compared with the simulator's ledger.
 */
@DisplayName("Exactly-once capture")
class ExactlyOnceTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;
  private TestPod pod;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
    if (pod != null) {
      pod.close();
    }
  }

  @Test
  @DisplayName("Restarting the daemon many times mid-stream while faults fire loses and doubles nothing")
  void restartsWhileFaultsFire() {
    pod = TestPod.start(dir, Duration.ofMillis(300), 20);
    pod.simulator().faults().random(42, 0.15);
    AppConfig config = pod.config(1);
    Random random = new Random(7);
    for (int restart = 0; restart < 12; restart++) {
      daemon = Daemon.start(config);
      pod.simulator().publish(pod.simulator().generator().next(120));
      long before = daemon.status().stored();
      int progress = 10 + random.nextInt(90);
      Await.until(WAIT, "progress in round " + restart, () -> daemon.status().stored() >= before + progress);
      daemon.close();
      daemon = null;
    }
    pod.simulator().faults().clear();
    daemon = Daemon.start(config);
    drain();
    assertExactlyOnce();
  }

  @Test
  @DisplayName("A batch committed but never acknowledged (crash after commit, before the next read) comes back and is stored once")
  void crashAfterCommitBeforeNextRead() {
    pod = TestPod.start(dir, Duration.ofMillis(300), 20);
    AtomicInteger crashes = new AtomicInteger();
    daemon = Daemon.start(pod.config(1), new StoreHook() {
      @Override
      public void afterCommit(String tag, int slot, List<io.datahose.archiver.symphony.ReceivedEvent> events) {
        if (!events.isEmpty() && crashes.getAndIncrement() == 0) {
          throw new IllegalStateException("simulated crash after commit");
        }
      }
    });
    pod.simulator().publish(pod.simulator().generator().next(20));
    drain();
    Await.until(WAIT, "the committed batch redelivered", () -> daemon.status().slot(0).duplicates() >= 20);
    assertExactlyOnce();
  }

  @Test
  @DisplayName("A transaction that fails after some inserts is rolled back; the batch comes back and is stored once")
  void failedTransactionIsStoredOnceOnRedelivery() {
    pod = TestPod.start(dir, Duration.ofMillis(300), 20);
    AtomicInteger failures = new AtomicInteger();
    daemon = Daemon.start(pod.config(1), new StoreHook() {
      @Override
      public void beforeCommit(String tag, int slot, List<io.datahose.archiver.symphony.ReceivedEvent> events) {
        if (!events.isEmpty() && failures.getAndIncrement() < 2) {
          throw new IllegalStateException("simulated failure after the inserts");
        }
      }
    });
    pod.simulator().publish(pod.simulator().generator().next(60));
    drain();
    assertThat(failures.get()).isGreaterThan(2);
    assertExactlyOnce();
  }

  @Test
  @DisplayName("Already-acknowledged events redelivered among new ones are recognised as duplicates")
  void redeliveryMixedWithNewEvents() {
    pod = TestPod.start(dir, Duration.ofMillis(300), 20);
    daemon = Daemon.start(pod.config(1));
    pod.simulator().publish(pod.simulator().generator().next(40));
    drain();
    pod.simulator().faults().next(Fault.REDELIVER_ACKED);
    pod.simulator().publish(pod.simulator().generator().next(40));
    drain();
    Await.until(WAIT, "redelivered events counted", () -> daemon.status().slot(0).duplicates() > 0);
    assertExactlyOnce();
  }

  @Test
  @DisplayName("Four reader slots on one feed archive the union completely, with no duplicates")
  void fourReaderSlots() {
    pod = TestPod.start(dir, Duration.ofMillis(500), 25);
    pod.simulator().faults().random(11, 0.1);
    daemon = Daemon.start(pod.config(4));
    for (int i = 0; i < 6; i++) {
      pod.simulator().publish(pod.simulator().generator().next(500));
    }
    drain();
    pod.simulator().faults().clear();
    assertExactlyOnce();
    assertThat(daemon.status().slots()).hasSize(4);
    assertThat(daemon.status().slots().values()).allSatisfy(slot -> assertThat(slot.stored()).isPositive());
  }

  private void drain() {
    int expected = ledger().generated().size();
    Await.until(WAIT, expected + " events archived",
        () -> TestPod.archivedHashes(daemon.database()).size() >= expected,
        () -> TestPod.archivedHashes(daemon.database()).size());
  }

  private void assertExactlyOnce() {
    Map<String, Integer> archived = TestPod.archivedHashes(daemon.database());
    TestPod.assertNothingDoubled(daemon.database());
    assertThat(archived.keySet()).as("every generated event archived")
        .containsExactlyInAnyOrderElementsOf(ledger().generatedHashes());
    assertThat(archived.keySet()).as("every acknowledged event committed").containsAll(ledger().acknowledgedHashes());
    assertThat(ledger().deliveredHashes()).as("nothing archived that was never delivered").containsAll(archived.keySet());
  }

  private Ledger ledger() {
    return pod.simulator().ledger();
  }
}
