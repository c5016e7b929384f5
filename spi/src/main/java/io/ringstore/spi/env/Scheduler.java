package io.ringstore.spi.env;

import java.time.Duration;

/**
 * Runs tasks later: gossip rounds, retries, flushes, expiry sweeps.
 *
 * <p>Thread-safety: implementations are thread-safe. Tasks run on the scheduler's threads (or, for
 * a fake scheduler, on the thread that advances time) and must not block.
 */
public interface Scheduler {

  /** Runs {@code task} once, after {@code delay}. */
  Cancellable schedule(Runnable task, Duration delay);

  /** A task that can still be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** Calls the task off if it has not started; idempotent. */
    void cancel();
  }
}
