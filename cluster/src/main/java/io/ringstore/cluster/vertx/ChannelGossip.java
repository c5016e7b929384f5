package io.ringstore.cluster.vertx;

import io.ringstore.cluster.membership.GossipCodec;
import io.ringstore.cluster.membership.GossipSettings;
import io.ringstore.cluster.membership.Gossiper;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.membership.StateKey;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.Scheduler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * One {@link Gossiper} per cluster manager, carried by the {@link ClusterChannel} as one-way
 * {@code GOSSIP} frames ({@code docs/formats/cluster-channel.md}, "Gossip on the channel"): the
 * gossip address is the channel address, the node id the stable node id, and the gossiped state
 * holds the capacity weight and the Vert.x node id ({@link StateKey#VERTX_NODE_ID}), so that every
 * member can tell which Vert.x node a gossip member is. Rounds run on Vert.x timers
 * ({@link VertxScheduler}); time comes from {@link Env}. Once the node has joined, a
 * {@link FailureWatch} turns gossip's judgements into registry changes.
 *
 * <p>Thread-safety: thread-safe ({@link #receive} may be called before {@link #start}: frames are
 * then dropped).
 */
final class ChannelGossip {
  private static final System.Logger LOG = System.getLogger(ChannelGossip.class.getName());

  /** The gossip cluster name of every Ringstore Vert.x cluster (the seeds say which cluster). */
  static final String CLUSTER = "ringstore";

  // constant after construction
  private final ClusterManagerSettings settings;
  private final Env env;
  private final Scheduler scheduler;

  private volatile @Nullable Gossiper gossiper;
  private volatile @Nullable FailureWatch watch;

  ChannelGossip(ClusterManagerSettings settings, Env env, Scheduler scheduler) {
    this.settings = settings;
    this.env = env;
    this.scheduler = scheduler;
  }

  /** Gossips over {@code channel} from {@code address} as the Vert.x node {@code vertxNodeId}. */
  Gossiper start(ClusterChannel channel, String address, String vertxNodeId) {
    int maxFrameBytes = Math.min(64 * 1024, settings.maxFrameBytes() - ChannelFrame.HEADER_BYTES);
    GossipSettings gossipSettings = new GossipSettings(CLUSTER, settings.seeds(), settings.gossipInterval(), 2, maxFrameBytes,
        settings.downAfter(), max(Duration.ofMinutes(10), settings.downAfter()), settings.failureDetection());
    GossipCodec codec = new GossipCodec(maxFrameBytes);
    Gossiper g = new Gossiper(gossipSettings, NodeId.of(settings.stableNodeId()), address, env.clock(), env.ticker(),
        new SplittableRandom(), (to, frame) -> channel.sendGossip(to, codec.encode(frame)),
        gossipSettings.newFailureDetector());
    g.setWeight(settings.weight());
    g.setState(StateKey.VERTX_NODE_ID, Bytes.utf8(vertxNodeId));
    gossiper = g;
    g.start(scheduler);
    return g;
  }

  /**
   * Once joined: moves to NORMAL (unless {@code bootstrapping}: the node stays JOINING until its
   * data has streamed, and the node moves it on) and starts the {@link FailureWatch} that acts for
   * {@code registry}.
   */
  void joined(FailureWatch.Registry registry, boolean bootstrapping) {
    Gossiper g = java.util.Objects.requireNonNull(gossiper, "joined before start");
    if (!bootstrapping) {
      status(NodeStatus.NORMAL);
    }
    FailureWatch w = new FailureWatch(g, registry, env.ticker(), settings.gossipInterval(), settings.downAfter());
    watch = w;
    w.start(scheduler);
  }

  /** Whether the failure watch judges the member {@code vertxNodeId} down (false before {@link #joined}). */
  boolean isDown(String vertxNodeId) {
    FailureWatch w = watch;
    return w != null && w.isDown(vertxNodeId);
  }

  /** Hands an incoming gossip frame to the gossiper (dropped before {@link #start}). */
  void receive(byte[] frame) {
    Gossiper g = gossiper;
    if (g != null) {
      g.receive(frame);
    }
  }

  /** The gossiper, or null before {@link #start}. */
  @Nullable Gossiper gossiper() {
    return gossiper;
  }

  /** Moves this node to {@code status} if that is forward of its status; logs and skips otherwise. */
  void status(NodeStatus status) {
    Gossiper g = gossiper;
    if (g == null) {
      return;
    }
    try {
      g.setStatus(status);
    } catch (IllegalStateException e) {
      LOG.log(Level.DEBUG, e.getMessage());
    }
  }

  /** Pushes this node's state out now (a round), best effort. */
  void round() {
    Gossiper g = gossiper;
    if (g != null) {
      g.tick();
    }
  }

  /** Sends this node's state to every member now (a leave: see {@link Gossiper#announce}), best effort. */
  void announce() {
    Gossiper g = gossiper;
    if (g != null) {
      g.announce();
    }
  }

  /** Stops the rounds and the failure watch (frames still arrive until the channel closes). */
  void stop() {
    FailureWatch w = watch;
    if (w != null) {
      w.stop();
    }
    Gossiper g = gossiper;
    if (g != null) {
      g.stop();
    }
  }

  /** Starts the rounds and the failure watch again after {@link #stop} (a test hook: a paused process resuming). */
  void resume() {
    Gossiper g = gossiper;
    if (g != null) {
      g.start(scheduler);
    }
    FailureWatch w = watch;
    if (w != null) {
      w.start(scheduler);
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
