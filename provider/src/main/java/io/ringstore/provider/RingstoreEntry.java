package io.ringstore.provider;

import javax.cache.Cache;

/**
 * An entry of a Ringstore cache as its iterator yields it: the key and the value read at that
 * moment (a copy when the cache stores by value).
 *
 * <p>Thread-safety: immutable (the key and value objects themselves are the application's).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class RingstoreEntry<K, V> implements Cache.Entry<K, V> {
  private final K key;
  private final V value;

  RingstoreEntry(K key, V value) {
    this.key = key;
    this.value = value;
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
    throw new IllegalArgumentException("a Ringstore cache entry cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public String toString() {
    return "RingstoreEntry[key=" + key + "]";
  }
}
