package io.ringstore.provider.integration;

import java.util.Objects;
import javax.cache.Cache;

/**
 * The entry a {@link javax.cache.integration.CacheWriter} is given: a key and the value being
 * written.
 *
 * <p>Thread-safety: immutable (the key and value objects are the caller's).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class WriterEntry<K, V> implements Cache.Entry<K, V> {
  private final K key;
  private final V value;

  /** An entry of {@code key} and {@code value}. */
  public WriterEntry(K key, V value) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = Objects.requireNonNull(value, "value");
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("a writer's entry cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WriterEntry<?, ?> that && key.equals(that.key) && value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + value.hashCode();
  }

  @Override
  public String toString() {
    return "WriterEntry[key=" + key + "]";
  }
}
