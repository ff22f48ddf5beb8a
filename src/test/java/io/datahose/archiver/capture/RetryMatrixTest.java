package io.datahose.archiver.capture;

import io.datahose.archiver.Daemon;
import io.datahose.archiver.simulator.Fault;
import io.datahose.archiver.simulator.Ledger;
import io.datahose.archiver.testing.Await;
import io.datahose.archiver.testing.TestPod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of the read retry matrix, checked by what the simulated pod saw: which ackId each read
 * presented, how often the daemon authenticated, and that the archive holds every event exactly once
 * with nothing acknowledged that was not committed.
 */
@DisplayName("The read loop's retry matrix")
class RetryMatrixTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;
  private TestPod pod;
  private Daemon daemon;

  @BeforeEach
  void start() {
    pod = TestPod.start(dir, Duration.ofMillis(300), 25);
    daemon = Daemon.start(pod.config(1));
    publishAndDrain(30);
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
    pod.close();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Fault.class, names = {"HTTP_204", "HTTP_206", "HTTP_429", "HTTP_500", "HTTP_503",
      "DROP_CONNECTION", "TRUNCATED_JSON", "SLOW"})
  @DisplayName("A transient failure is retried with backoff and the same ackId, without re-authenticating")
  void transientFailureRetriesSameAckId(Fault fault) {
    int faulted = faultNextRead(fault);
    publishAndDrain(40);

    List<String> presented = ledger().ackIdsPresented();
    assertThat(presented.get(faulted)).isNotEmpty();
    assertThat(presented.get(faulted + 1)).as("ackId of the read after the %s", fault).isEqualTo(presented.get(faulted));
    assertThat(ledger().sessionAuths()).isEqualTo(1);
    assertExactlyOnceAndNothingAckedUncommitted();
  }

  @Test
  @DisplayName("An ackId of 5,000 characters is committed and presented back (the cursor column held 4,000)")
  void longAckIdIsCommittedAndPresented() {
    int faulted = faultNextRead(Fault.LONG_ACK_ID);
    publishAndDrain(40);

    List<String> presented = ledger().ackIdsPresented();
    assertThat(presented.get(faulted + 1)).as("the read after the long-ackId batch acknowledges it")
        .hasSize(Fault.LONG_ACK_ID_CHARS);
    assertThat(daemon.status().slot(0).state()).isEqualTo(CaptureStatus.State.UP);
    assertExactlyOnceAndNothingAckedUncommitted();
  }

  @Test
  @DisplayName("A 401 refreshes both tokens once and repeats the read with the same ackId")
  void unauthorizedReauthenticatesOnce() {
    int faulted = faultNextRead(Fault.HTTP_401);
    publishAndDrain(40);

    List<String> presented = ledger().ackIdsPresented();
    assertThat(presented.get(faulted + 1)).isEqualTo(presented.get(faulted)).isNotEmpty();
    assertThat(ledger().sessionAuths()).isEqualTo(2);
    assertThat(ledger().keyManagerAuths()).isEqualTo(2);
    assertThat(daemon.status().slot(0).reauthentications()).isEqualTo(1);
    assertExactlyOnceAndNothingAckedUncommitted();
  }

  @Test
  @DisplayName("A 400 is retried at once with an empty ackId and the unacknowledged batch is deduplicated")
  void badRequestRetriesWithEmptyAckId() {
    int faulted = faultNextRead(Fault.HTTP_400);
    publishAndDrain(40);

    List<String> presented = ledger().ackIdsPresented();
    assertThat(presented.get(faulted)).isNotEmpty();
    assertThat(presented.get(faulted + 1)).isEmpty();
    assertExactlyOnceAndNothingAckedUncommitted();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Fault.class, names = {"HTTP_403", "HTTP_404"})
  @DisplayName("A 403 or 404 marks capture DOWN with its meaning and keeps retrying with the same ackId")
  void fatalAnswerMarksDownAndKeepsRetrying(Fault fault) {
    ledger();
    int first = ledger().ackIdsPresented().size();
    pod.simulator().faults().next(fault, 3);
    Await.until(WAIT, "capture DOWN", () -> daemon.status().slot(0).state() == CaptureStatus.State.DOWN);
    String reason = daemon.status().slot(0).reason();
    assertThat(reason).contains(fault == Fault.HTTP_403 ? "entitlements" : "/agent/v5/events/read");
    publishAndDrain(40);

    assertThat(daemon.status().slot(0).state()).isEqualTo(CaptureStatus.State.UP);
    List<String> presented = ledger().ackIdsPresented();
    String before = presented.get(first);
    assertThat(presented.subList(first, first + 4)).as("the refused reads and the one after").containsOnly(before);
    assertExactlyOnceAndNothingAckedUncommitted();
  }

  private int faultNextRead(Fault fault) {
    pod.simulator().faults().next(fault);
    Await.until(WAIT, fault + " served", () -> !ledger().faultedReads().isEmpty());
    return ledger().faultedReads().get(0);
  }

  private void publishAndDrain(int events) {
    pod.simulator().publish(pod.simulator().generator().next(events));
    int expected = ledger().generated().size();
    Await.until(WAIT, expected + " events archived",
        () -> TestPod.archivedHashes(daemon.database()).size() >= expected,
        () -> TestPod.archivedHashes(daemon.database()).size());
  }

  private void assertExactlyOnceAndNothingAckedUncommitted() {
    Map<String, Integer> archived = TestPod.archivedHashes(daemon.database());
    TestPod.assertNothingDoubled(daemon.database());
    assertThat(archived.keySet()).as("every generated event archived")
        .containsExactlyInAnyOrderElementsOf(ledger().generatedHashes());
    assertThat(archived.keySet()).as("every acknowledged event is committed").containsAll(ledger().acknowledgedHashes());
    assertThat(ledger().deliveredHashes()).as("nothing archived that was never delivered").containsAll(archived.keySet());
  }

  private Ledger ledger() {
    return pod.simulator().ledger();
  }
}
