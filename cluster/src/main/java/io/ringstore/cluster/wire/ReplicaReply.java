package io.ringstore.cluster.wire;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A replica's answer to a {@link ReplicaRequest}.
 *
 * <p>Thread-safety: immutable.
 */
public sealed interface ReplicaReply {

  /** Done: the answer to {@code Merge}, {@code Open}, {@code Clear} and {@code Drop}. */
  record Ack() implements ReplicaReply {}

  /** The answer to {@code Read}: the record held, or {@code null}. */
  record Found(@Nullable StoredRecord record) implements ReplicaReply {}

  /**
   * The answer to a {@code Commit} that was made: the record the primary now holds ({@code null}
   * if the change left nothing, e.g. a delete of an absent key) and how many replicas, the primary
   * included, acknowledged it.
   */
  record Committed(@Nullable StoredRecord record, int acknowledged) implements ReplicaReply {}

  /**
   * The answer to a conditional {@code Commit} whose check failed: the primary's copy, and the
   * update's place in the key's queue of conflicting updates (0: it commits next, if it comes back
   * deciding on {@code current}; the coordinator then retries at once, else it waits a while).
   */
  record Conflict(@Nullable StoredRecord current, int place) implements ReplicaReply {
    public Conflict {
      if (place < 0) {
        throw new IllegalArgumentException("place = " + place + "; need >= 0");
      }
    }
  }

  /** The replica does not have the keyspace open: the sender opens it ({@code Open}) and retries. */
  record UnknownKeyspace(String keyspace) implements ReplicaReply {
    public UnknownKeyspace {
      requireNonNull(keyspace, "keyspace");
    }
  }

  /**
   * The request was refused: {@code reason} says why, {@code message} says it for people, and for
   * a quorum or a limit {@code setting}, {@code value} and {@code bound} name what was exceeded
   * (for a quorum: the quorum's name, the replicas that answered, the replicas required).
   */
  record Refused(Reason reason, String message, String setting, long value, long bound) implements ReplicaReply {
    public Refused {
      requireNonNull(reason, "reason");
      requireNonNull(message, "message");
      requireNonNull(setting, "setting");
    }

    /** Why a request was refused. */
    public enum Reason {
      /** Too few replicas acknowledged in time ({@code value} of {@code bound}). */
      QUORUM,
      /** A bound was exceeded (e.g. maxSiblings). */
      LIMIT,
      /** A bounded engine with no eviction is full. */
      CAPACITY,
      /** The replica is overloaded or shutting down; retry elsewhere or later. */
      UNAVAILABLE,
      /** Anything else. */
      ERROR
    }
  }

  /**
   * A page of a {@code Scan}: records in key order, and whether more follow (the next page starts
   * after the last key of this one).
   */
  record Page(List<PageEntry> entries, boolean more) implements ReplicaReply {
    public Page {
      entries = List.copyOf(entries);
    }
  }

  /**
   * The answer to a {@code Batch}: one reply per request, in the batch's order; none of them a
   * batched reply. A reply that would have made the frame pass its bound is replaced by a
   * {@link Refused} of reason {@code LIMIT} naming {@code ringstore.bus.maxFrameBytes} (the sender
   * asks a {@code Read} or {@code Scan} so answered again on its own).
   */
  record Batched(List<ReplicaReply> replies) implements ReplicaReply {
    public Batched {
      replies = List.copyOf(replies);
      if (replies.isEmpty()) {
        throw new IllegalArgumentException("a batched reply needs at least one reply");
      }
      for (ReplicaReply reply : replies) {
        if (reply instanceof Batched) {
          throw new IllegalArgumentException("a batched reply may not hold a batched reply");
        }
      }
    }
  }

  /**
   * The answer to a {@code Tree} request: the hashes of the nodes asked for, in their order (at
   * most {@link WireCodec#MAX_TREE_NODES}).
   */
  record TreeHashes(List<Long> hashes) implements ReplicaReply {
    public TreeHashes {
      hashes = List.copyOf(hashes);
    }
  }

  /**
   * The answer to a {@code Keys} request: keys and version digests in order of leaf and key (at most
   * {@link WireCodec#MAX_KEY_DIGESTS}), and whether more follow (the next request starts at the
   * last key's leaf, after that key).
   */
  record KeyDigests(List<KeyDigest> entries, boolean more) implements ReplicaReply {
    public KeyDigests {
      entries = List.copyOf(entries);
    }
  }

  /** One key of {@link KeyDigests} and the digest of the version held. */
  record KeyDigest(Bytes key, long digest) {
    public KeyDigest {
      requireNonNull(key, "key");
    }
  }

  /** One key of a {@link Page} and its record. */
  record PageEntry(Bytes key, StoredRecord record) {
    public PageEntry {
      requireNonNull(key, "key");
      requireNonNull(record, "record");
    }
  }
}
