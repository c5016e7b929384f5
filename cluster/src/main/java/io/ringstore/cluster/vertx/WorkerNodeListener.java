package io.ringstore.cluster.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.spi.cluster.NodeListener;
import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/**
 * Delivers a Vert.x {@link NodeListener}'s events one at a time, in the order they were applied,
 * on a worker thread of its own (a Vert.x worker pool of one thread), as other cluster managers
 * deliver them off their network threads. Vert.x HA blocks in {@code nodeLeft}: it waits for a
 * failed-over verticle to deploy and writes the sync map, whose replies come through the cluster
 * channel's event loops; called on one of them, it would wait for itself.
 *
 * <p>Thread-safety: thread-safe; events are queued in call order (the cluster manager calls it in
 * sequence order).
 */
final class WorkerNodeListener implements NodeListener {
  private static final System.Logger LOG = System.getLogger(WorkerNodeListener.class.getName());

  // constant after construction
  private final NodeListener delegate;
  private final @Nullable WorkerExecutor worker;

  WorkerNodeListener(@Nullable Vertx vertx, NodeListener delegate) {
    this.delegate = delegate;
    this.worker = vertx == null ? null : vertx.createSharedWorkerExecutor("ringstore-node-listener", 1);
  }

  @Override
  public void nodeAdded(String nodeId) {
    deliver(() -> delegate.nodeAdded(nodeId), "nodeAdded " + nodeId);
  }

  @Override
  public void nodeLeft(String nodeId) {
    deliver(() -> delegate.nodeLeft(nodeId), "nodeLeft " + nodeId);
  }

  private void deliver(Runnable event, String what) {
    WorkerExecutor w = worker;
    if (w == null) {
      event.run();
      return;
    }
    // one thread and no ordering queue: the pool's FIFO queue keeps the call order across contexts
    w.executeBlocking(() -> {
      event.run();
      return null;
    }, false).onFailure(e -> LOG.log(Level.WARNING, "a Vert.x node listener failed on " + what, e));
  }
}
