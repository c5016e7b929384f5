package io.ringstore.provider.event;

import java.util.Objects;
import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * One cache entry event as listeners and filters see it.
 *
 * <p>Values follow JCache 1.1: for {@code CREATED} and {@code UPDATED}, {@link #getValue()} is the
 * new value; for {@code REMOVED} and {@code EXPIRED} it is the same as {@link #getOldValue()}. The
 * old value is available when the cache supplied it; {@link #withoutOldValue()} gives the view a
 * registration with {@code isOldValueRequired() == false} receives (no old value, and no value for
 * removals and expiries, as the reference implementation does).
 *
 * <p>Thread-safety: immutable (the source is the cache, itself thread-safe).
 *
 * @param <K> key type
 * @param <V> value type
 */
final class EntryEvent<K, V> extends CacheEntryEvent<K, V> {

  private static final long serialVersionUID = 1L;

  private final K key;
  private final transient @Nullable V value;
  private final transient @Nullable V oldValue;
  private final boolean oldValueAvailable;

  private EntryEvent(
      Cache<K, V> source,
      EventType type,
      K key,
      @Nullable V value,
      @Nullable V oldValue,
      boolean oldValueAvailable) {
    super(source, type);
    this.key = Objects.requireNonNull(key, "key");
    this.value = value;
    this.oldValue = oldValue;
    this.oldValueAvailable = oldValueAvailable;
  }

  static <K, V> EntryEvent<K, V> created(Cache<K, V> source, K key, V value) {
    return new EntryEvent<>(source, EventType.CREATED, key, value, null, false);
  }

  static <K, V> EntryEvent<K, V> updated(
      Cache<K, V> source, K key, @Nullable V oldValue, V value) {
    return new EntryEvent<>(source, EventType.UPDATED, key, value, oldValue, oldValue != null);
  }

  /** A {@code REMOVED} or {@code EXPIRED} event: the value is the old value (JCache 1.1). */
  static <K, V> EntryEvent<K, V> ended(
      Cache<K, V> source, EventType type, K key, @Nullable V oldValue) {
    return new EntryEvent<>(source, type, key, oldValue, oldValue, oldValue != null);
  }

  /** This event as a registration that does not require old values sees it. */
  @SuppressWarnings("unchecked")
  EntryEvent<K, V> withoutOldValue() {
    if (!oldValueAvailable) {
      return this;
    }
    EventType type = getEventType();
    V visibleValue = type == EventType.REMOVED || type == EventType.EXPIRED ? null : value;
    return new EntryEvent<>(getSource(), type, key, visibleValue, null, false);
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public @Nullable V getValue() {
    return value;
  }

  @Override
  public @Nullable V getOldValue() {
    return oldValueAvailable ? oldValue : null;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValueAvailable;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException(
        "cannot unwrap a cache entry event to " + type.getName() + "; it is a " + getClass().getName());
  }

  @Override
  public String toString() {
    // Never includes user keys or values: toString ends up in logs.
    return "EntryEvent[" + getEventType() + ", oldValueAvailable=" + oldValueAvailable + "]";
  }
}
