package io.ringstore.cluster.wire;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.repair.MerkleTree;
import io.ringstore.cluster.repair.TokenRanges;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A request one node sends a replica of a keyspace: the replica protocol's questions.
 * {@link WireCodec} turns them into bytes and back; each has one reply type ({@link ReplicaReply}).
 *
 * <p>Thread-safety: immutable (the {@link Bytes} and records it holds are immutable).
 */
public sealed interface ReplicaRequest {

  /** The keyspace (cache) the request is about. */
  String keyspace();

  /**
   * What the replica holds for {@code key}: answered by {@link ReplicaReply.Found}.
   *
   * @param withExpired whether a record whose expiry has passed is returned too (a coordinator
   *     that runs a read-modify-write reports it as expired); otherwise it counts as absent
   */
  record Read(String keyspace, Bytes key, boolean withExpired) implements ReplicaRequest {
    public Read {
      requireNonNull(keyspace, "keyspace");
      requireNonNull(key, "key");
    }
  }

  /**
   * Merge {@code record} into what the replica holds by vector clock (a coordinator's replicated
   * write, or a read repair): answered by {@link ReplicaReply.Ack}.
   */
  record Merge(String keyspace, Bytes key, StoredRecord record) implements ReplicaRequest {
    public Merge {
      requireNonNull(keyspace, "keyspace");
      requireNonNull(key, "key");
      requireNonNull(record, "record");
    }
  }

  /**
   * A write made by a coordinator that is not the key's primary (its first live replica), sent to
   * the primary, which serialises the key's writes: the primary merges {@code base} (if any) into
   * its copy, and if {@code conditional} checks that its copy's clock equals {@code expected}
   * ({@code null}: the key must be absent). If the check passes it makes the new version
   * ({@code change}) with a dot of its own, replicates it and waits for {@code writeQuorum}
   * acknowledgements within {@code timeoutMillis}: {@link ReplicaReply.Committed}. If the check
   * fails: {@link ReplicaReply.Conflict} with the primary's copy, on which the coordinator decides
   * again.
   *
   * <p>{@code origin} and {@code ticket} name the update (the coordinating node and its number for
   * the update, the same on every attempt): the primary queues updates that met a conflict and
   * lets them commit in turn, so that no coordinator is starved on a hot key.
   *
   * <p>{@code originWrites}: the origin holds a replica of the key and writes the committed
   * version to it itself when the answer comes; a primary that also counts the origin among the
   * key's live replicas then sends it no copy and waits for one acknowledgement fewer (the
   * origin's own write is the last one), so that a W = 2 write costs one round trip.
   *
   * @param origin the coordinating node's id
   * @param ticket the coordinator's number for this update
   * @param originWrites whether the origin writes the committed version to its own replica
   * @param base what the coordinator has seen beyond the primary's copy (after a conflict), or null
   */
  record Commit(String keyspace, Bytes key, String origin, long ticket, boolean conditional, boolean originWrites,
      @Nullable VectorClock expected, @Nullable StoredRecord base, Change change, int writeQuorum, long timeoutMillis)
      implements ReplicaRequest {
    public Commit {
      requireNonNull(keyspace, "keyspace");
      requireNonNull(key, "key");
      requireNonNull(origin, "origin");
      requireNonNull(change, "change");
      if (ticket < 0) {
        throw new IllegalArgumentException("ticket = " + ticket + "; need >= 0");
      }
      if (writeQuorum < 1) {
        throw new IllegalArgumentException("writeQuorum = " + writeQuorum + "; need >= 1");
      }
      if (timeoutMillis < 1) {
        throw new IllegalArgumentException("timeoutMillis = " + timeoutMillis + "; need >= 1");
      }
    }
  }

  /**
   * Open the keyspace with {@code settings} on the replica if it is not open (a replica learns of a
   * cache from the first coordinator that needs it): answered by {@link ReplicaReply.Ack}. The
   * settings' removal listener does not travel; the replica uses none.
   */
  record Open(KeyspaceSettings settings) implements ReplicaRequest {
    public Open {
      requireNonNull(settings, "settings");
    }

    @Override
    public String keyspace() {
      return settings.name();
    }
  }

  /**
   * Remove every record of the keyspace on the replica: answered by {@link ReplicaReply.Ack}.
   * {@code timestamp} is the clear's hybrid-logical-clock time: the replica drops any version it
   * receives afterwards whose timestamp is not after it (a replicated write or a read repair that
   * was in flight during the clear must not bring a cleared entry back).
   */
  record Clear(String keyspace, long timestamp) implements ReplicaRequest {
    public Clear {
      requireNonNull(keyspace, "keyspace");
      if (timestamp < 0) {
        throw new IllegalArgumentException("timestamp = " + timestamp + "; need >= 0");
      }
    }
  }

  /** Close the keyspace on the replica and drop its records: answered by {@link ReplicaReply.Ack}. */
  record Drop(String keyspace) implements ReplicaRequest {
    public Drop {
      requireNonNull(keyspace, "keyspace");
    }
  }

  /**
   * A page of the replica's live records of the keyspace, in the engine's key order, starting after
   * {@code afterKey} ({@code null}: from the start), at most {@code maxEntries}: answered by
   * {@link ReplicaReply.Page}.
   */
  record Scan(String keyspace, @Nullable Bytes afterKey, int maxEntries) implements ReplicaRequest {
    public Scan {
      requireNonNull(keyspace, "keyspace");
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries = " + maxEntries + "; need >= 1");
      }
    }
  }

  /**
   * Anti-entropy: the hashes of {@code nodes} of {@code level} of the replica's Merkle tree of
   * depth {@code depth} over the keys in {@code scope}: answered by {@link ReplicaReply.TreeHashes},
   * the hashes in the order of {@code nodes}. {@code origin} and {@code exchange} name the exchange
   * (the asking node and its number for it): the replica keeps the tree it built for the
   * exchange's next requests, so its engine is scanned once per exchange.
   *
   * <p>Invariants: {@code scope} non-empty and at most {@link WireCodec#MAX_SCOPE_RANGES} ranges;
   * {@code 0 <= depth <= MerkleTree.MAX_DEPTH}; {@code 0 <= level <= depth}; {@code nodes} 1 to
   * {@link WireCodec#MAX_TREE_NODES}, strictly ascending, each below {@code 2^level}.
   */
  record Tree(String keyspace, String origin, long exchange, TokenRanges scope, int depth, int level, List<Integer> nodes)
      implements ReplicaRequest {
    public Tree {
      requireNonNull(keyspace, "keyspace");
      requireNonNull(origin, "origin");
      requireNonNull(scope, "scope");
      nodes = List.copyOf(nodes);
      checkExchange(exchange, scope, depth);
      if (level < 0 || level > depth) {
        throw new IllegalArgumentException("tree level = " + level + " is out of range; need 0 <= level <= depth = " + depth);
      }
      checkIndexes("tree node", nodes, level);
    }
  }

  /**
   * Anti-entropy: the keys and {@linkplain io.ringstore.cluster.repair.VersionDigest version
   * digests} of the replica's live records (tombstones included, expired records not) whose tokens
   * are in {@code scope} and fall in {@code leaves} of a tree of {@code depth}, in order of leaf
   * and then key (unsigned bytes), starting after {@code afterKey} within the first leaf
   * ({@code null}: from its start): answered by {@link ReplicaReply.KeyDigests}, which says whether
   * more follow. The descent of the exchange is over: the replica drops its tree.
   *
   * <p>Invariants: as {@link Tree}, with {@code leaves} in place of the nodes of level {@code depth}.
   */
  record Keys(String keyspace, String origin, long exchange, TokenRanges scope, int depth, List<Integer> leaves,
      @Nullable Bytes afterKey) implements ReplicaRequest {
    public Keys {
      requireNonNull(keyspace, "keyspace");
      requireNonNull(origin, "origin");
      requireNonNull(scope, "scope");
      leaves = List.copyOf(leaves);
      checkExchange(exchange, scope, depth);
      checkIndexes("leaf", leaves, depth);
    }
  }

  /**
   * Removes the replica's record of {@code key} if it is a tombstone whose clock equals
   * {@code clock}, and nothing else (a newer version, a value or siblings stay): the last step of
   * purging a tombstone every replica of the key was found to hold (docs/tombstones.md).
   * Answered with {@link ReplicaReply.Ack} whether or not it removed anything.
   */
  record Purge(String keyspace, Bytes key, VectorClock clock) implements ReplicaRequest {
    public Purge {
      requireNonNull(keyspace, "keyspace");
      requireNonNull(key, "key");
      requireNonNull(clock, "clock");
    }
  }

  private static void checkExchange(long exchange, TokenRanges scope, int depth) {
    if (exchange < 0) {
      throw new IllegalArgumentException("exchange = " + exchange + "; need >= 0");
    }
    if (scope.isEmpty()) {
      throw new IllegalArgumentException("an anti-entropy scope needs at least one token range");
    }
    MerkleTree.checkDepth(depth);
  }

  private static void checkIndexes(String what, List<Integer> indexes, int level) {
    if (indexes.isEmpty()) {
      throw new IllegalArgumentException("a request for tree hashes or keys needs at least one " + what);
    }
    int previous = -1;
    for (int index : indexes) {
      if (index <= previous || index >= 1 << level) {
        throw new IllegalArgumentException(what + " " + index + (index <= previous ? " is not after " + previous
            + "; indexes must be strictly ascending" : " is out of range; need < 2^" + level + " = " + (1 << level)));
      }
      previous = index;
    }
  }

  /**
   * Several requests to one node in one frame (a sender's corked requests, see
   * {@code ReplicaTransport.cork()}): the replica handles each as if it came alone and answers
   * them all at once with {@link ReplicaReply.Batched}, the replies in the same order. At least one
   * request, at most {@link WireCodec#MAX_BATCH} (checked when encoded), none of them a batch.
   * {@link #keyspace()} is the first request's: a batch may mix keyspaces, and a receiver that needs
   * them all (to choose a thread) looks at each request.
   */
  record Batch(List<ReplicaRequest> requests) implements ReplicaRequest {
    public Batch {
      requests = List.copyOf(requests);
      if (requests.isEmpty()) {
        throw new IllegalArgumentException("a batch needs at least one request");
      }
      for (ReplicaRequest request : requests) {
        if (request instanceof Batch) {
          throw new IllegalArgumentException("a batch may not hold a batch");
        }
      }
    }

    @Override
    public String keyspace() {
      return requests.get(0).keyspace();
    }
  }

  /**
   * The new version a {@link Commit} asks for.
   *
   * @param kind write, delete or touch (a new expiry for the value held)
   * @param value the value of a write, {@code null} for the other kinds
   * @param expiresAtMillis the written value's absolute expiry (or the touch's), {@code StoredRecord.NEVER} for never
   * @param context the causal context of the write ({@code null}: everything the primary holds,
   *     a plain write); a write with a context replaces only the siblings it covers
   */
  record Change(Kind kind, @Nullable Bytes value, long expiresAtMillis, @Nullable VectorClock context) {
    public Change {
      requireNonNull(kind, "kind");
      if ((kind == Kind.WRITE) != (value != null)) {
        throw new IllegalArgumentException("a " + kind + " change " + (value == null ? "needs" : "has no") + " value");
      }
    }

    /** What a change does. */
    public enum Kind {
      /** Write {@code value}. */
      WRITE,
      /** Delete the key: a tombstone. */
      DELETE,
      /** Keep the value, change its expiry. */
      TOUCH,
      /**
       * Change nothing: the update, queued at the primary after a conflict, decided to leave the
       * key as it is; it gives up its turn.
       */
      RELEASE
    }
  }
}
