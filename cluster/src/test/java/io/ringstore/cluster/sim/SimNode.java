package io.ringstore.cluster.sim;

import io.ringstore.cluster.handoff.HandoffSettings;
import io.ringstore.cluster.handoff.HintBudget;
import io.ringstore.cluster.handoff.HintReplay;
import io.ringstore.cluster.handoff.KeyspaceHints;
import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.node.ReplicaEndpoint;
import io.ringstore.cluster.node.ReplicaHost;
import io.ringstore.cluster.replication.ClusterView;
import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.replication.HybridLogicalClock;
import io.ringstore.cluster.replication.Replica;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.env.Clock;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.Scheduler;
import io.ringstore.storage.memory.MemoryStorageEngineFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One simulated Ringstore node: the real {@link Coordinator} (with its {@link Replica} over a
 * memory engine) answered by the real {@link ReplicaEndpoint}, on the simulation's time with a
 * wall clock of its own (skew), reached through the {@link SimNetwork}.
 *
 * <p>States: running, paused (a SIGSTOP: messages and its own timers wait and run in order at
 * {@link #resume()}) and crashed (a kill -9: messages and timers are lost, operations in flight
 * never answer; {@link #restart()} makes a new incarnation, a new coordinator over the same engine,
 * whose records survive as a persistent engine's synced records would).
 *
 * <p>Liveness is this node's own failure-detector view ({@link #isAlive}), kept by
 * {@link SimWorld}: another node is judged down a while after this node stops hearing from it, and
 * up again once it hears it; views of different nodes may disagree.
 *
 * <p>Thread-safety: not thread-safe; everything runs on the simulation's one thread.
 */
final class SimNode implements ReplicaHost, ClusterView {
  private final SimWorld world;
  private final String id;
  private final int index;
  private final KeyspaceSettings settings;
  private final StorageEngine engine;
  private final KeyspaceHints hints;
  private final ReplicaEndpoint endpoint = new ReplicaEndpoint(this);
  private final Clock clock;
  // liveness as this node judges it, by node index; the time it last heard each node
  final boolean[] judgedAlive;
  final long[] lastHeardNanos;
  final long downAfterNanos;

  private Coordinator coordinator;
  private Env env;
  private int incarnation;
  private boolean crashed;
  private boolean paused;
  private long skewMillis;
  private final List<Runnable> deferred = new ArrayList<>();

  SimNode(SimWorld world, String id, int index, int nodeCount, KeyspaceSettings settings, long downAfterNanos,
      boolean forgetful) {
    this.world = world;
    this.id = id;
    this.index = index;
    this.settings = settings;
    this.downAfterNanos = downAfterNanos;
    this.judgedAlive = new boolean[nodeCount];
    Arrays.fill(judgedAlive, true);
    this.lastHeardNanos = new long[nodeCount];
    Arrays.fill(lastHeardNanos, world.time().nanos());
    this.clock = () -> world.wallMillis() + skewMillis;
    // the engine's own timers (its expiry sweep) run on the shared time: they outlive a crash, as its records do
    Env engineEnv = new Env(clock, world.time(), world.time(), Env.system().disk());
    StorageEngine memory = new MemoryStorageEngineFactory().open(new EngineSettings(settings.name(), EngineSettings.UNBOUNDED,
        EngineSettings.UNBOUNDED, settings.evictionPolicy(), engineEnv, settings.removalListener(), settings.engineOptions()));
    this.engine = forgetful ? new ForgetfulEngine(memory) : memory;
    // hinted handoff as a node runs it: the hints outlive a crash (as a persistent keyspace's do), the replay is the incarnation's
    this.hints = KeyspaceHints.open(settings.name(), listener -> new MemoryStorageEngineFactory().open(new EngineSettings(
        settings.name() + " (hints)", EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED, settings.evictionPolicy(), engineEnv,
        listener, Map.of())), new HintBudget(HANDOFF.maxBytes()), HANDOFF, clock);
    this.coordinator = newCoordinator();
  }

  /** Hinted handoff of a simulated node: looked for every 200 ms, fast, a small window. */
  static final HandoffSettings HANDOFF = HandoffSettings.defaults().withReplay(Duration.ofMillis(200), 1 << 20, 16);

  private Coordinator newCoordinator() {
    Env env = new Env(clock, world.time(), new IncarnationScheduler(incarnation), Env.system().disk());
    this.env = env;
    Coordinator made = new Coordinator(settings, new Replica(engine), this, world.network().transport(this, incarnation),
        new HybridLogicalClock(clock), env, hints);
    HintReplay replay = new HintReplay(id, HANDOFF, this, env, () -> List.of(new HintReplay.Source(made, hints)));
    replay.start(); // its timers are this incarnation's: a crash stops them, a restart makes a new replay
    return made;
  }

  /** The hints this node keeps as a key's primary. */
  KeyspaceHints hints() {
    return hints;
  }

  /** This incarnation's environment: its skewed clock, the shared ticker, its own scheduler. */
  Env env() {
    return env;
  }

  // ---- ReplicaHost ----

  @Override
  public String nodeId() {
    return id;
  }

  @Override
  public @Nullable Coordinator keyspace(String name) {
    return name.equals(settings.name()) ? coordinator : null;
  }

  @Override
  public void openReplica(KeyspaceSettings other) {
    if (!other.name().equals(settings.name())) {
      throw new IllegalStateException("the simulation serves keyspace '" + settings.name() + "' only, not '" + other.name() + "'");
    }
  }

  @Override
  public void dropReplica(String name) {
    throw new UnsupportedOperationException("the simulation does not drop keyspaces");
  }

  // ---- ClusterView ----

  @Override
  public String self() {
    return id;
  }

  @Override
  public RingSnapshot ring() {
    return world.ring();
  }

  @Override
  public boolean isAlive(String nodeId) {
    return nodeId.equals(id) || judgedAlive[world.indexOf(nodeId)];
  }

  // ---- the node's life ----

  String id() {
    return id;
  }

  int index() {
    return index;
  }

  Coordinator coordinator() {
    return coordinator;
  }

  ReplicaEndpoint endpoint() {
    return endpoint;
  }

  StorageEngine engine() {
    return engine;
  }

  int incarnation() {
    return incarnation;
  }

  boolean crashed() {
    return crashed;
  }

  boolean paused() {
    return paused;
  }

  /** Whether it runs: neither paused nor crashed. */
  boolean running() {
    return !crashed && !paused;
  }

  long skewMillis() {
    return skewMillis;
  }

  void skew(long millis) {
    skewMillis = millis;
  }

  /**
   * Runs {@code task} as this node's work now: at once when running, at {@link #resume()} when
   * paused, never when crashed (or when {@code incarnation} is gone).
   */
  void execute(int incarnation, Runnable task) {
    if (crashed || incarnation != this.incarnation) {
      return;
    }
    if (paused) {
      deferred.add(task);
      return;
    }
    world.guarded(task);
  }

  void pause() {
    paused = true;
  }

  /** Resumes a paused node: what waited runs now, in order; it has heard the others meanwhile (buffered heartbeats). */
  void resume() {
    if (!paused) {
      return;
    }
    paused = false;
    Arrays.fill(lastHeardNanos, world.time().nanos());
    List<Runnable> waiting = new ArrayList<>(deferred);
    deferred.clear();
    for (Runnable task : waiting) {
      if (crashed || paused) {
        break;
      }
      world.guarded(task);
    }
  }

  void crash() {
    crashed = true;
    paused = false;
    deferred.clear();
    incarnation++;
  }

  /** A new incarnation: a fresh coordinator (no turns, no requests in flight) over the same engine. */
  void restart() {
    if (!crashed) {
      return;
    }
    crashed = false;
    incarnation++;
    Arrays.fill(judgedAlive, true);
    Arrays.fill(lastHeardNanos, world.time().nanos());
    coordinator = newCoordinator();
  }

  /** This node's timers: they run as its work ({@link #execute}), so a pause holds them and a crash loses them. */
  private final class IncarnationScheduler implements Scheduler {
    private final int of;

    IncarnationScheduler(int of) {
      this.of = of;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      return world.time().schedule(() -> execute(of, task), delay);
    }
  }

  @Override
  public String toString() {
    return id + (crashed ? " (crashed)" : paused ? " (paused)" : "");
  }
}
