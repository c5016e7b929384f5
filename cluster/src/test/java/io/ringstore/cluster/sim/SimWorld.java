package io.ringstore.cluster.sim;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.testkit.FakeTime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * The simulated cluster of one run: one {@link FakeTime} is the event loop (its advance runs due
 * tasks in time order on this thread), one seeded {@link SplittableRandom} is the only randomness,
 * and the {@link SimNode}s talk through the {@link SimNetwork}. Everything a run does follows from
 * its seed: the same seed makes the same history.
 *
 * <p>The world also runs each node's failure detector: every {@value #DETECTOR_TICK_MILLIS} ms a
 * running node "hears" each other node that runs and whose link to it is not cut, and judges a
 * node down once it has not heard it for its own down-after time (drawn per node, so views
 * disagree), and up again once it hears it.
 *
 * <p>A task that throws does not stop the run: the exception is recorded ({@link #errors()}) and
 * the run fails its check.
 *
 * <p>Thread-safety: not thread-safe; one thread runs a world from start to end.
 */
final class SimWorld {
  /** How often the simulated failure detectors look. */
  static final long DETECTOR_TICK_MILLIS = 50;
  /** The keyspace every node serves. */
  static final String KEYSPACE = "sim";

  private final SimSettings settings;
  private final FakeTime time = new FakeTime();
  private final long startNanos = time.nanos();
  private final long startMillis = time.millis();
  private final SplittableRandom random;
  private final SimNetwork network;
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<String, Integer> indexes = new LinkedHashMap<>();
  private final RingSnapshot ring;
  private final KeyspaceSettings keyspace;
  private final List<String> errors = new ArrayList<>();

  SimWorld(SimSettings settings) {
    this.settings = settings;
    // a stream of its own, apart from the one SimSettings drew the run's shape from
    this.random = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
    this.network = new SimNetwork(this, random.split(), settings.nodes(), settings.dropProbability(),
        settings.duplicateProbability(), settings.slowDelayMillis());
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (int i = 0; i < settings.nodes(); i++) {
      weights.put(nodeName(i), 1);
      indexes.put(nodeName(i), i);
    }
    this.ring = RingSnapshot.of(weights, SimSettings.VNODES);
    // timeouts short against the delays, the writes' wait (2 x writeTimeout) shorter than a pause
    this.keyspace = new KeyspaceSettings(KEYSPACE, "memory", Map.of(), EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED,
        EvictionPolicy.LRU, settings.replicationFactor(), settings.writeQuorum(), settings.readQuorum(), Duration.ofMillis(200),
        Duration.ofMillis(200), settings.maxSiblings(), 32, RemovalListener.NONE);
    for (int i = 0; i < settings.nodes(); i++) {
      long downAfterNanos = 300_000_000L + random.nextLong(1_200_000_000L);
      nodes.add(new SimNode(this, nodeName(i), i, settings.nodes(), keyspace, downAfterNanos, settings.forgetfulEngines()));
    }
    time.schedule(this::detectorTick, Duration.ofMillis(DETECTOR_TICK_MILLIS));
  }

  static String nodeName(int index) {
    return "n" + index;
  }

  SimSettings settings() {
    return settings;
  }

  KeyspaceSettings keyspace() {
    return keyspace;
  }

  FakeTime time() {
    return time;
  }

  SplittableRandom random() {
    return random;
  }

  SimNetwork network() {
    return network;
  }

  RingSnapshot ring() {
    return ring;
  }

  List<SimNode> nodes() {
    return nodes;
  }

  SimNode node(String id) {
    return nodes.get(indexOf(id));
  }

  int indexOf(String id) {
    Integer index = indexes.get(id);
    if (index == null) {
      throw new IllegalArgumentException("no simulated node " + id + "; nodes: " + indexes.keySet());
    }
    return index;
  }

  /** Simulated nanos since the run began. */
  long nanos() {
    return time.nanos() - startNanos;
  }

  /**
   * The true wall time: derived from the ticker, not from FakeTime's own wall clock, which drops
   * the sub-millisecond part of every step it advances (many short steps would stop it).
   */
  long wallMillis() {
    return startMillis + (time.nanos() - startNanos) / 1_000_000L;
  }

  /** Exceptions tasks threw (each a failure of the run). */
  List<String> errors() {
    return errors;
  }

  /** Runs {@code task} now, recording what it throws. */
  void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | AssertionError e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      errors.add("at " + nanos() / 1000 + " us: " + trace);
    }
  }

  /** Runs {@code task} as the world's own work (not a node's) after {@code delayNanos}. */
  void schedule(long delayNanos, Runnable task) {
    time.schedule(() -> guarded(task), Duration.ofNanos(delayNanos));
  }

  /** Lets {@code nanos} of simulated time pass. */
  void run(long nanos) {
    time.advance(Duration.ofNanos(nanos));
  }

  /** Lets time pass in 1 ms steps until {@code done} or {@code maxNanos} passed; whether done. */
  boolean runUntil(BooleanSupplier done, long maxNanos) {
    long end = nanos() + maxNanos;
    while (!done.getAsBoolean()) {
      if (nanos() >= end) {
        return false;
      }
      run(1_000_000L);
    }
    return true;
  }

  private void detectorTick() {
    long now = time.nanos();
    for (SimNode observer : nodes) {
      if (!observer.running()) {
        continue; // a paused node's view stands still; a crashed node has none
      }
      for (SimNode other : nodes) {
        int i = other.index();
        if (other == observer) {
          continue;
        }
        boolean heard = other.running() && !network.isCut(i, observer.index());
        if (heard) {
          observer.lastHeardNanos[i] = now;
          observer.judgedAlive[i] = true;
        } else if (now - observer.lastHeardNanos[i] > observer.downAfterNanos) {
          observer.judgedAlive[i] = false;
        }
      }
    }
    time.schedule(this::detectorTick, Duration.ofMillis(DETECTOR_TICK_MILLIS));
  }
}
