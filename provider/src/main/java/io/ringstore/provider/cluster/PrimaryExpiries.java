package io.ringstore.provider.cluster;

import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.ring.RingSnapshot;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StoredRecord;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The removal listener of a replicated cache's engine on a clustered node, so that an expiry the
 * engines notice is reported once, not once per replica: every live replica of a key reads its copy
 * when any node reads the key, so each replica's engine finds the copy expired and tells its node.
 * Of those, only the key's <i>primary</i> (its first live replica, the node that serialises its
 * updates) passes the expiry on to the cache (which fires EXPIRED to its listeners and, through
 * {@link ClusterEvents}, to the other nodes'); the other replicas drop it. Evictions, and
 * everything of a cache with one replica, pass unchanged.
 *
 * <p>Limit: if the key's primary has no cache of that name open (a node that only holds replicas),
 * an expiry its engine notices is reported by nobody.
 *
 * <p>Thread-safety: thread-safe; {@link #attach} is called once, before the engine removes anything
 * the cache must hear of (until then everything passes).
 */
public final class PrimaryExpiries implements RemovalListener {
  private final RemovalListener cache;
  private volatile @Nullable Coordinator coordinator;

  /** Filters the removals reported to {@code cache}. */
  public PrimaryExpiries(RemovalListener cache) {
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  /** The keyspace's coordinator, whose ring and live set name each key's primary. */
  public void attach(Coordinator keyspace) {
    coordinator = Objects.requireNonNull(keyspace, "keyspace");
  }

  @Override
  public void onRemoval(Bytes key, StoredRecord record, RemovalCause cause) {
    Coordinator c = coordinator;
    if (cause == RemovalCause.EXPIRED && c != null && !reportsHere(c, key)) {
      return; // another replica, the key's primary, reports this expiry
    }
    cache.onRemoval(key, record, cause);
  }

  /** Whether this node is the first live replica of {@code key} (or the keyspace has one replica). */
  static boolean reportsHere(Coordinator keyspace, Bytes key) {
    int n = keyspace.settings().replicationFactor();
    RingSnapshot ring = keyspace.ring();
    if (n == 1 || ring.isSingleMember()) {
      return true;
    }
    List<String> replicas = ring.preferenceList(Tokens.of(key), n);
    for (String replica : replicas) {
      if (keyspace.cluster().isAlive(replica)) {
        return replica.equals(keyspace.nodeId());
      }
    }
    return true;
  }
}
