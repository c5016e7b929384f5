package io.ringstore.spi.env;

import static java.util.Objects.requireNonNull;

/**
 * The bundle of environment parameters a node and its engines run with.
 *
 * <p>Thread-safety: immutable.
 *
 * @param clock wall-clock time
 * @param ticker monotonic time
 * @param scheduler delayed tasks
 */
public record Env(Clock clock, Ticker ticker, Scheduler scheduler) {

  private static final Env SYSTEM = new Env(System::currentTimeMillis, System::nanoTime, SystemScheduler.INSTANCE);

  public Env {
    requireNonNull(clock, "clock");
    requireNonNull(ticker, "ticker");
    requireNonNull(scheduler, "scheduler");
  }

  /** The real clock, ticker and a shared daemon scheduler thread. */
  public static Env system() {
    return SYSTEM;
  }

  /** An environment whose time comes from one object that is clock, ticker and scheduler (tests). */
  public static <T extends Clock & Ticker & Scheduler> Env of(T time) {
    return new Env(time, time, time);
  }
}
