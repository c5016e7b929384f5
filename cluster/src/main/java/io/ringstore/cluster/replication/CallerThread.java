package io.ringstore.cluster.replication;

import io.ringstore.spi.RingstoreException;
import io.ringstore.spi.env.Ticker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Lets a synchronous call run the steps of an asynchronous operation on its own thread: the
 * operation hands steps to {@link #executor()}, and the caller, waiting in {@link #await}, runs
 * them as they come until the operation's outcome is known. A JCache caller's entry processor,
 * writer or expiry policy thus runs on the caller's thread, never on a transport thread.
 *
 * <p>Thread-safety: {@link #executor()} may be used from any thread; {@link #await} by the one
 * thread that made this object.
 */
final class CallerThread {
  private static final Runnable WAKE = () -> {};

  private final LinkedBlockingQueue<Runnable> steps = new LinkedBlockingQueue<>();
  private final Executor executor = steps::add;

  /** Where the operation hands its steps. */
  Executor executor() {
    return executor;
  }

  /**
   * Runs handed steps until {@code outcome} completes, at most {@code timeoutMillis} by {@code ticker}
   * (the wait itself is a real one: a fake ticker only shortens or stretches the safety net).
   *
   * @throws RingstoreException if the outcome takes longer than {@code timeoutMillis} (a safety
   *     net: every request of the operation has its own timeout) or the thread is interrupted
   */
  <T> T await(CompletableFuture<T> outcome, Ticker ticker, long timeoutMillis, String what) {
    outcome.whenComplete((value, failure) -> steps.add(WAKE));
    long deadline = ticker.nanos() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      while (!outcome.isDone()) {
        long left = deadline - ticker.nanos();
        if (left <= 0) {
          throw new RingstoreException(what + " had no outcome within " + timeoutMillis + " ms");
        }
        Runnable step = steps.poll(left, TimeUnit.NANOSECONDS);
        if (step != null) {
          step.run();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RingstoreException(what + " was interrupted", e);
    }
    try {
      return outcome.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
