package io.ringstore.cluster.replication;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.QuorumNotReachedException;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of one keyspace's data path on this node: it finds a key's replicas on the
 * ring, runs reads and read-modify-writes through them and waits for the configured quorums.
 *
 * <p>A write is made on the key's coordinating replica, the first of its preference list: the
 * {@link KeyOperation} sees the replicas' merged record, its {@link Mutation} becomes a new
 * version (a new dot of this node on the key's clock, {@link StoredRecord#write}) and the version
 * is sent to the other replicas, which merge it ({@link Replica#merge}). A read asks R replicas
 * and merges their answers with {@link StoredRecord#sync}.
 *
 * <p>On a single node the ring has one member, N = W = R = 1, and every step is a direct call on
 * the calling thread: no event bus, future or thread hop. A ring with remote members needs the
 * cluster transport, which this node does not have yet; {@link #update} and {@link #read} then
 * fail with {@link IllegalStateException} rather than pretend.
 *
 * <p>Thread-safety: thread-safe. Operations on one key are serialised by the local replica's
 * engine ({@link StorageEngine#compute} is atomic per key).
 */
public final class Coordinator {
  private final String nodeId;
  private final KeyspaceSettings settings;
  private final Replica local;
  private final Supplier<RingSnapshot> ring;
  private final HybridLogicalClock hlc;

  public Coordinator(String nodeId, KeyspaceSettings settings, Replica local, Supplier<RingSnapshot> ring,
      HybridLogicalClock hlc) {
    this.nodeId = nodeId;
    this.settings = settings;
    this.local = local;
    this.ring = ring;
    this.hlc = hlc;
  }

  /** The keyspace's settings. */
  public KeyspaceSettings settings() {
    return settings;
  }

  /** This node's id: the actor of the versions it coordinates. */
  public String nodeId() {
    return nodeId;
  }

  /**
   * The merged record of R replicas of {@code key}, or {@code null}; never an expired one.
   * Tombstones are returned.
   *
   * @throws QuorumNotReachedException if fewer than R replicas serve the key
   */
  public @Nullable StoredRecord read(Bytes key) {
    replicasOf(key, settings.readQuorum(), "read quorum R");
    return local.get(key);
  }

  /**
   * As {@link #read(Bytes)}, with another read quorum for this request.
   *
   * @throws IllegalArgumentException if {@code readQuorum} is not within 1..N
   */
  public @Nullable StoredRecord read(Bytes key, int readQuorum) {
    checkQuorum("readQuorum R", readQuorum);
    replicasOf(key, readQuorum, "read quorum R");
    return local.get(key);
  }

  /**
   * As {@link #read(Bytes, int)}, without blocking: the stage completes when R replicas have
   * answered (on the thread of the last answer; a local-only read completes before this returns),
   * exceptionally with the exceptions {@code read} throws.
   */
  public CompletionStage<@Nullable StoredRecord> readAsync(Bytes key, int readQuorum) {
    try {
      return CompletableFuture.completedFuture(read(key, readQuorum));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * As {@link #update(Bytes, KeyOperation)}, with other quorums for this request.
   *
   * @throws IllegalArgumentException if a quorum is not within 1..N
   */
  public @Nullable StoredRecord update(Bytes key, KeyOperation operation, int writeQuorum, int readQuorum) {
    checkQuorum("writeQuorum W", writeQuorum);
    checkQuorum("readQuorum R", readQuorum);
    return update(key, operation);
  }

  /**
   * As {@link #update(Bytes, KeyOperation, int, int)}, without blocking: the stage completes when
   * W replicas have acknowledged (on the thread of the last acknowledgement; a local-only update
   * completes before this returns), exceptionally with the exceptions {@code update} throws. The
   * operation may run on a thread of the cluster transport, and more than once if a concurrent
   * update of the key intervened.
   */
  public CompletionStage<@Nullable StoredRecord> updateAsync(Bytes key, KeyOperation operation, int writeQuorum,
      int readQuorum) {
    try {
      return CompletableFuture.completedFuture(update(key, operation, writeQuorum, readQuorum));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The ring this keyspace's keys are placed on now. */
  public RingSnapshot ring() {
    return ring.get();
  }

  private void checkQuorum(String what, int quorum) {
    int n = settings.replicationFactor();
    if (quorum < 1 || quorum > n) {
      throw new IllegalArgumentException("cache '" + settings.name() + "': " + what + " = " + quorum
          + " is out of range; need 1 <= " + what.substring(what.length() - 1) + " <= N (N = " + n + ")");
    }
  }

  /**
   * Runs {@code operation} on {@code key} at its coordinating replica and replicates the result to
   * W replicas.
   *
   * @return the record now stored, or {@code null} if the key holds nothing
   * @throws LimitExceededException if the result would keep more than {@code maxSiblings} values,
   *     or a bounded engine may not make room (nothing is written)
   * @throws QuorumNotReachedException if fewer than W replicas serve the key (nothing is written)
   */
  public @Nullable StoredRecord update(Bytes key, KeyOperation operation) {
    boolean onlyReplica = replicasOf(key, settings.writeQuorum(), "write quorum W").size() == 1;
    if (operation instanceof DirectOperation direct) {
      direct.bind(this, onlyReplica);
      return local.apply(key, direct);
    }
    return local.apply(key, (k, current) -> version(k, current, operation.apply(current), onlyReplica));
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
      return newVersion(key, current, null, StoredRecord.NEVER);
    }
    Mutation.Write write = (Mutation.Write) mutation;
    return newVersion(key, current, requireNonNull(write.value(), "value"), write.expiresAtMillis(), write.context());
  }

  private StoredRecord newVersion(Bytes key, @Nullable StoredRecord current, @Nullable Bytes value, long expiresAtMillis) {
    return newVersion(key, current, value, expiresAtMillis, null);
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

  /** A weakly consistent iterator over this node's live records of the keyspace. */
  public Iterator<EngineEntry> scan() {
    return local.engine().iterator();
  }

  /** Removes every record of the keyspace on this node. */
  public void clear() {
    local.engine().clear();
  }

  /** Closes this node's engine of the keyspace. */
  public void closeEngine() {
    local.engine().close();
  }

  /** The local engine's counters. */
  public EngineStats stats() {
    return local.engine().stats();
  }

  /**
   * The replicas that serve {@code key}, checked against {@code quorum}: fewer reachable replicas
   * than the quorum is a {@link QuorumNotReachedException} (a preference list shrinks when the
   * ring has fewer members than N, as in Dynamo).
   */
  private List<String> replicasOf(Bytes key, int quorum, String what) {
    RingSnapshot snapshot = ring.get();
    List<String> replicas = snapshot.isSingleMember()
        ? snapshot.members()
        : snapshot.preferenceList(Tokens.of(key), settings.replicationFactor());
    if (replicas.size() < quorum) {
      throw new QuorumNotReachedException(String.format(
          "cache '%s': %s needs %d replicas but the key has %d (%s) on a ring of %d members",
          settings.name(), what, quorum, replicas.size(), replicas, snapshot.members().size()), quorum, replicas.size());
    }
    if (replicas.size() != 1 || !replicas.get(0).equals(nodeId)) {
      throw new IllegalStateException("cache '" + settings.name() + "': replicas " + replicas + " of a key need the cluster"
          + " transport, which this node does not run; only a single-member ring is served");
    }
    return replicas;
  }
}
