package io.ringstore.cluster.replication;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.RecordUpdate;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import org.jspecify.annotations.Nullable;

/**
 * This node's copy of one keyspace: merges versions into its storage engine by vector clock.
 *
 * <p>Thread-safety: thread-safe; atomicity per key comes from {@link StorageEngine#compute}.
 */
public final class Replica {
  private final StorageEngine engine;
  // the hybrid-logical-clock time of the last clear; merged versions not after it are dropped
  private volatile long clearedAt = Long.MIN_VALUE;

  public Replica(StorageEngine engine) {
    this.engine = engine;
  }

  /** The engine behind this replica. */
  public StorageEngine engine() {
    return engine;
  }

  /** The record held for {@code key}, never an expired one. */
  public @Nullable StoredRecord get(Bytes key) {
    return engine.get(key);
  }

  /** Runs a coordinator's read-modify-write of {@code key} atomically against this replica's engine. */
  @Nullable StoredRecord apply(Bytes key, RecordUpdate update) {
    return engine.compute(key, update);
  }

  /**
   * Merges a version received from a coordinator or a peer with what this replica holds: a
   * descendant replaces its ancestors, concurrent versions are kept as siblings.
   *
   * <p>A version whose timestamp is not after the last {@link #clear(long) clear} is dropped: it
   * was written before the clear and arrives late (a replicated write or a read repair in flight).
   *
   * @return the record held after the merge
   */
  public @Nullable StoredRecord merge(Bytes key, StoredRecord incoming) {
    if (incoming.timestamp() <= clearedAt) {
      return engine.get(key);
    }
    return engine.compute(key, (k, current) -> current == null ? incoming : StoredRecord.sync(current, incoming));
  }

  /**
   * Removes the record of {@code key} if it is a tombstone whose clock equals {@code clock} (a
   * tombstone every replica of the key was found to hold); anything else under the key stays.
   *
   * @return whether it removed the tombstone
   */
  public boolean purge(Bytes key, VectorClock clock) {
    boolean[] removed = new boolean[1];
    engine.compute(key, (k, current) -> {
      if (current != null && current.isTombstone() && current.clock().equals(clock)) {
        removed[0] = true;
        return null;
      }
      return current;
    });
    return removed[0];
  }

  /**
   * Removes every record, and from now on drops merged versions whose timestamp is not after
   * {@code timestamp} (the clear's hybrid-logical-clock time). The watermark is kept in memory only.
   */
  public void clear(long timestamp) {
    if (timestamp > clearedAt) {
      clearedAt = timestamp;
    }
    engine.clear();
  }
}
