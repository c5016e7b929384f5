package io.ringstore.provider;

import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.provider.codec.EntryCodec;
import java.util.List;

/**
 * This node's view of the ring a cache's keys are placed on, taken when
 * {@link RingstoreCache#ringView()} was called: the members, their tokens, where a key lives and
 * the cache's replication settings (for a {@link RingstoreCache#withQuorums} view, its quorums).
 * A membership change does not change a view already taken; ask the cache again.
 *
 * <p>Invariants: {@code 1 <= writeQuorum, readQuorum <= replicationFactor}; {@link #replicasOf}
 * returns at most {@code replicationFactor} distinct members, fewer when the ring has fewer
 * members than N (as in Dynamo).
 * <p>Thread-safety: immutable.
 *
 * @param <K> the cache's key type
 */
public final class RingView<K> {
  private final RingSnapshot ring;
  private final EntryCodec<K, ?> codec;
  private final int replicationFactor;
  private final int writeQuorum;
  private final int readQuorum;

  RingView(RingSnapshot ring, EntryCodec<K, ?> codec, int replicationFactor, int writeQuorum, int readQuorum) {
    this.ring = ring;
    this.codec = codec;
    this.replicationFactor = replicationFactor;
    this.writeQuorum = writeQuorum;
    this.readQuorum = readQuorum;
  }

  /** The ids of the ring's members, sorted. */
  public List<String> members() {
    return ring.members();
  }

  /** The number of tokens (virtual nodes) on the ring, all members together. */
  public int tokenCount() {
    return ring.tokenCount();
  }

  /**
   * The preference list of {@code key}: the members that hold its replicas, the coordinating one
   * first.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public List<String> replicasOf(K key) {
    java.util.Objects.requireNonNull(key, "key");
    if (ring.isSingleMember()) {
      return ring.members();
    }
    return ring.preferenceList(Tokens.of(codec.encodeKey(key)), replicationFactor);
  }

  /** N: how many replicas each key has. */
  public int replicationFactor() {
    return replicationFactor;
  }

  /** W: how many replicas acknowledge a write before it completes. */
  public int writeQuorum() {
    return writeQuorum;
  }

  /** R: how many replicas answer a read before it completes. */
  public int readQuorum() {
    return readQuorum;
  }

  @Override
  public String toString() {
    return "RingView[" + ring.members().size() + " members, " + ring.tokenCount() + " tokens, N=" + replicationFactor
        + ", W=" + writeQuorum + ", R=" + readQuorum + "]";
  }
}
