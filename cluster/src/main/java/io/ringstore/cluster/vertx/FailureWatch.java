package io.ringstore.cluster.vertx;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.Membership;
import io.ringstore.cluster.membership.MembershipListener;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.membership.StateKey;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Scheduler;
import io.ringstore.spi.env.Ticker;
import io.vertx.core.Future;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Turns gossip's liveness judgements into changes of the Vert.x registry: once a gossip interval
 * ({@link #run}), it judges every member of the registry (by Vert.x node id, in join order) from
 * the gossip {@link Membership}, and
 *
 * <ul>
 *   <li>on the coordinator, has every member judged down removed ({@link Registry#removeDown});
 *   <li>on another member that finds every member older than itself down, takes over as
 *       coordinator by removing them ({@link Registry#removeDown} with {@code takeover}), so the
 *       oldest live member is the coordinator again.
 * </ul>
 *
 * <p><b>Judgement.</b> A member is <em>down</em> when the gossip member carrying its Vert.x node id
 * ({@link StateKey#VERTX_NODE_ID}) is judged not alive, or when no gossip member has carried its
 * id for {@code 2 x downAfter} (a node that crashed before its gossip spread, or that restarted
 * under a new Vert.x node id). It is acted on only once it has stayed down for a gossip interval
 * (the confirmation), so one stale round does not remove anybody.
 *
 * <p><b>Pauses.</b> When two runs are much further apart than an interval ({@code max(3 x
 * interval, downAfter / 2)}), this process was paused (a long GC, a stopped VM) or starved: its
 * failure detector then wrongly sees every peer silent. The watch forgets its judgements, acts on
 * none for {@code downAfter} (so gossip can bring fresh heartbeats) and asks the registry to
 * {@link Registry#probe} whether this node is still a member. It probes as well after a peer came
 * back up (this node may have been cut off from it).
 *
 * <p><b>Healed splits.</b> A node whose registry lacks the oldest live member that gossip sees
 * rejoins through that member ({@link Registry#mergeInto}), so the two sides of a healed partition
 * become one cluster again (see {@code mergeIfSplit}). A member that is not the coordinator also
 * {@link Registry#probe probes} the coordinator every {@code downAfter}: after several splits and
 * merges it may count itself in a cluster whose coordinator no longer counts it, and then rejoins.
 *
 * <p>Thread-safety: {@link #run} is called by one timer at a time; {@link #isDown} may be called
 * from any thread.
 */
final class FailureWatch implements MembershipListener {
  private static final System.Logger LOG = System.getLogger(FailureWatch.class.getName());

  /** What the watch reads of the registry and asks it to do. */
  interface Registry {
    /** The Vert.x node ids of the members, in join order (the oldest, the coordinator, first). */
    List<String> members();

    /** This node's Vert.x node id. */
    String self();

    /** Whether this node is the coordinator. */
    boolean isCoordinator();

    /** Removes the members {@code nodeIds} as down (in order); {@code takeover}: this node becomes coordinator. */
    Future<Void> removeDown(List<String> nodeIds, boolean takeover);

    /** Asks a member whether this node still is one (and rejoins if not). */
    void probe();

    /**
     * This node's registry lacks the cluster's oldest live member, which gossip sees: the two sides
     * of a healed partition each kept a registry of their own. Rejoins through {@code address}
     * (that member's cluster channel), so that the side without it merges into its cluster.
     */
    void mergeInto(String address);
  }

  // constant after construction
  private final Membership membership;
  private final Registry registry;
  private final Ticker ticker;
  private final Duration interval;
  private final long downAfterNanos;
  private final long pauseGapNanos;

  // confined to the timer that calls run()
  private final Map<String, Long> downSinceNanos = new HashMap<>();
  private final Map<String, Long> unmappedSinceNanos = new HashMap<>();
  private final Set<String> removing = ConcurrentHashMap.newKeySet(); // also emptied by failed removals
  private long lastRunNanos = Long.MIN_VALUE;
  // the oldest live gossip member this node's registry lacks, and since when (a healed split)
  private @Nullable String stranger;
  private long strangerSinceNanos;
  private long lastProbeNanos;
  private long holdOffUntilNanos = Long.MIN_VALUE;

  private volatile Set<String> down = Set.of();
  private volatile boolean peerCameUp;
  private volatile Scheduler.@Nullable Cancellable next;

  FailureWatch(Membership membership, Registry registry, Ticker ticker, Duration interval, Duration downAfter) {
    this.membership = membership;
    this.registry = registry;
    this.ticker = ticker;
    this.interval = interval;
    this.downAfterNanos = downAfter.toNanos();
    this.lastProbeNanos = ticker.nanos();
    this.pauseGapNanos = Math.max(3 * interval.toNanos(), downAfter.toNanos() / 2);
  }

  /** Runs every interval on {@code scheduler} until {@link #stop}; listens to the membership. */
  void start(Scheduler scheduler) {
    membership.addListener(this);
    schedule(scheduler);
  }

  private void schedule(Scheduler scheduler) {
    next = scheduler.schedule(() -> {
      if (next != null) {
        run();
        schedule(scheduler);
      }
    }, interval);
  }

  /** Stops the runs; idempotent. */
  void stop() {
    membership.removeListener(this);
    Scheduler.Cancellable n = next;
    next = null;
    if (n != null) {
      n.cancel();
    }
  }

  /** Whether the member {@code vertxNodeId} is judged down (and confirmed) at the last run. */
  boolean isDown(String vertxNodeId) {
    return down.contains(vertxNodeId);
  }

  @Override
  public void onUp(Member member) {
    peerCameUp = true;
  }

  /** One judgement (what the timer runs every interval). */
  void run() {
    long now = ticker.nanos();
    long gapNanos = now - lastRunNanos;
    boolean paused = lastRunNanos != Long.MIN_VALUE && gapNanos > pauseGapNanos;
    lastRunNanos = now;
    if (paused) {
      LOG.log(Level.WARNING, "node {0}: {1} ms passed between two failure-watch runs (bound {2} ms): this process was "
          + "paused or starved; judging nobody down for ringstore.gossip.downAfterMillis = {3} ms and checking that it is "
          + "still a member", registry.self(), gapNanos / 1_000_000, pauseGapNanos / 1_000_000, downAfterNanos / 1_000_000);
      downSinceNanos.clear();
      unmappedSinceNanos.clear();
      down = Set.of();
      holdOffUntilNanos = now + downAfterNanos;
      registry.probe();
      return;
    }
    if (peerCameUp) {
      peerCameUp = false;
      registry.probe();
    }
    Map<String, Member> byVertxId = new HashMap<>();
    for (Member m : membership.view().members().values()) {
      Bytes id = m.value(StateKey.VERTX_NODE_ID);
      if (id != null) {
        byVertxId.put(id.asUtf8(), m);
      }
    }
    String self = registry.self();
    List<String> order = registry.members();
    Set<String> confirmed = new LinkedHashSet<>();
    for (String id : order) {
      if (id.equals(self)) {
        continue;
      }
      Member m = byVertxId.get(id);
      boolean isDown;
      if (m != null) {
        unmappedSinceNanos.remove(id);
        isDown = !m.alive();
      } else {
        isDown = now - unmappedSinceNanos.computeIfAbsent(id, k -> now) >= 2 * downAfterNanos;
      }
      if (!isDown) {
        downSinceNanos.remove(id);
      } else if (now - downSinceNanos.computeIfAbsent(id, k -> now) >= interval.toNanos()) {
        confirmed.add(id);
      }
    }
    downSinceNanos.keySet().retainAll(order);
    unmappedSinceNanos.keySet().retainAll(order);
    removing.retainAll(order);
    down = Set.copyOf(confirmed);
    if (now < holdOffUntilNanos) {
      return;
    }
    mergeIfSplit(byVertxId, order, now);
    if (!registry.isCoordinator() && now - lastProbeNanos >= downAfterNanos) {
      // a member that rejoined a side which has since merged away may count itself in a cluster
      // whose coordinator no longer counts it: asking the coordinator now and then finds out
      lastProbeNanos = now;
      registry.probe();
    }
    if (registry.isCoordinator()) {
      confirmed.removeAll(removing);
      if (!confirmed.isEmpty()) {
        remove(List.copyOf(confirmed), false);
      }
      return;
    }
    int at = order.indexOf(self);
    if (at > 0 && confirmed.containsAll(order.subList(0, at)) && !removing.containsAll(order.subList(0, at))) {
      remove(List.copyOf(order.subList(0, at)), true);
    }
  }

  /**
   * After a partition heals, both sides may keep a registry of their own (each removed the other
   * as down, and each has a coordinator). Every node agrees from gossip which live member is the
   * oldest (the smallest generation, then the smallest id); a node whose registry lacks it, for
   * {@code downAfter} in a row, merges into its cluster by rejoining through it. The side that holds
   * it stays as it is.
   */
  private void mergeIfSplit(Map<String, Member> byVertxId, List<String> order, long now) {
    Member oldest = null;
    for (Member m : byVertxId.values()) {
      if (m.alive() && m.status() != NodeStatus.LEFT && m.gossipAddress().isPresent() && (oldest == null
          || m.generation() < oldest.generation()
          || (m.generation() == oldest.generation() && m.id().value().compareTo(oldest.id().value()) < 0))) {
        oldest = m;
      }
    }
    String oldestId = oldest == null ? null : oldest.value(StateKey.VERTX_NODE_ID).asUtf8();
    if (oldest == null || oldestId.equals(registry.self()) || order.contains(oldestId)) {
      stranger = null;
      return;
    }
    if (!oldestId.equals(stranger)) {
      stranger = oldestId;
      strangerSinceNanos = now;
      return;
    }
    if (now - strangerSinceNanos >= downAfterNanos) {
      strangerSinceNanos = now; // at most one merge a downAfter
      String address = oldest.gossipAddress().orElseThrow();
      LOG.log(Level.INFO, "node {0}: the oldest live member {1} (at {2}) is not in this node''s cluster: a partition healed;"
          + " merging into its cluster", registry.self(), oldest.id(), address);
      registry.mergeInto(address);
    }
  }

  private void remove(List<String> ids, boolean takeover) {
    removing.addAll(ids);
    registry.removeDown(ids, takeover).onFailure(e -> {
      ids.forEach(removing::remove);
      LOG.log(Level.WARNING, "node {0} could not remove the members {1}, judged down: {2}", registry.self(), ids, e.getMessage());
    });
  }
}
