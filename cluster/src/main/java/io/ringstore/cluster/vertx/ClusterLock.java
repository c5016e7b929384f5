package io.ringstore.cluster.vertx;

import io.vertx.core.shareddata.Lock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cluster-wide lock held by one waiter of this member. {@link #release()} may be called from any
 * thread or context; the first call sequences the release (the coordinator then grants the lock
 * to the next waiter), later calls do nothing.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ClusterLock implements Lock {
  // constant after construction
  private final SharedState state;
  private final String name;
  private final long waiterId;

  private final AtomicBoolean released = new AtomicBoolean();

  ClusterLock(SharedState state, String name, long waiterId) {
    this.state = state;
    this.name = name;
    this.waiterId = waiterId;
  }

  @Override
  public void release() {
    if (released.compareAndSet(false, true)) {
      state.release(name, waiterId);
    }
  }

  @Override
  public String toString() {
    return "cluster lock '" + name + "' (waiter " + waiterId + (released.get() ? ", released)" : ")");
  }
}
