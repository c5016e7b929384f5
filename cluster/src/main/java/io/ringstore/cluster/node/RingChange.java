package io.ringstore.cluster.node;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.Membership;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.membership.StateKey;
import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.Scheduler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Carries a membership change through on this node (DESIGN.md section 5, docs/rebalancing.md): a
 * node joins (JOINING until its share has streamed to it), leaves (LEAVING until its data has
 * streamed away) or changes its capacity weight ({@link #TARGET_WEIGHT} until the keys it gains or
 * loses have streamed). Every node runs the same steps, from gossip, every {@code tick}:
 * <ol>
 *   <li><b>Pending.</b> Seeing the change ({@link NodeCluster#change()}), the node already writes
 *       moved keys to their replicas on both rings ({@link NodeCluster#otherRing()}), and
 *       publishes {@link #PENDING} = the change's id.
 *   <li><b>Streaming.</b> Once every live member of either ring has published it, and a grace of
 *       the longest write timeout of its caches has passed (so that no write placed on the old ring
 *       alone is still in flight), the node sends each record it holds whose replicas change to
 *       the key's new replicas, if it is a replica the key loses (or, if none of those is alive,
 *       any old replica of the key): at most {@code window} records in flight; then it publishes
 *       {@link #STREAMED}. A failed send makes it stream again a tick later.
 *   <li><b>Switch.</b> Once every live member has streamed, reads go by the target ring
 *       ({@link NodeCluster#switchReads}) and the node publishes {@link #SWITCHED}; writes still go
 *       to both rings.
 *   <li><b>Done.</b> Once every live member has switched, a joining node moves itself to NORMAL and
 *       a leaving one to LEFT; the rings are one again.
 * </ol>
 * A write meets W on each ring while the change is under way, and the records a key loses are
 * streamed by the replica that loses it, which held every write acknowledged at W on the old ring
 * that the key's remaining replicas do not: so a read at R with W + R > N on either ring meets
 * every acknowledged write, before, during and after the change.
 *
 * <p>Thread-safety: thread-safe; ticks run one at a time on the scheduler's thread, the stream's
 * answers on transport threads, its state under its own lock.
 */
final class RingChange implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RingChange.class.getName());

  /** 8 bytes, little-endian: the id of the change whose writes this node sends to both rings. */
  static final StateKey PENDING = new StateKey(8);
  /** 8 bytes: the id of the change whose records this node has streamed to their new replicas. */
  static final StateKey STREAMED = new StateKey(9);
  /** 8 bytes: the id of the change by whose target ring this node reads. */
  static final StateKey SWITCHED = new StateKey(10);
  /**
   * 4 bytes, little-endian: the capacity weight this node asked for; the target ring has it, the
   * current ring the published {@link StateKey#WEIGHT} until the change is done.
   */
  static final StateKey TARGET_WEIGHT = new StateKey(11);

  /** {@code member}'s weight on the target ring: the weight it asked for, else its weight. */
  static int targetWeight(Member member) {
    Bytes value = member.value(TARGET_WEIGHT);
    if (value == null || value.length() != 4) {
      return member.weight();
    }
    int weight = (value.at(0) & 0xff) | (value.at(1) & 0xff) << 8 | (value.at(2) & 0xff) << 16 | (value.at(3) & 0xff) << 24;
    return weight >= 1 ? weight : member.weight();
  }

  /** Asks for capacity weight {@code weight}: the ring change that moves the keys it gains or loses follows. */
  synchronized void reweigh(int weight) {
    reweighed = new CompletableFuture<>();
    membership.setState(TARGET_WEIGHT, Bytes.of(new byte[] {(byte) weight, (byte) (weight >>> 8), (byte) (weight >>> 16),
        (byte) (weight >>> 24)}));
  }

  /** Completes once this node's weight is the one it last asked for. */
  CompletableFuture<Void> reweighed() {
    return reweighed;
  }

  private final String self;
  private final NodeCluster cluster;
  private final Membership membership;
  private final Env env;
  private final Duration tick;
  private final int window;
  private final Supplier<? extends Collection<Coordinator>> keyspaces;
  private final AtomicLong pushed = new AtomicLong();
  /** Completes when this node has moved itself to NORMAL (a bootstrapping node) or is found NORMAL or later. */
  final CompletableFuture<Void> normal = new CompletableFuture<>();
  /** Completes when this node has moved itself to LEFT (a decommissioned node). */
  final CompletableFuture<Void> left = new CompletableFuture<>();
  private volatile CompletableFuture<Void> reweighed = CompletableFuture.completedFuture(null);
  private volatile Scheduler.@Nullable Cancellable next;
  private volatile boolean closed;

  // touched by ticks only (one at a time)
  private @Nullable Cleanup cleanup;
  private long pendingSinceNanos;
  private long pendingId;
  private @Nullable Stream stream;

  RingChange(String self, NodeCluster cluster, Membership membership, Env env, Duration tick, int window,
      Supplier<? extends Collection<Coordinator>> keyspaces) {
    this.self = self;
    this.cluster = cluster;
    this.membership = membership;
    this.env = env;
    this.tick = tick;
    this.window = window;
    this.keyspaces = keyspaces;
  }

  void start() {
    schedule();
  }

  private void schedule() {
    if (!closed) {
      next = env.scheduler().schedule(this::tick, tick);
    }
  }

  /** Records this node has streamed to new replicas since it started. */
  long pushed() {
    return pushed.get();
  }

  private synchronized void tick() {
    try {
      step();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "node " + self + ": carrying the membership change on failed; trying again", e);
    } finally {
      schedule();
    }
  }

  private void step() {
    cluster.refresh();
    Member me = membership.view().members().get(NodeId.of(self));
    NodeStatus status = me == null ? NodeStatus.JOINING : me.status();
    if (status.compareTo(NodeStatus.NORMAL) >= 0) {
      normal.complete(null);
    }
    if (status == NodeStatus.LEFT) {
      left.complete(null);
    }
    if (me != null && targetWeight(me) == me.weight()) {
      reweighed.complete(null);
    }
    NodeCluster.Change change = cluster.change();
    if (change == null) {
      Cleanup c = cleanup;
      if (c != null && c.step()) {
        cleanup = null;
      }
      if (status == NodeStatus.JOINING) {
        LOG.log(Level.INFO, () -> "node " + self + " joins a cluster with nothing to stream: NORMAL at once");
        membership.setStatus(NodeStatus.NORMAL);
        normal.complete(null);
      }
      return;
    }
    long id = change.id();
    if (pendingId != id) {
      cleanup = null;
      pendingId = id;
      pendingSinceNanos = Long.MIN_VALUE;
      stream = null;
      publish(PENDING, id);
    }
    List<Member> participants = participants(change);
    if (!all(participants, PENDING, id)) {
      return;
    }
    long now = env.ticker().nanos();
    if (pendingSinceNanos == Long.MIN_VALUE) {
      pendingSinceNanos = now;
    }
    Stream s = stream;
    if (s == null || s.failed()) {
      if (now - pendingSinceNanos < grace().toNanos() || (s != null && now - s.endedNanos < tick.toNanos() * 5)) {
        return;
      }
      s = new Stream(change);
      stream = s;
      s.start();
      return;
    }
    if (!s.done()) {
      return;
    }
    if (!published(me, STREAMED, id)) {
      publish(STREAMED, id);
    }
    if (!all(participants, STREAMED, id)) {
      return;
    }
    if (!cluster.readsTarget(id)) {
      cluster.switchReads(id);
      LOG.log(Level.INFO, () -> "node " + self + " reads by the new ring " + change.target().members());
      publish(SWITCHED, id);
      return;
    }
    if (!published(me, SWITCHED, id)) {
      publish(SWITCHED, id);
    }
    if (!all(participants, SWITCHED, id)) {
      return;
    }
    // No deletion of the copies this node no longer replicates (Cleanup): a member that later leaves
    // without decommissioning (a closed cache manager) takes its copies away unstreamed, and the
    // ring then needs the copies the others kept (the TCK on a cluster lost records that way).
    if (me != null && targetWeight(me) != me.weight()) {
      int weight = targetWeight(me);
      LOG.log(Level.INFO, () -> "node " + self + " has the share of its new weight: weight " + weight);
      membership.setState(StateKey.WEIGHT, Bytes.of(new byte[] {(byte) weight, (byte) (weight >>> 8), (byte) (weight >>> 16),
          (byte) (weight >>> 24)}));
      reweighed.complete(null);
    }
    if (status == NodeStatus.JOINING) {
      LOG.log(Level.INFO, () -> "node " + self + " has its share of the data and serves: NORMAL");
      membership.setStatus(NodeStatus.NORMAL);
      normal.complete(null);
    } else if (status == NodeStatus.LEAVING) {
      LOG.log(Level.INFO, () -> "node " + self + " has handed its data over: LEFT");
      membership.setStatus(NodeStatus.LEFT);
      left.complete(null);
    }
  }

  /** The longest write timeout of this node's keyspaces: how long a write placed before the change may still be in flight. */
  private Duration grace() {
    Duration longest = Duration.ZERO;
    for (Coordinator keyspace : keyspaces.get()) {
      Duration timeout = keyspace.settings().writeTimeout();
      if (timeout.compareTo(longest) > 0) {
        longest = timeout;
      }
    }
    return longest;
  }

  /** The live members of either ring of {@code change}, this node included. */
  private List<Member> participants(NodeCluster.Change change) {
    List<Member> members = new ArrayList<>();
    for (Member member : membership.view().members().values()) {
      String id = member.id().value();
      boolean onARing = change.current().members().contains(id) || change.target().members().contains(id);
      if (onARing && (member.alive() || id.equals(self)) && member.status() != NodeStatus.LEFT) {
        members.add(member);
      }
    }
    return members;
  }

  private boolean all(List<Member> members, StateKey key, long id) {
    for (Member member : members) {
      if (!published(member, key, id)) {
        return false;
      }
    }
    return true;
  }

  private static boolean published(@Nullable Member member, StateKey key, long id) {
    if (member == null) {
      return false;
    }
    Bytes value = member.value(key);
    return value != null && value.length() == 8 && decode(value) == id;
  }

  private void publish(StateKey key, long id) {
    byte[] bytes = new byte[8];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (id >>> (8 * i));
    }
    membership.setState(key, Bytes.of(bytes));
  }

  private static long decode(Bytes value) {
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id |= (value.at(i) & 0xffL) << (8 * i);
    }
    return id;
  }

  @Override
  public void close() {
    closed = true;
    Scheduler.Cancellable n = next;
    if (n != null) {
      n.cancel();
    }
  }

  /** The most records a cleanup looks at in one tick. */
  static final int CLEANUP_PER_TICK = 10_000;

  /**
   * After a change is done, this node deletes its copies of the keys it is no longer a replica of
   * on the new ring (they are no longer written, and a scan meeting them first would return them),
   * {@value #CLEANUP_PER_TICK} records a tick.
   */
  private final class Cleanup {
    final NodeCluster.Change change;
    private final Iterator<Coordinator> keyspaceIterator;
    private @Nullable Coordinator keyspace;
    private @Nullable Iterator<EngineEntry> entries;
    private long deleted;

    Cleanup(NodeCluster.Change change) {
      this.change = change;
      this.keyspaceIterator = List.copyOf(keyspaces.get()).iterator();
    }

    /** Deletes up to a tick's worth; whether it is done. */
    boolean step() {
      RingSnapshot ring = change.target();
      for (int seen = 0; seen < CLEANUP_PER_TICK; seen++) {
        if (entries == null || !entries.hasNext()) {
          if (!keyspaceIterator.hasNext()) {
            long d = deleted;
            if (d > 0) {
              LOG.log(Level.INFO, () -> "node " + self + " deleted " + d + " records of keys it no longer holds a replica of");
            }
            return true;
          }
          keyspace = keyspaceIterator.next();
          entries = keyspace.replica().engine().iterator();
          continue;
        }
        EngineEntry entry = entries.next();
        int n = keyspace.settings().replicationFactor();
        if (!ring.isSingleMember() && !ring.preferenceList(Tokens.of(entry.key()), n).contains(self)) {
          keyspace.replica().engine().compute(entry.key(), (k, current) -> null);
          deleted++;
        }
      }
      return false;
    }
  }

  /** One pass over this node's records for one change: each moved record this node must send goes to the key's new replicas. */
  private final class Stream {
    private final NodeCluster.Change change;
    private final Iterator<Coordinator> keyspaceIterator;
    private final long startNanos = env.ticker().nanos();
    // guarded by this
    private @Nullable Coordinator keyspace;
    private @Nullable Iterator<EngineEntry> entries;
    private int inFlight;
    private boolean pumping;
    private boolean exhausted;
    private boolean failed;
    private @Nullable String failure;
    private long sent;
    private volatile long endedNanos;
    private volatile boolean finished;

    Stream(NodeCluster.Change change) {
      this.change = change;
      this.keyspaceIterator = List.copyOf(keyspaces.get()).iterator();
    }

    void start() {
      LOG.log(Level.INFO, () -> "node " + self + " streams the records whose replicas change: ring " + change.current().members()
          + " -> " + change.target().members());
      pump();
    }

    synchronized boolean done() {
      return finished && !failed;
    }

    synchronized boolean failed() {
      return finished && failed;
    }

    synchronized void pump() {
      if (pumping) {
        return;
      }
      pumping = true;
      try {
        while (!exhausted && !failed && !closed && inFlight < window) {
          if (entries == null || !entries.hasNext()) {
            if (!keyspaceIterator.hasNext()) {
              exhausted = true;
              break;
            }
            keyspace = keyspaceIterator.next();
            entries = keyspace.replica().engine().iterator();
            continue;
          }
          EngineEntry entry = entries.next();
          Coordinator k = keyspace;
          for (String gainer : gainersToSend(entry.key(), k.settings().replicationFactor())) {
            inFlight++;
            sent++;
            k.handOff(gainer, entry.key(), entry.record()).whenComplete((reply, error) -> answered(gainer, reply, error));
          }
        }
        if ((exhausted || failed || closed) && inFlight == 0 && !finished) {
          finished = true;
          endedNanos = env.ticker().nanos();
          long millis = (endedNanos - startNanos) / 1_000_000;
          if (failed) {
            LOG.log(Level.INFO, () -> "node " + self + ": streaming stopped (" + failure + "); it starts again shortly");
          } else {
            LOG.log(Level.INFO, () -> "node " + self + " streamed " + sent + " records to their new replicas in " + millis + " ms");
          }
        }
      } finally {
        pumping = false;
      }
    }

    /** The new replicas of {@code key} this node must send it to (none if the key does not move or another node sends it). */
    private List<String> gainersToSend(Bytes key, int n) {
      long token = Tokens.of(key);
      RingSnapshot from = change.current();
      RingSnapshot to = change.target();
      List<String> oldList = from.isSingleMember() ? from.members() : from.preferenceList(token, n);
      List<String> newList = to.isSingleMember() ? to.members() : to.preferenceList(token, n);
      if (oldList.equals(newList) || !oldList.contains(self)) {
        return List.of();
      }
      boolean loser = !newList.contains(self);
      if (!loser) {
        for (String node : oldList) {
          if (!newList.contains(node) && cluster.isAlive(node)) {
            return List.of(); // a live replica that loses the key sends it
          }
        }
      }
      List<String> gainers = new ArrayList<>(1);
      for (String node : newList) {
        if (!oldList.contains(node)) {
          gainers.add(node);
        }
      }
      return gainers;
    }

    private void answered(String gainer, @Nullable ReplicaReply reply, @Nullable Throwable error) {
      synchronized (this) {
        inFlight--;
        if (error == null && reply instanceof ReplicaReply.Ack) {
          pushed.incrementAndGet();
        } else if (!failed) {
          failed = true;
          failure = gainer + ": " + (error != null ? error.getMessage() : String.valueOf(reply));
        }
      }
      pump();
    }
  }
}
