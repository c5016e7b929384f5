package io.ringstore.cluster.membership;

import io.ringstore.spi.testkit.FakeTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * An in-memory network for deterministic simulations of many gossiping nodes in one thread: a
 * {@link GossipTransport} that encodes every frame with {@link GossipCodec} (so the frame bound
 * and the codec are exercised), drops it with probability {@code lossRate}, and delivers the bytes
 * to the receiver's {@link Gossiper#receive} after a random delay in {@code [minDelay, maxDelay]},
 * as a task of the shared {@link FakeTime}. Nodes can be detached (crashed) and pairs of addresses
 * cut (partitions). The same seed gives the same run.
 *
 * <p>Thread-safety: not thread-safe; a simulation runs on the thread that advances its FakeTime.
 */
final class SimulatedNetwork implements GossipTransport {
  private final FakeTime time;
  private final RandomGenerator random;
  private final long minDelayNanos;
  private final long maxDelayNanos;
  private final double lossRate;
  private final GossipCodec codec;
  private final Map<String, Gossiper> nodes = new HashMap<>();
  private final Set<String> cuts = new HashSet<>();
  private long sent;
  private long delivered;
  private long lost;
  private long bytes;

  SimulatedNetwork(FakeTime time, RandomGenerator random, Duration minDelay, Duration maxDelay, double lossRate, GossipCodec codec) {
    if (minDelay.compareTo(maxDelay) > 0 || minDelay.isNegative()) {
      throw new IllegalArgumentException("need 0 <= minDelay <= maxDelay; got " + minDelay + " and " + maxDelay);
    }
    if (lossRate < 0 || lossRate >= 1) {
      throw new IllegalArgumentException("lossRate = " + lossRate + "; need 0 <= lossRate < 1");
    }
    this.time = time;
    this.random = random;
    this.minDelayNanos = minDelay.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
    this.lossRate = lossRate;
    this.codec = codec;
  }

  /** A network with 1 to 20 ms of delay and no loss. */
  static SimulatedNetwork reliable(FakeTime time, RandomGenerator random, GossipCodec codec) {
    return new SimulatedNetwork(time, random, Duration.ofMillis(1), Duration.ofMillis(20), 0, codec);
  }

  /** Frames to {@code address} go to {@code gossiper} from now on. */
  void attach(String address, Gossiper gossiper) {
    nodes.put(address, gossiper);
  }

  /** Frames to {@code address} are lost from now on (the node crashed or stopped). */
  void detach(String address) {
    nodes.remove(address);
  }

  /** Frames between {@code a} and {@code b}, either way, are lost until {@link #healAll()}. */
  void cut(String a, String b) {
    cuts.add(a + "|" + b);
    cuts.add(b + "|" + a);
  }

  /** Ends every cut. */
  void healAll() {
    cuts.clear();
  }

  @Override
  public void send(String address, GossipFrame frame) {
    byte[] encoded = codec.encode(frame);
    sent++;
    bytes += encoded.length;
    if (lossRate > 0 && random.nextDouble() < lossRate) {
      lost++;
      return;
    }
    long delayNanos = minDelayNanos + (maxDelayNanos > minDelayNanos ? random.nextLong(maxDelayNanos - minDelayNanos + 1) : 0);
    String from = frame.fromAddress();
    time.schedule(() -> {
      Gossiper receiver = nodes.get(address);
      if (receiver == null || cuts.contains(from + "|" + address)) {
        lost++;
        return;
      }
      delivered++;
      receiver.receive(encoded);
    }, Duration.ofNanos(delayNanos));
  }

  @Override
  public String toString() {
    return String.format("network: %d frames sent (%d bytes), %d delivered, %d lost", sent, bytes, delivered, lost);
  }
}
