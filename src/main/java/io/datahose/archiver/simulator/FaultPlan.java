package io.datahose.archiver.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * The faults to apply to the next read requests: an explicit queue (served first, in order) and an optional
 * seeded random mode that picks a transient fault with a given probability per read.
 * Thread-safe: tests configure it from their own thread while the simulator's event loop consumes it.
 */
public final class FaultPlan {

  /** Faults the random mode chooses from (all transient: a correct client recovers from each). */
  public static final List<Fault> TRANSIENT = List.of(Fault.HTTP_500, Fault.HTTP_503, Fault.HTTP_429, Fault.HTTP_401,
      Fault.SLOW, Fault.DROP_CONNECTION, Fault.TRUNCATED_JSON, Fault.REDELIVER_ACKED);

  private final Deque<Fault> queue = new ArrayDeque<>();
  private Random random;
  private double probability;
  private List<Fault> randomChoices = TRANSIENT;

  /** Applies {@code fault} to the next read not already claimed by a queued fault. */
  public synchronized void next(Fault fault) {
    next(fault, 1);
  }

  /** Applies {@code fault} to the next {@code times} reads (after the faults already queued). */
  public synchronized void next(Fault fault, int times) {
    for (int i = 0; i < times; i++) {
      queue.addLast(fault);
    }
  }

  /** Random mode: once the queue is empty, each read gets a random transient fault with {@code probability}. */
  public synchronized void random(long seed, double probability) {
    random(seed, probability, TRANSIENT);
  }

  /** Random mode restricted to {@code choices}. */
  public synchronized void random(long seed, double probability, List<Fault> choices) {
    if (probability < 0 || probability > 1 || choices.isEmpty()) {
      throw new IllegalArgumentException("probability must be 0..1 and choices non-empty");
    }
    this.random = new Random(seed);
    this.probability = probability;
    this.randomChoices = List.copyOf(choices);
  }

  /** Removes queued faults and switches random mode off. */
  public synchronized void clear() {
    queue.clear();
    random = null;
  }

  /** @return number of queued (not yet served) faults */
  public synchronized int pending() {
    return queue.size();
  }

  /** @return the fault for the read being handled now, or null for a normal read */
  synchronized Fault take() {
    Fault queued = queue.pollFirst();
    if (queued != null) {
      return queued;
    }
    if (random != null && random.nextDouble() < probability) {
      return randomChoices.get(random.nextInt(randomChoices.size()));
    }
    return null;
  }
}
