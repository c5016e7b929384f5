package io.ringstore.cluster.node;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StoredRecord;

/**
 * The removal listener a keyspace's engine is opened with: it forwards to the listener of the
 * cache that serves the keyspace now, or to none while the keyspace is only a replica (a cache
 * on another node made it; the engine outlives caches that open and close over it).
 *
 * <p>Thread-safety: thread-safe (a volatile delegate).
 */
final class SwitchableRemovals implements RemovalListener {
  private volatile RemovalListener delegate;

  SwitchableRemovals(RemovalListener delegate) {
    this.delegate = delegate;
  }

  void switchTo(RemovalListener listener) {
    delegate = listener;
  }

  @Override
  public void onRemoval(Bytes key, StoredRecord record, RemovalCause cause) {
    delegate.onRemoval(key, record, cause);
  }
}
