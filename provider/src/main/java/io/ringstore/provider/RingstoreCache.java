package io.ringstore.provider;

import io.ringstore.cluster.repair.RepairReport;
import io.ringstore.spi.SiblingResolver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import javax.cache.Cache;
import javax.cache.processor.EntryProcessor;
import org.jspecify.annotations.Nullable;

/**
 * A Ringstore cache: a {@link Cache} plus what JCache cannot express. Obtain it with
 * {@code cache.unwrap(RingstoreCache.class)}.
 *
 * <ul>
 *   <li>{@link #withQuorums}: a view of the same cache whose requests wait for other quorums.
 *   <li>{@link #getVersions}, {@link #getVersionsWithContext} and
 *       {@link #put(Object, Object, CausalContext)}: the siblings concurrent writes left, and a
 *       write that descends exactly what was read (as Riak clients do).
 *   <li>A {@link CompletionStage} variant of every single-key operation and of {@code getAll},
 *       {@code putAll} and {@code removeAll(keys)}.
 *   <li>{@link #ringView()}: where the cache's keys live, and which nodes are judged alive.
 *   <li>{@link #repair()}: an anti-entropy round of the cache, on demand.
 * </ul>
 *
 * <p><b>The asynchronous operations</b> have the semantics of their synchronous namesakes: the
 * same writer, loader and expiry calls, events and statistics, in the same order. They hold no
 * thread while the replicas answer; the returned stage completes on the thread that completes the
 * request (a thread of the cluster transport, or the calling thread when every replica the
 * request needs is this node, as on a single node today), and synchronous listeners run there.
 * Argument errors (a null key or value, a closed cache) are thrown at once, as by the
 * synchronous call; everything else completes the stage exceptionally with the exception the
 * synchronous call would throw ({@link javax.cache.CacheException} when too few replicas answer,
 * {@link javax.cache.integration.CacheWriterException},
 * {@link javax.cache.integration.CacheLoaderException},
 * {@link javax.cache.processor.EntryProcessorException}, ...), not wrapped: {@code get()} of the
 * stage's future throws it as the cause of an {@code ExecutionException}. Where a cache's
 * {@code CacheLoader} or {@code CacheWriter} may be called (a read-through read, a write-through
 * write, an {@code invoke} on a cache with either), the request is issued from the cache manager's
 * executor instead of the calling thread, so that a blocking loader or writer holds one of its
 * threads, not the caller's nor the transport's. Entry processors and synchronous listeners
 * should not block.
 *
 * <p>Thread-safety: thread-safe, like every {@link Cache}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface RingstoreCache<K, V> extends Cache<K, V> {

  /**
   * A view of this cache whose every request (single-key and bulk, synchronous and asynchronous)
   * waits for {@code writeQuorum} replicas to acknowledge a write and {@code readQuorum} replicas
   * to answer a read, instead of the cache's configured W and R. Everything else is the cache's:
   * its data, listeners, statistics, configuration and lifecycle. {@code close()} on the view
   * closes the cache, as it is the same cache. {@code loadAll}, {@code clear}, {@code removeAll()}
   * without keys and iteration work as on the cache. The view's synchronous operations wait for
   * its asynchronous ones.
   *
   * @throws IllegalArgumentException if a quorum is not within 1..N (N, the cache's replication
   *     factor); the message names the setting, the value and the bounds
   * @throws IllegalStateException if the cache is closed
   */
  RingstoreCache<K, V> withQuorums(int writeQuorum, int readQuorum);

  /**
   * Every version the replicas hold for {@code key}: one element normally, several when concurrent
   * writes left siblings that no read has resolved yet; empty if the key holds nothing (or only a
   * delete). Reading versions does not resolve them, count statistics, fire events or touch expiry.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the cache is closed
   */
  List<SiblingResolver.Version<V>> getVersions(K key);

  /**
   * As {@link #getVersions}, with the causal context that covers the versions returned: pass it to
   * {@link #put(Object, Object, CausalContext)} to replace them.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the cache is closed
   */
  Versions<V> getVersionsWithContext(K key);

  /**
   * Stores {@code value} as a descendant of the versions {@code context} covers (a context from
   * {@link #getVersionsWithContext}): those versions are replaced; versions of the key that
   * {@code context} does not cover (written concurrently, after the read) stay beside the new one
   * as siblings, for the cache's {@link SiblingResolver} or the next reader to resolve.
   * {@link CausalContext#EMPTY} replaces nothing. The JCache side effects are those of
   * {@link #put(Object, Object)}: the writer's {@code write}, the creation expiry (no live value
   * present) or the update expiry, a CREATED or UPDATED event, a put in the statistics. An expired
   * value is replaced whole.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the cache is closed
   * @throws javax.cache.CacheException if the write keeps more siblings than the cache's
   *     {@code maxSiblings}, or too few replicas acknowledge it
   */
  void put(K key, V value, CausalContext context);

  /**
   * Concurrent values that sibling resolution discarded since the cache was created (with the
   * default last-write-wins resolver, every concurrent write but the newest). Counted whether or
   * not statistics are enabled.
   */
  long getDiscardedSiblings();

  /**
   * A copy of the cache's configuration as it is now, with Ringstore's settings (changing the copy
   * changes nothing).
   */
  io.ringstore.provider.configuration.RingstoreConfiguration<K, V> getRingstoreConfiguration();

  /** This node's view of the ring the cache's keys are on, with the cache's (or view's) N, W and R. */
  RingView<K> ringView();

  /**
   * Runs one anti-entropy round of this cache now (docs/anti-entropy.md): this node's replica is
   * compared with every other live node's over the ranges both replicate, by Merkle trees, and just
   * the differing records are exchanged and merged by vector clock. Completes with one report per
   * peer (records pulled and pushed, failures), never exceptionally; a cache with an eviction bound
   * is not repaired (one "skipped" report).
   *
   * @throws IllegalStateException if the cache is closed, or its node is embedded (a cluster of one)
   */
  CompletionStage<List<RepairReport>> repair();

  // ---- asynchronous operations (see the class comment) ----

  /** {@link #get} without blocking. */
  CompletionStage<@Nullable V> getAsync(K key);

  /** {@link #containsKey} without blocking. */
  CompletionStage<Boolean> containsKeyAsync(K key);

  /** {@link #put(Object, Object)} without blocking. */
  CompletionStage<@Nullable Void> putAsync(K key, V value);

  /** {@link #put(Object, Object, CausalContext)} without blocking. */
  CompletionStage<@Nullable Void> putAsync(K key, V value, CausalContext context);

  /** {@link #getAndPut} without blocking. */
  CompletionStage<@Nullable V> getAndPutAsync(K key, V value);

  /** {@link #putIfAbsent} without blocking. */
  CompletionStage<Boolean> putIfAbsentAsync(K key, V value);

  /** {@link #remove(Object)} without blocking. */
  CompletionStage<Boolean> removeAsync(K key);

  /** {@link #remove(Object, Object)} without blocking. */
  CompletionStage<Boolean> removeAsync(K key, V oldValue);

  /** {@link #getAndRemove} without blocking. */
  CompletionStage<@Nullable V> getAndRemoveAsync(K key);

  /** {@link #replace(Object, Object)} without blocking. */
  CompletionStage<Boolean> replaceAsync(K key, V value);

  /** {@link #replace(Object, Object, Object)} without blocking. */
  CompletionStage<Boolean> replaceAsync(K key, V oldValue, V newValue);

  /** {@link #getAndReplace} without blocking. */
  CompletionStage<@Nullable V> getAndReplaceAsync(K key, V value);

  /**
   * {@link #invoke} without blocking. The processor runs where the key's update runs (a thread of
   * the cluster transport, or the calling one); on a cache with a loader or writer, the update is
   * issued from the cache manager's executor.
   */
  <T> CompletionStage<@Nullable T> invokeAsync(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments);

  /**
   * {@link #getAll} without blocking: every key's read is in flight at once. A read-through
   * cache's {@code loadAll} of the missing keys runs on the cache manager's executor.
   */
  CompletionStage<Map<K, V>> getAllAsync(Set<? extends K> keys);

  /**
   * {@link #putAll} without blocking: every key's write is in flight at once. A write-through
   * cache's {@code writeAll} runs first, on the cache manager's executor.
   */
  CompletionStage<@Nullable Void> putAllAsync(Map<? extends K, ? extends V> map);

  /**
   * {@link #removeAll(Set)} without blocking: every key's removal is in flight at once. A
   * write-through cache's {@code deleteAll} runs first, on the cache manager's executor.
   */
  CompletionStage<@Nullable Void> removeAllAsync(Set<? extends K> keys);
}
