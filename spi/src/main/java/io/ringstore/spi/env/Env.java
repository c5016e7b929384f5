package io.ringstore.spi.env;

import static java.util.Objects.requireNonNull;

/**
 * The bundle of environment parameters a node and its engines run with: time, scheduling and
 * files. Production code takes {@link #system()}; tests build one from
 * {@code io.ringstore.spi.testkit.FakeTime} and, for files, {@code io.ringstore.spi.testkit.MemoryDisk}
 * or a fault-injecting disk.
 *
 * <p>Thread-safety: immutable (and every component is thread-safe).
 *
 * @param clock wall-clock time
 * @param ticker monotonic time
 * @param scheduler delayed tasks
 * @param disk files: every byte a persistent engine reads or writes goes through it
 */
public record Env(Clock clock, Ticker ticker, Scheduler scheduler, Disk disk) {

  /** Stateless, so one instance serves the whole JVM. */
  private static final NioDisk SYSTEM_DISK = new NioDisk();

  private static final Env SYSTEM =
      new Env(System::currentTimeMillis, System::nanoTime, SystemScheduler.INSTANCE, SYSTEM_DISK);

  public Env {
    requireNonNull(clock, "clock");
    requireNonNull(ticker, "ticker");
    requireNonNull(scheduler, "scheduler");
    requireNonNull(disk, "disk");
  }

  /** The real clock, ticker, a shared daemon scheduler thread and the real file system ({@link NioDisk}). */
  public static Env system() {
    return SYSTEM;
  }

  /**
   * An environment whose time comes from one object that is clock, ticker and scheduler (tests),
   * with the real file system ({@link #system()}'s {@link NioDisk}): for tests that use no files,
   * or that want real ones (in a temporary directory). Use {@link #of(Clock, Disk)} for a simulated
   * disk.
   */
  public static <T extends Clock & Ticker & Scheduler> Env of(T time) {
    return of(time, SYSTEM_DISK);
  }

  /** An environment whose time comes from {@code time} (as in {@link #of(Clock)}) and whose files from {@code disk}. */
  public static <T extends Clock & Ticker & Scheduler> Env of(T time, Disk disk) {
    return new Env(time, time, time, disk);
  }

  /** This environment with its files on {@code disk} instead. */
  public Env withDisk(Disk disk) {
    return new Env(clock, ticker, scheduler, disk);
  }
}
