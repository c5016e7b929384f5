package io.ringstore.cluster.replication;

import io.ringstore.spi.RingstoreException;
import io.ringstore.spi.env.Ticker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Lets a synchronous call run the steps of an asynchronous operation on its own thread: the
 * operation hands steps to {@link #executor()}, and the caller, waiting in {@link #await}, runs
 * them as they come until the operation's outcome is known. A JCache caller's entry processor,
 * writer or expiry policy thus runs on the caller's thread, never on a transport thread.
 *
 * <p>Given a {@link ReplicaTransport}, the caller sends what the thread holds corked before it
 * waits ({@link ReplicaTransport#sendCorked()}), so that a wait inside a cork (a synchronous
 * operation made by a step of a bulk update) does not wait for requests that are never sent. A
 * {@link #grouping} caller also runs each step it takes together with every step already waiting
 * inside one {@link ReplicaTransport#cork() cork}: the requests those steps send (the commits of a
 * bulk update's decisions, made as its reads come back) go out grouped per node. A single-key
 * operation sends one request at a time and has nothing to group.
 *
 * <p>Thread-safety: {@link #executor()} may be used from any thread; {@link #await} by the one
 * thread that made this object.
 */
final class CallerThread {
  private static final Runnable WAKE = () -> {};
  /** The most steps run inside one cork: what they send waits no longer than that many steps. */
  private static final int MAX_STEPS_PER_CORK = 256;

  private final LinkedBlockingQueue<Runnable> steps = new LinkedBlockingQueue<>();
  private final Executor executor = steps::add;
  private final @Nullable ReplicaTransport transport;
  private final boolean groupSteps;

  /** A caller whose steps send as they run; it sends what the thread holds corked on {@code transport} before it waits. */
  CallerThread(@Nullable ReplicaTransport transport) {
    this(transport, false);
  }

  private CallerThread(@Nullable ReplicaTransport transport, boolean groupSteps) {
    this.transport = transport;
    this.groupSteps = groupSteps;
  }

  /** A caller that also runs the steps waiting at once inside one cork of {@code transport} (if not null). */
  static CallerThread grouping(@Nullable ReplicaTransport transport) {
    return new CallerThread(transport, true);
  }

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
        ReplicaTransport t = transport;
        Runnable step = steps.poll();
        if (step == null) {
          if (t != null) {
            t.sendCorked();
          }
          step = steps.poll(left, TimeUnit.NANOSECONDS);
        }
        if (step == null) {
          continue;
        }
        if (t == null || !groupSteps) {
          step.run();
          continue;
        }
        try (ReplicaTransport.Cork cork = t.cork()) {
          int run = 0;
          for (Runnable next = step; next != null; next = ++run < MAX_STEPS_PER_CORK ? steps.poll() : null) {
            next.run();
          }
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
