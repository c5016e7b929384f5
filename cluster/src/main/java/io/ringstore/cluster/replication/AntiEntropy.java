package io.ringstore.cluster.replication;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.repair.MerkleTree;
import io.ringstore.cluster.repair.RepairReport;
import io.ringstore.cluster.repair.RepairSettings;
import io.ringstore.cluster.repair.TokenBucket;
import io.ringstore.cluster.repair.TokenRanges;
import io.ringstore.cluster.repair.VersionDigest;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.cluster.wire.WireCodec;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.RingstoreException;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.Scheduler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Merkle-tree anti-entropy of one keyspace on this node (docs/anti-entropy.md): an
 * {@linkplain #exchange exchange} brings this node's replica and one peer's to the vector-clock
 * merge of both over the token ranges the two replicate; a {@linkplain #round round} runs one
 * exchange with every other live node that shares ranges with this one; {@link #schedule} runs
 * rounds periodically on the {@link Env}'s scheduler.
 *
 * <p>One exchange, for each piece of the pair's scope ({@link TokenRanges#shared}, at most
 * {@link WireCodec#MAX_SCOPE_RANGES} ranges a piece):
 * <ol>
 *   <li>this node builds its tree of the piece (one scan of its engine, on the {@code scans}
 *       executor) and asks the peer for its root ({@link ReplicaRequest.Tree}); equal roots end
 *       the piece;
 *   <li>else it descends only into differing nodes, up to 4 levels per round trip (at most
 *       {@link WireCodec#MAX_TREE_NODES} hashes a request), to the differing leaves;
 *   <li>it lists the peer's keys and version digests of those leaves ({@link ReplicaRequest.Keys},
 *       paged) and compares them with its own (one more local scan per 1,024 leaves);
 *   <li>it moves the differing records in batches: a key the peer holds in another version, or
 *       only the peer holds, is read from the peer ({@link ReplicaRequest.Read}), merged into this
 *       replica ({@link Replica#merge}) and, if the merge is not what the peer holds, sent back
 *       ({@link ReplicaRequest.Merge}); a key only this node holds is sent. Both sides then hold
 *       {@link StoredRecord#sync} of the two versions, so their trees agree.
 * </ol>
 * Batches are rate-limited by a {@link TokenBucket} of {@link RepairSettings#maxRecordsPerSecond()}
 * (a wait is a task on the scheduler, never a blocked thread) and sized so that the record bytes in
 * flight stay under {@link RepairSettings#maxBytesInFlight()}: a batch starts at one record and
 * doubles while the bytes of the average record moved so far allow it, up to
 * {@link RepairSettings#maxRecordsPerBatch()}.
 *
 * <p>A keyspace with an eviction bound ({@code maxEntries} or {@code maxBytes}) is a cache, not a
 * store of record: it is skipped, and the report says so. Expired records take no part (engines
 * do not iterate them; each replica drops them by its own clock); tombstones do, so deletes
 * propagate.
 *
 * <p>Nothing here throws: every failure (a peer down, a timeout, a refusal) ends that exchange and
 * is listed in its {@link RepairReport}; the other exchanges of a round go on.
 *
 * <p>Thread-safety: thread-safe; exchanges may run at once (each has its own state). Stages run on
 * the transport's threads, the scheduler's thread and the {@code scans} executor.
 */
public final class AntiEntropy {
  private static final System.Logger LOG = System.getLogger(AntiEntropy.class.getName());

  /** The most tree levels one round trip of the descent spans. */
  static final int MAX_LEVELS_PER_REQUEST = 4;
  /** The most leaves whose keys are compared at once (one local scan each group). */
  static final int LEAVES_PER_GROUP = 1024;

  private final Coordinator keyspace;
  private final RepairSettings settings;
  private final Env env;
  private final Executor scans;
  private final TokenBucket rate;
  // exchange numbers: from the wall clock at start, so a restarted node does not reuse a number a peer still keeps a tree under
  private final AtomicLong exchanges;
  private final AtomicLong rounds = new AtomicLong();

  /**
   * @param keyspace the keyspace's coordinator on this node
   * @param settings how to run
   * @param env time and scheduling (the rate limit's ticker, the waits, the periodic rounds)
   * @param scans where scans of this node's engine run (a worker pool; they take time in
   *     proportion to the keyspace)
   */
  public AntiEntropy(Coordinator keyspace, RepairSettings settings, Env env, Executor scans) {
    this.keyspace = requireNonNull(keyspace, "keyspace");
    this.settings = requireNonNull(settings, "settings");
    this.env = requireNonNull(env, "env");
    this.scans = requireNonNull(scans, "scans");
    this.rate = new TokenBucket(env.ticker(), settings.maxRecordsPerSecond());
    this.exchanges = new AtomicLong(Math.max(0, env.clock().millis()) * 1000);
  }

  /** As {@link #AntiEntropy(Coordinator, RepairSettings, Env, Executor)}, scanning on the calling thread. */
  public AntiEntropy(Coordinator keyspace, RepairSettings settings, Env env) {
    this(keyspace, settings, env, Runnable::run);
  }

  /** Whether anti-entropy skips a keyspace of {@code settings}: it has an eviction bound. */
  public static boolean skips(KeyspaceSettings settings) {
    return settings.maxEntries() != EngineSettings.UNBOUNDED || settings.maxBytes() != EngineSettings.UNBOUNDED;
  }

  /** How many rounds have started (on demand and periodic). */
  public long rounds() {
    return rounds.get();
  }

  /** The settings. */
  public RepairSettings settings() {
    return settings;
  }

  /** The token ranges this node and {@code peer} both replicate, on the ring now. */
  public TokenRanges scopeWith(String peer) {
    RingSnapshot ring = keyspace.ring();
    return TokenRanges.shared(ring, keyspace.settings().replicationFactor(), keyspace.nodeId(), peer);
  }

  /** The other live nodes that share token ranges with this one on the ring now, sorted. */
  public List<String> peers() {
    List<String> peers = new ArrayList<>();
    for (String member : keyspace.ring().members()) {
      if (!member.equals(keyspace.nodeId()) && keyspace.cluster().isAlive(member) && !scopeWith(member).isEmpty()) {
        peers.add(member);
      }
    }
    return peers;
  }

  /** This node's Merkle tree of {@code scope} at the settings' depth (one scan of its engine, on the calling thread). */
  public MerkleTree tree(TokenRanges scope) {
    MerkleTree.Builder builder = MerkleTree.builder(scope, settings.depth());
    for (Iterator<EngineEntry> it = keyspace.replica().engine().iterator(); it.hasNext(); ) {
      EngineEntry entry = it.next();
      builder.add(entry.key(), entry.record());
    }
    return builder.build();
  }

  /**
   * One exchange with every peer ({@link #peers()}), one after the other; logs one INFO line with
   * the totals. Never completes exceptionally.
   */
  public CompletableFuture<List<RepairReport>> round() {
    rounds.incrementAndGet();
    long startNanos = env.ticker().nanos();
    KeyspaceSettings ks = keyspace.settings();
    if (skips(ks)) {
      RepairReport skipped = RepairReport.skipped(ks.name());
      LOG.log(Level.INFO, () -> "anti-entropy round of cache '" + ks.name() + "' on " + keyspace.nodeId() + ": skipped, bounded ("
          + bound("maxEntries", ks.maxEntries()) + ", " + bound("maxBytes", ks.maxBytes())
          + "): a cache with an eviction bound is not a store of record");
      return CompletableFuture.completedFuture(List.of(skipped));
    }
    List<String> peers;
    try {
      peers = peers();
    } catch (RuntimeException e) {
      RepairReport failed = new RepairReport(ks.name(), "", 0, 0, 0, 0, 0, 0, false, Duration.ZERO, List.of(
          "the ring could not be read: " + e));
      return CompletableFuture.completedFuture(List.of(failed));
    }
    List<RepairReport> reports = new ArrayList<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (String peer : peers) {
      chain = chain.thenCompose(ignored -> exchange(peer)).thenAccept(reports::add);
    }
    return chain.thenApply(ignored -> {
      logRound(ks.name(), reports, env.ticker().nanos() - startNanos);
      return List.copyOf(reports);
    });
  }

  private static String bound(String name, long value) {
    return name + " = " + (value == EngineSettings.UNBOUNDED ? "unbounded" : Long.toString(value));
  }

  private void logRound(String name, List<RepairReport> reports, long nanos) {
    LOG.log(Level.INFO, () -> {
      long leaves = 0;
      long differing = 0;
      long keys = 0;
      long pulled = 0;
      long pushed = 0;
      int failures = 0;
      for (RepairReport r : reports) {
        leaves += r.leavesCompared();
        differing += r.leavesDiffering();
        keys += r.keysDiffering();
        pulled += r.recordsPulled();
        pushed += r.recordsPushed();
        failures += r.failures().size();
      }
      return "anti-entropy round of cache '" + name + "' on " + keyspace.nodeId() + ": " + reports.size() + " peers, "
          + differing + " of " + leaves + " leaves differ, " + keys + " keys differ, " + pulled + " pulled, " + pushed
          + " pushed, " + failures + " failures, " + nanos / 1_000_000 + " ms";
    });
    for (RepairReport r : reports) {
      if (!r.succeeded()) {
        LOG.log(Level.WARNING, r::toString);
      }
    }
  }

  /**
   * Runs a {@linkplain #round round} {@link RepairSettings#interval()} from now, and another an
   * interval after each round ends, until the returned handle is cancelled.
   */
  public Scheduler.Cancellable schedule() {
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicReference<Scheduler.Cancellable> next = new AtomicReference<>();
    Runnable tick = new Runnable() {
      @Override
      public void run() {
        if (stopped.get()) {
          return;
        }
        CompletableFuture.supplyAsync(AntiEntropy.this::round, scans).thenCompose(r -> r).whenComplete((reports, failure) -> {
          if (failure != null) {
            LOG.log(Level.WARNING, () -> "anti-entropy round of cache '" + keyspace.settings().name() + "' failed", failure);
          }
          if (!stopped.get()) {
            next.set(env.scheduler().schedule(this, settings.interval()));
          }
        });
      }
    };
    next.set(env.scheduler().schedule(tick, settings.interval()));
    return () -> {
      stopped.set(true);
      Scheduler.Cancellable pending = next.get();
      if (pending != null) {
        pending.cancel();
      }
    };
  }

  /**
   * One exchange of this node's replica with {@code peer}'s over the ranges both replicate. Never
   * completes exceptionally: failures are in the report.
   */
  public CompletableFuture<RepairReport> exchange(String peer) {
    return exchange(peer, TokenRanges.ALL);
  }

  /**
   * As {@link #exchange(String)}, over only the tokens of {@code within} that both replicate (a
   * range that hinted handoff marked for repair, say).
   */
  public CompletableFuture<RepairReport> exchange(String peer, TokenRanges within) {
    requireNonNull(peer, "peer");
    requireNonNull(within, "within");
    KeyspaceSettings ks = keyspace.settings();
    if (skips(ks)) {
      return CompletableFuture.completedFuture(new RepairReport(ks.name(), peer, 0, 0, 0, 0, 0, 0, true, Duration.ZERO,
          List.of()));
    }
    Exchange x = new Exchange(peer, env.ticker().nanos());
    CompletableFuture<Void> chain;
    try {
      if (peer.equals(keyspace.nodeId())) {
        throw new IllegalArgumentException("node " + peer + " cannot exchange with itself");
      }
      if (!keyspace.ring().members().contains(peer)) {
        throw new IllegalArgumentException("node " + peer + " is not a member of the ring " + keyspace.ring());
      }
      TokenRanges scope = scopeWith(peer).intersect(within);
      x.ranges = scope.size();
      chain = CompletableFuture.completedFuture(null);
      for (TokenRanges piece : scope.split(WireCodec.MAX_SCOPE_RANGES)) {
        chain = chain.thenCompose(ignored -> piece(x, piece));
      }
    } catch (RuntimeException e) {
      chain = CompletableFuture.failedFuture(e);
    }
    return chain.handle((ignored, failure) -> {
      if (failure != null) {
        x.failures.add(Coordinator.describe(peer, failure));
      }
      return x.report(ks.name(), env.ticker().nanos());
    });
  }

  /** What one exchange has done so far; updated by its stages, which may run on several threads. */
  private static final class Exchange {
    final String peer;
    final long startNanos;
    volatile int ranges;
    final AtomicLong leavesCompared = new AtomicLong();
    final AtomicLong leavesDiffering = new AtomicLong();
    final AtomicLong keysDiffering = new AtomicLong();
    final AtomicLong pulled = new AtomicLong();
    final AtomicLong pushed = new AtomicLong();
    final AtomicLong recordsMoved = new AtomicLong();
    final AtomicLong bytesMoved = new AtomicLong();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();

    Exchange(String peer, long startNanos) {
      this.peer = peer;
      this.startNanos = startNanos;
    }

    RepairReport report(String keyspace, long nowNanos) {
      return new RepairReport(keyspace, peer, ranges, leavesCompared.get(), leavesDiffering.get(), keysDiffering.get(),
          pulled.get(), pushed.get(), false, Duration.ofNanos(nowNanos - startNanos), List.copyOf(failures));
    }
  }

  // ---- one piece of the scope: trees, descent, keys, records ----

  private CompletableFuture<Void> piece(Exchange x, TokenRanges scope) {
    long id = exchanges.incrementAndGet();
    int depth = settings.depth();
    x.leavesCompared.addAndGet(1L << depth);
    return CompletableFuture.supplyAsync(() -> tree(scope), scans)
        .thenCompose(local -> descend(x, id, local, 0, List.of(0)))
        .thenCompose(leaves -> {
          x.leavesDiffering.addAndGet(leaves.size());
          CompletableFuture<Void> groups = CompletableFuture.completedFuture(null);
          for (int from = 0; from < leaves.size(); from += LEAVES_PER_GROUP) {
            List<Integer> group = leaves.subList(from, Math.min(leaves.size(), from + LEAVES_PER_GROUP));
            groups = groups.thenCompose(ignored -> compareKeys(x, id, scope, group));
          }
          return groups;
        });
  }

  /**
   * Compares {@code nodes} of {@code level} with the peer's and descends below the differing ones;
   * completes with the differing leaves, ascending.
   */
  private CompletableFuture<List<Integer>> descend(Exchange x, long id, MerkleTree local, int level, List<Integer> nodes) {
    List<CompletableFuture<List<Integer>>> parts = new ArrayList<>();
    for (int from = 0; from < nodes.size(); from += WireCodec.MAX_TREE_NODES) {
      List<Integer> part = List.copyOf(nodes.subList(from, Math.min(nodes.size(), from + WireCodec.MAX_TREE_NODES)));
      ReplicaRequest.Tree request = new ReplicaRequest.Tree(keyspace.settings().name(), keyspace.nodeId(), id, local.scope(),
          local.depth(), level, part);
      parts.add(send(x.peer, request).thenApply(reply -> {
        if (!(reply instanceof ReplicaReply.TreeHashes hashes) || hashes.hashes().size() != part.size()) {
          throw new RingstoreException("asked for " + part.size() + " tree hashes, " + x.peer + " answered "
              + (reply instanceof ReplicaReply.TreeHashes h ? h.hashes().size() + " hashes" : Coordinator.describe(reply)));
        }
        List<Integer> differing = new ArrayList<>();
        for (int i = 0; i < part.size(); i++) {
          if (hashes.hashes().get(i) != local.hash(level, part.get(i))) {
            differing.add(part.get(i));
          }
        }
        return differing;
      }));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenCompose(ignored -> {
      List<Integer> differing = new ArrayList<>();
      for (CompletableFuture<List<Integer>> part : parts) {
        differing.addAll(part.join());
      }
      if (differing.isEmpty() || level == local.depth()) {
        return CompletableFuture.completedFuture(differing);
      }
      int levels = Math.min(MAX_LEVELS_PER_REQUEST, local.depth() - level);
      while (levels > 1 && ((long) differing.size() << levels) > WireCodec.MAX_TREE_NODES) {
        levels--;
      }
      return descend(x, id, local, level + levels, MerkleTree.children(differing, levels));
    });
  }

  /** A key whose records move, and what the peer holds of it (its digest, or null if it lacks the key). */
  private record Move(Bytes key, @Nullable Long peerDigest) {}

  /** Lists the keys of {@code leaves} on both sides and moves the records that differ. */
  private CompletableFuture<Void> compareKeys(Exchange x, long id, TokenRanges scope, List<Integer> leaves) {
    return CompletableFuture.supplyAsync(() -> localDigests(scope, leaves), scans).thenCompose(local -> {
      List<Move> moves = new ArrayList<>();
      return listKeys(x, id, scope, List.copyOf(leaves), null, local, moves).thenCompose(ignored -> {
        for (Bytes onlyHere : local.keySet()) {
          moves.add(new Move(onlyHere, null));
        }
        x.keysDiffering.addAndGet(moves.size());
        return move(x, moves, 0, 1);
      });
    });
  }

  /** This node's keys of {@code leaves} in {@code scope} and their version digests: one scan. */
  private Map<Bytes, Long> localDigests(TokenRanges scope, List<Integer> leaves) {
    Set<Integer> wanted = new HashSet<>(leaves);
    Map<Bytes, Long> digests = new HashMap<>();
    for (Iterator<EngineEntry> it = keyspace.replica().engine().iterator(); it.hasNext(); ) {
      EngineEntry entry = it.next();
      long token = Tokens.of(entry.key());
      if (scope.contains(token) && wanted.contains(MerkleTree.leafOf(token, settings.depth()))) {
        digests.put(entry.key(), VersionDigest.of(entry.record()));
      }
    }
    return digests;
  }

  /**
   * Pages through the peer's keys of {@code leaves}; each key whose digest differs from this node's
   * (or that this node lacks) becomes a move, and keys the peer also holds leave {@code local}.
   */
  private CompletableFuture<Void> listKeys(Exchange x, long id, TokenRanges scope, List<Integer> leaves,
      @Nullable Bytes afterKey, Map<Bytes, Long> local, List<Move> moves) {
    ReplicaRequest.Keys request = new ReplicaRequest.Keys(keyspace.settings().name(), keyspace.nodeId(), id, scope,
        settings.depth(), leaves, afterKey);
    return send(x.peer, request).thenCompose(reply -> {
      if (!(reply instanceof ReplicaReply.KeyDigests digests)) {
        throw new RingstoreException("asked for the keys of " + leaves.size() + " leaves, " + x.peer + " answered "
            + Coordinator.describe(reply));
      }
      for (ReplicaReply.KeyDigest entry : digests.entries()) {
        Long mine = local.remove(entry.key());
        if (mine == null || mine != entry.digest()) {
          moves.add(new Move(entry.key(), entry.digest()));
        }
      }
      if (!digests.more()) {
        return CompletableFuture.completedFuture(null);
      }
      if (digests.entries().isEmpty()) {
        throw new RingstoreException(x.peer + " answered an empty page of keys with more to follow");
      }
      Bytes last = digests.entries().get(digests.entries().size() - 1).key();
      int lastLeaf = MerkleTree.leafOf(Tokens.of(last), settings.depth());
      int from = leaves.indexOf(lastLeaf);
      if (from < 0) {
        throw new RingstoreException(x.peer + " listed key " + last + " of leaf " + lastLeaf + ", which was not asked for");
      }
      return listKeys(x, id, scope, leaves.subList(from, leaves.size()), last, local, moves);
    });
  }

  /**
   * Moves the records of {@code moves[from..]}, a batch of {@code batch} at a time: waits for the
   * rate limit, pulls what the peer holds, merges it here, pushes what the peer lacks.
   */
  private CompletableFuture<Void> move(Exchange x, List<Move> moves, int from, int batch) {
    if (from >= moves.size()) {
      return CompletableFuture.completedFuture(null);
    }
    List<Move> now = moves.subList(from, Math.min(moves.size(), from + batch));
    long waitNanos = rate.take(now.size());
    CompletableFuture<Void> ready = new CompletableFuture<>();
    if (waitNanos == 0) {
      ready.complete(null);
    } else {
      env.scheduler().schedule(() -> ready.complete(null), Duration.ofNanos(waitNanos));
    }
    return ready.thenCompose(ignored -> moveBatch(x, now)).thenCompose(ignored -> {
      long moved = Math.max(1, x.recordsMoved.get());
      long averageBytes = Math.max(1, x.bytesMoved.get() / moved);
      long byBytes = Math.max(1, settings.maxBytesInFlight() / averageBytes);
      int next = (int) Math.max(1, Math.min(Math.min(2L * batch, settings.maxRecordsPerBatch()), byBytes));
      return move(x, moves, from + now.size(), next);
    });
  }

  private CompletableFuture<Void> moveBatch(Exchange x, List<Move> batch) {
    String name = keyspace.settings().name();
    List<CompletableFuture<@Nullable StoredRecord>> toPush = new ArrayList<>(batch.size());
    try (ReplicaTransport.Cork cork = cork()) {
      for (Move move : batch) {
        if (move.peerDigest() == null) {
          toPush.add(CompletableFuture.completedFuture(keyspace.replica().get(move.key())));
          continue;
        }
        toPush.add(send(x.peer, new ReplicaRequest.Read(name, move.key(), false)).thenApply(reply -> {
          if (!(reply instanceof ReplicaReply.Found found)) {
            throw new RingstoreException("a read of key " + move.key() + ": " + Coordinator.describe(reply));
          }
          StoredRecord theirs = found.record();
          StoredRecord merged;
          if (theirs != null) {
            merged = keyspace.replica().merge(move.key(), theirs);
            x.pulled.incrementAndGet();
            count(x, move.key(), theirs);
          } else {
            merged = keyspace.replica().get(move.key());
          }
          // the peer holds its own version already: send back only what the merge made of it
          return merged != null && (theirs == null || VersionDigest.of(merged) != VersionDigest.of(theirs)) ? merged : null;
        }).exceptionally(failure -> {
          x.failures.add(Coordinator.describe(x.peer, failure));
          return null;
        }));
      }
    }
    return CompletableFuture.allOf(toPush.toArray(CompletableFuture[]::new)).thenCompose(ignored -> {
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      try (ReplicaTransport.Cork cork = cork()) {
        for (int i = 0; i < batch.size(); i++) {
          StoredRecord record = toPush.get(i).join();
          if (record == null) {
            continue;
          }
          Bytes key = batch.get(i).key();
          count(x, key, record);
          acks.add(send(x.peer, new ReplicaRequest.Merge(name, key, record)).handle((reply, failure) -> {
            if (failure != null) {
              x.failures.add(Coordinator.describe(x.peer, failure));
            } else if (reply instanceof ReplicaReply.Ack) {
              x.pushed.incrementAndGet();
            } else {
              x.failures.add(x.peer + ": a merge of key " + key + ": " + Coordinator.describe(reply));
            }
            return null;
          }));
        }
      }
      return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    });
  }

  private static void count(Exchange x, Bytes key, StoredRecord record) {
    x.recordsMoved.incrementAndGet();
    x.bytesMoved.addAndGet(record.weightBytes(key.length()));
  }

  private ReplicaTransport.Cork cork() {
    ReplicaTransport transport = keyspace.transport();
    return transport == null ? ReplicaTransport.Cork.NONE : transport.cork();
  }

  private CompletableFuture<ReplicaReply> send(String peer, ReplicaRequest request) {
    CompletionStage<ReplicaReply> reply = keyspace.request(peer, request, settings.requestTimeout().toMillis());
    return reply.toCompletableFuture();
  }
}
