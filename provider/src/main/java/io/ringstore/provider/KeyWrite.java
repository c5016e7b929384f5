package io.ringstore.provider;

import io.ringstore.cluster.replication.Mutation;
import io.ringstore.provider.event.EventBatch;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import java.util.Objects;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * The JCache writes of one key -- put, the conditional puts and replaces, the removes -- as one
 * atomic decision each, with the spec's order: the {@link javax.cache.integration.CacheWriter} is
 * called first (so that if it throws nothing is stored and no event fires), then the expiry policy
 * gives the new expiry, then the events are recorded.
 *
 * <p>Write-through: puts call {@code write} only when they store; removes call {@code delete}
 * whether or not the key was present ({@code remove(k)}, {@code getAndRemove}) or only when they
 * remove ({@code remove(k, v)}). Loads ({@code loadAll}) and the puts of {@code putAll} (whose
 * writer ran beforehand, in bulk) do not call the writer.
 *
 * <p>Thread-safety: not thread-safe; one instance per operation.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class KeyWrite<K, V> extends KeyStep<K, V> {

  /** The operation. */
  enum Kind {
    PUT, GET_AND_PUT, PUT_IF_ABSENT, REPLACE, GET_AND_REPLACE, REPLACE_IF_EQUAL, REMOVE, GET_AND_REMOVE, REMOVE_IF_EQUAL
  }

  private final Kind kind;
  private final @Nullable V value;
  private final @Nullable Bytes valueBytes;
  private final @Nullable V expected;
  private final @Nullable Bytes expectedBytes;
  private final boolean callWriter;

  // outcome
  /** Whether the new value was stored. */
  boolean stored;
  /** Whether the entry was removed. */
  boolean removed;
  /** The value the entry held, for the operations that return it. */
  @Nullable V previous;

  private KeyWrite(KeyspaceCache<K, V> cache, Kind kind, K key, @Nullable V value, @Nullable Bytes valueBytes,
      @Nullable V expected, @Nullable Bytes expectedBytes, boolean callWriter, EventBatch<K, V> batch) {
    super(cache, key, batch);
    this.kind = kind;
    this.value = value;
    this.valueBytes = valueBytes;
    this.expected = expected;
    this.expectedBytes = expectedBytes;
    this.callWriter = callWriter && cache.writeThrough != null;
  }

  /** A put, put-if-absent or replace of {@code value}, encoded as {@code valueBytes}. */
  static <K, V> KeyWrite<K, V> put(KeyspaceCache<K, V> cache, Kind kind, K key, V value, Bytes valueBytes, boolean callWriter,
      EventBatch<K, V> batch) {
    return new KeyWrite<>(cache, kind, key, value, valueBytes, null, null, callWriter, batch);
  }

  /** {@code replace(key, expected, value)}. */
  static <K, V> KeyWrite<K, V> replaceIfEqual(KeyspaceCache<K, V> cache, K key, V expected, @Nullable Bytes expectedBytes, V value,
      Bytes valueBytes, EventBatch<K, V> batch) {
    return new KeyWrite<>(cache, Kind.REPLACE_IF_EQUAL, key, value, valueBytes, expected, expectedBytes, true, batch);
  }

  /** {@code remove(key)} or {@code getAndRemove(key)}. */
  static <K, V> KeyWrite<K, V> remove(KeyspaceCache<K, V> cache, Kind kind, K key, boolean callWriter, EventBatch<K, V> batch) {
    return new KeyWrite<>(cache, kind, key, null, null, null, null, callWriter, batch);
  }

  /** {@code remove(key, expected)}. */
  static <K, V> KeyWrite<K, V> removeIfEqual(KeyspaceCache<K, V> cache, K key, V expected, @Nullable Bytes expectedBytes,
      EventBatch<K, V> batch) {
    return new KeyWrite<>(cache, Kind.REMOVE_IF_EQUAL, key, null, null, expected, expectedBytes, true, batch);
  }

  /**
   * A plain put is blind, its decision independent of what the key holds, when nothing observes
   * the difference between creating and updating: no listener (CREATED vs UPDATED), the exact
   * eternal expiry policy (the same expiry either way), store-by-value (no displaced handle to
   * release). A replicated cache then writes without reading first.
   */
  @Override
  public boolean blind() {
    return kind == Kind.PUT && cache.expiry.isEternal() && !cache.codec.isByReference()
        && !cache.listeners.wants(EventType.CREATED) && !cache.listeners.wants(EventType.UPDATED)
        && !cache.listeners.wants(EventType.EXPIRED) && !cache.listeners.wants(EventType.REMOVED);
  }

  /** The encoded new value (to release if a by-reference cache did not store it). */
  @Nullable Bytes valueBytes() {
    return valueBytes;
  }

  @Override
  void reset() {
    stored = false;
    removed = false;
    previous = null;
  }

  @Override
  Mutation decide(@Nullable StoredRecord current) {
    switch (kind) {
      case PUT:
        return put(present);
      case GET_AND_PUT:
        if (present) {
          previous = presentValue();
        }
        return put(present);
      case PUT_IF_ABSENT:
        return present ? Mutation.KEEP : put(false);
      case REPLACE:
        return present ? put(true) : Mutation.KEEP;
      case GET_AND_REPLACE:
        if (!present) {
          return Mutation.KEEP;
        }
        previous = presentValue();
        return put(true);
      case REPLACE_IF_EQUAL:
        if (!present) {
          return Mutation.KEEP;
        }
        return matches() ? put(true) : access();
      case REMOVE:
      case GET_AND_REMOVE:
        if (callWriter) {
          cache.writeThrough.delete(key);
        }
        if (!present) {
          return Mutation.KEEP;
        }
        if (kind == Kind.GET_AND_REMOVE || cache.listeners.wants(EventType.REMOVED)) {
          previous = presentValue();
        }
        return remove();
      case REMOVE_IF_EQUAL:
        if (!present) {
          return Mutation.KEEP;
        }
        if (!matches()) {
          return access();
        }
        if (callWriter) {
          cache.writeThrough.delete(key);
        }
        previous = presentValue();
        return remove();
      default:
        throw new AssertionError(kind);
    }
  }

  private Mutation put(boolean update) {
    V newValue = Objects.requireNonNull(value);
    if (callWriter) {
      cache.writeThrough.write(key, newValue);
    }
    Mutation.Write write = store(Objects.requireNonNull(valueBytes), update);
    if (write == null) {
      return Mutation.KEEP;
    }
    stored = true;
    if (update) {
      batch.updated(key, cache.listeners.wants(EventType.UPDATED) ? presentValue() : null, newValue);
    } else {
      batch.created(key, newValue);
    }
    return write;
  }

  private Mutation remove() {
    removed = true;
    batch.removed(key, previous);
    return Mutation.DELETE;
  }

  /** Whether the present value equals {@code expected}: by stored bytes first, else by {@code equals}. */
  private boolean matches() {
    Bytes stored = presentBytes();
    if (expectedBytes != null && stored != null && stored.equals(expectedBytes)) {
      return true;
    }
    return Objects.equals(presentValue(), expected);
  }
}
