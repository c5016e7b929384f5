package io.ringstore.cluster.replication;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.QuorumNotReachedException;
import io.ringstore.spi.RingstoreException;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.env.Clock;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.Ticker;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of one keyspace's data path on this node: it finds a key's replicas on the
 * ring, runs reads and read-modify-writes through them and waits for the configured quorums.
 *
 * <p><b>One replica</b> (a single node, or N = 1 with this node the key's replica): every step
 * is a direct call on the calling thread, the {@link KeyOperation} runs inside the engine's atomic
 * {@link StorageEngine#compute}: no network, future or thread hop.
 *
 * <p><b>Several replicas</b> (Dynamo's data path, DESIGN.md section 3):
 * <ul>
 *   <li>A read asks R live replicas of the key's preference list (this node's first, by a direct
 *       call, the others over the {@link ReplicaTransport}; one more for each that fails), answers
 *       with the vector-clock merge ({@link StoredRecord#sync}) of their answers, and repairs the
 *       asked replicas that answered with less ({@link ReadRound}).
 *   <li>An update is a quorum read (R, expired records included), the operation's decision on the
 *       merged record, and a <i>commit</i> at the key's primary, its first live replica, which
 *       serialises the key's writes: the primary merges what the coordinator saw into its copy,
 *       checks that its copy has not moved on (its clock equals the one the decision was made
 *       on), makes the new version with a dot of its own, writes it, sends it to the other live
 *       replicas and acknowledges after W ({@link WriteRound}). If the copy moved on, the
 *       coordinator decides again on the newer record, after a pause that grows with its place
 *       in the key's queue and with its attempts, until it commits or the conflicts have lasted
 *       the write timeout ({@link #MAX_ATTEMPTS}).
 * </ul>
 * Too few live replicas for a quorum fail at once; too few answers in time fail after the
 * keyspace's timeout; both with a {@link QuorumNotReachedException} that says how many replicas
 * answered of how many required, and which failed why. A write that failed its quorum may still
 * be visible on the replicas that took it (as in Dynamo): failure means "not acknowledged", not
 * "not written".
 *
 * <p>The other jobs of a keyspace's data path go to package-private collaborators that each
 * coordinator owns: {@link PrimaryCommits} (this node's side as a key's primary: commits, the
 * per-key turns of conflicting updates, making new versions), {@link BulkOperations} (many keys at
 * once) and {@link WholeKeyspace} (scan, clear and drop on every live node). This class keeps one
 * key's reads and updates, the key's placement on the ring, and the requests the rounds send.
 *
 * <p>Thread-safety: thread-safe. The synchronous methods run the operation on the calling thread;
 * the asynchronous ones on the thread that completes the quorum read (a transport thread).
 */
public final class Coordinator {
  private static final System.Logger LOG = System.getLogger(Coordinator.class.getName());

  /**
   * How many times at least an update decides again after concurrent updates of its key overtook
   * it, before it may give up: it gives up once it has made this many attempts and the conflicts
   * have lasted the keyspace's write timeout, or after {@link #MAX_ATTEMPTS_AT_ALL} attempts.
   */
  public static final int MAX_ATTEMPTS = 64;
  /** The most attempts an update makes, however short its pauses. */
  public static final int MAX_ATTEMPTS_AT_ALL = 4096;

  private final String nodeId;
  private final KeyspaceSettings settings;
  private final AtomicLong tickets = new AtomicLong();
  // the placement of every key on a single-member ring, kept to spare an object per operation
  private @Nullable Placement soloPlacement;
  private final Replica local;
  private final ClusterView cluster;
  private final @Nullable ReplicaTransport transport;
  private final HybridLogicalClock hlc;
  private final Env env;
  private final Clock clock;
  private final Ticker ticker;
  // the primary's side of commits (with the per-key turn queues), many keys at once, the whole keyspace
  private final PrimaryCommits commits;
  private final BulkOperations bulk;
  private final WholeKeyspace wholeKeyspace;
  // where this node, as a key's primary, keeps the versions a replica missed
  private final Hints hints;

  /**
   * A coordinator without hinted handoff ({@link Hints#NONE}).
   *
   * @param transport how to reach other nodes, or {@code null} for a node without a network (then
   *     only keys whose one replica is this node are served)
   */
  public Coordinator(KeyspaceSettings settings, Replica local, ClusterView cluster, @Nullable ReplicaTransport transport,
      HybridLogicalClock hlc, Env env) {
    this(settings, local, cluster, transport, hlc, env, Hints.NONE);
  }

  /**
   * @param transport how to reach other nodes, or {@code null} for a node without a network (then
   *     only keys whose one replica is this node are served)
   * @param hints where this node, as a key's primary, keeps the versions that replicas judged down
   *     or slow to answer missed
   */
  public Coordinator(KeyspaceSettings settings, Replica local, ClusterView cluster, @Nullable ReplicaTransport transport,
      HybridLogicalClock hlc, Env env, Hints hints) {
    this.hints = requireNonNull(hints, "hints");
    this.nodeId = cluster.self();
    this.settings = settings;
    this.local = local;
    this.cluster = cluster;
    this.transport = transport;
    this.hlc = hlc;
    this.env = env;
    this.clock = env.clock();
    this.ticker = env.ticker();
    this.commits = new PrimaryCommits(this, nodeId, settings, local, hlc, ticker);
    this.bulk = new BulkOperations(this, settings, local, transport, ticker);
    this.wholeKeyspace = new WholeKeyspace(this, nodeId, settings, local, cluster, transport, hlc);
  }

  /** This coordinator with other settings over the same replica (a cache opened over a replica-only keyspace). */
  public Coordinator withSettings(KeyspaceSettings newSettings) {
    return new Coordinator(newSettings, local, cluster, transport, hlc, env, hints);
  }

  /** The keyspace's settings. */
  public KeyspaceSettings settings() {
    return settings;
  }

  /** This node's id: the actor of the versions it coordinates. */
  public String nodeId() {
    return nodeId;
  }

  /** This node's replica of the keyspace. */
  public Replica replica() {
    return local;
  }

  // ---- reads ----

  /**
   * The merged record of R replicas of {@code key}, or {@code null}; never an expired one.
   * Tombstones are returned.
   *
   * @throws QuorumNotReachedException if fewer than R replicas answer
   */
  public @Nullable StoredRecord read(Bytes key) {
    Placement placement = place(key);
    if (placement.local()) {
      if (settings.readQuorum() > 1) {
        requireLive(placement, settings.readQuorum(), "readQuorum R");
      }
      return local.get(key);
    }
    return await(readRound(key, settings.readQuorum(), false, placement), settings.readTimeout().toMillis(), "a read");
  }

  /**
   * As {@link #read(Bytes)}, with another read quorum for this request.
   *
   * @throws IllegalArgumentException if {@code readQuorum} is not within 1..N
   */
  public @Nullable StoredRecord read(Bytes key, int readQuorum) {
    checkQuorum("readQuorum R", readQuorum);
    Placement placement = place(key);
    if (placement.local()) {
      requireLive(placement, readQuorum, "readQuorum R");
      return local.get(key);
    }
    return await(readRound(key, readQuorum, false, placement), settings.readTimeout().toMillis(), "a read");
  }

  /**
   * As {@link #read(Bytes, int)}, without blocking: the stage completes when R replicas have
   * answered (on the thread of the last answer; a local-only read completes before this returns),
   * exceptionally with the exceptions {@code read} throws.
   */
  public CompletionStage<@Nullable StoredRecord> readAsync(Bytes key, int readQuorum) {
    try {
      checkQuorum("readQuorum R", readQuorum);
      Placement placement = place(key);
      if (placement.local()) {
        requireLive(placement, readQuorum, "readQuorum R");
        return CompletableFuture.completedFuture(local.get(key));
      }
      return readRound(key, readQuorum, false, placement);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A quorum read of {@code key} over the placement's live replicas, this node's first (also for {@link BulkOperations}). */
  CompletableFuture<@Nullable StoredRecord> readRound(Bytes key, int quorum, boolean withExpired, Placement placement) {
    requireLive(placement, quorum, "readQuorum R");
    List<String> live = placement.live();
    int self = live.indexOf(nodeId);
    if (self > 0) { // this node's replica answers without a message: ask it first
      live = new ArrayList<>(live);
      live.add(0, live.remove(self));
    }
    return new ReadRound(this, key, live, quorum, "readQuorum R").start(withExpired).result;
  }

  // ---- updates ----

  /**
   * Runs {@code operation} on {@code key} and replicates the result to W replicas.
   *
   * @return the record now stored, or {@code null} if the key holds nothing
   * @throws LimitExceededException if the result would keep more than {@code maxSiblings} values,
   *     or a bounded engine may not make room (nothing is written)
   * @throws QuorumNotReachedException if fewer than R replicas answer the read or fewer than W
   *     acknowledge the write
   * @throws ContentionException if concurrent updates of the key won every attempt
   */
  public @Nullable StoredRecord update(Bytes key, KeyOperation operation) {
    return updateChecked(key, operation, settings.writeQuorum(), settings.readQuorum());
  }

  /**
   * As {@link #update(Bytes, KeyOperation)}, with other quorums for this request.
   *
   * @throws IllegalArgumentException if a quorum is not within 1..N
   */
  public @Nullable StoredRecord update(Bytes key, KeyOperation operation, int writeQuorum, int readQuorum) {
    checkQuorum("writeQuorum W", writeQuorum);
    checkQuorum("readQuorum R", readQuorum);
    return updateChecked(key, operation, writeQuorum, readQuorum);
  }

  private @Nullable StoredRecord updateChecked(Bytes key, KeyOperation operation, int writeQuorum, int readQuorum) {
    Placement placement = place(key);
    if (placement.local()) {
      int read = operation.blind() ? 1 : readQuorum; // a blind write reads nothing
      if (writeQuorum > 1 || read > 1) {
        requireLive(placement, Math.max(writeQuorum, read), writeQuorum >= read ? "writeQuorum W" : "readQuorum R");
      }
      return updateLocally(key, operation);
    }
    CallerThread caller = new CallerThread(transport);
    return caller.await(updateRound(key, operation, writeQuorum, readQuorum, placement, caller.executor()), ticker,
        updateDeadlineMillis(), "an update of cache '" + settings.name() + "'");
  }

  /**
   * As {@link #update(Bytes, KeyOperation, int, int)}, without blocking: the stage completes when
   * W replicas have acknowledged (on the thread of the last acknowledgement; a local-only update
   * completes before this returns), exceptionally with the exceptions {@code update} throws. The
   * operation runs on the thread that completed the quorum read (a transport thread: it must not
   * block), and more than once if a concurrent update of the key intervened.
   */
  public CompletionStage<@Nullable StoredRecord> updateAsync(Bytes key, KeyOperation operation, int writeQuorum,
      int readQuorum) {
    try {
      checkQuorum("writeQuorum W", writeQuorum);
      checkQuorum("readQuorum R", readQuorum);
      Placement placement = place(key);
      if (placement.local()) {
        int read = operation.blind() ? 1 : readQuorum;
        requireLive(placement, Math.max(writeQuorum, read), writeQuorum >= read ? "writeQuorum W" : "readQuorum R");
        return CompletableFuture.completedFuture(updateLocally(key, operation));
      }
      return updateRound(key, operation, writeQuorum, readQuorum, placement, Runnable::run);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private @Nullable StoredRecord updateLocally(Bytes key, KeyOperation operation) {
    if (operation instanceof DirectOperation direct) {
      direct.bind(this, true);
      return local.apply(key, direct);
    }
    return local.apply(key, (k, current) -> commits.version(k, current, operation.apply(current), true));
  }

  /**
   * A replicated update of {@code key}: the quorum read (none for a blind operation), then attempts
   * until one commits; decisions run on {@code decisions} (also for {@link BulkOperations}).
   */
  CompletableFuture<@Nullable StoredRecord> updateRound(Bytes key, KeyOperation operation, int writeQuorum,
      int readQuorum, Placement placement, Executor decisions) {
    requireWritable(placement, writeQuorum);
    long ticket = tickets.incrementAndGet();
    if (operation.blind()) {
      return attempt(key, operation, ticket, null, false, writeQuorum, placement, decisions, 1, ticker.nanos());
    }
    return readRound(key, readQuorum, true, placement)
        .thenComposeAsync(record -> attempt(key, operation, ticket, record, false, writeQuorum, placement, decisions, 1,
            ticker.nanos()),
            decisions);
  }

  /** One decision of {@code operation} on {@code seen} and its commit at the primary. */
  private CompletableFuture<@Nullable StoredRecord> attempt(Bytes key, KeyOperation operation, long ticket, @Nullable StoredRecord seen,
      boolean sendSeen, int writeQuorum, Placement placement, Executor decisions, int attempt, long firstNanos) {
    Mutation mutation = requireNonNull(operation.apply(seen), "the operation's mutation");
    String primary = placement.live().get(0);
    boolean localPrimary = primary.equals(nodeId);
    if (mutation instanceof Mutation.Keep) {
      if (attempt > 1) {
        // queued at the primary by its conflict: give the turn up, or the key waits for it
        ReplicaRequest.Commit release = new ReplicaRequest.Commit(settings.name(), key, nodeId, ticket, false, false, null, null,
            new ReplicaRequest.Change(ReplicaRequest.Change.Kind.RELEASE, null, StoredRecord.NEVER, null), 1,
            settings.writeTimeout().toMillis());
        (localPrimary ? commits.commit(release) : request(primary, release, settings.writeTimeout().toMillis()))
            .whenComplete((reply, failure) -> {
              if (failure != null) {
                LOG.log(Level.DEBUG, () -> "cache '" + settings.name() + "': giving up a turn at " + primary + " failed: "
                    + describe(primary, failure));
              }
            });
      }
      return CompletableFuture.completedFuture(seen);
    }
    boolean conditional = !operation.blind();
    // a replica itself, this node writes the primary's answer to its own copy: one acknowledgement the primary need not wait for
    boolean originWrites = !localPrimary && !placement.moving() && placement.replicas().contains(nodeId);
    ReplicaRequest.Commit commit = new ReplicaRequest.Commit(settings.name(), key, nodeId, ticket, conditional, originWrites,
        seen == null ? null : seen.clock(), localPrimary || sendSeen ? seen : null, PrimaryCommits.changeOf(mutation),
        writeQuorum, settings.writeTimeout().toMillis());
    CompletionStage<ReplicaReply> reply = localPrimary
        ? commits.commit(commit)
        : request(primary, commit, 2 * settings.writeTimeout().toMillis());
    return reply.thenComposeAsync(answer -> {
      if (answer instanceof ReplicaReply.Committed committed) {
        StoredRecord stored = committed.record();
        if (originWrites && stored != null) {
          return keepCommitted(key, stored, committed.acknowledged(), writeQuorum, primary);
        }
        return CompletableFuture.completedFuture(stored);
      }
      if (answer instanceof ReplicaReply.Conflict conflict) {
        long elapsedNanos = ticker.nanos() - firstNanos;
        if ((attempt >= MAX_ATTEMPTS && elapsedNanos >= settings.writeTimeout().toNanos()) || attempt >= MAX_ATTEMPTS_AT_ALL) {
          return CompletableFuture.failedFuture(new ContentionException(String.format(
              "cache '%s': an update of key %s gave up after %d attempts in %d ms (writeTimeout %d ms), each overtaken by a"
                  + " concurrent update at its primary %s", settings.name(), key, attempt, elapsedNanos / 1_000_000,
              settings.writeTimeout().toMillis(), primary)));
        }
        StoredRecord current = conflict.current();
        StoredRecord next = seen == null ? current : current == null ? seen : StoredRecord.sync(seen, current);
        if (conflict.place() == 0) {
          // the primary queued this update at the head (see commit): its turn, no pause
          return attempt(key, operation, ticket, next, true, writeQuorum, placement, decisions, attempt + 1, firstNanos);
        }
        // a random pause, growing with the place in the queue, while the updates ahead commit
        CompletableFuture<Void> pause = new CompletableFuture<>();
        env.scheduler().schedule(() -> pause.complete(null),
            Duration.ofNanos(1000 * commits.backoffMicros(conflict.place(), attempt)));
        return pause.thenComposeAsync(
            ignored -> attempt(key, operation, ticket, next, true, writeQuorum, placement, decisions, attempt + 1, firstNanos),
            decisions);
      }
      return CompletableFuture.failedFuture(refusal(primary, answer));
    }, decisions).toCompletableFuture();
  }

  /**
   * Writes a version the primary committed to this node's replica (the coordinator's part of
   * {@link ReplicaRequest.Commit#originWrites()}): it is the write's last acknowledgement when the
   * primary's {@code acknowledged} fall one short of {@code writeQuorum}.
   */
  private CompletableFuture<@Nullable StoredRecord> keepCommitted(Bytes key, StoredRecord stored, int acknowledged,
      int writeQuorum, String primary) {
    try {
      local.merge(key, stored);
      return CompletableFuture.completedFuture(stored);
    } catch (RuntimeException e) {
      if (acknowledged >= writeQuorum) {
        LOG.log(Level.DEBUG, () -> "cache '" + settings.name() + "': keeping a committed version locally failed", e);
        return CompletableFuture.completedFuture(stored);
      }
      return CompletableFuture.failedFuture(new QuorumNotReachedException(String.format(
          "cache '%s': writeQuorum W = %d not reached: the primary %s and %d other replicas acknowledged, and this node's own "
              + "replica failed to write the version: %s", settings.name(), writeQuorum, primary, acknowledged - 1, e),
          writeQuorum, acknowledged));
    }
  }

  // ---- the primary's side of a commit ----

  /**
   * The primary's part of an update: merge what the coordinator saw, check the condition, make and
   * write the new version, replicate it and wait for W. Never throws: every outcome is a reply.
   * Updates that lose a conditional commit wait their turn on the key ({@link PrimaryCommits}).
   */
  public CompletionStage<ReplicaReply> commit(ReplicaRequest.Commit commit) {
    return commits.commit(commit);
  }

  /** The record that {@code mutation}, decided on {@code current}, makes of {@code key}. */
  @Nullable StoredRecord version(Bytes key, @Nullable StoredRecord current, Mutation mutation, boolean onlyReplica) {
    return commits.version(key, current, mutation, onlyReplica);
  }

  // ---- the replica side and the transport, for the rounds and the node ----

  /** This replica's record of {@code key}; with {@code withExpired}, also one whose expiry has passed. */
  public @Nullable StoredRecord localRead(Bytes key, boolean withExpired) {
    if (!withExpired) {
      return local.get(key);
    }
    StoredRecord[] held = new StoredRecord[1];
    local.apply(key, (k, current) -> {
      held[0] = current;
      return current;
    });
    return held[0];
  }

  /** Sends {@code request} to {@code node}; a replica that lacks the keyspace is given it and asked again. */
  CompletionStage<ReplicaReply> request(String node, ReplicaRequest request, long timeoutMillis) {
    ReplicaTransport t = transport;
    if (t == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("cache '" + settings.name()
          + "': node " + nodeId + " has no cluster transport to reach " + node));
    }
    return t.send(node, request, timeoutMillis).thenCompose(reply -> {
      if (!(reply instanceof ReplicaReply.UnknownKeyspace)) {
        return CompletableFuture.completedFuture(reply);
      }
      return t.send(node, new ReplicaRequest.Open(settings), timeoutMillis)
          .thenCompose(opened -> opened instanceof ReplicaReply.Ack
              ? t.send(node, request, timeoutMillis)
              : CompletableFuture.completedFuture(opened));
    });
  }

  /**
   * Sends a version {@code node} missed for it to merge (a hint handed off, a record anti-entropy
   * found missing): completes with its reply ({@link ReplicaReply.Ack} once merged), exceptionally
   * if it cannot be reached within the write timeout. A node that lacks the keyspace is given it
   * first.
   */
  public CompletionStage<ReplicaReply> handOff(String node, Bytes key, StoredRecord record) {
    return request(node, new ReplicaRequest.Merge(settings.name(), key, record), settings.writeTimeout().toMillis());
  }

  /**
   * As {@link #handOff}, but a node that lacks the keyspace is not given it: it answers
   * {@link ReplicaReply.UnknownKeyspace}. For hints: a node that no longer has the keyspace (the
   * cache was destroyed since) must not have it opened again by a late hint, which would bring the
   * destroyed cache's record into the next cache of that name.
   */
  public CompletionStage<ReplicaReply> handOffIfOpen(String node, Bytes key, StoredRecord record) {
    ReplicaTransport t = transport;
    if (t == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("cache '" + settings.name()
          + "': node " + nodeId + " has no cluster transport to reach " + node));
    }
    return t.send(node, new ReplicaRequest.Merge(settings.name(), key, record), settings.writeTimeout().toMillis());
  }

  /** Where this node keeps the versions replicas missed (for the rounds). */
  Hints hints() {
    return hints;
  }

  /** Sends {@code record} to {@code node} to merge (read repair); failures are only logged. */
  void repair(String node, Bytes key, StoredRecord record) {
    if (node.equals(nodeId)) {
      try {
        local.merge(key, record);
      } catch (RuntimeException e) {
        LOG.log(Level.DEBUG, () -> "cache '" + settings.name() + "': local read repair failed", e);
      }
      return;
    }
    request(node, new ReplicaRequest.Merge(settings.name(), key, record), settings.writeTimeout().toMillis())
        .whenComplete((reply, failure) -> {
          if (failure != null || !(reply instanceof ReplicaReply.Ack)) {
            LOG.log(Level.DEBUG, () -> "cache '" + settings.name() + "': read repair of " + node + " failed: "
                + (failure != null ? describe(node, failure) : describe(reply)));
          }
        });
  }

  long wallMillis() {
    return clock.millis();
  }

  static String describe(String node, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String message = cause.getMessage();
    return message != null && message.contains(node) ? message : node + ": " + (message == null ? cause.toString() : message);
  }

  static String describe(ReplicaReply reply) {
    return reply instanceof ReplicaReply.Refused refused ? refused.message() : "unexpected reply " + reply;
  }

  private RingstoreException refusal(String primary, ReplicaReply reply) {
    if (reply instanceof ReplicaReply.Refused refused) {
      switch (refused.reason()) {
        case QUORUM:
          return new QuorumNotReachedException(refused.message(), (int) refused.bound(), (int) refused.value());
        case LIMIT:
        case CAPACITY:
          return new LimitExceededException(refused.message(), refused.setting(), refused.value(), refused.bound());
        default:
          return new RingstoreException("cache '" + settings.name() + "': the key's primary " + primary + " refused: "
              + refused.message());
      }
    }
    return new RingstoreException("cache '" + settings.name() + "': the key's primary " + primary + " answered " + reply);
  }

  // ---- placement ----

  /**
   * {@code key}'s replicas on the ring now, and the live ones among them; while a membership change
   * moves the key, also its replicas on the other ring ({@link Placement}).
   */
  Placement place(Bytes key) {
    ClusterView.Rings rings = cluster.rings();
    RingSnapshot snapshot = rings.ring();
    RingSnapshot other = rings.other();
    if (snapshot.isSingleMember() && other == snapshot) {
      List<String> members = snapshot.members();
      if (!members.get(0).equals(nodeId)) {
        throw new IllegalStateException("cache '" + settings.name() + "': the ring's only member is " + members.get(0)
            + ", not this node " + nodeId);
      }
      Placement solo = soloPlacement;
      if (solo == null || solo.replicas() != members) {
        solo = new Placement(members, members, true);
        soloPlacement = solo; // racy but benign: placements are immutable
      }
      return solo;
    }
    long token = Tokens.of(key);
    List<String> replicas = snapshot.preferenceList(token, settings.replicationFactor());
    List<String> others = other == snapshot ? replicas : other.preferenceList(token, settings.replicationFactor());
    boolean moving = !others.equals(replicas);
    if (!moving && replicas.size() == 1 && replicas.get(0).equals(nodeId)) {
      return new Placement(replicas, replicas, true);
    }
    if (transport == null) {
      throw new IllegalStateException("cache '" + settings.name() + "': replicas " + replicas + " of a key need the cluster"
          + " transport, which this node does not run; only a single-member ring is served");
    }
    if (!moving) {
      return new Placement(replicas, alive(replicas), false);
    }
    return new Placement(replicas, alive(replicas), false, others, alive(others));
  }

  /** {@code replicas} without those judged down: the same list when none is. */
  private List<String> alive(List<String> replicas) {
    for (int i = 0; i < replicas.size(); i++) {
      if (!cluster.isAlive(replicas.get(i))) {
        List<String> live = new ArrayList<>(replicas.size());
        for (String node : replicas) {
          if (cluster.isAlive(node)) {
            live.add(node);
          }
        }
        return live;
      }
    }
    return replicas;
  }

  /**
   * Fails at once when fewer live replicas than {@code writeQuorum} take the key's writes (on either
   * ring while a membership change moves the key).
   */
  void requireWritable(Placement placement, int writeQuorum) {
    requireLive(placement, writeQuorum, "writeQuorum W");
    if (placement.moving() && placement.otherLive().size() < writeQuorum) {
      List<String> down = new ArrayList<>(placement.others());
      down.removeAll(placement.otherLive());
      throw new QuorumNotReachedException(String.format("cache '%s': writeQuorum W = %d not reachable: a membership change"
          + " moves the key to replicas %s, of which %d are alive (down: %s)", settings.name(), writeQuorum, placement.others(),
          placement.otherLive().size(), down), writeQuorum, placement.otherLive().size());
    }
  }

  /** Fails at once when fewer live replicas than {@code quorum} serve the key. */
  void requireLive(Placement placement, int quorum, String what) {
    if (placement.live().size() < quorum) {
      List<String> down = new ArrayList<>(placement.replicas());
      down.removeAll(placement.live());
      String why = down.isEmpty()
          ? String.format("the key has %d replicas %s on a ring of %d members", placement.replicas().size(), placement.replicas(),
              cluster.ring().members().size())
          : String.format("%d of the key's %d replicas %s are alive (down: %s)", placement.live().size(),
              placement.replicas().size(), placement.replicas(), down);
      throw new QuorumNotReachedException(String.format("cache '%s': %s = %d not reachable: %s", settings.name(), what, quorum,
          why), quorum, placement.live().size());
    }
  }

  private void checkQuorum(String what, int quorum) {
    int n = settings.replicationFactor();
    if (quorum < 1 || quorum > n) {
      throw new IllegalArgumentException("cache '" + settings.name() + "': " + what + " = " + quorum
          + " is out of range; need 1 <= " + what.substring(what.length() - 1) + " <= N (N = " + n + ")");
    }
  }

  /** The longest a caller waits for an update: every attempt's read and commit, each at its timeout. */
  long updateDeadlineMillis() {
    return (settings.readTimeout().toMillis() + 2 * settings.writeTimeout().toMillis()) * (MAX_ATTEMPTS + 1L)
        + PrimaryCommits.MAX_BACKOFF_MICROS / 1000 * MAX_ATTEMPTS_AT_ALL;
  }

  <T> T await(CompletableFuture<T> outcome, long timeoutMillis, String what) {
    return new CallerThread(transport).await(outcome, ticker, 2 * timeoutMillis, what + " of cache '" + settings.name() + "'");
  }

  // ---- many keys at once ----

  /**
   * The records of {@code keys} (as {@link #read(Bytes)} each), read all at once: on a replicated
   * keyspace every key's quorum read is in flight together (at most
   * {@value BulkOperations#BULK_WINDOW} at a time), so a bulk read costs about one round trip, not
   * one per key. Each window's requests are sent inside one cork of the transport: one message per
   * node, not one per key.
   *
   * @return per key, in order: its record, {@code null}, or the {@link RuntimeException} its read
   *     failed with (the others still complete)
   */
  public List<@Nullable Object> readAll(List<Bytes> keys) {
    return bulk.readAll(keys);
  }

  /**
   * Runs {@code operations.get(i)} on {@code keys.get(i)} for every i (as {@link #update(Bytes,
   * KeyOperation)} each), all at once on a replicated keyspace (at most
   * {@value BulkOperations#BULK_WINDOW} in flight). The operations' decisions run on the calling
   * thread, one at a time, so operations may share unsynchronised state (an event batch). Each
   * window's reads, and the commits of the decisions the caller makes together, go out inside corks
   * of the transport: one message per node at a time, not one per key.
   *
   * @return per key, in order: the record now stored, {@code null}, or the {@link RuntimeException}
   *     its update failed with (the others still complete)
   */
  public List<@Nullable Object> updateAll(List<Bytes> keys, List<? extends KeyOperation> operations) {
    return bulk.updateAll(keys, operations);
  }

  // ---- the whole keyspace ----

  /**
   * A weakly consistent iterator over the keyspace's live records on every live node
   * ({@link ClusterScan}); on a node alone, over its own records.
   */
  public Iterator<EngineEntry> scan() {
    return wholeKeyspace.scan();
  }

  /**
   * Removes every record of the keyspace on every live node (no tombstones, no events: JCache's
   * {@code clear}), this node's first. The clear has a hybrid-logical-clock time; each replica
   * drops versions it receives later that are not after it ({@link Replica#clear(long)}), so writes
   * acknowledged before the clear and still travelling between replicas do not come back.
   *
   * @throws QuorumNotReachedException naming the nodes that did not confirm within the write timeout
   */
  public void clear() {
    wholeKeyspace.clear();
  }

  /** Removes every record of the keyspace on this node only. */
  public void clearLocal() {
    wholeKeyspace.clearLocal();
  }

  /** This node's part of a clear made at {@code timestamp} by another node. */
  public void clearLocal(long timestamp) {
    wholeKeyspace.clearLocal(timestamp);
  }

  /**
   * Asks every other live node to drop its replica of the keyspace (a destroyed cache), waiting
   * at most the write timeout; nodes that do not confirm are named in the exception.
   */
  public void dropElsewhere() {
    wholeKeyspace.dropElsewhere();
  }

  // ---- this node's replica ----

  /** Closes this node's engine of the keyspace. */
  public void closeEngine() {
    local.engine().close();
  }

  /** The local engine's counters. */
  public EngineStats stats() {
    return local.engine().stats();
  }

  /** The ring this keyspace's keys are placed on now. */
  public RingSnapshot ring() {
    return cluster.ring();
  }

  /** The cluster as this coordinator sees it. */
  public ClusterView cluster() {
    return cluster;
  }

  /** How this node reaches the others, or {@code null} for a node without a network. */
  public @Nullable ReplicaTransport transport() {
    return transport;
  }
}
