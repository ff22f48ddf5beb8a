package io.datahose.archiver.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded worker pool officer queries run on: {@link #THREADS} threads of their own and at most
 * {@link #MAX_WAITING} queries waiting; past that a query is refused at once ({@link Busy}: 503 with
 * {@code Retry-After}) instead of queueing without end. Capture has its own pool, so a burst of searches slows
 * only the searches. One per Vert.x instance; thread-safe.
 */
final class QueryPool {

  static final int THREADS = 8;
  static final int MAX_WAITING = 32;
  static final String NAME = "datahose-query";
  private static final Map<Vertx, QueryPool> POOLS = new ConcurrentHashMap<>();

  private final WorkerExecutor executor;
  private final int capacity;
  private final AtomicInteger admitted = new AtomicInteger();

  QueryPool(Vertx vertx, int threads, int maxWaiting) {
    this.executor = vertx.createSharedWorkerExecutor(NAME, threads);
    this.capacity = threads + maxWaiting;
  }

  /** @return the pool of {@code vertx}, created on first use */
  static QueryPool of(Vertx vertx) {
    return POOLS.computeIfAbsent(vertx, v -> new QueryPool(v, THREADS, MAX_WAITING));
  }

  /** Closes and forgets the pool of {@code vertx} (API verticle stop). */
  static void release(Vertx vertx) {
    QueryPool pool = POOLS.remove(vertx);
    if (pool != null) {
      pool.executor.close();
    }
  }

  /** Runs {@code query} on the pool (unordered), or fails at once with {@link Busy} when it is full. */
  <T> Future<T> submit(Callable<T> query) {
    if (admitted.incrementAndGet() > capacity) {
      admitted.decrementAndGet();
      return Future.failedFuture(new Busy(capacity));
    }
    return executor.executeBlocking(query, false).andThen(done -> admitted.decrementAndGet());
  }

  /** The pool is full: the answer is 503 with {@code Retry-After}. */
  static final class Busy extends RuntimeException {
    Busy(int capacity) {
      super(capacity + " queries are running or waiting", null, false, false);
    }
  }
}
