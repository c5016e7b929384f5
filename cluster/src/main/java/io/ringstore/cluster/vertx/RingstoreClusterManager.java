package io.ringstore.cluster.vertx;

import io.ringstore.cluster.membership.Gossiper;
import io.ringstore.cluster.membership.Membership;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.spi.env.Env;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Ringstore's Vert.x {@link ClusterManager}: the clustered event bus runs on it with no other
 * infrastructure. Found through {@code ServiceLoader} (settings from system properties, see
 * {@link ClusterManagerSettings#from}) or constructed with {@link ClusterManagerSettings}.
 *
 * <p><b>Stage 1 (issue 6)</b>: membership, node infos and handler registrations. <b>Stage 2</b>:
 * cluster-wide async and sync maps (with TTL), locks (with timeout) and counters, kept by
 * {@link SharedState} as a replicated state machine on the same sequence as the registry: every
 * operation, reads included, is a change the coordinator sequences and every member applies, so
 * every member holds the whole state (a new coordinator takes over with it, a joining node gets it
 * in its snapshot) and the operations are linearizable while no member fails. Locks held by a node
 * are released when it is removed; entries expire by the coordinator's timers. Exactly what holds
 * under failures and partitions: {@code docs/cluster-manager.md}. Node-listener events are
 * delivered one at a time, in sequence order, on a worker thread (Vert.x HA blocks in them).
 *
 * <p><b>Consistency scheme.</b> The members form an ordered list (join order); its head, the
 * oldest member, is the <em>coordinator</em>. Every change to the registry (a member added or
 * removed, a node info set, a registration added or removed) is sent to the coordinator (a member
 * that is not the coordinator forwards what it receives), which applies the changes one at a
 * time: it applies one locally, sends it to every other member over the {@link ClusterChannel},
 * and waits for every reply (or the request timeout) before it takes the next and before it
 * acknowledges the originator. So every member applies the same changes in the same order, and
 * when an {@code addRegistration}, {@code removeRegistration} or {@code setNodeInfo} promise
 * completes, every member that answered has applied it. A joining node is added by the same
 * sequence and receives a snapshot of the whole registry taken right after its addition, so it
 * misses no change. A node's registrations and node info are dropped when it leaves.
 *
 * <p><b>Under failures.</b> Each manager gossips over the channel ({@link ChannelGossip}; the
 * ring reads that membership through {@link #membership()}), and its {@link FailureWatch} acts on
 * gossip's judgements: the coordinator removes a member judged down (its heartbeat stood still for
 * {@code ringstore.gossip.downAfterMillis}) by the same sequence as a leave, so every member gets
 * {@code nodeLeft} and the member's registrations and node info go; and a member that finds every
 * member older than itself down takes over as coordinator by removing them. A change sent to a
 * coordinator that crashed is sent again to its successor ({@link CoordinatorRequests}; a change the
 * dead coordinator had applied on some members may so apply twice there, which registrations
 * tolerate). The coordinator does not wait for members judged down, and a member that does not
 * answer within the request timeout is logged and skipped (it may miss that change).
 *
 * <p><b>A member removed as down that is alive</b> (it paused longer than {@code downAfter}, or was
 * cut off) <em>rejoins</em>: members refuse requests from a node they do not count as a member
 * ({@link NotMemberException}); the node learns it from such a refusal, or from a probe it sends
 * when it finds it was paused or sees a peer come back up, and then joins again through the known
 * members and the seeds under the same Vert.x node id, takes the registry from the join snapshot,
 * and publishes its node info and its own registrations again. The other members see
 * {@code nodeLeft} then {@code nodeAdded} for it (as Vert.x's Hazelcast cluster manager re-adds a
 * node's registrations after a split-brain merge). Vert.x HA, if used, may meanwhile have failed
 * over its verticles. No guarantee is given under partitions: both sides may take a coordinator;
 * when they heal, the members of one side are refused by the other and rejoin.
 *
 * <p><b>Vert.x's NodeInfo</b> gets two metadata keys: {@value ClusterManagerSettings#NODE_ID_KEY}
 * (the stable node id, which the ring derives tokens from) and
 * {@value ClusterManagerSettings#WEIGHT_KEY} (the capacity weight). A Vert.x {@code nodeLeft}
 * means "down" to the ring, not "removed".
 *
 * <p>Thread-safety: thread-safe. State is guarded by this object's lock; listeners are called
 * outside it, one change at a time in sequence order: the registration listener on the event loop
 * of the cluster channel, the node listener on a worker thread ({@link WorkerNodeListener}).
 */
public final class RingstoreClusterManager implements ClusterManager {
  private static final System.Logger LOG = System.getLogger(RingstoreClusterManager.class.getName());

  private static final byte JOIN = 1;
  private static final byte CHANGE = 2;
  private static final byte APPLY = 3;

  // constant after construction
  private final ClusterManagerSettings settings;
  private @Nullable IllegalArgumentException settingsError; // set once, by the ServiceLoader constructor

  // set once, by init and join
  private volatile @Nullable Vertx vertx;
  private volatile @Nullable ClusterChannel channel;
  private volatile @Nullable String nodeId;
  private volatile @Nullable String selfAddress;
  private volatile @Nullable WorkerNodeListener nodeListener;
  private volatile @Nullable RegistrationListener registrationListener;
  private volatile @Nullable ChannelGossip gossip;
  // whether this node joins as JOINING, to stream its data before it serves (see bootstrap)
  private volatile boolean bootstrapping;
  private volatile @Nullable CoordinatorRequests coordinatorRequests;
  private volatile @Nullable Rejoin rejoin;
  private volatile boolean active;
  private volatile boolean leaving;

  // guarded by this
  private final LinkedHashMap<String, String> members = new LinkedHashMap<>(); // Vert.x node id -> channel address
  private final Map<String, NodeInfo> nodeInfos = new HashMap<>();
  private final Map<String, List<RegistrationInfo>> registrations = new HashMap<>();
  private Future<Void> sequence = Future.succeededFuture(); // the coordinator's queue of changes

  // thread-safe: the cluster-wide maps, locks and counters
  private final SharedState shared;

  /** A manager configured from the system properties (what {@code ServiceLoader} builds). */
  public RingstoreClusterManager() {
    this(fromSystemProperties());
  }

  /**
   * The settings of the system properties. Vert.x builds every service provider it finds for every
   * Vert.x instance, clustered or not, so a bad property must not break the others: it is kept
   * and fails {@link #join} instead, naming the property.
   */
  private static Object fromSystemProperties() {
    try {
      return ClusterManagerSettings.from(System.getProperties());
    } catch (IllegalArgumentException e) {
      return e;
    }
  }

  private RingstoreClusterManager(Object settingsOrError) {
    this(settingsOrError instanceof ClusterManagerSettings s ? s : ClusterManagerSettings.defaults());
    this.settingsError = settingsOrError instanceof IllegalArgumentException e ? e : null;
  }

  /** A manager with {@code settings}. */
  public RingstoreClusterManager(ClusterManagerSettings settings) {
    this.settings = settings;
    this.shared = new SharedState(new ClusterValueCodec(settings.serializableFilter()), Env.system().ticker(),
        Env.system().scheduler(), () -> nodeId, this::submit, settings.maxFrameBytes() / 2);
  }

  /** The settings. */
  public ClusterManagerSettings settings() {
    return settings;
  }

  /** This node's cluster-channel address ({@code host:port}), once joined. */
  public @Nullable String channelAddress() {
    return selfAddress;
  }

  @Override
  public void init(Vertx vertx) {
    this.vertx = vertx;
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void join(Completable<Void> promise) {
    Vertx v = vertx;
    if (v == null) {
      promise.fail(new IllegalStateException("join before init(vertx)"));
      return;
    }
    if (settingsError != null) {
      promise.fail(settingsError);
      return;
    }
    String id = UUID.randomUUID().toString();
    // the channel's sockets, its timeouts, gossip and the failure watch run on an event loop of their own (ClusterChannel)
    ContextInternal home = ((VertxInternal) v).createEventLoopContext();
    ChannelGossip g = new ChannelGossip(settings, Env.system(), new VertxScheduler(home));
    ClusterChannel ch = new ClusterChannel(v, home, id, settings.maxFrameBytes(), settings.requestTimeout(), this::admit, g::receive);
    Hooks hooks = new Hooks();
    channel = ch;
    gossip = g;
    coordinatorRequests = new CoordinatorRequests(v, ch, hooks, settings.gossipInterval(),
        settings.downAfter().plus(settings.gossipInterval().multipliedBy(5)));
    rejoin = new Rejoin(settings.stableNodeId() + " (Vert.x node " + id + ")", settings.downAfter(), hooks);
    ch.listen(settings.host(), settings.port()).recover(failure -> Future.failedFuture(new IllegalStateException(
        "the cluster channel cannot listen on " + settings.host() + ":" + settings.port() + " (ringstore.cluster.host, "
            + "ringstore.cluster.port): " + failure.getMessage(), failure))).compose(port -> {
      String self = settings.host() + ":" + port;
      selfAddress = self;
      nodeId = id;
      g.start(ch, self, id);
      List<String> seeds = new ArrayList<>(settings.seeds());
      seeds.remove(self);
      if (seeds.isEmpty()) {
        apply(new Change.MemberAdded(id, self));
        return Future.<Void>succeededFuture();
      }
      return joinThrough(v, ch, seeds, 0, new Change.MemberAdded(id, self), 0, snapshot -> {
        installSnapshot(snapshot);
        return List.of();
      }).<Void>mapEmpty();
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        active = true;
        g.joined(hooks, bootstrapping);
        LOG.log(Level.INFO, "node {0} (Vert.x node {1}) joined the cluster at {2}; {3} members",
            settings.stableNodeId(), id, selfAddress, getNodes().size());
        promise.succeed();
      } else {
        g.stop();
        ch.close();
        promise.fail(ar.cause());
      }
    });
  }

  /** Joins through {@code seeds} (retrying until joinTimeout); completes with what {@code install} makes of the snapshot. */
  private Future<List<Change>> joinThrough(Vertx v, ClusterChannel ch, List<String> seeds, int attempt, Change.MemberAdded me,
      long waitedMillis, Function<Buffer, List<Change>> install) {
    String seed = seeds.get(attempt % seeds.size());
    Buffer request = Buffer.buffer().appendByte(JOIN);
    me.writeTo(request);
    return ch.request(seed, request).compose(snapshot -> Future.succeededFuture(install.apply(snapshot)), failure -> {
      // waiting is counted in retry delays only, so a slow failure (a timeout) stretches the bound
      if (waitedMillis >= settings.joinTimeout().toMillis()) {
        return Future.failedFuture(new IllegalStateException("could not join through seeds " + seeds
            + " within ringstore.cluster.joinTimeout = " + settings.joinTimeout().toMillis() + " ms; last error: " + failure.getMessage(), failure));
      }
      ch.forget(seed);
      Promise<List<Change>> retry = Promise.promise();
      long delayMillis = Math.min(1000, 50L << Math.min(attempt, 4));
      v.setTimer(delayMillis, t -> joinThrough(v, ch, seeds, attempt + 1, me, waitedMillis + delayMillis, install).onComplete(retry));
      return retry.future();
    });
  }

  /**
   * Every request but a JOIN must come from a member (a node this one counts as a member; anyone
   * while this node joins or rejoins): others are refused with {@link NotMemberException}, so a
   * node removed as down finds out. An empty request is a membership probe, answered empty.
   */
  private Future<Buffer> admit(Buffer request, @Nullable String origin, String remote) {
    if (request.length() > 0 && request.getByte(0) == JOIN) {
      return onRequest(request, remote);
    }
    boolean member;
    synchronized (this) {
      member = members.isEmpty() || (origin != null && members.containsKey(origin));
    }
    Rejoin r = rejoin;
    if (r != null && r.running()) {
      member = true;
    }
    if (!member && (leaving || !active)) {
      return Future.failedFuture(new IllegalStateException("node " + nodeId + " is leaving the cluster"));
    }
    if (!member) {
      return Future.failedFuture(new NotMemberException("node " + nodeId + " does not count node " + origin + " (at "
          + remote + ") as a member of the cluster: it was removed as down, or has not joined"));
    }
    return request.length() == 0 ? Future.succeededFuture(Buffer.buffer()) : onRequest(request, remote);
  }

  /** Asks the oldest other member whether this node still is a member; rejoins if not. */
  private void probe() {
    ClusterChannel ch = channel;
    String target;
    synchronized (this) {
      target = members.entrySet().stream().filter(m -> !m.getKey().equals(nodeId)).map(Map.Entry::getValue).findFirst().orElse(null);
    }
    if (ch != null && target != null && active && !leaving) {
      ch.request(target, Buffer.buffer()).onFailure(e -> {
        if (e instanceof NotMemberException) {
          rejoin();
        }
      });
    }
  }

  /** Joins again after this node was removed as down (see the class comment); one rejoin at a time. */
  private Future<Void> rejoin() {
    Rejoin r = rejoin;
    String self = selfAddress;
    if (!active || leaving || r == null || self == null) {
      return Future.failedFuture(new IllegalStateException("node " + nodeId + " is not active: it does not rejoin"));
    }
    Set<String> through;
    synchronized (this) {
      through = new LinkedHashSet<>(members.values());
    }
    through.addAll(settings.seeds());
    through.remove(self);
    return r.start(List.copyOf(through));
  }

  /**
   * Replaces the registry with a join {@code snapshot}, keeping this node's own node info and
   * registrations, which it returns to be published again; tells the listeners what changed.
   */
  private List<Change> replaceRegistry(Buffer snapshot) {
    List<Change> mine;
    List<Runnable> events;
    synchronized (this) {
      Set<String> before = new LinkedHashSet<>(members.keySet());
      Map<String, List<RegistrationInfo>> registered = new HashMap<>();
      registrations.forEach((address, list) -> registered.put(address, List.copyOf(list)));
      mine = Rejoin.own(nodeId, nodeInfos.get(nodeId), registered);
      members.clear();
      nodeInfos.clear();
      registrations.clear();
      installSnapshot(snapshot);
      for (Change c : mine) { // kept locally; the listeners hear the difference below
        if (c instanceof Change.NodeInfoSet n) {
          nodeInfos.put(n.nodeId(), n.info());
        } else if (c instanceof Change.RegistrationAdded r) {
          registrations.computeIfAbsent(r.address(), a -> new ArrayList<>()).add(r.info());
        }
      }
      events = Rejoin.events(nodeId, before, members.keySet(), registered, registrations, nodeListener, this::updated);
    }
    for (Runnable event : events) {
      try {
        event.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a Vert.x cluster listener failed after node " + nodeId + " rejoined", e);
      }
    }
    return mine;
  }

  @Override
  public void leave(Completable<Void> promise) {
    String id = nodeId;
    ClusterChannel ch = channel;
    ChannelGossip g = gossip;
    if (!active || id == null || ch == null || g == null) {
      promise.succeed();
      return;
    }
    // the node events under way finish first (a failover deploying, writing the sync map), bounded
    WorkerNodeListener listener = nodeListener;
    Vertx v = vertx;
    Future<Void> drained = listener == null || v == null ? Future.succeededFuture()
        : listener.drained(v, settings.requestTimeout());
    drained.compose(ignored -> {
      leaving = true;
      g.status(NodeStatus.LEFT);
      // every member hears LEFT directly: a round's exchange could still be half-way when the
      // channel closes, and a member that missed it would keep this node on the ring as down
      g.announce();
      g.round();
      return submit(new Change.MemberRemoved(id));
    })
        .recover(failure -> {
          LOG.log(Level.WARNING, "node {0} left without the coordinator''s acknowledgement: {1}", id, failure.getMessage());
          return Future.succeededFuture();
        })
        .eventually(() -> {
          active = false;
          g.stop();
          WorkerNodeListener l = nodeListener;
          if (l != null) {
            l.close();
          }
          return ch.close();
        })
        .onComplete(ar -> promise.succeed());
  }

  /**
   * Test hook: this node stops at once, as if its process were killed: no leave, no gossip, the
   * channel's connections cut; its Vert.x is left running (its {@code leave} then does nothing).
   */
  void crashForTest() {
    leaving = true;
    active = false;
    WorkerNodeListener l = nodeListener;
    if (l != null) {
      l.close();
    }
    ChannelGossip g = gossip;
    ClusterChannel ch = channel;
    if (g != null && ch != null) {
      g.stop();
      ch.close();
    }
  }

  /**
   * Test hook: {@code true} makes this node behave as a paused process (no gossip rounds, no failure
   * watch, incoming requests and gossip dropped unanswered); {@code false} resumes it.
   */
  void pauseForTest(boolean paused) {
    ClusterChannel ch = channel;
    ChannelGossip g = gossip;
    if (ch == null || g == null) {
      throw new IllegalStateException("pauseForTest before join");
    }
    if (paused) {
      g.stop();
    } else {
      g.resume();
    }
    ch.deaf(paused);
  }

  /**
   * Makes this node join with status JOINING instead of NORMAL (call before join): a node added to
   * a running cluster that holds data, which receives its share before it serves and then moves
   * itself to NORMAL ({@code ringstore.node.bootstrap}, RingstoreNode's ring change). A node that
   * merely restarts, and the first nodes of a new cluster, join NORMAL.
   */
  public void bootstrap(boolean joinAsJoining) {
    this.bootstrapping = joinAsJoining;
  }

  /**
   * This node's gossip membership: the members by stable node id, with status, liveness, weight and
   * addresses (the ring reads membership through it). Valid after join.
   *
   * @throws IllegalStateException before join
   */
  public Membership membership() {
    ChannelGossip g = gossip;
    Gossiper gossiper = g == null ? null : g.gossiper();
    if (gossiper == null) {
      throw new IllegalStateException("node " + settings.stableNodeId() + " has not joined a cluster: membership() is valid after join");
    }
    return gossiper;
  }

  @Override
  public boolean isActive() {
    return active;
  }

  // ---------------------------------------------------------------- membership and node info

  @Override
  public String getNodeId() {
    return nodeId;
  }

  @Override
  public synchronized List<String> getNodes() {
    return new ArrayList<>(members.keySet());
  }

  @Override
  public void nodeListener(NodeListener listener) {
    WorkerNodeListener before = nodeListener;
    this.nodeListener = listener == null ? null : new WorkerNodeListener(settings.stableNodeId(), listener);
    if (before != null) {
      before.close();
    }
  }

  @Override
  public void setNodeInfo(NodeInfo nodeInfo, Completable<Void> promise) {
    JsonObject metadata = nodeInfo.metadata() == null ? new JsonObject() : nodeInfo.metadata().copy();
    metadata.put(ClusterManagerSettings.NODE_ID_KEY, settings.stableNodeId());
    metadata.put(ClusterManagerSettings.WEIGHT_KEY, settings.weight());
    ChannelGossip g = gossip;
    Gossiper gossiper = g == null ? null : g.gossiper();
    if (gossiper != null) {
      gossiper.setBusAddress(nodeInfo.host() + ":" + nodeInfo.port()); // the ring's members name their event bus
    }
    submit(new Change.NodeInfoSet(nodeId, new NodeInfo(nodeInfo.host(), nodeInfo.port(), metadata))).onComplete(promise);
  }

  @Override
  public synchronized NodeInfo getNodeInfo() {
    return nodeInfos.get(nodeId);
  }

  @Override
  public void getNodeInfo(String id, Completable<NodeInfo> promise) {
    NodeInfo info;
    synchronized (this) {
      info = nodeInfos.get(id);
    }
    if (info != null) {
      promise.succeed(info);
    } else {
      promise.fail(new IllegalArgumentException("node " + id + " is not a member of the cluster (or has no node info yet)"));
    }
  }

  // ---------------------------------------------------------------- registrations

  @Override
  public void registrationListener(RegistrationListener listener) {
    this.registrationListener = listener;
  }

  @Override
  public void addRegistration(String address, RegistrationInfo info, Completable<Void> promise) {
    submit(new Change.RegistrationAdded(address, info)).onComplete(promise);
  }

  @Override
  public void removeRegistration(String address, RegistrationInfo info, Completable<Void> promise) {
    submit(new Change.RegistrationRemoved(address, info)).onComplete(promise);
  }

  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    List<RegistrationInfo> list;
    synchronized (this) {
      list = List.copyOf(registrations.getOrDefault(address, List.of()));
    }
    promise.succeed(list);
  }

  // ---------------------------------------------------------------- stage 2: maps, locks, counters

  @Override
  public <K, V> void getAsyncMap(String name, Completable<AsyncMap<K, V>> promise) {
    if (validName("cluster map", name, promise)) {
      promise.succeed(new ClusterAsyncMap<>(shared, callerContext(), name));
    }
  }

  @Override
  public <K, V> Map<K, V> getSyncMap(String name) {
    SharedState.checkName("cluster map", name);
    return new ClusterSyncMap<>(shared, name, settings.requestTimeout());
  }

  @Override
  public void getLockWithTimeout(String name, long timeout, Completable<Lock> promise) {
    if (validName("cluster lock", name, promise)) {
      shared.acquire(name, timeout).onComplete(promise);
    }
  }

  @Override
  public void getCounter(String name, Completable<Counter> promise) {
    if (validName("cluster counter", name, promise)) {
      promise.succeed(new ClusterCounter(shared, callerContext(), name));
    }
  }

  private static boolean validName(String kind, String name, Completable<?> promise) {
    try {
      SharedState.checkName(kind, name);
      return true;
    } catch (RuntimeException e) {
      promise.fail(e);
      return false;
    }
  }

  private CallerContext callerContext() {
    Vertx v = vertx;
    if (v == null) {
      throw new IllegalStateException("shared data before init(vertx)");
    }
    return new CallerContext((VertxInternal) v);
  }

  // ---------------------------------------------------------------- the sequence

  private synchronized boolean isCoordinator() {
    return !members.isEmpty() && members.keySet().iterator().next().equals(nodeId);
  }

  private synchronized @Nullable String coordinatorAddress() {
    return members.isEmpty() ? null : members.values().iterator().next();
  }

  /** Has {@code change} sequenced by the coordinator; completes once every member applied it. */
  private Future<Void> submit(Change change) {
    return submit(change, true);
  }

  /** As {@link #submit(Change)}; {@code mayRejoin}: a refusal as from a non-member makes this node rejoin and retry. */
  private Future<Void> submit(Change change, boolean mayRejoin) {
    CoordinatorRequests requests = coordinatorRequests;
    if (requests == null) {
      return Future.failedFuture(new IllegalStateException("node " + nodeId + " is not in a cluster (join first)"));
    }
    Buffer request = Buffer.buffer().appendByte(CHANGE);
    change.writeTo(request);
    Supplier<Future<Buffer>> local = () -> sequence(change, null);
    return (mayRejoin ? requests.send(request, local) : requests.sendWithoutRejoin(request, local)).mapEmpty();
  }

  /** On the coordinator, or on a member taking over: removes the members {@code ids}, judged down. */
  private Future<Void> removeDown(List<String> ids, boolean takeover) {
    if (takeover) {
      LOG.log(Level.WARNING, "node {0} (Vert.x node {1}) takes over as coordinator: every older member is judged down {2}",
          settings.stableNodeId(), nodeId, ids);
    } else {
      LOG.log(Level.WARNING, "coordinator {0} (Vert.x node {1}) removes the members judged down {2}", settings.stableNodeId(), nodeId, ids);
    }
    Future<Void> removed = Future.succeededFuture();
    for (String id : ids) {
      removed = removed.compose(v -> sequence(new Change.MemberRemoved(id), null).mapEmpty());
    }
    return removed;
  }

  /** What the failure watch, the coordinator requests and a rejoin read of the registry and do. */
  private final class Hooks implements FailureWatch.Registry, CoordinatorRequests.Registry, Rejoin.Steps {
    @Override
    public Future<List<Change>> join(List<String> through) {
      Vertx v = Objects.requireNonNull(vertx);
      ClusterChannel ch = Objects.requireNonNull(channel);
      Change.MemberAdded me = new Change.MemberAdded(Objects.requireNonNull(nodeId), Objects.requireNonNull(selfAddress));
      return joinThrough(v, ch, through, 0, me, 0, RingstoreClusterManager.this::replaceRegistry);
    }

    @Override
    public Future<Void> publish(Change change) {
      return submit(change, false);
    }

    @Override
    public List<String> members() {
      return getNodes();
    }

    @Override
    public String self() {
      return Objects.requireNonNull(nodeId);
    }

    @Override
    public boolean isCoordinator() {
      return RingstoreClusterManager.this.isCoordinator();
    }

    @Override
    public @Nullable String coordinatorAddress() {
      return RingstoreClusterManager.this.coordinatorAddress();
    }

    @Override
    public Future<Void> removeDown(List<String> nodeIds, boolean takeover) {
      return RingstoreClusterManager.this.removeDown(nodeIds, takeover);
    }

    @Override
    public void probe() {
      RingstoreClusterManager.this.probe();
    }

    @Override
    public Future<Void> rejoin() {
      return RingstoreClusterManager.this.rejoin();
    }

    @Override
    public void mergeInto(String address) {
      Rejoin r = rejoin;
      if (r != null && active && !leaving && !address.equals(selfAddress)) {
        r.start(List.of(address)).onFailure(e -> LOG.log(Level.WARNING, "node " + nodeId + " could not merge into the cluster"
            + " of the member at " + address + ": " + e.getMessage() + "; it tries again"));
      }
    }
  }

  /**
   * On the coordinator: applies {@code change} after every earlier one, sends it to every other
   * member (not to {@code joiner}, which gets the snapshot) and completes when all answered; with
   * the snapshot for a joiner.
   */
  private synchronized Future<Buffer> sequence(Change change, @Nullable String joiner) {
    Promise<Buffer> done = Promise.promise();
    sequence = sequence.transform(ignored -> {
      List<String> targets;
      Buffer snapshot;
      synchronized (this) {
        // a removed node is not asked to acknowledge its own removal (it is leaving, or down), and
        // no member judged down is waited for
        String removedId = change instanceof Change.MemberRemoved removed ? removed.nodeId() : null;
        ChannelGossip g = gossip;
        targets = new ArrayList<>();
        members.forEach((id, address) -> {
          if (!id.equals(removedId) && (g == null || !g.isDown(id))) {
            targets.add(address);
          }
        });
      }
      apply(change);
      synchronized (this) {
        snapshot = joiner == null ? Buffer.buffer() : snapshot();
      }
      targets.remove(selfAddress);
      Buffer apply = Buffer.buffer().appendByte(APPLY);
      change.writeTo(apply);
      List<Future<Buffer>> acks = new ArrayList<>();
      ClusterChannel ch = channel;
      for (String target : targets) {
        acks.add(ch.request(target, apply).onFailure(e -> {
          LOG.log(Level.WARNING, "member at {0} did not apply a registry change: {1}", target, e.getMessage());
          if (e instanceof NotMemberException) {
            rejoin(); // this node was removed as down while it believed itself the coordinator
          }
        }));
      }
      return Future.join(acks).transform(ar -> {
        done.complete(snapshot);
        return Future.<Void>succeededFuture();
      });
    });
    return done.future();
  }

  private Future<Buffer> onRequest(Buffer request, String from) {
    byte kind = request.getByte(0);
    int[] pos = {1};
    Change change = Change.readFrom(request, pos);
    if (kind == APPLY) {
      apply(change);
      return Future.succeededFuture(Buffer.buffer());
    }
    if (kind != JOIN && kind != CHANGE) {
      return Future.failedFuture("unknown request kind " + kind + " from " + from + "; this build knows 1 to 3");
    }
    if (isCoordinator()) {
      String joiner = change instanceof Change.MemberAdded added && kind == JOIN ? added.nodeId() : null;
      return sequence(change, joiner);
    }
    String coordinator = coordinatorAddress();
    if (coordinator == null || !active) {
      return Future.failedFuture("node " + nodeId + " is not in a cluster yet");
    }
    // forward, following a new coordinator; a refusal of this node is not the requester's
    return Objects.requireNonNull(coordinatorRequests).send(request, () -> onRequest(request, from)).recover(e -> Future.failedFuture(
        e instanceof NotMemberException ? new IllegalStateException("node " + nodeId + " could not forward a request: " + e.getMessage()) : e));
  }

  // ---------------------------------------------------------------- applying changes

  private void apply(Change change) {
    if (change instanceof Change.SharedChange c) {
      shared.apply(c);
      return;
    }
    List<Runnable> events = new ArrayList<>();
    synchronized (this) {
      if (change instanceof Change.MemberAdded c) {
        if (members.put(c.nodeId(), c.channelAddress()) == null && !c.nodeId().equals(nodeId)) {
          events.add(() -> {
            NodeListener l = nodeListener;
            if (l != null && active) {
              l.nodeAdded(c.nodeId());
            }
          });
        }
      } else if (change instanceof Change.MemberRemoved c) {
        boolean wasMember = members.remove(c.nodeId()) != null; // removed twice (left, then judged down): one nodeLeft
        nodeInfos.remove(c.nodeId());
        for (Map.Entry<String, List<RegistrationInfo>> e : registrations.entrySet()) {
          if (e.getValue().removeIf(info -> info.nodeId().equals(c.nodeId()))) {
            events.add(updated(e.getKey(), List.copyOf(e.getValue())));
          }
        }
        registrations.values().removeIf(List::isEmpty);
        if (wasMember && !c.nodeId().equals(nodeId)) {
          events.add(() -> {
            NodeListener l = nodeListener;
            if (l != null && active) {
              l.nodeLeft(c.nodeId());
            }
          });
        }
      } else if (change instanceof Change.NodeInfoSet c) {
        nodeInfos.put(c.nodeId(), c.info());
      } else if (change instanceof Change.RegistrationAdded c) {
        List<RegistrationInfo> list = registrations.computeIfAbsent(c.address(), a -> new ArrayList<>());
        if (!list.contains(c.info())) { // a change retried after a coordinator crash may come twice
          list.add(c.info());
          events.add(updated(c.address(), List.copyOf(list)));
        }
      } else if (change instanceof Change.RegistrationRemoved c) {
        List<RegistrationInfo> list = registrations.get(c.address());
        if (list != null && list.remove(c.info())) {
          List<RegistrationInfo> now = List.copyOf(list);
          if (list.isEmpty()) {
            registrations.remove(c.address());
          }
          events.add(updated(c.address(), now));
        }
      }
    }
    if (change instanceof Change.MemberRemoved c) {
      shared.memberRemoved(c.nodeId()); // its locks are released, its lock requests dropped
    }
    shared.coordinatorIs(isCoordinator());
    for (Runnable event : events) {
      try {
        event.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a Vert.x cluster listener failed on " + change, e);
      }
    }
  }

  private Runnable updated(String address, List<RegistrationInfo> now) {
    return () -> {
      RegistrationListener l = registrationListener;
      if (l != null && l.wantsUpdatesFor(address)) {
        l.registrationsUpdated(new RegistrationUpdateEvent(address, now));
      }
    };
  }

  // guarded by this
  private Buffer snapshot() {
    Buffer out = Buffer.buffer();
    out.appendInt(members.size());
    for (Map.Entry<String, String> m : members.entrySet()) {
      new Change.MemberAdded(m.getKey(), m.getValue()).writeTo(out);
    }
    out.appendInt(nodeInfos.size());
    for (Map.Entry<String, NodeInfo> n : nodeInfos.entrySet()) {
      new Change.NodeInfoSet(n.getKey(), n.getValue()).writeTo(out);
    }
    int count = registrations.values().stream().mapToInt(List::size).sum();
    out.appendInt(count);
    for (Map.Entry<String, List<RegistrationInfo>> r : registrations.entrySet()) {
      for (RegistrationInfo info : r.getValue()) {
        new Change.RegistrationAdded(r.getKey(), info).writeTo(out);
      }
    }
    shared.writeSnapshot(out);
    return out;
  }

  private void installSnapshot(Buffer in) {
    int[] pos = {0};
    synchronized (this) {
      for (int section = 0; section < 3; section++) {
        int count = Change.readCount(in, pos, 5, "snapshot item");
        for (int i = 0; i < count; i++) {
          Change c = Change.readFrom(in, pos);
          if (c instanceof Change.MemberAdded m) {
            members.put(m.nodeId(), m.channelAddress());
          } else if (c instanceof Change.NodeInfoSet n) {
            nodeInfos.put(n.nodeId(), n.info());
          } else if (c instanceof Change.RegistrationAdded r) {
            registrations.computeIfAbsent(r.address(), a -> new ArrayList<>()).add(r.info());
          }
        }
      }
    }
    shared.installSnapshot(in, pos);
  }
}
