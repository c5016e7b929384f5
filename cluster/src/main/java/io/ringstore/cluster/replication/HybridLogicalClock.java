package io.ringstore.cluster.replication;

import io.ringstore.spi.env.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hybrid logical clock (Kulkarni et al.): timestamps that follow wall time but never go
 * backwards and order causally related events across nodes even when clocks drift.
 *
 * <p>Encoding: the top 48 bits are wall millis since the epoch, the low 16 bits a logical
 * counter. A timestamp issued after receiving a remote one ({@link #observe}) is greater than it.
 *
 * <p>Thread-safety: thread-safe, lock-free.
 */
public final class HybridLogicalClock {
  private static final int LOGICAL_BITS = 16;

  private final Clock clock;
  private final AtomicLong last = new AtomicLong();

  public HybridLogicalClock(Clock clock) {
    this.clock = clock;
  }

  /** A fresh timestamp, greater than every one issued or observed before. */
  public long now() {
    long physical = clock.millis() << LOGICAL_BITS;
    while (true) {
      long prev = last.get();
      long next = physical > prev ? physical : prev + 1;
      if (last.compareAndSet(prev, next)) {
        return next;
      }
    }
  }

  /** Takes note of a timestamp from another node, so later local ones are greater. */
  public void observe(long remote) {
    last.accumulateAndGet(remote, Math::max);
  }

  /** The wall millis part of {@code timestamp}. */
  public static long millisOf(long timestamp) {
    return timestamp >>> LOGICAL_BITS;
  }
}
