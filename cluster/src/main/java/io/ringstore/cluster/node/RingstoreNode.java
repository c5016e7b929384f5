package io.ringstore.cluster.node;

import io.ringstore.cluster.handoff.HandoffStats;
import io.ringstore.cluster.handoff.HintBudget;
import io.ringstore.cluster.handoff.HintReplay;
import io.ringstore.cluster.handoff.KeyspaceHints;
import io.ringstore.cluster.repair.RepairReport;
import io.ringstore.cluster.replication.AntiEntropy;
import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.replication.Hints;
import io.ringstore.cluster.replication.HybridLogicalClock;
import io.ringstore.cluster.replication.Replica;
import io.ringstore.cluster.replication.TombstoneReaper;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StorageEngineFactory;
import io.ringstore.spi.env.Scheduler;
import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.Membership;
import io.ringstore.cluster.membership.MembershipListener;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.vertx.HardenedEventBus;
import io.ringstore.cluster.vertx.ObservedClusterManager;
import io.ringstore.cluster.vertx.RingstoreClusterManager;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One node of a Ringstore cluster: its ring view, its replicas (one storage engine per keyspace)
 * and the coordinators that serve its keyspaces. An {@link #embedded} node is a cluster of one and
 * starts no network at all. A {@link #clustered} node also runs a clustered Vert.x instance on a
 * cluster manager (Ringstore's own, or any other Vert.x cluster manager) and reads membership
 * through it; its keyspaces then place each key on the ring's replicas, reached over the event bus
 * ({@link EventBusReplicas}), and it answers the other nodes' replica requests
 * ({@link ReplicaEndpoint}).
 *
 * <p>All state hangs off the node, none is static, so one JVM can run several nodes.
 * <p>Thread-safety: thread-safe.
 */
public final class RingstoreNode implements ReplicaHost, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RingstoreNode.class.getName());

  /** How long {@link #close} waits for a clustered node to leave. */
  private static final int LEAVE_TIMEOUT_SECONDS = 30;

  // constant after construction
  private final NodeOptions options;
  private final HybridLogicalClock hlc;

  private final @Nullable Vertx vertx;
  private final @Nullable Membership membership;
  private final NodeCluster cluster;
  private final @Nullable EventBusReplicas transport;

  private volatile @Nullable RingChange ringChange;
  private final HintBudget hintBudget;
  private final @Nullable HintReplay hintReplay;

  private final Map<String, Keyspace> keyspaces = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * One open keyspace: its coordinator, the removal listener its engine was opened with, and
   * whether a cache on this node serves it (else it is only a replica for the other nodes).
   */
  private record Keyspace(Coordinator coordinator, SwitchableRemovals removals, boolean served, @Nullable KeyspaceHints hints,
      @Nullable AntiEntropy antiEntropy, @Nullable TombstoneReaper reaper, Scheduler.@Nullable Cancellable repairs) {

    Keyspace served(boolean nowServed) {
      return new Keyspace(coordinator, removals, nowServed, hints, antiEntropy, reaper, repairs);
    }

    /** Stops the periodic repairs, closes the engine and the hints' engine. */
    void close() {
      if (repairs != null) {
        repairs.cancel();
      }
      try {
        coordinator.closeEngine();
      } finally {
        if (hints != null) {
          hints.close();
        }
      }
    }
  }

  private RingstoreNode(NodeOptions options, @Nullable Vertx vertx, @Nullable Membership membership, int maxFrameBytes,
      int maxInFlight) {
    this.options = options;
    this.vertx = vertx;
    this.membership = membership;
    this.hlc = new HybridLogicalClock(options.env().clock());
    this.cluster = membership == null ? NodeCluster.alone(options) : NodeCluster.of(options, membership);
    this.transport = vertx == null ? null
        : new EventBusReplicas(vertx, this, maxFrameBytes, maxInFlight);
    this.hintBudget = new HintBudget(options.handoff().maxBytes());
    this.hintReplay = vertx == null || !options.handoff().enabled() ? null
        : new HintReplay(options.nodeId(), options.handoff(), cluster, options.env(), this::hintSources);
  }

  /** Starts a single node that is a cluster of its own. */
  public static RingstoreNode embedded(NodeOptions options) {
    RingstoreNode node = new RingstoreNode(options, null, null, 0, 1);
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
    return clustered(options, manager, eventBus, joinTimeout, MAX_IN_FLIGHT_DEFAULT);
  }

  /** The default of {@code ringstore.replication.maxInFlight}. */
  public static final int MAX_IN_FLIGHT_DEFAULT = EventBusReplicas.DEFAULT_MAX_IN_FLIGHT;

  /**
   * As {@link #clustered(NodeOptions, ClusterManager, HardenedEventBus, Duration)}, with at most
   * {@code maxInFlight} replica requests of this node waiting for replies at once
   * ({@code ringstore.replication.maxInFlight}; past it a request fails at once, naming the setting).
   *
   * @throws IllegalArgumentException if {@code maxInFlight < 1}
   */
  public static RingstoreNode clustered(NodeOptions options, ClusterManager manager, HardenedEventBus eventBus,
      Duration joinTimeout, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException(EventBusReplicas.MAX_IN_FLIGHT + " = " + maxInFlight + " is out of range; need >= 1");
    }
    if (!(manager instanceof RingstoreClusterManager) && !(manager instanceof Membership)) {
      throw new IllegalArgumentException("cluster manager " + manager.getClass().getName()
          + " offers no membership view; wrap it in " + ObservedClusterManager.class.getName());
    }
    if (manager instanceof RingstoreClusterManager ours) {
      ours.bootstrap(options.bootstrap());
    } else if (options.bootstrap()) {
      throw new IllegalArgumentException("node " + options.nodeId() + ": ringstore.node.bootstrap needs Ringstore's own cluster"
          + " manager (it streams data through gossiped states), not " + manager.getClass().getName());
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
    RingstoreNode node = new RingstoreNode(options, vertx, membership, eventBus.settings().maxFrameBytes(), maxInFlight);
    try {
      node.transport.start().toCompletionStage().toCompletableFuture().get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      node.close();
      throw new IllegalStateException("node " + options.nodeId() + " could not start its replica service: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      node.close();
      throw new IllegalStateException("node " + options.nodeId() + " was interrupted while starting its replica service", e);
    }
    node.awaitMembers(manager, joinTimeout);
    if (manager instanceof RingstoreClusterManager) {
      node.ringChange = new RingChange(options.nodeId(), node.cluster, membership, options.env(), RING_CHANGE_TICK,
          RING_CHANGE_WINDOW, node::coordinators);
      node.ringChange.start();
      if (options.bootstrap()) {
        node.await(node.ringChange.normal, "NORMAL (its share of the data streamed to it)", joinTimeout);
      }
    }
    if (node.hintReplay != null) {
      node.hintReplay.start();
    }
    LOG.log(Level.INFO, () -> "Ringstore node " + options.nodeId() + " joined its cluster as Vert.x node "
        + manager.getNodeId() + " (" + manager.getNodes().size() + " members)");
    return node;
  }

  /** How often a clustered node carries a membership change on. */
  static final Duration RING_CHANGE_TICK = Duration.ofMillis(100);
  /** How many records a node streaming to new replicas has in flight at once. */
  static final int RING_CHANGE_WINDOW = 64;

  /** Every open keyspace's coordinator. */
  private List<Coordinator> coordinators() {
    List<Coordinator> all = new ArrayList<>();
    for (Keyspace keyspace : keyspaces.values()) {
      all.add(keyspace.coordinator());
    }
    return all;
  }

  /** This node's status in its own membership view, or {@code null} before it is there. */
  private @Nullable NodeStatus status() {
    Membership m = membership;
    if (m == null) {
      return null;
    }
    Member me = m.view().members().get(NodeId.of(nodeId()));
    return me == null ? null : me.status();
  }

  /** Waits for {@code reached} (a status the ring change moves this node to); warns after {@code timeout}. */
  private boolean await(CompletableFuture<Void> reached, String what, Duration timeout) {
    try {
      reached.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      LOG.log(Level.WARNING, () -> "node " + nodeId() + " is still " + status() + " after " + timeout.toMillis() + " ms, waiting"
          + " for " + what + "; the membership change goes on in the background");
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("node " + nodeId() + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Takes this node out of the ring for good, while the cluster serves: it becomes LEAVING, every
   * record whose replicas change streams to its new replicas (this node's own first), reads and
   * then writes move to the ring without it, and it becomes LEFT (docs/rebalancing.md). Returns
   * once it is LEFT; then {@link #close()} it.
   *
   * @throws IllegalStateException if the node is embedded, or not LEFT within {@code timeout} (the
   *     change goes on in the background; call again to wait more)
   */
  public void decommission(Duration timeout) {
    Membership m = membership();
    RingChange change = ringChange;
    if (change == null) {
      throw new IllegalStateException("node " + nodeId() + " runs on another cluster manager's membership; decommissioning"
          + " needs Ringstore's own");
    }
    NodeStatus now = status();
    if (now == null || now.compareTo(NodeStatus.LEAVING) < 0) {
      LOG.log(Level.INFO, () -> "node " + nodeId() + " is decommissioned: LEAVING; its data streams to the other members");
      m.setStatus(NodeStatus.LEAVING);
    }
    if (!await(change.left, "LEFT (its data streamed to the others)", timeout)) {
      throw new IllegalStateException("node " + nodeId() + " is still " + status() + " after " + timeout.toMillis()
          + " ms of decommissioning; its data is still streaming (" + change.pushed() + " records sent so far)");
    }
  }

  /**
   * Changes this node's capacity weight while the cluster serves: the keys it gains (or loses)
   * stream to their new replicas as for a join, and reads and writes move to the ring with the new
   * weight (docs/rebalancing.md). Returns once the node has the new weight.
   *
   * @throws IllegalArgumentException if {@code weight} is not within 1..{@value NodeOptions#MAX_WEIGHT}
   * @throws IllegalStateException if the node is embedded or on another cluster manager's membership, or
   *     the change is not done within {@code timeout} (it goes on in the background)
   */
  public void reweigh(int weight, Duration timeout) {
    if (weight < 1 || weight > NodeOptions.MAX_WEIGHT) {
      throw new IllegalArgumentException("weight = " + weight + " is out of range; need 1 to " + NodeOptions.MAX_WEIGHT);
    }
    membership();
    RingChange change = ringChange;
    if (change == null) {
      throw new IllegalStateException("node " + nodeId() + " runs on another cluster manager's membership; changing its weight"
          + " needs Ringstore's own");
    }
    LOG.log(Level.INFO, () -> "node " + nodeId() + " asks for weight " + weight + "; the keys it gains or loses stream");
    change.reweigh(weight);
    if (!await(change.reweighed(), "weight " + weight + " (its keys streamed)", timeout)) {
      throw new IllegalStateException("node " + nodeId() + " does not have weight " + weight + " after " + timeout.toMillis()
          + " ms; its keys are still streaming (" + change.pushed() + " records sent so far)");
    }
  }

  /** Records this node has streamed to new replicas during membership changes since it started. */
  public long recordsStreamed() {
    RingChange change = ringChange;
    return change == null ? 0 : change.pushed();
  }

  /**
   * Waits until this node's membership view holds every member the cluster manager reports
   * (gossip may learn of them a round after the join), so that the first operations see the whole
   * ring; gives up with a warning after {@code timeout} (the ring then grows as gossip catches up).
   */
  private void awaitMembers(ClusterManager manager, Duration timeout) {
    int expected = manager.getNodes().size();
    CountDownLatch ready = new CountDownLatch(1);
    MembershipListener watch = new MembershipListener() {
      @Override
      public void onJoined(Member member) {
        check();
      }

      @Override
      public void onUp(Member member) {
        check();
      }

      private void check() {
        if (members() >= expected) {
          ready.countDown();
        }
      }
    };
    Membership m = membership;
    if (m == null) {
      return;
    }
    m.addListener(watch);
    try {
      cluster.refresh();
      if (members() < expected && !ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && members() < expected) {
        LOG.log(Level.WARNING, () -> "node " + nodeId() + ": its ring holds " + cluster.ring().members() + " after "
            + timeout.toMillis() + " ms, of the " + expected + " members the cluster manager reports; it grows as gossip catches up");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      m.removeListener(watch);
    }
  }

  /** The members of this node's membership view that have not left. */
  private long members() {
    Membership m = membership;
    return m == null ? 1 : m.view().members().values().stream().filter(member -> member.status() != NodeStatus.LEFT).count();
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
   * derived from its stable id, so every node computes the same ring from the same view. The same
   * as {@link #ring()}.
   */
  public RingSnapshot membershipRing() {
    return cluster.ring();
  }

  /** Whether this node is a member of a cluster (rather than a cluster of one). */
  public boolean isClustered() {
    return vertx != null;
  }

  /** This node's id. */
  @Override
  public String nodeId() {
    return options.nodeId();
  }

  /** The options the node started with. */
  public NodeOptions options() {
    return options;
  }

  /** The ring as this node sees it now: itself alone for an embedded node. */
  public RingSnapshot ring() {
    return cluster.ring();
  }

  /** Whether {@code nodeId} is judged alive now. */
  public boolean isAlive(String nodeId) {
    return cluster.isAlive(nodeId);
  }

  /**
   * Opens the keyspace {@code settings.name()} on this node for a cache, with a fresh engine, or
   * over the engine of a replica-only keyspace of that name (one another node's cache made this
   * node open).
   *
   * @throws IllegalStateException if a cache on this node serves a keyspace of that name or the node is closed
   * @throws IllegalArgumentException if the engine is unknown or rejects the settings
   */
  public Coordinator openKeyspace(KeyspaceSettings settings) {
    checkOpen();
    // N above the member count is allowed (Dynamo: preference lists shrink); the coordinator
    // refuses operations whose quorum the shrunken list cannot meet.
    return keyspaces.compute(settings.name(), (name, existing) -> {
      if (existing != null && existing.served()) {
        throw new IllegalStateException("keyspace '" + name + "' is already open on node " + nodeId());
      }
      if (existing != null) {
        existing.removals().switchTo(settings.removalListener());
        if (existing.repairs() != null) {
          existing.repairs().cancel();
        }
        Coordinator coordinator = existing.coordinator().withSettings(settings);
        AntiEntropy antiEntropy = antiEntropyOf(coordinator);
        TombstoneReaper reaper = reaperOf(coordinator);
        return new Keyspace(coordinator, existing.removals(), true, existing.hints(), antiEntropy, reaper,
            repairsOf(antiEntropy, reaper));
      }
      return newKeyspace(settings, true);
    }).coordinator();
  }

  /**
   * Opens keyspace {@code settings.name()} as a replica for the other nodes if it is not open
   * (the replica protocol's {@code Open}); an open keyspace is left as it is.
   */
  @Override
  public void openReplica(KeyspaceSettings settings) {
    checkOpen();
    keyspaces.computeIfAbsent(settings.name(), name -> {
      LOG.log(Level.DEBUG, () -> "node " + nodeId() + " opens keyspace '" + name + "' as a replica");
      return newKeyspace(settings, false);
    });
  }

  private Keyspace newKeyspace(KeyspaceSettings settings, boolean served) {
    SwitchableRemovals removals = new SwitchableRemovals(served ? settings.removalListener() : RemovalListener.NONE);
    StorageEngineFactory factory = StorageEngineFactory.named(settings.storageEngine(), options.classLoader());
    EngineSettings engineSettings = new EngineSettings(settings.name(), settings.maxEntries(), settings.maxBytes(),
        settings.evictionPolicy(), options.env(), removals, settings.engineOptions());
    StorageEngine engine = factory.open(engineSettings);
    KeyspaceHints hints;
    try {
      hints = isClustered() && options.handoff().enabled()
          ? KeyspaceHints.open(settings.name(), listener -> openHintEngine(settings, factory, listener), hintBudget,
              options.handoff(), options.env().clock())
          : null;
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    Coordinator coordinator = new Coordinator(settings, new Replica(engine), cluster, transport, hlc, options.env(),
        hints == null ? Hints.NONE : hints);
    AntiEntropy antiEntropy = antiEntropyOf(coordinator);
    TombstoneReaper reaper = reaperOf(coordinator);
    return new Keyspace(coordinator, removals, served, hints, antiEntropy, reaper, repairsOf(antiEntropy, reaper));
  }

  /** The keyspace's anti-entropy on a clustered node, or {@code null} (embedded, or a keyspace with an eviction bound). */
  private @Nullable AntiEntropy antiEntropyOf(Coordinator coordinator) {
    Vertx v = vertx;
    if (v == null || AntiEntropy.skips(coordinator.settings())) {
      return null;
    }
    // the scans that build trees run on the worker pool, never on an event loop or the scheduler's thread
    return new AntiEntropy(coordinator, options.repair(), options.env(), scans(v));
  }

  /** The worker pool, as an executor: where scans of a whole engine run. */
  private Executor scans(Vertx v) {
    return task -> v.executeBlocking(() -> {
      task.run();
      return null;
    }, false);
  }

  /**
   * The keyspace's tombstone reaper on a clustered node, or {@code null} (embedded: a single
   * replica keeps no tombstones). Its grace covers the oldest version a hint or a write in flight
   * may still bring: the hint age bound and twice the write timeout.
   */
  private @Nullable TombstoneReaper reaperOf(Coordinator coordinator) {
    Vertx v = vertx;
    if (v == null) {
      return null;
    }
    Duration grace = coordinator.settings().writeTimeout().multipliedBy(2);
    if (options.handoff().enabled()) {
      grace = grace.plus(options.handoff().maxAge());
    }
    return new TombstoneReaper(coordinator, grace, options.env(), scans(v));
  }

  /** The periodic anti-entropy rounds and tombstone sweeps, if the node runs them, as one handle. */
  private Scheduler.@Nullable Cancellable repairsOf(@Nullable AntiEntropy antiEntropy, @Nullable TombstoneReaper reaper) {
    if (!options.periodicRepair() || (antiEntropy == null && reaper == null)) {
      return null;
    }
    Scheduler.Cancellable rounds = antiEntropy == null ? null : antiEntropy.schedule();
    Scheduler.Cancellable sweeps = reaper == null ? null : reaper.schedule(options.repair().interval());
    return () -> {
      if (rounds != null) {
        rounds.cancel();
      }
      if (sweeps != null) {
        sweeps.cancel();
      }
    };
  }

  /**
   * Runs one tombstone sweep of keyspace {@code name} now ({@link TombstoneReaper}): purges the
   * tombstones this node decides for that every replica of their key holds.
   *
   * @throws IllegalArgumentException if the keyspace is not open on this node
   * @throws IllegalStateException if the node is embedded
   */
  public CompletableFuture<TombstoneReaper.Sweep> purgeTombstones(String name) {
    Keyspace keyspace = keyspaces.get(name);
    if (keyspace == null) {
      throw new IllegalArgumentException("keyspace '" + name + "' is not open on node " + nodeId());
    }
    TombstoneReaper reaper = keyspace.reaper();
    if (reaper == null) {
      throw new IllegalStateException("node " + nodeId() + " is embedded (a cluster of one): it keeps no tombstones");
    }
    return reaper.sweep();
  }

  /**
   * Runs one anti-entropy round of keyspace {@code name} now: this node's replica against every
   * other live node's over the ranges they both replicate ({@link AntiEntropy#round()}).
   *
   * @return one report per peer; a single "skipped" report for a keyspace with an eviction bound
   * @throws IllegalArgumentException if the keyspace is not open on this node
   * @throws IllegalStateException if the node is embedded (a cluster of one has nothing to repair with)
   */
  public CompletableFuture<List<RepairReport>> repair(String name) {
    Keyspace keyspace = keyspaces.get(name);
    if (keyspace == null) {
      throw new IllegalArgumentException("keyspace '" + name + "' is not open on node " + nodeId());
    }
    if (!isClustered()) {
      throw new IllegalStateException("node " + nodeId() + " is embedded (a cluster of one): there is no other replica to repair with");
    }
    AntiEntropy antiEntropy = keyspace.antiEntropy();
    if (antiEntropy == null) {
      return CompletableFuture.completedFuture(List.of(RepairReport.skipped(name)));
    }
    return antiEntropy.round();
  }

  /**
   * The engine of a keyspace's hints: the memory engine, or for a keyspace whose engine keeps its
   * files in a directory (a persistent one), the same engine in the directory beside it named
   * {@code <directory>.hints}, so that hints go through its log and survive a restart.
   */
  private StorageEngine openHintEngine(KeyspaceSettings settings, StorageEngineFactory keyspaceEngine, RemovalListener listener) {
    String directory = settings.engineOptions().get(HINT_DIRECTORY_OPTION);
    String name = settings.name() + " (hints)";
    if (directory == null || directory.isBlank()) {
      return StorageEngineFactory.named("memory", options.classLoader()).open(new EngineSettings(name, EngineSettings.UNBOUNDED,
          EngineSettings.UNBOUNDED, EvictionPolicy.LRU, options.env(), listener, Map.of()));
    }
    Map<String, String> engineOptions = new HashMap<>(settings.engineOptions());
    Path dir = Path.of(directory);
    engineOptions.put(HINT_DIRECTORY_OPTION, dir.resolveSibling(dir.getFileName() + ".hints").toString());
    return keyspaceEngine.open(new EngineSettings(name, EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED, EvictionPolicy.LRU,
        options.env(), listener, engineOptions));
  }

  /** The engine option naming a persistent engine's directory. */
  private static final String HINT_DIRECTORY_OPTION = "directory";

  /** The keyspaces with hints, for the replay. */
  private List<HintReplay.Source> hintSources() {
    List<HintReplay.Source> sources = new ArrayList<>();
    for (Keyspace keyspace : keyspaces.values()) {
      KeyspaceHints hints = keyspace.hints();
      AntiEntropy antiEntropy = keyspace.antiEntropy();
      if (hints != null) {
        sources.add(new HintReplay.Source(keyspace.coordinator(), hints, antiEntropy == null ? null
            : target -> antiEntropy.exchange(target).thenApply(RepairReport::succeeded)));
      }
    }
    return sources;
  }

  /** The node's hint counters (all keyspaces): kept, bytes, handed off, not kept, expired. */
  public HandoffStats handoffStats() {
    return hintBudget.stats();
  }

  /** The hints keyspace {@code name}'s primary keeps on this node, or {@code null} (not open, or no hinted handoff). */
  public @Nullable KeyspaceHints hints(String name) {
    Keyspace keyspace = keyspaces.get(name);
    return keyspace == null ? null : keyspace.hints();
  }

  /** The open keyspace {@code name}, or {@code null}. */
  @Override
  public @Nullable Coordinator keyspace(String name) {
    Keyspace keyspace = keyspaces.get(name);
    return keyspace == null ? null : keyspace.coordinator();
  }

  /** Whether operations on keyspace {@code name} may block (its engine writes to disk). */
  boolean blocks(String name) {
    Keyspace keyspace = keyspaces.get(name);
    return keyspace != null && !"memory".equals(keyspace.coordinator().settings().storageEngine());
  }

  /**
   * The cache over keyspace {@code name} closes; its records stay: a persistent engine finds them
   * again when the keyspace is next opened on the same data. On a clustered node the keyspace
   * stays open as a replica for the other nodes; on an embedded one its engine closes. What
   * {@code Cache.close()} and a closing cache manager do.
   */
  public void closeKeyspace(String name) {
    if (isClustered() && !closed) {
      keyspaces.computeIfPresent(name, (n, keyspace) -> {
        keyspace.removals().switchTo(RemovalListener.NONE);
        return keyspace.served(false);
      });
      return;
    }
    Keyspace keyspace = keyspaces.remove(name);
    if (keyspace != null) {
      keyspace.close();
    }
  }

  /**
   * Closes keyspace {@code name} and drops its records on this node and, on a clustered node, asks
   * every other live node to drop its replica: what {@code destroyCache} does.
   *
   * @throws io.ringstore.spi.QuorumNotReachedException naming the nodes that did not confirm (this
   *     node's keyspace is dropped all the same)
   */
  public void dropKeyspace(String name) {
    Keyspace keyspace = keyspaces.remove(name);
    if (keyspace != null) {
      try {
        keyspace.coordinator().dropElsewhere();
      } finally {
        dropLocal(keyspace);
      }
    }
  }

  /**
   * Another node destroyed the cache: drop this node's replica of it, or only its records if a
   * cache on this node still serves it.
   */
  @Override
  public void dropReplica(String name) {
    Keyspace keyspace = keyspaces.get(name);
    if (keyspace == null) {
      return;
    }
    if (keyspace.served()) {
      keyspace.coordinator().clearLocal();
      if (keyspace.hints() != null) {
        keyspace.hints().clear();
      }
    } else if (keyspaces.remove(name, keyspace)) {
      dropLocal(keyspace);
    }
  }

  /** Drops a keyspace removed from the map: its records and hints, then closes its engines. */
  private static void dropLocal(Keyspace keyspace) {
    try {
      keyspace.coordinator().clearLocal();
      if (keyspace.hints() != null) {
        keyspace.hints().clear();
      }
    } finally {
      keyspace.close();
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
    if (hintReplay != null) {
      hintReplay.close();
    }
    RingChange change = ringChange;
    if (change != null) {
      change.close();
    }
    EventBusReplicas t = transport;
    if (t != null) {
      try {
        t.stop().toCompletionStage().toCompletableFuture().get(LEAVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        LOG.log(Level.DEBUG, "node " + nodeId() + ": unregistering its replica service failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    cluster.close();
    for (String name : keyspaces.keySet()) {
      Keyspace keyspace = keyspaces.remove(name);
      if (keyspace != null) {
        keyspace.close();
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
