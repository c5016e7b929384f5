package io.ringstore.spi.env;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link Scheduler}: one daemon thread, shared by everything that uses
 * {@link Env#system()}. Tasks must be short; anything slow hands itself to a worker pool.
 *
 * <p>The thread exists only while tasks are scheduled: it ends {@value #IDLE_SECONDS} seconds
 * after the last one ran or was cancelled, and the next schedule starts a new one. So an
 * application whose caches are all closed (say, one undeployed from an application server)
 * leaves no Ringstore thread behind. The thread's context class loader is Ringstore's own, never
 * that of the application that happened to schedule first.
 *
 * <p>Thread-safety: thread-safe.
 */
final class SystemScheduler implements Scheduler {
  static final SystemScheduler INSTANCE = new SystemScheduler();

  /** How long the thread waits without a task before it ends. */
  static final int IDLE_SECONDS = 2;

  private final ScheduledThreadPoolExecutor executor;

  private SystemScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread t = new Thread(runnable, "ringstore-scheduler");
      t.setDaemon(true);
      t.setContextClassLoader(SystemScheduler.class.getClassLoader());
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
    executor.allowCoreThreadTimeOut(true);
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    var future = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }
}
