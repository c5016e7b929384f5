package io.ringstore.provider;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.repair.RepairReport;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.provider.processor.ProcessorResult;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.SiblingResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;
import org.jspecify.annotations.Nullable;

/**
 * {@link RingstoreCache#withQuorums}: the same cache, whose requests wait for other quorums. Its
 * data-path operations are {@link CacheAsync}'s at the view's W and R -- the synchronous ones wait
 * for the stage (with loaders and writers called on the waiting thread), the asynchronous ones
 * return it -- and everything else (listeners, configuration, statistics, lifecycle,
 * {@code loadAll}, {@code clear}, iteration) is the cache's own. {@code removeAll()} scans this
 * node's keys as the cache does and removes them at the view's quorums; {@code invokeAll} invokes
 * each key at the view's quorums.
 *
 * <p>Thread-safety: thread-safe; immutable apart from the cache it shares.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class QuorumView<K, V> extends AsyncDelegation<K, V> {
  private static final Object[] NO_ARGUMENTS = new Object[0];

  private final KeyspaceCache<K, V> cache;
  // the same quorums: the first for synchronous callers (who wait), the second for asynchronous ones
  private final CacheAsync<K, V> sync;
  private final CacheAsync<K, V> async;

  QuorumView(KeyspaceCache<K, V> cache, CacheAsync<K, V> sync, CacheAsync<K, V> async) {
    this.cache = cache;
    this.sync = sync;
    this.async = async;
  }

  // ---- single-key operations, waiting ----

  @Override
  public @Nullable V get(K key) {
    return CacheAsync.await(sync.get(key));
  }

  @Override
  public boolean containsKey(K key) {
    return CacheAsync.await(sync.containsKey(key));
  }

  @Override
  public void put(K key, V value) {
    CacheAsync.await(sync.put(key, value));
  }

  @Override
  public void put(K key, V value, CausalContext context) {
    CacheAsync.await(sync.put(key, value, context));
  }

  @Override
  public @Nullable V getAndPut(K key, V value) {
    return CacheAsync.await(sync.getAndPut(key, value));
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    return CacheAsync.await(sync.putIfAbsent(key, value));
  }

  @Override
  public boolean remove(K key) {
    return CacheAsync.await(sync.remove(key));
  }

  @Override
  public boolean remove(K key, V oldValue) {
    return CacheAsync.await(sync.remove(key, oldValue));
  }

  @Override
  public @Nullable V getAndRemove(K key) {
    return CacheAsync.await(sync.getAndRemove(key));
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return CacheAsync.await(sync.replace(key, oldValue, newValue));
  }

  @Override
  public boolean replace(K key, V value) {
    return CacheAsync.await(sync.replace(key, value));
  }

  @Override
  public @Nullable V getAndReplace(K key, V value) {
    return CacheAsync.await(sync.getAndReplace(key, value));
  }

  @Override
  public <T> @Nullable T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    return CacheAsync.await(sync.invoke(key, entryProcessor, arguments));
  }

  @Override
  public List<SiblingResolver.Version<V>> getVersions(K key) {
    return CacheAsync.await(sync.versions(key)).versions();
  }

  @Override
  public Versions<V> getVersionsWithContext(K key) {
    return CacheAsync.await(sync.versions(key));
  }

  // ---- bulk operations ----

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    return CacheAsync.await(sync.getAll(keys));
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    CacheAsync.await(sync.putAll(map));
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    CacheAsync.await(sync.removeAll(keys));
  }

  @Override
  public void removeAll() {
    cache.checkOpen();
    Set<K> keys = new java.util.LinkedHashSet<>();
    Iterator<EngineEntry> scan = cache.scan();
    while (scan.hasNext()) {
      EngineEntry entry = scan.next();
      if (!entry.record().isTombstone()) {
        keys.add(cache.codec.decodeKey(entry.key()));
      }
    }
    removeAll(keys);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor,
      Object... arguments) {
    cache.checkOpen();
    requireNonNull(keys, "keys");
    requireNonNull(entryProcessor, "entryProcessor");
    List<K> keyList = new ArrayList<>(keys.size());
    for (K key : keys) {
      keyList.add(requireNonNull(key, "a key of the set"));
    }
    Object[] args = arguments == null ? NO_ARGUMENTS : arguments;
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keyList) {
      try {
        T result = invoke(key, entryProcessor, args);
        if (result != null) {
          results.put(key, ProcessorResult.of(result));
        }
      } catch (Exception e) {
        results.put(key, ProcessorResult.failed(e));
      }
    }
    return results;
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, @Nullable CompletionListener completionListener) {
    cache.loadAll(keys, replaceExistingValues, completionListener);
  }

  @Override
  public void clear() {
    cache.clear();
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    return cache.iterator();
  }

  // ---- asynchronous operations: AsyncDelegation, through CacheAsync at this view's quorums ----

  @Override
  CacheAsync<K, V> async() {
    return async;
  }

  // ---- the rest is the cache's ----

  @Override
  public RingstoreCache<K, V> withQuorums(int writeQuorum, int readQuorum) {
    return cache.withQuorums(writeQuorum, readQuorum);
  }

  @Override
  public RingView<K> ringView() {
    return cache.ringView(async.writeQuorum(), async.readQuorum());
  }

  @Override
  public CompletionStage<List<RepairReport>> repair() {
    return cache.repair();
  }

  @Override
  public long getDiscardedSiblings() {
    return cache.getDiscardedSiblings();
  }

  @Override
  public RingstoreConfiguration<K, V> getRingstoreConfiguration() {
    return cache.getRingstoreConfiguration();
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    return cache.getConfiguration(clazz);
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    cache.registerCacheEntryListener(listenerConfiguration);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    cache.deregisterCacheEntryListener(listenerConfiguration);
  }

  @Override
  public String getName() {
    return cache.getName();
  }

  @Override
  public CacheManager getCacheManager() {
    return cache.getCacheManager();
  }

  /** Closes the cache: the view and the cache are the same cache. */
  @Override
  public void close() {
    cache.close();
  }

  @Override
  public boolean isClosed() {
    return cache.isClosed();
  }

  /** This view for {@code RingstoreCache} (or this class); anything else as the cache unwraps. */
  @Override
  public <T> T unwrap(Class<T> clazz) {
    requireNonNull(clazz, "clazz");
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    return cache.unwrap(clazz);
  }

  @Override
  public String toString() {
    return "RingstoreCache[" + cache.getName() + " of " + cache.getCacheManager().getURI() + ", W=" + async.writeQuorum() + ", R="
        + async.readQuorum() + "]";
  }
}
