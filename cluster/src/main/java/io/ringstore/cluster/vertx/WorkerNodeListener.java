package io.ringstore.cluster.vertx;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.NodeListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers a Vert.x {@link NodeListener}'s events one at a time, in the order they were applied,
 * on a thread of its own, as other cluster managers deliver them off their network threads. Vert.x
 * HA blocks in {@code nodeLeft}: it waits for a failed-over verticle to deploy and writes the sync
 * map, whose replies come through the cluster channel's event loops; called on one of them, it
 * would wait for itself.
 *
 * <p>The thread is this listener's, not a Vert.x worker pool's: closing Vert.x closes its worker
 * pools first and interrupts what runs there, which would cut a failover short while it deploys;
 * the cluster manager instead lets the events under way finish ({@link #drained}) before it
 * leaves, and then {@link #close closes} the thread.
 *
 * <p>Thread-safety: thread-safe; events are queued in call order (the cluster manager calls it in
 * sequence order).
 */
final class WorkerNodeListener implements NodeListener {
  private static final System.Logger LOG = System.getLogger(WorkerNodeListener.class.getName());

  // constant after construction
  private final NodeListener delegate;
  private final ExecutorService thread;

  WorkerNodeListener(String name, NodeListener delegate) {
    this.delegate = delegate;
    this.thread = Executors.newSingleThreadExecutor(runnable -> {
      Thread t = new Thread(runnable, "ringstore-node-listener-" + name);
      t.setDaemon(true);
      return t;
    });
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
    try {
      thread.execute(() -> {
        try {
          event.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "a Vert.x node listener failed on " + what, e);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.log(Level.DEBUG, () -> "the node listener is closed: " + what + " not delivered");
    }
  }

  /**
   * Completes once every event queued before this call has been delivered, or after
   * {@code bound} (an event still running then goes on; leaving does not wait longer for it).
   */
  Future<Void> drained(Vertx vertx, Duration bound) {
    Promise<Void> done = Promise.promise();
    try {
      thread.execute(() -> done.tryComplete());
    } catch (RejectedExecutionException e) {
      return Future.succeededFuture();
    }
    long timer = vertx.setTimer(Math.max(1, bound.toMillis()), id -> done.tryComplete());
    return done.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** Stops the thread once the events queued have been delivered. */
  void close() {
    thread.shutdown();
  }
}
