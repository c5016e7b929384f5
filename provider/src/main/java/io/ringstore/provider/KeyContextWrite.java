package io.ringstore.provider;

import io.ringstore.cluster.replication.Mutation;
import io.ringstore.provider.event.EventBatch;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * {@code put(key, value, context)} of the extended API: a put whose new version descends only what
 * {@code context} covers, so that the versions a reader saw are replaced and any written
 * concurrently stay as siblings ({@link Mutation.Write#context()}). Everything else is a put's, in
 * a put's order: the writer's {@code write} first, then the expiry policy (creation expiry if no
 * live value was present, else update expiry), then a CREATED or UPDATED event.
 *
 * <p>An expired record is replaced whole, as by a plain put: its versions are gone for the cache
 * (an EXPIRED event reports them), so none of them stays as a sibling.
 *
 * <p>Thread-safety: not thread-safe; one instance per operation.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class KeyContextWrite<K, V> extends KeyStep<K, V> {
  private final V value;
  private final Bytes valueBytes;
  private final VectorClock context;

  // outcome
  /** Whether the new value was stored. */
  boolean stored;
  /** The context the write was made with; null when it replaces an expired record whole. */
  private @Nullable VectorClock writeContext;

  KeyContextWrite(KeyspaceCache<K, V> cache, K key, V value, Bytes valueBytes, VectorClock context, EventBatch<K, V> batch) {
    super(cache, key, batch);
    this.value = value;
    this.valueBytes = valueBytes;
    this.context = context;
  }

  @Override
  void reset() {
    stored = false;
    writeContext = null;
  }

  @Override
  Mutation decide(@Nullable StoredRecord current) {
    // live is null for a record that is absent, a tombstone or expired: only the last is replaced whole
    boolean expired = current != null && !current.isTombstone() && live == null;
    writeContext = expired ? null : context;
    if (cache.writeThrough != null) {
      cache.writeThrough.write(key, value);
    }
    Mutation.Write write = store(valueBytes, present);
    if (write == null) {
      return Mutation.KEEP;
    }
    stored = true;
    if (present) {
      batch.updated(key, cache.listeners.wants(EventType.UPDATED) ? presentValue() : null, value);
    } else {
      batch.created(key, value);
    }
    return write;
  }

  /** The causal context of the write ({@link Mutation.Write}). */
  @Override
  public @Nullable VectorClock context() {
    return writeContext;
  }
}
