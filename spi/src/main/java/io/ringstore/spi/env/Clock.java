package io.ringstore.spi.env;

/**
 * Wall-clock time: millis since the epoch, for absolute expiry and hybrid logical clocks. It may
 * jump backwards or forwards; use {@link Ticker} for durations.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
@FunctionalInterface
public interface Clock {
  /** The wall time now, in millis since 1970-01-01T00:00:00Z. */
  long millis();
}
