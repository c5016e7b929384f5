package io.ringstore.cluster.vertx;

import io.ringstore.spi.env.Scheduler;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;

/**
 * A {@link Scheduler} on Vert.x timers of one event-loop context, the cluster channel's own, so that
 * gossip rounds and the failure watch run on the event loop of the channel that carries their
 * frames, whoever scheduled them (a delay under 1 ms waits 1 ms, Vert.x's shortest timer). A timer
 * set from a caller's context would fire on that context: a worker context blocked in Vert.x HA's
 * failover would hold gossip rounds back, and peers would judge this live node down.
 *
 * <p>Thread-safety: thread-safe.
 */
final class VertxScheduler implements Scheduler {
  private final ContextInternal context;

  VertxScheduler(ContextInternal context) {
    this.context = context;
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    long id = context.setTimer(Math.max(1, delay.toMillis()), t -> task.run());
    return () -> context.owner().cancelTimer(id);
  }
}
