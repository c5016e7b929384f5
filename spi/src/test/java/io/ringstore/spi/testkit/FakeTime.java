package io.ringstore.spi.testkit;

import io.ringstore.spi.env.Clock;
import io.ringstore.spi.env.Scheduler;
import io.ringstore.spi.env.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * Time that moves only when a test moves it: one object that is the {@link Clock}, the
 * {@link Ticker} and the {@link Scheduler}. {@link #advance} moves both clocks and runs, on the
 * calling thread and in time order, every task that has become due.
 *
 * <p>Thread-safety: thread-safe; tasks run outside the lock.
 */
public final class FakeTime implements Clock, Ticker, Scheduler {

  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  // the wall clock is wallMillis at the ticker's wallBaseNanos, and moves with the ticker: no step
  // of advance() loses its sub-millisecond rest (guarded by this)
  private long wallMillis;
  private long wallBaseNanos;
  private long nanos; // guarded by this
  private long sequence; // guarded by this

  /** Time that starts at {@code start} (wall clock) and at an arbitrary ticker origin. */
  public FakeTime(Instant start) {
    this.wallMillis = start.toEpochMilli();
    this.nanos = 1_000_000_000L;
    this.wallBaseNanos = nanos;
  }

  /** Time that starts at 2030-01-01T00:00:00Z. */
  public FakeTime() {
    this(Instant.parse("2030-01-01T00:00:00Z"));
  }

  @Override
  public synchronized long millis() {
    return wallMillis + Math.floorDiv(nanos - wallBaseNanos, 1_000_000L);
  }

  @Override
  public synchronized long nanos() {
    return nanos;
  }

  /** Moves time forward by {@code step}, running every task that falls due on the way. */
  public void advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("time moves forward only: step = " + step);
    }
    long target;
    synchronized (this) {
      target = nanos + step.toNanos();
    }
    while (true) {
      Task due;
      synchronized (this) {
        Task head = tasks.peek();
        if (head == null || head.dueNanos > target) {
          nanos = target;
          return;
        }
        tasks.poll();
        nanos = Math.max(nanos, head.dueNanos);
        due = head;
      }
      if (!due.cancelled) {
        due.task.run();
      }
    }
  }

  /** Sets the wall clock alone (a clock step, as NTP may make), leaving the ticker as it is. */
  public synchronized void setWallClock(Instant instant) {
    wallMillis = instant.toEpochMilli();
    wallBaseNanos = nanos;
  }

  /** The number of tasks waiting to run. */
  public synchronized int pendingTasks() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(nanos + Math.max(0, delay.toNanos()), sequence++, task);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  private static final class Task implements Comparable<Task> {
    final long dueNanos;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;

    Task(long dueNanos, long seq, Runnable task) {
      this.dueNanos = dueNanos;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Task other) {
      int byTime = Long.compare(dueNanos, other.dueNanos);
      return byTime != 0 ? byTime : Long.compare(seq, other.seq);
    }
  }
}
