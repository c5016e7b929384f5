package io.ringstore.provider;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import javax.cache.processor.EntryProcessor;
import org.jspecify.annotations.Nullable;

/**
 * The {@code CompletionStage} operations of {@link RingstoreCache}, each handed to a
 * {@link CacheAsync}: the cache's own (at its quorums) or a {@link QuorumView}'s (at the view's).
 *
 * <p>Thread-safety: as the subclass; this class holds no state.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
abstract class AsyncDelegation<K, V> implements RingstoreCache<K, V> {

  /** Where the asynchronous operations run. */
  abstract CacheAsync<K, V> async();

  @Override
  public CompletionStage<@Nullable V> getAsync(K key) {
    return async().get(key);
  }

  @Override
  public CompletionStage<Boolean> containsKeyAsync(K key) {
    return async().containsKey(key);
  }

  @Override
  public CompletionStage<@Nullable Void> putAsync(K key, V value) {
    return async().put(key, value);
  }

  @Override
  public CompletionStage<@Nullable Void> putAsync(K key, V value, CausalContext context) {
    return async().put(key, value, context);
  }

  @Override
  public CompletionStage<@Nullable V> getAndPutAsync(K key, V value) {
    return async().getAndPut(key, value);
  }

  @Override
  public CompletionStage<Boolean> putIfAbsentAsync(K key, V value) {
    return async().putIfAbsent(key, value);
  }

  @Override
  public CompletionStage<Boolean> removeAsync(K key) {
    return async().remove(key);
  }

  @Override
  public CompletionStage<Boolean> removeAsync(K key, V oldValue) {
    return async().remove(key, oldValue);
  }

  @Override
  public CompletionStage<@Nullable V> getAndRemoveAsync(K key) {
    return async().getAndRemove(key);
  }

  @Override
  public CompletionStage<Boolean> replaceAsync(K key, V value) {
    return async().replace(key, value);
  }

  @Override
  public CompletionStage<Boolean> replaceAsync(K key, V oldValue, V newValue) {
    return async().replace(key, oldValue, newValue);
  }

  @Override
  public CompletionStage<@Nullable V> getAndReplaceAsync(K key, V value) {
    return async().getAndReplace(key, value);
  }

  @Override
  public <T> CompletionStage<@Nullable T> invokeAsync(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    return async().invoke(key, entryProcessor, arguments);
  }

  @Override
  public CompletionStage<Map<K, V>> getAllAsync(Set<? extends K> keys) {
    return async().getAll(keys);
  }

  @Override
  public CompletionStage<@Nullable Void> putAllAsync(Map<? extends K, ? extends V> map) {
    return async().putAll(map);
  }

  @Override
  public CompletionStage<@Nullable Void> removeAllAsync(Set<? extends K> keys) {
    return async().removeAll(keys);
  }

}
