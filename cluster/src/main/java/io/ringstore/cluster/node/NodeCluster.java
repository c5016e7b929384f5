package io.ringstore.cluster.node;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.Membership;
import io.ringstore.cluster.membership.MembershipListener;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.replication.ClusterView;
import io.ringstore.cluster.replication.ClusterView.Rings;
import io.ringstore.cluster.ring.RingSnapshot;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A node's {@link ClusterView}: the ring and the live set, recomputed on every membership change
 * (never on the data path). An embedded node's view is itself alone.
 *
 * <p>Every member but one that {@link NodeStatus#LEFT left} is on the ring, down or not (a down
 * node keeps its tokens: Dynamo's deliberate membership); liveness is the failure detector's.
 *
 * <p>Membership changes that move data: a {@link NodeStatus#JOINING JOINING} member is not yet on
 * the <i>current</i> ring but is on the <i>target</i> one; a {@link NodeStatus#LEAVING LEAVING}
 * member is on the current ring but not on the target; a member that asked for another weight
 * ({@link RingChange#TARGET_WEIGHT}) has its weight on the current ring and the new one on the
 * target. While the two differ, reads go by the
 * current ring and writes by both ({@link #otherRing()}), until {@link RingChange} has streamed the
 * moved data and {@link #switchReads switches} reads to the target; once the joining members are
 * NORMAL and the leaving ones LEFT, the rings are one again. A cluster whose members are all
 * joining (a new cluster) has nothing to stream: its current ring is the target.
 *
 * <p>Thread-safety: thread-safe; the rings and the live set are immutable values published
 * through volatile fields.
 */
final class NodeCluster implements ClusterView, MembershipListener {
  private static final System.Logger LOG = System.getLogger(NodeCluster.class.getName());

  private final NodeOptions options;
  private final @Nullable Membership membership;

  private volatile Rings rings;
  private volatile Set<String> alive;
  private volatile @Nullable Change change;
  // guarded by this: the weights the rings were made from, and the change whose target reads go by
  private Map<String, Integer> currentWeights;
  private Map<String, Integer> targetWeights;
  private RingSnapshot currentRing;
  private RingSnapshot targetRing;
  private long switchedTo;

  /**
   * A membership change under way: the current ring, the target ring, and the change's id (a
   * digest of the target's members and weights, the same on every node that sees the same
   * statuses).
   */
  record Change(RingSnapshot current, RingSnapshot target, long id) {}

  private NodeCluster(NodeOptions options, @Nullable Membership membership) {
    this.options = options;
    this.membership = membership;
    this.currentWeights = Map.of(options.nodeId(), options.weight());
    this.targetWeights = currentWeights;
    this.currentRing = RingSnapshot.of(currentWeights, options.vnodes());
    this.targetRing = currentRing;
    this.rings = new Rings(currentRing, currentRing);
    this.alive = Set.of(options.nodeId());
  }

  /** This node alone. */
  static NodeCluster alone(NodeOptions options) {
    return new NodeCluster(options, null);
  }

  /** The view that {@code membership} gives, kept current. */
  static NodeCluster of(NodeOptions options, Membership membership) {
    NodeCluster cluster = new NodeCluster(options, membership);
    membership.addListener(cluster);
    cluster.refresh();
    return cluster;
  }

  @Override
  public String self() {
    return options.nodeId();
  }

  @Override
  public RingSnapshot ring() {
    return rings.ring();
  }

  @Override
  public RingSnapshot otherRing() {
    return rings.other();
  }

  @Override
  public Rings rings() {
    return rings;
  }

  @Override
  public boolean isAlive(String nodeId) {
    return alive.contains(nodeId);
  }

  /** The membership change under way, or {@code null}. */
  @Nullable Change change() {
    return change;
  }

  /** Whether reads go by the target ring of change {@code id} (its data has streamed). */
  synchronized boolean readsTarget(long id) {
    Change c = change;
    return c != null && c.id() == id && switchedTo == id;
  }

  /** Reads go by the target ring of change {@code id} from now on, if it is still the change under way. */
  synchronized void switchReads(long id) {
    switchedTo = id;
    publishRings();
  }

  /** Recomputes the rings and the live set from the membership's view. */
  synchronized void refresh() {
    Membership m = membership;
    if (m == null) {
      return;
    }
    Map<String, Integer> current = new TreeMap<>();
    Map<String, Integer> target = new TreeMap<>();
    Set<String> live = new TreeSet<>();
    for (Member member : m.view().members().values()) {
      if (member.status() == NodeStatus.LEFT) {
        continue;
      }
      String id = member.id().value();
      if (member.status() != NodeStatus.JOINING) {
        current.put(id, member.weight());
      }
      if (member.status() != NodeStatus.LEAVING) {
        target.put(id, RingChange.targetWeight(member));
      }
      if (member.alive()) {
        live.add(id);
      }
    }
    if (!m.view().members().containsKey(NodeId.of(options.nodeId()))) {
      current.putIfAbsent(options.nodeId(), options.weight());
      target.putIfAbsent(options.nodeId(), options.weight());
    }
    if (current.isEmpty()) {
      current = target; // only joining members: nothing to stream
    }
    if (target.isEmpty()) {
      target = current;
    }
    live.add(options.nodeId());
    if (!current.equals(currentWeights)) {
      currentWeights = current;
      currentRing = RingSnapshot.of(current, options.vnodes());
      Map<String, Integer> w = current;
      LOG.log(Level.INFO, () -> "node " + options.nodeId() + ": ring of " + w.size() + " members " + w.keySet());
    }
    if (target.equals(current)) {
      targetWeights = current;
      targetRing = currentRing;
    } else if (!target.equals(targetWeights)) {
      targetWeights = target;
      targetRing = RingSnapshot.of(target, options.vnodes());
      Map<String, Integer> from = current;
      Map<String, Integer> to = target;
      LOG.log(Level.INFO, () -> "node " + options.nodeId() + ": membership change under way, ring " + from.keySet() + " -> "
          + to.keySet());
    }
    alive = Set.copyOf(live);
    publishRings();
  }

  // guarded by this
  private void publishRings() {
    if (targetRing == currentRing) {
      change = null;
      if (rings.ring() != currentRing || rings.other() != currentRing) {
        rings = new Rings(currentRing, currentRing);
      }
      return;
    }
    long id = digest(targetWeights);
    change = new Change(currentRing, targetRing, id);
    boolean switched = switchedTo == id;
    RingSnapshot reads = switched ? targetRing : currentRing;
    RingSnapshot writesToo = switched ? currentRing : targetRing;
    if (rings.ring() != reads || rings.other() != writesToo) {
      rings = new Rings(reads, writesToo); // one write: a reader sees the pair before or after, never half of each
    }
  }

  /** A digest of a ring's members and weights: the same map gives the same id on every node. */
  static long digest(Map<String, Integer> weights) {
    long h = 0xcbf29ce484222325L;
    for (Map.Entry<String, Integer> e : new TreeMap<>(weights).entrySet()) {
      for (byte b : e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
        h = (h ^ (b & 0xff)) * 0x100000001b3L;
      }
      h = (h ^ 0xff) * 0x100000001b3L;
      h = (h ^ e.getValue()) * 0x100000001b3L;
    }
    return h;
  }

  @Override
  public void onJoined(Member member) {
    refresh();
  }

  @Override
  public void onRestarted(Member member) {
    refresh();
  }

  @Override
  public void onStatusChanged(Member member, NodeStatus previous) {
    refresh();
  }

  @Override
  public void onUp(Member member) {
    refresh();
  }

  @Override
  public void onDown(Member member) {
    refresh();
  }

  @Override
  public void onRemoved(NodeId node) {
    refresh();
  }

  /** Stops following the membership. */
  void close() {
    Membership m = membership;
    if (m != null) {
      m.removeListener(this);
    }
  }
}
