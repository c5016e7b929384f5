package io.ringstore.storage.memory;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import org.jspecify.annotations.Nullable;

/**
 * One key of a {@link BoundedStore}: the map's value, and at the same time an element of the
 * store's {@link EvictionOrder} (intrusive links, so that moving an entry allocates nothing).
 *
 * <p>Life cycle ({@link #state}): a node is created {@link #LIVE} by the compute that inserts its
 * key. A compute on the key {@link #PINNED pins} it while the caller's update runs, so that
 * eviction skips it. Eviction, expiry and removal make it {@link #RETIRED}: from then on it is in
 * no eviction order and counts toward no bound, reads treat it as absent, and it leaves the map
 * soon after (a retired node never becomes live again).
 *
 * <p>Thread-safety: {@link #state} and {@link #record} are written under the store's lock (and
 * {@code record} also inside the key's compute) and read without it; everything else is guarded
 * by the store's lock.
 */
final class Node {

  /** In the map, in the eviction order, counted toward the bounds. */
  static final int LIVE = 0;
  /** Live, and a compute on its key is running the caller's update: not evictable. */
  static final int PINNED = 1;
  /** Evicted, expired or removed; no longer counted; absent to readers. */
  static final int RETIRED = 2;

  // constant after construction
  final Bytes key;
  /** Insertion order, a tie-breaker for orders that need a total order. */
  final long sequence;

  volatile StoredRecord record;
  volatile int state = LIVE;

  // guarded by the store's lock
  long weightBytes;
  @Nullable Node prev;
  @Nullable Node next;
  /** The frequency bucket holding the node (LFU only). */
  FrequencyOrder.@Nullable Bucket bucket;
  /** The expiry under which the node is filed (volatile-TTL only); meaningful when {@link #filed}. */
  long filedExpiresAtMillis;
  /** Whether the node is filed in the expiry order (volatile-TTL only). */
  boolean filed;

  Node(Bytes key, StoredRecord record, long weightBytes, long sequence) {
    this.key = key;
    this.record = record;
    this.weightBytes = weightBytes;
    this.sequence = sequence;
  }

  @Override
  public String toString() {
    return "Node[" + key + ", state=" + state + ", weightBytes=" + weightBytes + "]";
  }
}
