package io.ringstore.cluster.membership;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Clock;
import io.ringstore.spi.env.Scheduler;
import io.ringstore.spi.env.Ticker;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * One node's gossip: Cassandra's protocol (Syn, Ack, Ack2 with digests then deltas; a newer
 * generation wins, then the higher version) with Scuttlebutt's version-ordered, bounded deltas.
 *
 * <p><b>A round</b> ({@link #tick()}, every {@link GossipSettings#interval()} once
 * {@link #start started}): bump the local heartbeat (a new version); judge every node alive or down
 * with the {@link FailureDetector} ({@link GossipSettings#newFailureDetector()} builds the configured
 * one; each change of a judgement is logged once, at INFO, with the detector's numbers, and a down
 * node stays a member); remove nodes that left more than {@link GossipSettings#leftRetention()} ago;
 * send a Syn to {@link GossipSettings#fanout()} random
 * live peers, to one random down node with probability {@code down / (live + 1)} (so a healed
 * partition or a returning node is found), and to a random seed when no peer is live, or with
 * probability {@code seeds / (live + down)} when no seed was picked or fewer nodes are live than
 * there are seeds (so that partitions heal through the seeds, as in Cassandra). An incoming Syn is
 * answered with an Ack, an Ack with an Ack2 ({@link GossipExchange}); both are dropped when they
 * would carry nothing.
 *
 * <p><b>Local state.</b> The node publishes its gossip address, status (initially
 * {@link NodeStatus#JOINING}) and heartbeat from construction; the owner adds the others
 * ({@link #setStatus}, {@link #setBusAddress}, {@link #setHttpAddress}, {@link #setWeight},
 * {@link #setTokens}, {@link #setState}). Every local change takes the next version of one counter.
 * The generation is the {@link Clock}'s millis at construction: a restarted node must start at a
 * later wall time than its previous start (or its new life is ignored as old).
 *
 * <p><b>Removal.</b> A down node stays a member; only a node that announced
 * {@link NodeStatus#LEFT} is removed, {@code leftRetention} after it was first seen LEFT. Its id
 * is then remembered with its generation for 3 x {@code leftRetention}, and deltas of that
 * generation or older are ignored, so that a peer that still gossips the old state does not bring
 * it back.
 *
 * <p><b>Threads.</b> Every method is thread-safe: the mutating ones ({@link #tick}, {@link #handle},
 * the setters) hold this object's lock, and are meant to be called from one thread (a Vert.x
 * context or the simulation's thread), so that the lock is never contended. Listeners and the
 * transport are called under the lock, on the calling thread, after {@link #view()} shows the change
 * (see {@link Membership}); the transport must therefore not deliver a frame synchronously. The
 * view is an immutable snapshot read through a volatile reference, without locking.
 */
public final class Gossiper implements Membership {
  private static final System.Logger LOG = System.getLogger(Gossiper.class.getName());

  // constant after construction
  private final GossipSettings settings;
  private final NodeId self;
  private final String gossipAddress;
  private final long generation;
  private final Ticker ticker;
  private final RandomGenerator random;
  private final GossipTransport transport;
  private final FailureDetector failureDetector;
  private final GossipCodec codec;
  private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();

  // guarded by this
  private final Map<NodeId, EndpointState> states = new TreeMap<>();
  private final Map<NodeId, Member> members = new TreeMap<>();
  private final Map<NodeId, Long> leftSinceNanos = new HashMap<>();
  private final Map<NodeId, long[]> removed = new HashMap<>(); // node -> {generation, removedAtNanos}
  private final Map<NodeId, Long> downSinceNanos = new HashMap<>(); // members judged down (LEFT ones aside)
  private long localVersion;
  private long rounds;
  private long framesSent;
  private long framesReceived;
  private long framesRefused;
  private Scheduler.@Nullable Cancellable nextRound;
  private boolean running;

  private volatile MembershipView view;

  /**
   * A gossiper for node {@code self}, taking gossip at {@code gossipAddress}, at generation
   * {@code clock.millis()}; it does nothing until {@link #start} or {@link #tick}.
   */
  public Gossiper(
      GossipSettings settings,
      NodeId self,
      String gossipAddress,
      Clock clock,
      Ticker ticker,
      RandomGenerator random,
      GossipTransport transport,
      FailureDetector failureDetector) {
    this.settings = settings;
    this.self = self;
    this.gossipAddress = gossipAddress;
    this.generation = Math.max(1, clock.millis());
    this.ticker = ticker;
    this.random = random;
    this.transport = transport;
    this.failureDetector = failureDetector;
    this.codec = new GossipCodec(settings.maxFrameBytes());
    new GossipFrame(settings.cluster(), self, gossipAddress, new GossipMessage.Syn(List.of())); // checks the address
    synchronized (this) {
      states.put(self, EndpointState.empty(self, generation));
      setLocal(StateKey.GOSSIP_ADDRESS, Bytes.utf8(gossipAddress));
      setLocal(StateKey.STATUS, Bytes.of(new byte[] {(byte) NodeStatus.JOINING.code()}));
      setLocal(StateKey.HEARTBEAT, Bytes.EMPTY);
      publish();
    }
  }

  /** This node's id. */
  public NodeId self() {
    return self;
  }

  /** This node's generation (its start time, epoch millis). */
  public long generation() {
    return generation;
  }

  /** The settings. */
  public GossipSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Runs a round every {@link GossipSettings#interval()} on {@code scheduler}, the first after a
   * random part of an interval (so that the nodes of a cluster do not gossip in step).
   */
  public synchronized void start(Scheduler scheduler) {
    if (running) {
      throw new IllegalStateException("gossiper of " + self + " is already started");
    }
    running = true;
    long intervalNanos = settings.interval().toNanos();
    scheduleRound(scheduler, java.time.Duration.ofNanos(random.nextLong(intervalNanos)));
    LOG.log(Level.INFO, "gossip of node {0} (generation {1}) started at {2}; seeds {3}",
        self, generation, gossipAddress, settings.seeds());
  }

  private void scheduleRound(Scheduler scheduler, java.time.Duration delay) {
    nextRound = scheduler.schedule(() -> {
      synchronized (this) {
        if (!running) {
          return;
        }
        tick();
        scheduleRound(scheduler, settings.interval());
      }
    }, delay);
  }

  /** Stops the rounds (incoming frames are still handled); idempotent. */
  public synchronized void stop() {
    running = false;
    if (nextRound != null) {
      nextRound.cancel();
      nextRound = null;
    }
  }

  // ---------------------------------------------------------------- local state

  /**
   * Moves this node to {@code status}.
   *
   * @throws IllegalStateException if that is not forward of the current status
   */
  public synchronized void setStatus(NodeStatus status) {
    NodeStatus current = localStatus();
    if (status.compareTo(current) <= 0) {
      throw new IllegalStateException("node " + self + " cannot move from status " + current + " to " + status
          + "; a status only moves forward: JOINING, NORMAL, LEAVING, LEFT");
    }
    setLocal(StateKey.STATUS, Bytes.of(new byte[] {(byte) status.code()}));
    publish();
    LOG.log(Level.INFO, "node {0} is now {1}", self, status);
  }

  /** Publishes this node's event-bus address ({@code host:port}). */
  public void setBusAddress(String address) {
    setState(StateKey.BUS_ADDRESS, Bytes.utf8(address));
  }

  /** Publishes this node's HTTP address ({@code host:port}). */
  public void setHttpAddress(String address) {
    setState(StateKey.HTTP_ADDRESS, Bytes.utf8(address));
  }

  /** Publishes this node's capacity weight (>= 1). */
  public void setWeight(int weight) {
    setState(StateKey.WEIGHT, Bytes.of(new byte[] {(byte) weight, (byte) (weight >>> 8), (byte) (weight >>> 16), (byte) (weight >>> 24)}));
  }

  /** Publishes this node's ring tokens (at most {@code StateKey.MAX_VALUE_BYTES / 8}). */
  public void setTokens(long[] tokens) {
    byte[] bytes = new byte[tokens.length * 8];
    for (int i = 0; i < tokens.length; i++) {
      for (int b = 0; b < 8; b++) {
        bytes[i * 8 + b] = (byte) (tokens[i] >>> (8 * b));
      }
    }
    setState(StateKey.TOKENS, Bytes.of(bytes));
  }

  /**
   * Publishes {@code value} under {@code key} (any key but the heartbeat, the status and the gossip
   * address, which the gossiper owns).
   *
   * @throws IllegalArgumentException if the value is not one {@code key} takes
   */
  public synchronized void setState(StateKey key, Bytes value) {
    if (key.equals(StateKey.HEARTBEAT) || key.equals(StateKey.STATUS) || key.equals(StateKey.GOSSIP_ADDRESS)) {
      throw new IllegalArgumentException("state key " + key + " is set by the gossiper itself; use setStatus for STATUS");
    }
    String problem = key.problem(value);
    if (problem != null) {
      throw new IllegalArgumentException("node " + self + ": " + problem);
    }
    setLocal(key, value);
    publish();
  }

  // guarded by this
  private void setLocal(StateKey key, Bytes value) {
    EndpointState mine = states.get(self);
    Map<StateKey, StateEntry> entries = new TreeMap<>(mine.entries());
    entries.put(key, new StateEntry(key, ++localVersion, value));
    states.put(self, new EndpointState(self, generation, entries));
  }

  private NodeStatus localStatus() {
    return statusOf(states.get(self));
  }

  // ---------------------------------------------------------------- rounds

  /** Runs one gossip round now (what {@link #start} schedules). */
  public synchronized void tick() {
    rounds++;
    long nowNanos = ticker.nanos();
    setLocal(StateKey.HEARTBEAT, Bytes.EMPTY);
    List<Runnable> events = new ArrayList<>();
    judgeLiveness(nowNanos, events);
    removeLeft(nowNanos, events);
    publish();
    fire(events);

    List<String> live = new ArrayList<>();
    List<String> down = new ArrayList<>();
    for (Member member : members.values()) {
      if (member.id().equals(self) || member.status() == NodeStatus.LEFT || member.gossipAddress().isEmpty()) {
        continue;
      }
      (member.alive() ? live : down).add(member.gossipAddress().get());
    }
    Set<String> targets = new LinkedHashSet<>(pick(live, settings.fanout()));
    if (!down.isEmpty() && random.nextDouble() < (double) down.size() / (live.size() + 1)) {
      targets.addAll(pick(down, 1));
    }
    List<String> seeds = new ArrayList<>(settings.seeds());
    seeds.remove(gossipAddress);
    if (!seeds.isEmpty() && (Collections.disjoint(targets, seeds) || live.size() < seeds.size())) {
      if (live.isEmpty() || random.nextDouble() < (double) seeds.size() / (live.size() + down.size())) {
        targets.addAll(pick(seeds, 1));
      }
    }
    if (targets.isEmpty()) {
      return;
    }
    int budget = settings.maxFrameBytes() - GossipCodec.headerSize(settings.cluster(), self, gossipAddress);
    GossipMessage.Syn syn = new GossipMessage.Syn(GossipExchange.syn(states, budget, random));
    for (String target : targets) {
      send(target, syn);
    }
  }

  /**
   * Sends this node's whole state, unasked, to every member it knows of (alive or down): what a
   * leaving node does after it set {@link NodeStatus#LEFT}, so that its departure does not depend on
   * a round's three legs completing before its channel closes.
   */
  public synchronized void announce() {
    EndpointState mine = states.get(self);
    if (mine == null) {
      return;
    }
    GossipMessage.Ack2 own = new GossipMessage.Ack2(List.of(mine.fullDelta()));
    for (Member member : members.values()) {
      if (!member.id().equals(self) && member.status() != NodeStatus.LEFT && member.gossipAddress().isPresent()) {
        send(member.gossipAddress().get(), own);
      }
    }
  }

  private List<String> pick(List<String> from, int count) {
    List<String> pool = new ArrayList<>(from);
    List<String> picked = new ArrayList<>(Math.min(count, pool.size()));
    while (picked.size() < count && !pool.isEmpty()) {
      int i = random.nextInt(pool.size());
      picked.add(pool.get(i));
      Collections.swap(pool, i, pool.size() - 1);
      pool.remove(pool.size() - 1);
    }
    return picked;
  }

  // guarded by this
  private void send(String address, GossipMessage message) {
    framesSent++;
    transport.send(address, new GossipFrame(settings.cluster(), self, gossipAddress, message));
  }

  // ---------------------------------------------------------------- incoming

  /**
   * Decodes and handles one incoming frame; a malformed one is counted, logged and dropped.
   * For transports that carry bytes.
   */
  public void receive(byte[] frame) {
    GossipFrame decoded;
    try {
      decoded = codec.decode(frame);
    } catch (MalformedGossipException e) {
      synchronized (this) {
        framesRefused++;
      }
      LOG.log(Level.WARNING, "node {0} dropped a gossip frame: {1}", self, e.getMessage());
      return;
    }
    handle(decoded);
  }

  /** Handles one incoming frame: answers a Syn or an Ack, merges the deltas of an Ack or Ack2. */
  public synchronized void handle(GossipFrame frame) {
    if (!frame.cluster().equals(settings.cluster())) {
      framesRefused++;
      LOG.log(Level.WARNING, "node {0} of cluster ''{1}'' dropped a gossip frame of cluster ''{2}'' from node {3} at {4}",
          self, settings.cluster(), frame.cluster(), frame.from(), frame.fromAddress());
      return;
    }
    if (frame.from().equals(self)) {
      return;
    }
    framesReceived++;
    long nowNanos = ticker.nanos();
    int budget = settings.maxFrameBytes() - GossipCodec.headerSize(settings.cluster(), self, gossipAddress);
    List<Runnable> events = new ArrayList<>();
    GossipMessage message = frame.message();
    if (message instanceof GossipMessage.Syn syn) {
      GossipMessage.Ack ack = GossipExchange.ack(states, syn.digests(), this::wanted, budget, random);
      if (!ack.deltas().isEmpty() || !ack.requests().isEmpty()) {
        send(frame.fromAddress(), ack);
      }
      return;
    } else if (message instanceof GossipMessage.Ack ack) {
      merge(ack.deltas(), nowNanos, events);
      List<NodeDelta> answer = GossipExchange.ack2(states, ack.requests(), budget, random);
      if (!answer.isEmpty()) {
        send(frame.fromAddress(), new GossipMessage.Ack2(answer));
      }
    } else {
      merge(((GossipMessage.Ack2) message).deltas(), nowNanos, events);
    }
    judgeLiveness(nowNanos, events);
    publish();
    fire(events);
  }

  private boolean wanted(Digest digest) {
    long[] gone = removed.get(digest.node());
    return !digest.node().equals(self) && (gone == null || digest.generation() > gone[0]);
  }

  // guarded by this
  private void merge(List<NodeDelta> deltas, long nowNanos, List<Runnable> events) {
    for (NodeDelta delta : deltas) {
      NodeId node = delta.node();
      if (node.equals(self)) {
        if (delta.generation() > generation) {
          LOG.log(Level.WARNING, "node {0} (generation {1}) heard of itself at the newer generation {2}: "
              + "is another process using its node id?", self, generation, delta.generation());
        }
        continue;
      }
      long[] gone = removed.get(node);
      if (gone != null) {
        if (delta.generation() <= gone[0]) {
          continue;
        }
        removed.remove(node);
      }
      EndpointState old = states.get(node);
      EndpointState updated = (old == null ? EndpointState.empty(node, delta.generation()) : old).apply(delta);
      if (updated == old) {
        continue;
      }
      states.put(node, updated);
      if (old == null || updated.generation() > old.generation() || updated.heartbeatVersion() > old.heartbeatVersion()) {
        failureDetector.report(node, nowNanos);
      }
      NodeStatus status = statusOf(updated);
      Member before = members.get(node);
      if (status == null) {
        continue; // not a member until its status arrives (a restart keeps its old member until then)
      }
      // liveness changes are judged (and reported) by judgeLiveness, after the merge
      Member after = new Member(node, updated.generation(), status, before == null || before.alive(), updated);
      members.put(node, after);
      if (status == NodeStatus.LEFT && (before == null || before.status() != NodeStatus.LEFT)) {
        leftSinceNanos.put(node, nowNanos);
      } else if (status != NodeStatus.LEFT) {
        leftSinceNanos.remove(node);
      }
      if (before == null) {
        events.add(() -> each(l -> l.onJoined(after)));
      } else {
        if (after.generation() > before.generation()) {
          events.add(() -> each(l -> l.onRestarted(after)));
        }
        if (after.status() != before.status()) {
          NodeStatus previous = before.status();
          events.add(() -> each(l -> l.onStatusChanged(after, previous)));
        }
      }
    }
  }

  // guarded by this
  private void judgeLiveness(long nowNanos, List<Runnable> events) {
    for (Member member : new ArrayList<>(members.values())) {
      if (member.id().equals(self)) {
        continue;
      }
      boolean alive = failureDetector.isAlive(member.id(), nowNanos);
      if (alive == member.alive()) {
        continue;
      }
      Member judged = new Member(member.id(), member.generation(), member.status(), alive, member.state());
      members.put(member.id(), judged);
      if (member.status() == NodeStatus.LEFT) {
        continue; // a node that left stops gossiping: that is no news
      }
      if (alive) {
        Long since = downSinceNanos.remove(member.id());
        String how = failureDetector.describe(member.id(), nowNanos);
        if (since == null) {
          LOG.log(Level.INFO, "node {0} judges node {1} up again ({2})", self, member.id(), how);
        } else {
          LOG.log(Level.INFO, "node {0} judges node {1} up again after {2} down ({3})", self, member.id(),
              String.format(Locale.ROOT, "%,.1f s", (nowNanos - since) / 1e9), how);
        }
        events.add(() -> each(l -> l.onUp(judged)));
      } else {
        downSinceNanos.put(member.id(), nowNanos);
        LOG.log(Level.INFO, "node {0} judges node {1} down ({2})", self, member.id(),
            failureDetector.describe(member.id(), nowNanos));
        events.add(() -> each(l -> l.onDown(judged)));
      }
    }
  }

  // guarded by this
  private void removeLeft(long nowNanos, List<Runnable> events) {
    long retentionNanos = settings.leftRetention().toNanos();
    for (NodeId node : new ArrayList<>(leftSinceNanos.keySet())) {
      if (nowNanos - leftSinceNanos.get(node) < retentionNanos) {
        continue;
      }
      EndpointState state = states.remove(node);
      members.remove(node);
      leftSinceNanos.remove(node);
      downSinceNanos.remove(node);
      failureDetector.forget(node);
      removed.put(node, new long[] {state == null ? 0 : state.generation(), nowNanos});
      LOG.log(Level.INFO, "node {0} removed node {1}, which left", self, node);
      events.add(() -> each(l -> l.onRemoved(node)));
    }
    removed.values().removeIf(gone -> nowNanos - gone[1] >= 3 * retentionNanos);
  }

  // guarded by this
  private void publish() {
    EndpointState mine = states.get(self);
    members.put(self, new Member(self, generation, statusOf(mine), true, mine));
    view = new MembershipView(self, members);
  }

  private static @Nullable NodeStatus statusOf(EndpointState state) {
    StateEntry entry = state.entry(StateKey.STATUS);
    return entry == null ? null : NodeStatus.ofCode(entry.value().at(0) & 0xff);
  }

  private void fire(List<Runnable> events) {
    for (Runnable event : events) {
      event.run();
    }
  }

  private void each(Consumer<MembershipListener> call) {
    for (MembershipListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "membership listener " + listener + " of node " + self + " failed", e);
      }
    }
  }

  // ---------------------------------------------------------------- reading

  @Override
  public MembershipView view() {
    return view;
  }

  /** A copy of every node's state as this node holds it, its own included (for tests and tools). */
  public synchronized Map<NodeId, EndpointState> states() {
    return Map.copyOf(states);
  }

  /**
   * How this node judges {@code node}'s liveness now, with the failure detector's numbers, for
   * status displays and tools; e.g. {@code "phi 0.4 < 8.0 after 310 ms without heartbeat; mean
   * interval 1,002 ms, std dev 100 ms"}.
   */
  public synchronized String liveness(NodeId node) {
    return node.equals(self) ? "self" : failureDetector.describe(node, ticker.nanos());
  }

  /** The counters. */
  public synchronized GossipStats stats() {
    return new GossipStats(rounds, framesSent, framesReceived, framesRefused);
  }

  @Override
  public void addListener(MembershipListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(MembershipListener listener) {
    listeners.remove(listener);
  }

  @Override
  public String toString() {
    return "Gossiper[" + self + "@" + generation + " at " + gossipAddress + "]";
  }
}
