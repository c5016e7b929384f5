package io.ringstore.cluster.replication;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.CapacityExceededException;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import io.ringstore.spi.env.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A keyspace's primary side of updates on this node: the commits it serialises as the first live
 * replica of a key ({@link Coordinator#commit}), the per-key queues of updates waiting for their
 * turn, and the making of new versions (a dot of this node, a hybrid-logical-clock timestamp, the
 * sibling and clock bounds), for commits and for keys this node alone holds.
 *
 * <p>Invariants: a key's turn queue is read and changed only inside that key's atomic compute on
 * the replica, so one commit at a time sees it; no new queue is made once
 * {@value #MAX_QUEUED_KEYS} keys have one (checked without a lock: concurrent commits of other
 * keys may pass it by a few); a queue holds each update (origin and ticket) at most once, and is
 * removed when empty.
 * A new version never keeps more than {@code maxSiblings} values (else
 * {@link LimitExceededException}, nothing written) nor more than {@code maxClockEntries} clock
 * entries (pruned).
 *
 * <p>Thread-safety: thread-safe. The queues map is concurrent and each queue is confined to its
 * key's compute; everything else is constant after construction. One instance per
 * {@link Coordinator}, which owns it.
 */
final class PrimaryCommits {
  /** The longest pause before an update decides again after a conflict, in microseconds. */
  static final long MAX_BACKOFF_MICROS = 20_000;

  /** How long a queued update keeps its turn on a key without coming back. */
  static final long TURN_NANOS = 100_000_000L;
  /** The most keys with queued updates a primary keeps (past it, conflicts are retried without a turn). */
  static final int MAX_QUEUED_KEYS = 65_536;

  // constant after construction
  private final Coordinator coordinator;
  private final String nodeId;
  private final KeyspaceSettings settings;
  private final Replica local;
  private final HybridLogicalClock hlc;
  private final Ticker ticker;
  // updates waiting for their turn per key (see commit); each queue is touched only inside its key's compute
  private final ConcurrentHashMap<Bytes, ArrayList<Turn>> turns = new ConcurrentHashMap<>();

  PrimaryCommits(Coordinator coordinator, String nodeId, KeyspaceSettings settings, Replica local, HybridLogicalClock hlc,
      Ticker ticker) {
    this.coordinator = coordinator;
    this.nodeId = nodeId;
    this.settings = settings;
    this.local = local;
    this.hlc = hlc;
    this.ticker = ticker;
  }

  /**
   * The primary's part of an update: merge what the coordinator saw, check the condition, make and
   * write the new version, replicate it and wait for W. Never throws: every outcome is a reply.
   * Replicas judged down, and those that do not acknowledge in time, get the version as a hint.
   *
   * <p>Fairness: a coordinator on this node decides faster than one elsewhere (its read of this
   * replica is a direct call), so on a hot key it could win every time. An update whose
   * conditional commit fails is queued for the key (by its origin and ticket); while the queue is
   * not empty, only its head may commit, the others are answered with a conflict. A queued update
   * that does not come back within {@link #TURN_NANOS} loses its turn.
   */
  CompletionStage<ReplicaReply> commit(ReplicaRequest.Commit commit) {
    Bytes key = commit.key();
    StoredRecord[] conflict = new StoredRecord[1];
    boolean[] conflicted = new boolean[1];
    int[] place = new int[1];
    StoredRecord next;
    if (commit.change().kind() == ReplicaRequest.Change.Kind.RELEASE) {
      StoredRecord[] held = new StoredRecord[1];
      local.apply(key, (k, current) -> {
        leaveQueue(k, commit);
        held[0] = current;
        return current;
      });
      return CompletableFuture.completedFuture(new ReplicaReply.Committed(held[0], 1));
    }
    try {
      next = local.apply(key, (k, current) -> {
        StoredRecord base = commit.base();
        StoredRecord seen = base == null ? current : current == null ? base : StoredRecord.sync(current, base);
        if (commit.conditional() && (!sameVersion(seen, commit.expected()) || !myTurn(k, commit))) {
          conflicted[0] = true;
          conflict[0] = seen;
          place[0] = queue(k, commit);
          return seen;
        }
        if (!turns.isEmpty()) {
          leaveQueue(k, commit);
        }
        return versionOf(k, seen, commit.change());
      });
    } catch (CapacityExceededException e) {
      return CompletableFuture.completedFuture(new ReplicaReply.Refused(ReplicaReply.Refused.Reason.CAPACITY,
          e.getMessage(), e.setting(), e.value(), e.limit()));
    } catch (LimitExceededException e) {
      return CompletableFuture.completedFuture(new ReplicaReply.Refused(ReplicaReply.Refused.Reason.LIMIT,
          e.getMessage(), e.setting(), e.value(), e.limit()));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new ReplicaReply.Refused(ReplicaReply.Refused.Reason.ERROR,
          "cache '" + settings.name() + "' on node " + nodeId + ": " + e, "", 0, 0));
    }
    if (conflicted[0]) {
      return CompletableFuture.completedFuture(new ReplicaReply.Conflict(conflict[0], place[0]));
    }
    if (next == null) {
      return CompletableFuture.completedFuture(new ReplicaReply.Committed(null, 1));
    }
    Placement placement = coordinator.place(key);
    List<String> targets = placement.writeReplicas();
    List<String> live = placement.writeLive();
    if (live.size() < targets.size()) {
      hintDown(key, next, targets, live);
    }
    // an origin that holds a live replica writes the answer itself: its copy is not sent, its write is the last
    // acknowledgement (not while a membership change moves the key: then every copy is sent and counted)
    boolean originWrites = commit.originWrites() && !placement.moving() && !commit.origin().equals(nodeId)
        && live.contains(commit.origin());
    List<String> written = originWrites ? List.of(nodeId, commit.origin()) : List.of(nodeId);
    List<String> others = new ArrayList<>(live.size());
    for (String node : live) {
      if (!written.contains(node)) {
        others.add(node);
      }
    }
    int writeQuorum = commit.writeQuorum();
    WriteRound round = WriteRound.start(coordinator, key, next, written, others, placement, writeQuorum);
    return round.result.thenApply(acknowledged -> {
      int count = acknowledged.size() - (originWrites ? 1 : 0);
      if (placement.meets(writeQuorum, acknowledged)) {
        return new ReplicaReply.Committed(next, count);
      }
      String where = placement.moving()
          ? String.format("%d of %d live replicas %s acknowledged, where W is needed of %s and of %s (a membership change moves"
              + " the key)", count, live.size(), live, placement.replicas(), placement.others())
          : String.format("%d of %d live replicas %s acknowledged%s", count, live.size(), live,
              originWrites ? " before the coordinating node " + commit.origin() + " writes its own copy" : "");
      return new ReplicaReply.Refused(ReplicaReply.Refused.Reason.QUORUM, String.format(
          "cache '%s': writeQuorum W = %d not reached: %s (%s)", settings.name(), writeQuorum, where, round.failures()),
          "writeQuorum W", count, writeQuorum);
    });
  }

  /** Keeps {@code record} as a hint for each of {@code targets} judged down (hinted handoff; never counted toward W). */
  private void hintDown(Bytes key, StoredRecord record, List<String> targets, List<String> live) {
    for (String node : targets) {
      if (!node.equals(nodeId) && !live.contains(node)) {
        coordinator.hints().add(node, key, record);
      }
    }
  }

  /** An update waiting for its turn to commit on a key: its origin, ticket and deadline. */
  private record Turn(String origin, long ticket, long untilNanos) {
    boolean is(ReplicaRequest.Commit commit) {
      return ticket == commit.ticket() && origin.equals(commit.origin());
    }
  }

  /** Whether {@code commit} may commit now: no queue for its key, or it heads it (called inside the key's compute). */
  private boolean myTurn(Bytes key, ReplicaRequest.Commit commit) {
    if (turns.isEmpty()) {
      return true;
    }
    ArrayList<Turn> queue = turns.get(key);
    if (queue == null) {
      return true;
    }
    long now = ticker.nanos();
    while (!queue.isEmpty() && now - queue.get(0).untilNanos() > 0 && !queue.get(0).is(commit)) {
      queue.remove(0); // its update did not come back in time
    }
    if (queue.isEmpty()) {
      turns.remove(key, queue);
      return true;
    }
    return queue.get(0).is(commit);
  }

  /**
   * Queues {@code commit}'s update for its key, or renews its deadline (called inside the key's
   * compute).
   *
   * @return its place in the queue, 0 for the head
   */
  private int queue(Bytes key, ReplicaRequest.Commit commit) {
    if (turns.size() >= MAX_QUEUED_KEYS && !turns.containsKey(key)) {
      return 0; // bounded: past it, conflicts are retried without a turn
    }
    ArrayList<Turn> queue = turns.computeIfAbsent(key, k -> new ArrayList<>(4));
    Turn renewed = new Turn(commit.origin(), commit.ticket(), ticker.nanos() + TURN_NANOS);
    for (int i = 0; i < queue.size(); i++) {
      if (queue.get(i).is(commit)) {
        queue.set(i, renewed); // keeps its place
        return i;
      }
    }
    queue.add(renewed);
    return queue.size() - 1;
  }

  /** Removes {@code commit}'s update from its key's queue once it committed (called inside the key's compute). */
  private void leaveQueue(Bytes key, ReplicaRequest.Commit commit) {
    ArrayList<Turn> queue = turns.get(key);
    if (queue != null) {
      queue.removeIf(turn -> turn.is(commit));
      if (queue.isEmpty()) {
        turns.remove(key, queue);
      }
    }
  }

  /**
   * A pause in [0, min(MAX_BACKOFF_MICROS, 500 x place x (1 + attempt / 16))) microseconds, spread
   * by a stateless hash: longer the further back in the key's queue and the longer the update has
   * been waiting (a turn held by an update that does not come back lasts {@link #TURN_NANOS}).
   */
  long backoffMicros(int place, int attempt) {
    long bound = Math.min(MAX_BACKOFF_MICROS, 500L * place * (1 + attempt / 16));
    long h = ticker.nanos() ^ ((long) nodeId.hashCode() << 32) ^ place;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return Math.floorMod(h, bound);
  }

  private static boolean sameVersion(@Nullable StoredRecord held, @Nullable VectorClock expected) {
    return held == null ? expected == null : expected != null && held.clock().equals(expected);
  }

  private @Nullable StoredRecord versionOf(Bytes key, @Nullable StoredRecord seen, ReplicaRequest.Change change) {
    switch (change.kind()) {
      case WRITE:
        return newVersion(key, seen, requireNonNull(change.value()), change.expiresAtMillis(), change.context());
      case DELETE:
        if (seen == null || seen.isTombstone()) {
          return seen;
        }
        return newVersion(key, seen, null, StoredRecord.NEVER, null);
      case RELEASE:
        return seen;
      default: // TOUCH: a new version, so that a shorter expiry reaches every replica
        if (seen == null || seen.isTombstone()) {
          return seen;
        }
        if (seen.hasSiblings()) {
          return seen.withExpiry(change.expiresAtMillis());
        }
        return newVersion(key, seen, seen.soleValue(), change.expiresAtMillis(), null);
    }
  }

  static ReplicaRequest.Change changeOf(Mutation mutation) {
    if (mutation instanceof Mutation.Write write) {
      return new ReplicaRequest.Change(ReplicaRequest.Change.Kind.WRITE, write.value(), write.expiresAtMillis(), write.context());
    }
    if (mutation instanceof Mutation.Touch touch) {
      return new ReplicaRequest.Change(ReplicaRequest.Change.Kind.TOUCH, null, touch.expiresAtMillis(), null);
    }
    return new ReplicaRequest.Change(ReplicaRequest.Change.Kind.DELETE, null, StoredRecord.NEVER, null);
  }

  /** The record that {@code mutation}, decided on {@code current}, makes of {@code key}. */
  @Nullable StoredRecord version(Bytes key, @Nullable StoredRecord current, Mutation mutation, boolean onlyReplica) {
    if (mutation instanceof Mutation.Keep) {
      return current;
    }
    if (mutation instanceof Mutation.Touch touch) {
      return current == null ? null : current.withExpiry(touch.expiresAtMillis());
    }
    if (mutation instanceof Mutation.Delete) {
      if (current == null) {
        return null;
      }
      if (onlyReplica) {
        // The key's only replica: no other copy can bring the key back, so no tombstone is needed.
        return null;
      }
      return newVersion(key, current, null, StoredRecord.NEVER, null);
    }
    Mutation.Write write = (Mutation.Write) mutation;
    return newVersion(key, current, requireNonNull(write.value(), "value"), write.expiresAtMillis(), write.context());
  }

  private StoredRecord newVersion(Bytes key, @Nullable StoredRecord current, @Nullable Bytes value, long expiresAtMillis,
      @Nullable VectorClock writeContext) {
    // A plain write descends everything this coordinator has seen of the key; a write with a
    // context only what that context covers.
    VectorClock context = writeContext != null ? writeContext : current == null ? VectorClock.EMPTY : current.clock();
    // One clock read per write: the clock entry's stamp is the wall-time part of the HLC timestamp,
    // which need only order the versions of this key (nowAfter: no write to shared state).
    long timestamp = hlc.nowAfter(current == null ? Long.MIN_VALUE : current.timestamp());
    StoredRecord next = StoredRecord.write(current, context, nodeId, timestamp, value, expiresAtMillis,
        HybridLogicalClock.millisOf(timestamp));
    if (next.hasSiblings() && next.siblings().size() > settings.maxSiblings()) {
      throw new LimitExceededException(String.format(
          "cache '%s': a write to key %s would keep %d sibling values, past the bound maxSiblings = %d",
          settings.name(), key, next.siblings().size(), settings.maxSiblings()),
          "maxSiblings", next.siblings().size(), settings.maxSiblings());
    }
    if (next.clock().size() > settings.maxClockEntries()) {
      next = StoredRecord.of(next.clock().prune(settings.maxClockEntries()), next.siblings(), next.expiresAtMillis());
    }
    return next;
  }
}
