package io.ringstore.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.testkit.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Many {@link Gossiper}s on one {@link SimulatedNetwork} and one {@link FakeTime}, with a record of
 * every listener event each node heard and when (ticker nanos), so that tests can measure how many
 * rounds a change takes to reach everyone. Node {@code i} is {@code n<i>} at {@code 10.0.<i/250>.<i%250>:7000}.
 *
 * <p>Thread-safety: not thread-safe; one thread drives the simulation.
 */
final class SimulatedCluster {
  final FakeTime time = new FakeTime();
  final GossipSettings settings;
  final SimulatedNetwork network;
  private final SplittableRandom random;
  private final Map<NodeId, Gossiper> nodes = new LinkedHashMap<>();
  /** event ("joined n3", "status n3 NORMAL", "down n3", ...) -> observer -> first time heard. */
  private final Map<String, Map<NodeId, Long>> heard = new HashMap<>();
  private final List<String> events = new ArrayList<>();
  private Function<GossipSettings, FailureDetector> detectors = GossipSettings::newFailureDetector;

  SimulatedCluster(GossipSettings settings, long seed, Duration minDelay, Duration maxDelay, double lossRate) {
    this.settings = settings;
    this.random = new SplittableRandom(seed);
    this.network = new SimulatedNetwork(time, random.split(), minDelay, maxDelay, lossRate, new GossipCodec(settings.maxFrameBytes()));
  }

  static NodeId id(int i) {
    return NodeId.of("n" + i);
  }

  static String address(int i) {
    return "10.0." + (i / 250) + "." + (i % 250) + ":7000";
  }

  /** Creates node {@code i} (at the current time, so at a new generation), attaches and starts it. */
  Gossiper start(int i, NodeStatus status) {
    NodeId id = id(i);
    Gossiper gossiper = new Gossiper(settings, id, address(i), time, time, random.split(), network,
        detectors.apply(settings));
    if (status != NodeStatus.JOINING) {
      gossiper.setStatus(status);
    }
    gossiper.setBusAddress("10.1.0." + i + ":5701");
    gossiper.setWeight(1 + i % 3);
    gossiper.addListener(new MembershipListener() {
      @Override
      public void onJoined(Member member) {
        record("joined " + member.id(), id);
      }

      @Override
      public void onRestarted(Member member) {
        record("restarted " + member.id(), id);
      }

      @Override
      public void onStatusChanged(Member member, NodeStatus previous) {
        record("status " + member.id() + " " + member.status(), id);
      }

      @Override
      public void onUp(Member member) {
        record("up " + member.id(), id);
      }

      @Override
      public void onDown(Member member) {
        record("down " + member.id(), id);
      }

      @Override
      public void onRemoved(NodeId node) {
        record("removed " + node, id);
      }
    });
    Gossiper old = nodes.put(id, gossiper);
    if (old != null) {
      old.stop();
    }
    network.attach(address(i), gossiper);
    gossiper.start(time);
    return gossiper;
  }

  private void record(String event, NodeId observer) {
    events.add(time.nanos() + " " + observer + ": " + event);
    heard.computeIfAbsent(event, e -> new HashMap<>()).putIfAbsent(observer, time.nanos());
  }

  /** Nodes started from now on judge liveness with a detector from {@code detectors} (default: the settings' own). */
  void useDetectors(Function<GossipSettings, FailureDetector> detectors) {
    this.detectors = detectors;
  }

  /** Stops node {@code i}'s rounds and cuts it off the network, keeping its state (a paused process). */
  void pause(int i) {
    crash(i);
  }

  /** Attaches paused node {@code i} again and restarts its rounds, at the same generation (the process resumed). */
  void resume(int i) {
    network.attach(address(i), nodes.get(id(i)));
    nodes.get(id(i)).start(time);
  }

  /** Stops node {@code i} and cuts it off the network (a crash, as the others see it). */
  void crash(int i) {
    nodes.get(id(i)).stop();
    network.detach(address(i));
  }

  Gossiper node(int i) {
    return nodes.get(id(i));
  }

  Collection<Gossiper> running() {
    return nodes.values();
  }

  /** When each observer first heard {@code event}. */
  Map<NodeId, Long> heard(String event) {
    return heard.getOrDefault(event, Map.of());
  }

  /** Every event heard, in order, as "nanos observer: event". */
  List<String> events() {
    return events;
  }

  /**
   * Advances time in tenths of a round until every one of {@code observers} has heard
   * {@code event}, and returns the number of rounds (intervals, rounded up) from
   * {@code sinceNanos} to the last of them; fails after {@code maxRounds}.
   */
  int roundsUntilAllHear(String event, Collection<NodeId> observers, long sinceNanos, int maxRounds) {
    Duration step = settings.interval().dividedBy(10);
    long intervalNanos = settings.interval().toNanos();
    while (!heard(event).keySet().containsAll(observers)) {
      assertThat(time.nanos() - sinceNanos)
          .as("rounds waiting for everyone to hear '%s'; %d of %d have", event, heard(event).size(), observers.size())
          .isLessThanOrEqualTo(maxRounds * intervalNanos);
      time.advance(step);
    }
    long last = observers.stream().mapToLong(o -> heard(event).get(o)).max().orElse(sinceNanos);
    return (int) ((last - sinceNanos + intervalNanos - 1) / intervalNanos);
  }

  /** Advances time a round at a time until {@code done}; returns the rounds taken; fails after {@code maxRounds}. */
  int roundsUntil(java.util.function.BooleanSupplier done, int maxRounds, String what) {
    int rounds = 0;
    while (!done.getAsBoolean()) {
      assertThat(rounds).as("rounds waiting until %s", what).isLessThan(maxRounds);
      time.advance(settings.interval());
      rounds++;
    }
    return rounds;
  }
}
