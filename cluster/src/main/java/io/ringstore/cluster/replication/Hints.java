package io.ringstore.cluster.replication;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;

/**
 * Where a key's primary keeps the versions a replica of the key missed (hinted handoff, DESIGN.md
 * section 5): the replica was judged down when the version was made, or did not acknowledge it in
 * time. The node hands them to the replica when it is alive again
 * ({@link io.ringstore.cluster.handoff.HintReplay}). A hint never counts toward a write's quorum:
 * the primary counts acknowledgements only.
 *
 * <p>Thread-safety: implementations are thread-safe and never block on the network; they may
 * write to a local disk (a persistent keyspace's hints are durable).
 */
public interface Hints {

  /** Keeps nothing: a keyspace without hinted handoff. */
  Hints NONE = (target, key, record) -> {};

  /**
   * Keeps {@code record} of {@code key} for node {@code target}, merged with what is kept for it
   * already (a descendant replaces its ancestors, as on a replica). Never throws: a hint that
   * cannot be kept (past the store's bound) is counted and marks the target for anti-entropy
   * repair instead.
   */
  void add(String target, Bytes key, StoredRecord record);
}
