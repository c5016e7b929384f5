package io.ringstore.cluster.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.VertxWrapper;
import io.vertx.core.spi.metrics.VertxMetrics;
import org.jspecify.annotations.Nullable;

/**
 * The application's Vert.x as the cluster channel's TCP server and client see it: the same event
 * loops, contexts and timers, but no {@link VertxMetrics}. Vert.x's TCP server and client report
 * every connection to the metrics of the {@code Vertx} they are built on; the cluster channel is the
 * cluster manager's own infrastructure, as a Hazelcast or Infinispan cluster manager's sockets are,
 * and those are not reported to Vert.x's metrics either. The application's servers and clients and
 * the clustered event bus are reported as before; only the cluster manager's own connections are
 * left out (Vert.x's {@code ClusteredEventBusTest.testSocketCleanup} counts every connection the
 * metrics see and expects the event bus's alone).
 *
 * <p>Extends {@link VertxWrapper}, the way Vert.x documents for wrapping a {@code Vertx}.
 * <p>Thread-safety: as the wrapped Vert.x (thread-safe).
 */
final class UnmeteredVertx extends VertxWrapper {

  private UnmeteredVertx(VertxInternal delegate) {
    super(delegate);
  }

  /** {@code vertx} without metrics; {@code vertx} must be a Vert.x instance (every {@code Vertx} Vert.x builds is). */
  static VertxInternal of(Vertx vertx) {
    if (!(vertx instanceof VertxInternal internal)) {
      throw new IllegalArgumentException("the cluster channel needs a Vert.x built by Vert.x (a VertxInternal), not a "
          + vertx.getClass().getName());
    }
    return new UnmeteredVertx(internal);
  }

  @Override
  public @Nullable VertxMetrics metrics() {
    return null;
  }

  @Override
  public boolean isMetricsEnabled() {
    return false;
  }
}
