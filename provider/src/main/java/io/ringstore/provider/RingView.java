package io.ringstore.provider;

import io.ringstore.cluster.replication.ClusterView;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.provider.codec.EntryCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * This node's view of the ring a cache's keys are placed on, taken when
 * {@link RingstoreCache#ringView()} was called: the members, which of them this node judged alive,
 * their tokens, where a key lives and the cache's replication settings (for a {@link RingstoreCache#withQuorums} view, its quorums).
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
  private final List<String> live;

  RingView(RingSnapshot ring, ClusterView cluster, EntryCodec<K, ?> codec, int replicationFactor, int writeQuorum,
      int readQuorum) {
    this.ring = ring;
    List<String> alive = new ArrayList<>(ring.members().size());
    for (String member : ring.members()) {
      if (cluster.isAlive(member)) {
        alive.add(member);
      }
    }
    this.live = List.copyOf(alive);
    this.codec = codec;
    this.replicationFactor = replicationFactor;
    this.writeQuorum = writeQuorum;
    this.readQuorum = readQuorum;
  }

  /** The ids of the ring's members, sorted. */
  public List<String> members() {
    return ring.members();
  }

  /**
   * The members this node's failure detector judged alive when the view was taken, sorted (this
   * node always). A member judged down stays on the ring, and in {@link #members()}: membership
   * changes are deliberate; a down member's writes wait for it as hints, and reads skip it.
   */
  public List<String> liveMembers() {
    return live;
  }

  /** Whether {@code member} was judged alive when the view was taken; {@code false} for a non-member. */
  public boolean isAlive(String member) {
    return live.contains(member);
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
    return "RingView[" + ring.members().size() + " members (" + live.size() + " alive), " + ring.tokenCount() + " tokens, N=" + replicationFactor
        + ", W=" + writeQuorum + ", R=" + readQuorum + "]";
  }
}
