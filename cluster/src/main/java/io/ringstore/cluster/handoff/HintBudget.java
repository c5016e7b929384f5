package io.ringstore.cluster.handoff;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node's hint bytes against {@link HandoffSettings#maxBytes()}, all keyspaces together, and its
 * hint counters.
 *
 * <p>Invariants: {@code used} is the sum of the bytes every open {@link KeyspaceHints} holds; it
 * passes the bound only by hints found on disk at start ({@link #force}), never by a new one.
 * <p>Thread-safety: thread-safe, lock-free.
 */
public final class HintBudget {
  private final long maxBytes;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong hints = new AtomicLong();
  final LongAdder added = new LongAdder();
  final LongAdder handedOff = new LongAdder();
  final LongAdder overflowed = new LongAdder();
  final LongAdder expired = new LongAdder();

  /** A budget of {@code maxBytes}. */
  public HintBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The bound. */
  public long maxBytes() {
    return maxBytes;
  }

  /** Takes {@code bytes} if they fit under the bound. */
  boolean reserve(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > maxBytes) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /** Takes {@code bytes} whatever the bound (hints already on disk). */
  void force(long bytes) {
    used.addAndGet(bytes);
  }

  /** Gives {@code bytes} back. */
  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** One hint more ({@code +1}) or fewer ({@code -1}) kept. */
  void count(long delta) {
    hints.addAndGet(delta);
  }

  /** The counters now. */
  public HandoffStats stats() {
    return new HandoffStats(hints.get(), used.get(), added.sum(), handedOff.sum(), overflowed.sum(), expired.sum());
  }
}
