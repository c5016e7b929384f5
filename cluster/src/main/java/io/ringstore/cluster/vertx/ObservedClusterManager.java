package io.ringstore.cluster.vertx;

import io.ringstore.cluster.membership.EndpointState;
import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.Membership;
import io.ringstore.cluster.membership.MembershipListener;
import io.ringstore.cluster.membership.MembershipView;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.membership.StateEntry;
import io.ringstore.cluster.membership.StateKey;
import io.ringstore.spi.Bytes;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Ringstore's {@link Membership} over any other Vert.x {@link ClusterManager} (Hazelcast,
 * Infinispan, ZooKeeper...), for a user who already runs one: give Vert.x this wrapper instead of
 * the manager itself ({@code Vertx.builder().withClusterManager(new ObservedClusterManager(hazelcast,
 * settings))}). Every {@code ClusterManager} call passes through to the wrapped manager, except
 * that:
 *
 * <ul>
 *   <li>{@link #setNodeInfo} adds {@value ClusterManagerSettings#NODE_ID_KEY} (the stable node id)
 *       and {@value ClusterManagerSettings#WEIGHT_KEY} (the capacity weight) from the
 *       {@link ObservedSettings} to this node's {@code NodeInfo} metadata, as
 *       {@link RingstoreClusterManager} does;
 *   <li>the wrapped manager's single {@link NodeListener} slot is taken by this wrapper, which
 *       passes every {@code nodeAdded}/{@code nodeLeft} on to the listener Vert.x sets (first, so
 *       the event bus sees exactly what it would see unwrapped) and then to its own view.
 * </ul>
 *
 * <p><b>The view.</b> A Vert.x node that joins is a Ringstore member once its {@code NodeInfo}
 * carries a stable node id (a node joins before its event bus publishes its {@code NodeInfo}, so
 * the wrapper keeps asking for it, with backoff, up to {@link ObservedSettings#nodeInfoWait()}).
 * A node whose {@code NodeInfo} has no stable id (a plain Vert.x application in the same cluster)
 * or a bad one is not a member; the wrapper logs it once. Each member is built with status
 * {@link NodeStatus#NORMAL} (a Vert.x cluster manager knows nothing of joining or leaving), its
 * weight (1 if not published) and its event-bus address ({@code host:port} of the
 * {@code NodeInfo}). A Vert.x {@code nodeLeft} means <em>down</em> ({@link Member#alive()} false,
 * {@link MembershipListener#onDown}), never removal: membership changes are deliberate. When a
 * node with the same stable id joins again (under a new Vert.x node id, as after every restart) it
 * is alive again, at the next generation: {@code onRestarted}, then {@code onUp} if it was down.
 * Generations are this observer's own count of the Vert.x node ids it has seen for a stable id
 * (starting at 1), not comparable between observers. This node itself is always a member, alive,
 * at generation 1.
 *
 * <p>Thread-safety: thread-safe. The view is an immutable snapshot behind a volatile reference;
 * changes are made and listeners called under this object's lock, one change at a time, on the
 * thread that reported the change (the wrapped manager's listener thread, or the Vert.x thread
 * that completed a {@code NodeInfo} lookup). No call into the wrapped manager is made under the
 * lock.
 */
public final class ObservedClusterManager implements ClusterManager, Membership {
  private static final System.Logger LOG = System.getLogger(ObservedClusterManager.class.getName());

  private static final long FIRST_RETRY_MILLIS = 25;
  private static final long MAX_RETRY_MILLIS = 1000;

  // constant after construction
  private final ClusterManager delegate;
  private final ObservedSettings settings;
  private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
  private final NodeListener fanOut = new FanOut();

  // set by init and join
  private volatile @Nullable Vertx vertx;
  private volatile @Nullable NodeListener vertxListener;
  private volatile @Nullable String selfVertxId;
  private volatile boolean observing;

  private volatile MembershipView view;

  // guarded by this
  private final Set<String> present = new HashSet<>(); // Vert.x node ids in the cluster, as reported
  private final Map<String, NodeId> stableIds = new HashMap<>(); // resolved Vert.x node id -> stable id
  private final Set<String> strangers = new HashSet<>(); // present, resolved, not Ringstore members
  private final Map<NodeId, String> latestVertxIds = new HashMap<>(); // stable id -> its newest Vert.x node id
  private final Map<NodeId, Member> members = new TreeMap<>();

  /** Wraps {@code delegate}, publishing and observing stable ids and weights as {@code settings} say. */
  public ObservedClusterManager(ClusterManager delegate, ObservedSettings settings) {
    this.delegate = delegate;
    this.settings = settings;
    Member self = member(settings.stableId(), 1, settings.weight(), null, true);
    members.put(self.id(), self);
    view = new MembershipView(self.id(), members);
  }

  /** The wrapped manager (to reach, say, its Hazelcast instance). */
  public ClusterManager delegate() {
    return delegate;
  }

  /** The settings. */
  public ObservedSettings settings() {
    return settings;
  }

  /** The Vert.x node id under which {@code member} is currently known, if any. */
  public synchronized Optional<String> vertxNodeId(NodeId member) {
    if (member.equals(settings.stableId())) {
      return Optional.ofNullable(selfVertxId);
    }
    return Optional.ofNullable(latestVertxIds.get(member));
  }

  // ---------------------------------------------------------------- Membership

  @Override
  public MembershipView view() {
    return view;
  }

  @Override
  public void addListener(MembershipListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(MembershipListener listener) {
    listeners.remove(listener);
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void init(Vertx vertx) {
    this.vertx = vertx;
    delegate.nodeListener(fanOut);
    delegate.init(vertx);
  }

  @Override
  public void join(Completable<Void> promise) {
    observing = true;
    delegate.join((ignored, failure) -> {
      if (failure != null) {
        observing = false;
        promise.fail(failure);
        return;
      }
      String self = delegate.getNodeId();
      selfVertxId = self;
      List<String> others = new ArrayList<>(delegate.getNodes());
      others.remove(self);
      for (String node : others) {
        observeAdded(node);
      }
      LOG.log(Level.INFO, "node {0} (Vert.x node {1}) joined through {2}; {3} other Vert.x nodes",
          settings.stableId(), self, delegate.getClass().getSimpleName(), others.size());
      promise.succeed();
    });
  }

  @Override
  public void leave(Completable<Void> promise) {
    observing = false;
    delegate.leave(promise);
  }

  @Override
  public boolean isActive() {
    return delegate.isActive();
  }

  @Override
  public String clusterHost() {
    return delegate.clusterHost();
  }

  @Override
  public String clusterPublicHost() {
    return delegate.clusterPublicHost();
  }

  // ---------------------------------------------------------------- nodes and node infos

  @Override
  public String getNodeId() {
    return delegate.getNodeId();
  }

  @Override
  public List<String> getNodes() {
    return delegate.getNodes();
  }

  @Override
  public void nodeListener(NodeListener listener) {
    this.vertxListener = listener;
  }

  @Override
  public void setNodeInfo(NodeInfo nodeInfo, Completable<Void> promise) {
    JsonObject metadata = nodeInfo.metadata() == null ? new JsonObject() : nodeInfo.metadata().copy();
    metadata.put(ClusterManagerSettings.NODE_ID_KEY, settings.stableId().value());
    metadata.put(ClusterManagerSettings.WEIGHT_KEY, settings.weight());
    NodeInfo published = new NodeInfo(nodeInfo.host(), nodeInfo.port(), metadata);
    delegate.setNodeInfo(published, (ignored, failure) -> {
      if (failure == null) {
        synchronized (this) {
          Member self = member(settings.stableId(), 1, settings.weight(), busAddress(published), true);
          members.put(self.id(), self);
          view = new MembershipView(self.id(), members);
        }
      }
      promise.complete(null, failure);
    });
  }

  @Override
  public NodeInfo getNodeInfo() {
    return delegate.getNodeInfo();
  }

  @Override
  public void getNodeInfo(String nodeId, Completable<NodeInfo> promise) {
    delegate.getNodeInfo(nodeId, promise);
  }

  // ---------------------------------------------------------------- passed through

  @Override
  public <K, V> void getAsyncMap(String name, Completable<AsyncMap<K, V>> promise) {
    delegate.getAsyncMap(name, promise);
  }

  @Override
  public <K, V> Map<K, V> getSyncMap(String name) {
    return delegate.getSyncMap(name);
  }

  @Override
  public void getLockWithTimeout(String name, long timeout, Completable<Lock> promise) {
    delegate.getLockWithTimeout(name, timeout, promise);
  }

  @Override
  public void getCounter(String name, Completable<Counter> promise) {
    delegate.getCounter(name, promise);
  }

  @Override
  public void registrationListener(RegistrationListener registrationListener) {
    delegate.registrationListener(registrationListener);
  }

  @Override
  public void addRegistration(String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
    delegate.addRegistration(address, registrationInfo, promise);
  }

  @Override
  public void removeRegistration(String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
    delegate.removeRegistration(address, registrationInfo, promise);
  }

  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    delegate.getRegistrations(address, promise);
  }

  // ---------------------------------------------------------------- observing

  /** Takes the wrapped manager's node-listener slot: Vert.x first, then the view. */
  private final class FanOut implements NodeListener {
    @Override
    public void nodeAdded(String nodeId) {
      NodeListener listener = vertxListener;
      if (listener != null) {
        try {
          listener.nodeAdded(nodeId);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Vert.x''s node listener failed on nodeAdded(" + nodeId + ")", e);
        }
      }
      observeAdded(nodeId);
    }

    @Override
    public void nodeLeft(String nodeId) {
      NodeListener listener = vertxListener;
      if (listener != null) {
        try {
          listener.nodeLeft(nodeId);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Vert.x''s node listener failed on nodeLeft(" + nodeId + ")", e);
        }
      }
      observeLeft(nodeId);
    }
  }

  private void observeAdded(String vertxId) {
    synchronized (this) {
      if (!observing || vertxId.equals(selfVertxId) || !present.add(vertxId)) {
        return;
      }
    }
    resolve(vertxId, 0, 0);
  }

  /** Asks for the node info of {@code vertxId} until it comes, the node leaves or the wait is over. */
  private void resolve(String vertxId, int attempt, long waitedMillis) {
    delegate.getNodeInfo(vertxId, (info, failure) -> {
      if (failure == null && info != null) {
        learned(vertxId, info);
        return;
      }
      Vertx v = vertx;
      synchronized (this) {
        if (!observing || v == null || !present.contains(vertxId)) {
          return;
        }
      }
      if (waitedMillis >= settings.nodeInfoWait().toMillis()) {
        LOG.log(Level.WARNING, "Vert.x node {0} joined but published no NodeInfo within ringstore.cluster.nodeInfoWait = {1} ms"
            + " (last error: {2}); it is not a Ringstore member until it joins again",
            vertxId, settings.nodeInfoWait().toMillis(), failure == null ? "none" : failure.getMessage());
        return;
      }
      long delayMillis = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempt, 6));
      v.setTimer(delayMillis, timer -> resolve(vertxId, attempt + 1, waitedMillis + delayMillis));
    });
  }

  private synchronized void learned(String vertxId, NodeInfo info) {
    if (!observing || !present.contains(vertxId) || stableIds.containsKey(vertxId) || strangers.contains(vertxId)) {
      return;
    }
    JsonObject metadata = info.metadata() == null ? new JsonObject() : info.metadata();
    NodeId id;
    int weight;
    try {
      id = stableIdOf(metadata);
      weight = weightOf(metadata);
    } catch (IllegalArgumentException e) {
      strangers.add(vertxId);
      LOG.log(Level.WARNING, "Vert.x node {0} is not a Ringstore member: {1}", vertxId, e.getMessage());
      return;
    }
    if (id == null) {
      strangers.add(vertxId);
      LOG.log(Level.INFO, "Vert.x node {0} publishes no {1} in its NodeInfo metadata: a Vert.x node, not a Ringstore member",
          vertxId, ClusterManagerSettings.NODE_ID_KEY);
      return;
    }
    if (id.equals(settings.stableId())) {
      strangers.add(vertxId);
      LOG.log(Level.WARNING, "Vert.x node {0} publishes this node''s own stable id {1}: is another process using it?", vertxId, id);
      return;
    }
    stableIds.put(vertxId, id);
    String previousVertxId = latestVertxIds.put(id, vertxId);
    Member before = members.get(id);
    long generation = before == null ? 1 : vertxId.equals(previousVertxId) ? before.generation() : before.generation() + 1;
    Member after = member(id, generation, weight, busAddress(info), true);
    members.put(id, after);
    view = new MembershipView(settings.stableId(), members);
    if (before == null) {
      LOG.log(Level.INFO, "node {0} sees node {1} (Vert.x node {2}, weight {3}) join", settings.stableId(), id, vertxId, weight);
      each(l -> l.onJoined(after));
      return;
    }
    if (after.generation() > before.generation()) {
      LOG.log(Level.INFO, "node {0} sees node {1} restart as Vert.x node {2}", settings.stableId(), id, vertxId);
      each(l -> l.onRestarted(after));
    }
    if (!before.alive()) {
      LOG.log(Level.INFO, "node {0} sees node {1} up again", settings.stableId(), id);
      each(l -> l.onUp(after));
    }
  }

  private synchronized void observeLeft(String vertxId) {
    present.remove(vertxId);
    strangers.remove(vertxId);
    NodeId id = stableIds.remove(vertxId);
    if (!observing || id == null || !vertxId.equals(latestVertxIds.get(id))) {
      return; // not resolved yet (its lookup stops), a stranger, or a life already replaced by a restart
    }
    Member before = members.get(id);
    if (before == null || !before.alive()) {
      return;
    }
    Member after = new Member(before.id(), before.generation(), before.status(), false, before.state());
    members.put(id, after);
    view = new MembershipView(settings.stableId(), members);
    LOG.log(Level.INFO, "node {0} sees node {1} down (Vert.x node {2} left); it stays a member", settings.stableId(), id, vertxId);
    each(l -> l.onDown(after));
  }

  // guarded by this
  private void each(Consumer<MembershipListener> event) {
    for (MembershipListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a membership listener failed", e);
      }
    }
  }

  // ---------------------------------------------------------------- members from node infos

  private static @Nullable NodeId stableIdOf(JsonObject metadata) {
    Object value = metadata.getValue(ClusterManagerSettings.NODE_ID_KEY);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException(ClusterManagerSettings.NODE_ID_KEY + " = " + value + " is not a string");
    }
    return NodeId.of(text);
  }

  private static int weightOf(JsonObject metadata) {
    Object value = metadata.getValue(ClusterManagerSettings.WEIGHT_KEY);
    if (value == null) {
      return 1;
    }
    if (!(value instanceof Number number) || number.doubleValue() != number.intValue()
        || number.intValue() < 1 || number.intValue() > 1000) {
      throw new IllegalArgumentException(ClusterManagerSettings.WEIGHT_KEY + " = " + value + " is not a weight; need an integer 1 to 1000");
    }
    return number.intValue();
  }

  private static @Nullable String busAddress(NodeInfo info) {
    if (info.host() == null || info.port() <= 0) {
      return null;
    }
    String address = info.host() + ":" + info.port();
    return StateKey.BUS_ADDRESS.problem(Bytes.utf8(address)) == null ? address : null;
  }

  /** A member as this adapter builds it: status NORMAL, the weight, the bus address if known. */
  private static Member member(NodeId id, long generation, int weight, @Nullable String busAddress, boolean alive) {
    Map<StateKey, StateEntry> entries = new HashMap<>();
    entries.put(StateKey.STATUS, new StateEntry(StateKey.STATUS, 1, Bytes.of(new byte[] {(byte) NodeStatus.NORMAL.code()})));
    byte[] w = {(byte) weight, (byte) (weight >>> 8), (byte) (weight >>> 16), (byte) (weight >>> 24)};
    entries.put(StateKey.WEIGHT, new StateEntry(StateKey.WEIGHT, 2, Bytes.of(w)));
    if (busAddress != null) {
      entries.put(StateKey.BUS_ADDRESS, new StateEntry(StateKey.BUS_ADDRESS, 3, Bytes.utf8(busAddress)));
    }
    return new Member(id, generation, NodeStatus.NORMAL, alive, new EndpointState(id, generation, entries));
  }
}
