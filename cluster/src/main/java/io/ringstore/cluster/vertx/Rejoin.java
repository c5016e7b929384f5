package io.ringstore.cluster.vertx;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * How a member that was removed as down while it was alive joins again (see
 * {@link RingstoreClusterManager}, "A member removed as down that is alive"): it joins through the
 * members and seeds it knows, under the same Vert.x node id; the registry is replaced by the join
 * snapshot, keeping this node's own node info and registrations ({@link #own}), and the listeners
 * hear what changed ({@link #events}); then the node publishes its own node info and registrations
 * again. One rejoin runs at a time; asking again while one runs returns it.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Rejoin {
  private static final System.Logger LOG = System.getLogger(Rejoin.class.getName());

  /** The steps, done by the registry. */
  interface Steps {
    /** Joins through {@code through}, replacing the registry; completes with this node's own changes. */
    Future<List<Change>> join(List<String> through);

    /** Has {@code change} sequenced (a refusal as from a non-member is final here). */
    Future<Void> publish(Change change);
  }

  // constant after construction
  private final String node;
  private final Duration downAfter;
  private final Steps steps;

  private @Nullable Future<Void> running; // guarded by this

  /** Rejoins of {@code node} (for logs: stable and Vert.x node ids). */
  Rejoin(String node, Duration downAfter, Steps steps) {
    this.node = node;
    this.downAfter = downAfter;
    this.steps = steps;
  }

  /** Whether a rejoin runs. */
  synchronized boolean running() {
    return running != null;
  }

  /** Rejoins through {@code through} (the addresses of the known members and the seeds, not this node's). */
  Future<Void> start(List<String> through) {
    Promise<Void> done = Promise.promise();
    synchronized (this) {
      if (running != null) {
        return running;
      }
      running = done.future();
    }
    LOG.log(Level.WARNING, "node {0} was removed from the cluster as down (paused or cut off for longer than "
        + "ringstore.gossip.downAfterMillis = {1} ms); it rejoins through {2}", node, downAfter.toMillis(), through);
    Future<List<Change>> joined = through.isEmpty()
        ? Future.failedFuture(new IllegalStateException("no other member or seed to rejoin through"))
        : steps.join(through);
    joined.compose(mine -> Future.join(mine.stream().map(steps::publish).toList())).onComplete(ar -> {
      synchronized (this) {
        running = null;
      }
      if (ar.succeeded()) {
        LOG.log(Level.INFO, "node {0} rejoined the cluster", node);
        done.complete();
      } else {
        LOG.log(Level.ERROR, "node " + node + " could not rejoin the cluster", ar.cause());
        done.fail(ar.cause());
      }
    });
    return done.future();
  }

  /** The node info and registrations of {@code self} in a registry, as changes to publish again. */
  static List<Change> own(String self, @Nullable NodeInfo info, Map<String, List<RegistrationInfo>> registrations) {
    List<Change> mine = new ArrayList<>();
    if (info != null) {
      mine.add(new Change.NodeInfoSet(self, info));
    }
    registrations.forEach((address, list) -> list.stream().filter(r -> r.nodeId().equals(self))
        .forEach(r -> mine.add(new Change.RegistrationAdded(address, r))));
    return mine;
  }

  /**
   * The listener calls that tell Vert.x how the registry of node {@code self} changed from
   * ({@code membersBefore}, {@code before}) to ({@code membersAfter}, {@code after}): {@code nodeLeft},
   * {@code nodeAdded}, and {@code updated} for each address whose registrations differ.
   */
  static List<Runnable> events(String self, Set<String> membersBefore, Set<String> membersAfter,
      Map<String, List<RegistrationInfo>> before, Map<String, List<RegistrationInfo>> after, @Nullable NodeListener nodes,
      BiFunction<String, List<RegistrationInfo>, Runnable> updated) {
    List<Runnable> events = new ArrayList<>();
    if (nodes != null) {
      membersBefore.stream().filter(id -> !membersAfter.contains(id) && !id.equals(self)).forEach(id -> events.add(() -> nodes.nodeLeft(id)));
      membersAfter.stream().filter(id -> !membersBefore.contains(id) && !id.equals(self)).forEach(id -> events.add(() -> nodes.nodeAdded(id)));
    }
    Set<String> addresses = new LinkedHashSet<>(before.keySet());
    addresses.addAll(after.keySet());
    for (String address : addresses) {
      List<RegistrationInfo> now = List.copyOf(after.getOrDefault(address, List.of()));
      if (!before.getOrDefault(address, List.of()).equals(now)) {
        events.add(updated.apply(address, now));
      }
    }
    return events;
  }
}
