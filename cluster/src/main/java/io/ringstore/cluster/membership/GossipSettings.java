package io.ringstore.cluster.membership;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link Gossiper} gossips. Every setting has a default ({@link #defaults(String, List)})
 * and a range checked here, with an error that names the setting, the value and the bound.
 *
 * <p>Thread-safety: immutable.
 *
 * @param cluster the cluster's name; a frame from another cluster is dropped (1 to 64 UTF-8 bytes)
 * @param seeds gossip addresses ({@code host:port}) to contact when nothing else is known; a node
 *     may be its own seed (its own address is skipped)
 * @param interval the time between two gossip rounds (default 1 s; 10 ms to 1 min)
 * @param fanout the number of live peers each round exchanges with (default 2; 1 to 16)
 * @param maxFrameBytes the bound of every gossip frame, sent or received (default 64 KiB;
 *     {@value #MIN_FRAME_BYTES} to {@value #MAX_FRAME_BYTES}); a cluster of about 1,000 nodes fits
 *     its digests in the default
 * @param failureTimeout how long without heartbeat progress before the timeout detector calls a
 *     node down (default 10 s; at least 2 intervals); the phi detector is not bounded by it, but
 *     its default acceptable pause derives from it so that a node beating punctually once an
 *     interval is judged down about this long after its last heartbeat ({@link FailureDetection})
 * @param leftRetention how long a node that {@link NodeStatus#LEFT left} stays in the view (so
 *     that its LEFT status reaches everyone) before it is removed (default 10 min; at least
 *     {@code failureTimeout})
 * @param failureDetection the failure detector and its parameters (default phi accrual,
 *     {@link FailureDetection#defaults()}); {@link #newFailureDetector()} builds it
 */
public record GossipSettings(
    String cluster,
    List<String> seeds,
    Duration interval,
    int fanout,
    int maxFrameBytes,
    Duration failureTimeout,
    Duration leftRetention,
    FailureDetection failureDetection) {

  /** The smallest frame bound: a value of the largest size must fit in a frame. */
  public static final int MIN_FRAME_BYTES = 20 * 1024;
  /** The largest frame bound. */
  public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  /** Checks every setting. */
  public GossipSettings {
    GossipFrame.checkCluster(cluster);
    seeds = List.copyOf(seeds);
    if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("gossip.interval = " + interval + " is out of range; need 10 ms to 1 min");
    }
    if (fanout < 1 || fanout > 16) {
      throw new IllegalArgumentException("gossip.fanout = " + fanout + " is out of range; need 1 to 16");
    }
    checkMaxFrameBytes(maxFrameBytes);
    if (failureTimeout.compareTo(interval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("gossip.failureTimeout = " + failureTimeout
          + " is too short; need at least 2 x gossip.interval = " + interval.multipliedBy(2));
    }
    if (leftRetention.compareTo(failureTimeout) < 0) {
      throw new IllegalArgumentException("gossip.leftRetention = " + leftRetention
          + " is too short; need at least gossip.failureTimeout = " + failureTimeout);
    }
    Objects.requireNonNull(failureDetection, "gossip.failureDetection");
  }

  /** These settings with the default failure detection ({@link FailureDetection#defaults()}: phi accrual). */
  public GossipSettings(
      String cluster, List<String> seeds, Duration interval, int fanout, int maxFrameBytes, Duration failureTimeout,
      Duration leftRetention) {
    this(cluster, seeds, interval, fanout, maxFrameBytes, failureTimeout, leftRetention, FailureDetection.defaults());
  }

  /** The defaults for {@code cluster} with {@code seeds}. */
  public static GossipSettings defaults(String cluster, List<String> seeds) {
    return new GossipSettings(cluster, seeds, Duration.ofSeconds(1), 2, 64 * 1024, Duration.ofSeconds(10), Duration.ofMinutes(10),
        FailureDetection.defaults());
  }

  /** These settings with {@code fanout}. */
  public GossipSettings withFanout(int fanout) {
    return new GossipSettings(cluster, seeds, interval, fanout, maxFrameBytes, failureTimeout, leftRetention, failureDetection);
  }

  /** These settings with {@code maxFrameBytes}. */
  public GossipSettings withMaxFrameBytes(int maxFrameBytes) {
    return new GossipSettings(cluster, seeds, interval, fanout, maxFrameBytes, failureTimeout, leftRetention, failureDetection);
  }

  /** These settings with {@code failureTimeout}. */
  public GossipSettings withFailureTimeout(Duration failureTimeout) {
    return new GossipSettings(cluster, seeds, interval, fanout, maxFrameBytes, failureTimeout, leftRetention, failureDetection);
  }

  /** These settings with {@code leftRetention}. */
  public GossipSettings withLeftRetention(Duration leftRetention) {
    return new GossipSettings(cluster, seeds, interval, fanout, maxFrameBytes, failureTimeout, leftRetention, failureDetection);
  }

  /** These settings with {@code failureDetection}. */
  public GossipSettings withFailureDetection(FailureDetection failureDetection) {
    return new GossipSettings(cluster, seeds, interval, fanout, maxFrameBytes, failureTimeout, leftRetention, failureDetection);
  }

  /** A new failure detector as {@link #failureDetection()} says, for these interval and failure timeout. */
  public FailureDetector newFailureDetector() {
    return failureDetection.newDetector(interval, failureTimeout);
  }

  static void checkMaxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes < MIN_FRAME_BYTES || maxFrameBytes > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("gossip.maxFrameBytes = " + maxFrameBytes + " is out of range; need "
          + MIN_FRAME_BYTES + " to " + MAX_FRAME_BYTES);
    }
  }
}
