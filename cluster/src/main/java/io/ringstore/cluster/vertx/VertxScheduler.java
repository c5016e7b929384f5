package io.ringstore.cluster.vertx;

import io.ringstore.spi.env.Scheduler;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * A {@link Scheduler} on Vert.x timers, so that gossip rounds and the failure watch run on a Vert.x
 * event loop like the channel that carries their frames (a delay under 1 ms waits 1 ms, Vert.x's
 * shortest timer).
 *
 * <p>Thread-safety: thread-safe.
 */
final class VertxScheduler implements Scheduler {
  private final Vertx vertx;

  VertxScheduler(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    long id = vertx.setTimer(Math.max(1, delay.toMillis()), t -> task.run());
    return () -> vertx.cancelTimer(id);
  }
}
