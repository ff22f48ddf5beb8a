package io.datahose.archiver.capture;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.archive.Archive;
import io.datahose.archiver.archive.StoreHook;
import io.datahose.archiver.symphony.ReceivedEvent;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestPod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit through the real read loop: each reader slot stores on its own worker, so while one transaction is
 * open the other slots read on and queue their batches for the next one. (The slots share one token future; had a
 * slot continued on the context that completed it, every store would run one after another on one worker.)
 */
@DisplayName("Group commit in the running daemon")
class GroupCommitCaptureTest {

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
  @DisplayName("with 4 slots and a backlog, the other slots queue their batches while a transaction is open, "
      + "and every event is stored once")
  void slotsQueueWhileATransactionIsOpen() {
    pod = TestPod.start(dir, Duration.ofSeconds(30), 50);
    pod.simulator().publish(pod.simulator().generator().next(2_000));
    AtomicReference<Archive> archive = new AtomicReference<>();
    AtomicBoolean held = new AtomicBoolean();
    AtomicBoolean othersQueued = new AtomicBoolean();
    Set<String> storingThreads = ConcurrentHashMap.newKeySet();
    daemon = Daemon.start(pod.config(4), new StoreHook() {
      @Override
      public void beforeCommit(String tag, int slot, List<ReceivedEvent> events) {
        storingThreads.add(Thread.currentThread().getName());
        Archive a = archive.get();
        if (a != null && !events.isEmpty() && held.compareAndSet(false, true)) {
          // hold one transaction open until the other three slots have queued their batches behind it
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (a.queuedBatches() < 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
          othersQueued.set(a.queuedBatches() >= 3);
        }
      }
    });
    archive.set(daemon.archive());
    Await.until(WAIT, "2,000 events archived", () -> TestPod.archivedHashes(daemon.database()).size() >= 2_000);

    assertThat(othersQueued).as("3 other slots queued while one transaction was open").isTrue();
    Archive.CommitStats stats = daemon.archive().commitStats();
    assertThat(stats.batches()).as("batches in %d transactions", stats.transactions())
        .isGreaterThan(stats.transactions());
    TestPod.assertNothingDoubled(daemon.database());
    assertThat(TestPod.archivedHashes(daemon.database()).keySet())
        .containsExactlyInAnyOrderElementsOf(pod.simulator().ledger().generatedHashes());
  }
}
