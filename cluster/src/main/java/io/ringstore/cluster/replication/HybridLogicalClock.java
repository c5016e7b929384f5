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

  /**
   * A timestamp for a new version of a key whose newest version so far has timestamp
   * {@code previous} ({@link Long#MIN_VALUE} for none): at least the wall time, and greater than
   * {@code previous}, than every timestamp observed from another node and than every one
   * {@link #now()} issued. Two keys may get the same timestamp; one key never gets a smaller one,
   * which is all that ordering a key's concurrent versions needs (ties between nodes are broken by
   * node id).
   *
   * <p>Unlike {@link #now()} it only reads the clock's shared state, never writes it, so writers
   * of different keys on different threads do not contend for it.
   */
  public long nowAfter(long previous) {
    long t = clock.millis() << LOGICAL_BITS;
    long floor = last.get();
    if (t <= floor) {
      t = floor + 1;
    }
    if (t <= previous) {
      t = previous + 1;
    }
    return t;
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
