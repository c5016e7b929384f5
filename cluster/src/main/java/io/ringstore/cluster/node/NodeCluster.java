package io.ringstore.cluster.node;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.Membership;
import io.ringstore.cluster.membership.MembershipListener;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.replication.ClusterView;
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
 * <p>Thread-safety: thread-safe; the ring and the live set are immutable values published
 * through volatile fields.
 */
final class NodeCluster implements ClusterView, MembershipListener {
  private static final System.Logger LOG = System.getLogger(NodeCluster.class.getName());

  private final NodeOptions options;
  private final @Nullable Membership membership;

  private volatile RingSnapshot ring;
  private volatile Set<String> alive;
  // guarded by this: the weights the ring was made from
  private Map<String, Integer> ringWeights;

  private NodeCluster(NodeOptions options, @Nullable Membership membership) {
    this.options = options;
    this.membership = membership;
    this.ring = RingSnapshot.of(Map.of(options.nodeId(), options.weight()), options.vnodes());
    this.alive = Set.of(options.nodeId());
    this.ringWeights = Map.of(options.nodeId(), options.weight());
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
    return ring;
  }

  @Override
  public boolean isAlive(String nodeId) {
    return alive.contains(nodeId);
  }

  /** Recomputes the ring and the live set from the membership's view. */
  synchronized void refresh() {
    Membership m = membership;
    if (m == null) {
      return;
    }
    Map<String, Integer> weights = new TreeMap<>();
    Set<String> live = new TreeSet<>();
    for (Member member : m.view().members().values()) {
      if (member.status() == NodeStatus.LEFT) {
        continue;
      }
      weights.put(member.id().value(), member.weight());
      if (member.alive()) {
        live.add(member.id().value());
      }
    }
    weights.putIfAbsent(options.nodeId(), options.weight());
    live.add(options.nodeId());
    if (!weights.equals(ringWeights)) {
      ringWeights = weights;
      ring = RingSnapshot.of(weights, options.vnodes());
      LOG.log(Level.INFO, () -> "node " + options.nodeId() + ": ring of " + weights.size() + " members " + weights.keySet());
    }
    alive = Set.copyOf(live);
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
