package io.ringstore.cluster.vertx;

import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Ringstore's Vert.x {@link ClusterManager}: the clustered event bus runs on it with no other
 * infrastructure. Found through {@code ServiceLoader} (settings from system properties, see
 * {@link ClusterManagerSettings#from}) or constructed with {@link ClusterManagerSettings}.
 *
 * <p><b>Stage 1 (issue 6)</b>: membership, node infos and handler registrations. Cluster-wide
 * maps, locks and counters are not implemented yet; they fail with
 * {@link UnsupportedOperationException} (so Vert.x HA, which needs a sync map, is not available).
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
 * <p><b>Under failures</b> (stage 1): a member that does not answer the coordinator within the
 * request timeout is logged and skipped, not removed (it may miss that change); a crashed node is
 * not detected (the gossip failure detector is to drive {@code nodeLeft} in stage 2), and if the
 * coordinator crashes, changes fail until it returns. When the coordinator leaves cleanly, the next
 * oldest member takes over. No guarantee is given under partitions.
 *
 * <p><b>Vert.x's NodeInfo</b> gets two metadata keys: {@value ClusterManagerSettings#NODE_ID_KEY}
 * (the stable node id, which the ring derives tokens from) and
 * {@value ClusterManagerSettings#WEIGHT_KEY} (the capacity weight). A Vert.x {@code nodeLeft}
 * means "down" to the ring, not "removed".
 *
 * <p>Thread-safety: thread-safe. State is guarded by this object's lock; listeners are called
 * outside it, on the event loop of the cluster channel, one change at a time in sequence order.
 */
public final class RingstoreClusterManager implements ClusterManager {
  private static final System.Logger LOG = System.getLogger(RingstoreClusterManager.class.getName());

  private static final byte JOIN = 1;
  private static final byte CHANGE = 2;
  private static final byte APPLY = 3;

  // constant after construction
  private final ClusterManagerSettings settings;

  // set once, by init and join
  private volatile @Nullable Vertx vertx;
  private volatile @Nullable ClusterChannel channel;
  private volatile @Nullable String nodeId;
  private volatile @Nullable String selfAddress;
  private volatile @Nullable NodeListener nodeListener;
  private volatile @Nullable RegistrationListener registrationListener;
  private volatile boolean active;

  // guarded by this
  private final LinkedHashMap<String, String> members = new LinkedHashMap<>(); // Vert.x node id -> channel address
  private final Map<String, NodeInfo> nodeInfos = new HashMap<>();
  private final Map<String, List<RegistrationInfo>> registrations = new HashMap<>();
  private Future<Void> sequence = Future.succeededFuture(); // the coordinator's queue of changes

  /** A manager configured from the system properties (what {@code ServiceLoader} builds). */
  public RingstoreClusterManager() {
    this(ClusterManagerSettings.from(System.getProperties()));
  }

  /** A manager with {@code settings}. */
  public RingstoreClusterManager(ClusterManagerSettings settings) {
    this.settings = settings;
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
    String id = UUID.randomUUID().toString();
    ClusterChannel ch = new ClusterChannel(v, settings.maxFrameBytes(), settings.requestTimeout(), this::onRequest);
    channel = ch;
    ch.listen(settings.host(), settings.port()).compose(port -> {
      String self = settings.host() + ":" + port;
      selfAddress = self;
      nodeId = id;
      List<String> seeds = new ArrayList<>(settings.seeds());
      seeds.remove(self);
      if (seeds.isEmpty()) {
        apply(new Change.MemberAdded(id, self));
        return Future.<Void>succeededFuture();
      }
      return joinThrough(v, ch, seeds, 0, new Change.MemberAdded(id, self), 0);
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        active = true;
        LOG.log(Level.INFO, "node {0} (Vert.x node {1}) joined the cluster at {2}; {3} members",
            settings.stableNodeId(), id, selfAddress, getNodes().size());
        promise.succeed();
      } else {
        ch.close();
        promise.fail(ar.cause());
      }
    });
  }

  private Future<Void> joinThrough(Vertx v, ClusterChannel ch, List<String> seeds, int attempt, Change.MemberAdded me, long waitedMillis) {
    String seed = seeds.get(attempt % seeds.size());
    Buffer request = Buffer.buffer().appendByte(JOIN);
    me.writeTo(request);
    return ch.request(seed, request).compose(snapshot -> {
      installSnapshot(snapshot);
      return Future.<Void>succeededFuture();
    }, failure -> {
      // waiting is counted in retry delays only, so a slow failure (a timeout) stretches the bound
      if (waitedMillis >= settings.joinTimeout().toMillis()) {
        return Future.failedFuture(new IllegalStateException("could not join through seeds " + seeds
            + " within ringstore.cluster.joinTimeout = " + settings.joinTimeout().toMillis() + " ms; last error: " + failure.getMessage(), failure));
      }
      ch.forget(seed);
      Promise<Void> retry = Promise.promise();
      long delayMillis = Math.min(1000, 50L << Math.min(attempt, 4));
      v.setTimer(delayMillis, t -> joinThrough(v, ch, seeds, attempt + 1, me, waitedMillis + delayMillis).onComplete(retry));
      return retry.future();
    });
  }

  @Override
  public void leave(Completable<Void> promise) {
    String id = nodeId;
    ClusterChannel ch = channel;
    if (!active || id == null || ch == null) {
      promise.succeed();
      return;
    }
    submit(new Change.MemberRemoved(id))
        .recover(failure -> {
          LOG.log(Level.WARNING, "node {0} left without the coordinator''s acknowledgement: {1}", id, failure.getMessage());
          return Future.succeededFuture();
        })
        .eventually(() -> {
          active = false;
          return ch.close();
        })
        .onComplete(ar -> promise.succeed());
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
    this.nodeListener = listener;
  }

  @Override
  public void setNodeInfo(NodeInfo nodeInfo, Completable<Void> promise) {
    JsonObject metadata = nodeInfo.metadata() == null ? new JsonObject() : nodeInfo.metadata().copy();
    metadata.put(ClusterManagerSettings.NODE_ID_KEY, settings.stableNodeId());
    metadata.put(ClusterManagerSettings.WEIGHT_KEY, settings.weight());
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

  // ---------------------------------------------------------------- stage 2

  @Override
  public <K, V> void getAsyncMap(String name, Completable<AsyncMap<K, V>> promise) {
    promise.fail(notYet("async map '" + name + "'"));
  }

  @Override
  public <K, V> Map<K, V> getSyncMap(String name) {
    throw notYet("sync map '" + name + "' (Vert.x HA needs it)");
  }

  @Override
  public void getLockWithTimeout(String name, long timeout, Completable<Lock> promise) {
    promise.fail(notYet("lock '" + name + "'"));
  }

  @Override
  public void getCounter(String name, Completable<Counter> promise) {
    promise.fail(notYet("counter '" + name + "'"));
  }

  private static UnsupportedOperationException notYet(String what) {
    return new UnsupportedOperationException("Ringstore's cluster manager does not provide the cluster-wide " + what
        + " yet (issue 6, stage 2: maps, locks and counters)");
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
    if (isCoordinator()) {
      return sequence(change, null).mapEmpty();
    }
    String coordinator = coordinatorAddress();
    ClusterChannel ch = channel;
    if (coordinator == null || ch == null) {
      return Future.failedFuture(new IllegalStateException("node " + nodeId + " is not in a cluster (join first)"));
    }
    Buffer request = Buffer.buffer().appendByte(CHANGE);
    change.writeTo(request);
    return ch.request(coordinator, request).mapEmpty();
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
        targets = new ArrayList<>(members.values());
        if (change instanceof Change.MemberRemoved removed) {
          // a leaving node has already stopped listening (Vert.x closes its servers before it
          // calls leave()): asking it would only wait for the request timeout
          String leaving = members.get(removed.nodeId());
          if (leaving != null) {
            targets.remove(leaving);
          }
        }
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
        acks.add(ch.request(target, apply).onFailure(e -> LOG.log(Level.WARNING,
            "member at {0} did not apply a registry change: {1}", target, e.getMessage())));
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
    return channel.request(coordinator, request); // forward
  }

  // ---------------------------------------------------------------- applying changes

  private void apply(Change change) {
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
        members.remove(c.nodeId());
        nodeInfos.remove(c.nodeId());
        for (Map.Entry<String, List<RegistrationInfo>> e : registrations.entrySet()) {
          if (e.getValue().removeIf(info -> info.nodeId().equals(c.nodeId()))) {
            events.add(updated(e.getKey(), List.copyOf(e.getValue())));
          }
        }
        registrations.values().removeIf(List::isEmpty);
        if (!c.nodeId().equals(nodeId)) {
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
        list.add(c.info());
        events.add(updated(c.address(), List.copyOf(list)));
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
    return out;
  }

  private void installSnapshot(Buffer in) {
    int[] pos = {0};
    synchronized (this) {
      for (int section = 0; section < 3; section++) {
        int count = in.getInt(pos[0]);
        pos[0] += 4;
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
  }
}
