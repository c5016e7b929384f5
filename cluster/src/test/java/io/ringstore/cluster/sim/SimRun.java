package io.ringstore.cluster.sim;

import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.replication.KeyOperation;
import io.ringstore.cluster.replication.Mutation;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * One simulated run of a seed: clients issue reads, puts (read-modify-write, blind, and with the
 * causal context of the client's last read) of unique values and deletes on a few keys at random nodes, through the coordinators' asynchronous methods,
 * while faults happen (partitions of several shapes and their heals, pauses, crashes and restarts,
 * clock skew); then every fault heals, the network turns reliable, a quiet period passes, the
 * {@link SimRepair} passes run, every key is read at R = N from one node (read repair included),
 * and {@link SimChecker} checks the history against what the replicas hold.
 *
 * <p>Thread-safety: not thread-safe; one run on one thread.
 */
final class SimRun {
  /** How long a client waits for an answer before it moves on (the operation stays in the history). */
  private static final long CLIENT_PATIENCE_NANOS = 3_000_000_000L;
  /** The quiet period after every fault healed. */
  private static final long QUIET_NANOS = 5_000_000_000L;

  private final SimSettings settings;
  private final SimWorld world;
  private final SplittableRandom random;
  private final List<String> keys = new ArrayList<>();
  private final List<SimOperation> history = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  // per client, the causal context of its last read of each key (for its context puts)
  private final List<Map<String, VectorClock>> contexts = new ArrayList<>();
  private final long workloadEndNanos;
  private int faults;
  private int partitionGeneration;

  private SimRun(SimSettings settings) {
    this.settings = settings;
    this.world = new SimWorld(settings);
    this.random = world.random().split();
    for (int i = 0; i < settings.keys(); i++) {
      keys.add("k" + i);
    }
    for (int c = 0; c < settings.clients(); c++) {
      contexts.add(new java.util.HashMap<>());
    }
    this.workloadEndNanos = settings.workloadMillis() * 1_000_000L;
  }

  /** Runs {@code settings.seed()} with the final read as its only repair. */
  static SimResult run(SimSettings settings) {
    return run(settings, List.of());
  }

  /** Runs {@code settings.seed()}, with {@code repairs} after the quiet period and before the final read. */
  static SimResult run(SimSettings settings, List<SimRepair> repairs) {
    return new SimRun(settings).execute(repairs);
  }

  private SimResult execute(List<SimRepair> repairs) {
    for (int c = 0; c < settings.clients(); c++) {
      int client = c;
      world.schedule(random.nextLong(20_000_000L), () -> nextOperation(client));
    }
    if (settings.faults()) {
      scheduleFaults();
    }
    world.run(workloadEndNanos);
    healEverything();
    world.run(QUIET_NANOS);
    for (SimOperation op : history) {
      if (op.outcome == SimOperation.Outcome.PENDING) {
        op.outcome = SimOperation.Outcome.UNKNOWN;
      }
    }
    for (SimRepair repair : repairs) {
      repair.run(world, keys);
    }
    int divergedBefore = SimChecker.divergedKeys(replicaRecords()).size();
    Map<String, @Nullable StoredRecord> finalRecords = finalReads();
    world.run(1_000_000_000L); // the read repairs land
    Map<String, Map<String, @Nullable StoredRecord>> replicas = replicaRecords();
    SimChecker.Verdict verdict = SimChecker.check(settings, history, finalRecords, replicas, world.errors());
    return new SimResult(settings, history, events, finalRecords, replicas, verdict, faults, world.network().messages(),
        world.network().dropped(), world.network().duplicated(), divergedBefore, world.nanos() / 1_000_000L);
  }

  // ---- the workload ----

  private void nextOperation(int client) {
    if (world.nanos() >= workloadEndNanos) {
      return;
    }
    SimNode node = world.nodes().get(random.nextInt(world.nodes().size()));
    String key = keys.get(random.nextInt(keys.size()));
    int roll = random.nextInt(100);
    SimOperation.Kind kind = roll < 35 ? SimOperation.Kind.READ : roll < 58 ? SimOperation.Kind.PUT
        : roll < 68 ? SimOperation.Kind.CONTEXT_PUT : roll < 78 ? SimOperation.Kind.BLIND_PUT : SimOperation.Kind.DELETE;
    int id = history.size();
    String value = kind == SimOperation.Kind.READ || kind == SimOperation.Kind.DELETE ? null : key + "#w" + id;
    SimOperation op = new SimOperation(id, client, node.id(), kind, key, value, world.nanos() / 1000);
    if (kind == SimOperation.Kind.CONTEXT_PUT) {
      op.context = contexts.get(client).getOrDefault(key, VectorClock.EMPTY);
    }
    history.add(op);
    boolean[] movedOn = new boolean[1];
    Runnable next = () -> {
      if (!movedOn[0]) {
        movedOn[0] = true;
        world.schedule(random.nextLong(20_000_000L), () -> nextOperation(client));
      }
    };
    if (node.crashed()) {
      op.outcome = SimOperation.Outcome.FAILED;
      op.completeMicros = op.invokeMicros;
      op.error = "node " + node.id() + " is down (connection refused)";
      next.run();
      return;
    }
    node.execute(node.incarnation(), () -> invoke(node.coordinator(), op).whenComplete((record, failure) -> {
      op.completeMicros = world.nanos() / 1000;
      if (failure == null) {
        op.outcome = SimOperation.Outcome.OK;
        op.record = record;
        if (op.kind == SimOperation.Kind.READ) {
          contexts.get(client).put(op.key, record == null ? VectorClock.EMPTY : record.clock());
        }
      } else {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        op.outcome = SimOperation.Outcome.FAILED;
        op.error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
      }
      next.run();
    }));
    world.schedule(CLIENT_PATIENCE_NANOS, next);
  }

  private CompletionStage<@Nullable StoredRecord> invoke(Coordinator coordinator, SimOperation op) {
    Bytes key = Bytes.utf8(op.key);
    int w = settings.writeQuorum();
    int r = settings.readQuorum();
    switch (op.kind) {
      case READ:
        return coordinator.readAsync(key, r);
      case PUT: {
        Bytes value = Bytes.utf8(op.value);
        return coordinator.updateAsync(key, current -> Mutation.write(value, StoredRecord.NEVER), w, r);
      }
      case CONTEXT_PUT: {
        Bytes value = Bytes.utf8(op.value);
        VectorClock context = op.context;
        return coordinator.updateAsync(key, current -> Mutation.write(value, StoredRecord.NEVER, context), w, r);
      }
      case BLIND_PUT: {
        Bytes value = Bytes.utf8(op.value);
        return coordinator.updateAsync(key, new KeyOperation() {
          @Override
          public Mutation apply(@Nullable StoredRecord current) {
            return Mutation.write(value, StoredRecord.NEVER);
          }

          @Override
          public boolean blind() {
            return true;
          }
        }, w, r);
      }
      default:
        return coordinator.updateAsync(key, current -> Mutation.DELETE, w, r);
    }
  }

  // ---- the faults ----

  private void scheduleFaults() {
    long at = 200_000_000L + random.nextLong(800_000_000L);
    while (at < workloadEndNanos - 200_000_000L) {
      world.schedule(at, this::fault);
      at += 150_000_000L + random.nextLong(850_000_000L);
    }
  }

  /**
   * One fault, drawn from the seed: a partition (35%), a pause (20%) or crash (20%) of a running
   * node, each undone after a while, a clock skew (13%), or a heal of the network (12%).
   */
  private void fault() {
    int roll = random.nextInt(100);
    List<SimNode> nodes = world.nodes();
    SimNode node = nodes.get(random.nextInt(nodes.size()));
    if (roll < 35) {
      partition();
    } else if (roll < 55) {
      if (!node.running()) {
        return;
      }
      long forNanos = 100_000_000L + random.nextLong(2_400_000_000L);
      node.pause();
      injected("pause " + node.id() + " for " + forNanos / 1_000_000 + " ms");
      world.schedule(forNanos, () -> {
        if (node.paused()) {
          event("resume " + node.id());
          node.resume();
        }
      });
    } else if (roll < 75) {
      if (!node.running()) {
        return;
      }
      long forNanos = 200_000_000L + random.nextLong(2_800_000_000L);
      node.crash();
      injected("crash " + node.id() + " for " + forNanos / 1_000_000 + " ms");
      world.schedule(forNanos, () -> {
        if (node.crashed()) {
          event("restart " + node.id());
          node.restart();
        }
      });
    } else if (roll < 88) {
      long skew = (random.nextBoolean() ? 1 : -1) * (1 + random.nextLong(120_000));
      node.skew(skew);
      injected("skew " + node.id() + "'s clock by " + skew + " ms");
    } else {
      world.network().healAll();
      partitionGeneration++;
      event("heal the network");
    }
  }

  /** A partition of a random shape, healed after a while (unless another partition replaced it). */
  private void partition() {
    int n = world.nodes().size();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    for (int i = n - 1; i > 0; i--) { // a seeded shuffle
      int j = random.nextInt(i + 1);
      order.set(i, order.set(j, order.get(i)));
    }
    SimNetwork network = world.network();
    network.healAll();
    String shape;
    int kind = random.nextInt(4);
    if (kind == 0) {
      int minority = 1 + random.nextInt(Math.max(1, (n - 1) / 2));
      List<Integer> small = order.subList(0, minority);
      List<Integer> large = order.subList(minority, n);
      cutBetween(small, large);
      shape = "split " + names(small) + " | " + names(large);
    } else if (kind == 1) {
      int bridge = order.get(0);
      int half = 1 + (n - 1) / 2;
      List<Integer> left = order.subList(1, half);
      List<Integer> right = order.subList(half, n);
      cutBetween(left, right);
      shape = "bridge " + names(left) + " - " + SimWorld.nodeName(bridge) + " - " + names(right);
    } else if (kind == 2) {
      int from = order.get(0);
      int to = order.get(1);
      if (random.nextBoolean()) {
        network.cut(from, to);
        shape = "one-way " + SimWorld.nodeName(from) + " -> " + SimWorld.nodeName(to);
      } else {
        for (int other = 0; other < n; other++) {
          network.cut(from, other);
        }
        shape = "one-way: " + SimWorld.nodeName(from) + " reaches no one (others reach it)";
      }
    } else {
      int alone = order.get(0);
      cutBetween(List.of(alone), order.subList(1, n));
      shape = "isolate " + SimWorld.nodeName(alone);
    }
    int generation = ++partitionGeneration;
    long forNanos = 300_000_000L + random.nextLong(2_700_000_000L);
    injected("partition: " + shape + " for " + forNanos / 1_000_000 + " ms");
    world.schedule(forNanos, () -> {
      if (partitionGeneration == generation) {
        network.healAll();
        event("heal " + shape);
      }
    });
  }

  private void cutBetween(List<Integer> a, List<Integer> b) {
    for (int x : a) {
      for (int y : b) {
        world.network().cut(x, y);
        world.network().cut(y, x);
      }
    }
  }

  private static String names(List<Integer> indexes) {
    List<String> names = new ArrayList<>();
    for (int i : indexes) {
      names.add(SimWorld.nodeName(i));
    }
    return names.toString();
  }

  /** Records an injected fault (counted) in the run's events. */
  private void injected(String what) {
    faults++;
    event(what);
  }

  /** Records what happened to the cluster (a heal, a resume, a restart) in the run's events. */
  private void event(String what) {
    events.add(String.format(java.util.Locale.ROOT, "%d.%03d ms %s", world.nanos() / 1_000_000, world.nanos() / 1000 % 1000, what));
  }

  // ---- the end ----

  private void healEverything() {
    world.network().healAll();
    world.network().makeReliable();
    partitionGeneration++;
    for (SimNode node : world.nodes()) {
      node.resume();
      node.restart();
    }
    event("heal everything: links, pauses, crashes; no more loss, duplication or slow messages");
  }

  /** Every key read at R = N from the first node, each retried a few times if it fails. */
  private Map<String, @Nullable StoredRecord> finalReads() {
    Map<String, @Nullable StoredRecord> records = new LinkedHashMap<>();
    Coordinator reader = world.nodes().get(0).coordinator();
    for (String key : keys) {
      for (int attempt = 0; attempt < 5; attempt++) {
        CompletableFuture<@Nullable StoredRecord> read = reader.readAsync(Bytes.utf8(key), settings.replicationFactor())
            .toCompletableFuture();
        world.runUntil(read::isDone, 5_000_000_000L);
        if (read.isDone() && !read.isCompletedExceptionally()) {
          records.put(key, read.join());
          break;
        }
        if (read.isCompletedExceptionally()) {
          event("final read of " + key + " failed: " + read.handle((r, e) -> String.valueOf(e)).join());
        }
      }
    }
    return records;
  }

  /** What each replica of each key holds now. */
  private Map<String, Map<String, @Nullable StoredRecord>> replicaRecords() {
    Map<String, Map<String, @Nullable StoredRecord>> held = new LinkedHashMap<>();
    for (String key : keys) {
      Bytes bytes = Bytes.utf8(key);
      Map<String, @Nullable StoredRecord> byNode = new LinkedHashMap<>();
      for (String node : world.ring().preferenceList(Tokens.of(bytes), settings.replicationFactor())) {
        byNode.put(node, world.node(node).coordinator().localRead(bytes, true));
      }
      held.put(key, byNode);
    }
    return held;
  }
}
