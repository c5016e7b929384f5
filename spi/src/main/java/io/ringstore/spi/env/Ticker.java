package io.ringstore.spi.env;

/**
 * Monotonic time for durations, timeouts and failure detection. Readings of different processes
 * cannot be compared.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds from an arbitrary, fixed origin; never decreases. */
  long nanos();
}
