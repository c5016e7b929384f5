package io.ringstore.cluster.node;

import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.replication.HybridLogicalClock;
import io.ringstore.cluster.replication.Replica;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StorageEngineFactory;
import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.Membership;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.vertx.HardenedEventBus;
import io.ringstore.cluster.vertx.ObservedClusterManager;
import io.ringstore.cluster.vertx.RingstoreClusterManager;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One node of a Ringstore cluster: its ring view, its replicas (one storage engine per keyspace)
 * and the coordinators that serve its keyspaces. An {@link #embedded} node is a cluster of one and
 * starts no network at all. A {@link #clustered} node also runs a clustered Vert.x instance on a
 * cluster manager (Ringstore's own, or any other Vert.x cluster manager) and reads membership
 * through it; until replication (issue 7) its keyspaces still keep every key on this node.
 *
 * <p>All state hangs off the node, none is static, so one JVM can run several nodes.
 * <p>Thread-safety: thread-safe.
 */
public final class RingstoreNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RingstoreNode.class.getName());

  /** How long {@link #close} waits for a clustered node to leave. */
  private static final int LEAVE_TIMEOUT_SECONDS = 30;

  // constant after construction
  private final NodeOptions options;
  private final HybridLogicalClock hlc;
  private final RingSnapshot ring;

  private final @Nullable Vertx vertx;
  private final @Nullable Membership membership;

  private final Map<String, Coordinator> keyspaces = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private RingstoreNode(NodeOptions options, @Nullable Vertx vertx, @Nullable Membership membership) {
    this.options = options;
    this.vertx = vertx;
    this.membership = membership;
    this.hlc = new HybridLogicalClock(options.env().clock());
    this.ring = RingSnapshot.of(Map.of(options.nodeId(), options.weight()), options.vnodes());
  }

  /** Starts a single node that is a cluster of its own. */
  public static RingstoreNode embedded(NodeOptions options) {
    RingstoreNode node = new RingstoreNode(options, null, null);
    LOG.log(Level.DEBUG, () -> "Ringstore node " + options.nodeId() + " started (embedded, single member)");
    return node;
  }

  /**
   * Starts a node that joins a cluster through {@code manager}: builds a clustered Vert.x instance
   * on it and waits until it has joined.
   *
   * @param manager Ringstore's {@link RingstoreClusterManager}, or any other Vert.x cluster manager
   *     wrapped in an {@link ObservedClusterManager} (which gives the node its membership view)
   * @param eventBus the event bus's settings, with its frame bound and TLS
   * @param joinTimeout how long to wait for the join
   * @throws IllegalArgumentException if {@code manager} offers no membership view
   * @throws IllegalStateException naming the node and the cause if the join fails or takes longer
   *     than {@code joinTimeout}; nothing is left running then
   */
  public static RingstoreNode clustered(NodeOptions options, ClusterManager manager, HardenedEventBus eventBus,
      Duration joinTimeout) {
    if (!(manager instanceof RingstoreClusterManager) && !(manager instanceof Membership)) {
      throw new IllegalArgumentException("cluster manager " + manager.getClass().getName()
          + " offers no membership view; wrap it in " + ObservedClusterManager.class.getName());
    }
    var started = eventBus.clustered(manager).toCompletionStage().toCompletableFuture();
    Vertx vertx;
    try {
      vertx = started.get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      started.thenAccept(Vertx::close); // a late success must not leave a member behind
      throw new IllegalStateException("node " + options.nodeId() + " did not join its cluster within "
          + joinTimeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("node " + options.nodeId() + " could not join its cluster: "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started.thenAccept(Vertx::close);
      throw new IllegalStateException("node " + options.nodeId() + " was interrupted while joining its cluster", e);
    }
    Membership membership = manager instanceof RingstoreClusterManager ours ? ours.membership() : (Membership) manager;
    RingstoreNode node = new RingstoreNode(options, vertx, membership);
    LOG.log(Level.INFO, () -> "Ringstore node " + options.nodeId() + " joined its cluster as Vert.x node "
        + manager.getNodeId() + " (" + manager.getNodes().size() + " members)");
    return node;
  }

  /** The clustered Vert.x instance, or {@code null} for an embedded node. */
  public @Nullable Vertx vertx() {
    return vertx;
  }

  /**
   * The cluster as this node sees it: members by stable node id, alive or down, with their weights.
   *
   * @throws IllegalStateException for an embedded node, which is a cluster of one with no membership
   */
  public Membership membership() {
    Membership m = membership;
    if (m == null) {
      throw new IllegalStateException("node " + nodeId() + " is embedded (a cluster of one); it has no cluster membership."
          + " Set ringstore.cluster.port or ringstore.cluster.seeds to run it clustered");
    }
    return m;
  }

  /**
   * The ring the cluster's membership gives now: every member, alive or down (a down node keeps
   * its tokens; only a node that left is off the ring), owning {@code vnodes x weight} tokens
   * derived from its stable id, so every node computes the same ring from the same view. For an
   * embedded node, {@link #ring()}. Keyspaces still use {@link #ring()} (this node alone) until
   * replication moves them onto this one.
   */
  public RingSnapshot membershipRing() {
    Membership m = membership;
    if (m == null) {
      return ring;
    }
    Map<String, Integer> weights = new TreeMap<>();
    for (Member member : m.view().members().values()) {
      if (member.status() != NodeStatus.LEFT) {
        weights.put(member.id().value(), member.weight());
      }
    }
    weights.putIfAbsent(nodeId(), options.weight());
    return RingSnapshot.of(weights, options.vnodes());
  }

  /** Whether this node is a member of a cluster (rather than a cluster of one). */
  public boolean isClustered() {
    return vertx != null;
  }

  /** This node's id. */
  public String nodeId() {
    return options.nodeId();
  }

  /** The options the node started with. */
  public NodeOptions options() {
    return options;
  }

  /** The ring as this node sees it now. */
  public RingSnapshot ring() {
    return ring;
  }

  /**
   * Opens the keyspace {@code settings.name()} on this node, with a fresh engine.
   *
   * @throws IllegalStateException if a keyspace of that name is open or the node is closed
   * @throws IllegalArgumentException if the engine is unknown or rejects the settings
   */
  public Coordinator openKeyspace(KeyspaceSettings settings) {
    checkOpen();
    // N above the member count is allowed (Dynamo: preference lists shrink); the coordinator
    // refuses operations whose quorum the shrunken list cannot meet.
    StorageEngineFactory factory = StorageEngineFactory.named(settings.storageEngine(), options.classLoader());
    EngineSettings engineSettings = new EngineSettings(settings.name(), settings.maxEntries(), settings.maxBytes(),
        settings.evictionPolicy(), options.env(), settings.removalListener(), settings.engineOptions());
    return keyspaces.compute(settings.name(), (name, existing) -> {
      if (existing != null) {
        throw new IllegalStateException("keyspace '" + name + "' is already open on node " + nodeId());
      }
      StorageEngine engine = factory.open(engineSettings);
      return new Coordinator(nodeId(), settings, new Replica(engine), () -> ring, hlc);
    });
  }

  /** The open keyspace {@code name}, or {@code null}. */
  public @org.jspecify.annotations.Nullable Coordinator keyspace(String name) {
    return keyspaces.get(name);
  }

  /**
   * Closes keyspace {@code name} on this node and keeps its records: a persistent engine finds them
   * again when the keyspace is next opened on the same data (an in-memory engine has nowhere to
   * keep them). What {@code Cache.close()} and a closing cache manager do.
   */
  public void closeKeyspace(String name) {
    Coordinator coordinator = keyspaces.remove(name);
    if (coordinator != null) {
      coordinator.closeEngine();
    }
  }

  /** Closes keyspace {@code name} and drops its records on this node: what {@code destroyCache} does. */
  public void dropKeyspace(String name) {
    Coordinator coordinator = keyspaces.remove(name);
    if (coordinator != null) {
      coordinator.clear();
      coordinator.closeEngine();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("node " + nodeId() + " is closed");
    }
  }

  /** Closes every keyspace and, for a clustered node, leaves the cluster. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (String name : keyspaces.keySet()) {
      Coordinator coordinator = keyspaces.remove(name);
      if (coordinator != null) {
        coordinator.closeEngine();
      }
    }
    Vertx v = vertx;
    if (v != null) {
      try {
        v.close().toCompletionStage().toCompletableFuture().get(LEAVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        LOG.log(Level.WARNING, "node " + nodeId() + " did not leave its cluster cleanly within "
            + LEAVE_TIMEOUT_SECONDS + " s; the others will judge it down", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
