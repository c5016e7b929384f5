package io.ringstore.provider;

import static java.util.Objects.requireNonNull;

import io.ringstore.provider.KeyWrite.Kind;
import io.ringstore.provider.event.EventBatch;
import io.ringstore.provider.integration.ReadThrough;
import io.ringstore.provider.integration.WriterEntry;
import io.ringstore.provider.processor.ProcessorResult;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.StoredRecord;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;
import org.jspecify.annotations.Nullable;

/**
 * The bulk operations of a {@link KeyspaceCache}: each is a sequence of single-key steps (so each
 * key is atomic, the whole is not, as the spec allows), preceded by the checks and encodings of
 * every key and value, so that bad input fails the call before anything is written, and followed
 * by one firing of all the events.
 *
 * <p>Write-through uses the writer's bulk calls with the spec's partial-failure rule: when
 * {@code writeAll} or {@code deleteAll} throws, the entries (keys) it left in the collection were
 * not written (deleted), and the cache applies only the others before rethrowing.
 *
 * <p>Thread-safety: thread-safe (stateless apart from the cache).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheBulk<K, V> {
  private static final Logger LOG = System.getLogger(CacheBulk.class.getName());

  private final KeyspaceCache<K, V> cache;

  CacheBulk(KeyspaceCache<K, V> cache) {
    this.cache = cache;
  }

  Map<K, V> getAll(Set<? extends K> keys) {
    cache.checkOpen();
    requireNonNull(keys, "keys");
    List<K> keyList = nonNullKeys(keys);
    List<Bytes> keyBytes = encodeKeys(keyList);
    boolean stats = cache.statisticsEnabled();
    long start = stats ? cache.ticker.nanos() : 0L;
    Map<K, V> result = new HashMap<>(Math.max(4, keyList.size() * 2));
    EventBatch<K, V> batch = cache.listeners.newBatch();
    List<Integer> misses = new ArrayList<>();
    int hits = 0;
    boolean plain = !cache.expiry.hasAccessExpiry();
    // on a ring of several nodes every key's read is in flight at once
    List<StoredRecord> prefetched = plain && cache.spansNodes() ? cache.readAll(keyBytes) : null;
    for (int i = 0; i < keyList.size(); i++) {
      K key = keyList.get(i);
      V value;
      if (plain) {
        StoredRecord record = prefetched != null ? prefetched.get(i) : cache.read(keyBytes.get(i));
        value = record == null ? null : cache.resolvedValue(keyBytes.get(i), record);
      } else {
        value = cache.applyWithoutFiring(keyBytes.get(i), new KeyRead<>(cache, key, false, null, batch), null).value;
      }
      if (value != null) {
        result.put(key, value);
        hits++;
      } else {
        misses.add(i);
      }
    }
    int loads = 0;
    ReadThrough<K, V> readThrough = cache.readThrough;
    if (readThrough != null && !misses.isEmpty()) {
      List<K> missingKeys = new ArrayList<>(misses.size());
      for (int i : misses) {
        missingKeys.add(keyList.get(i));
      }
      Map<K, V> loaded = readThrough.loadAll(missingKeys);
      for (int i : misses) {
        K key = keyList.get(i);
        if (loaded.get(key) == null) {
          continue;
        }
        KeyRead<K, V> step = cache.applyWithoutFiring(keyBytes.get(i), new KeyRead<>(cache, key, true, loaded, batch), null);
        if (step.value != null) {
          result.put(key, step.value);
        }
        if (step.loaded) {
          loads++;
        }
      }
    }
    batch.fire();
    if (stats) {
      cache.statistics.recordHits(hits);
      cache.statistics.recordMisses(misses.size());
      cache.statistics.recordPuts(loads);
      cache.statistics.recordGetNanos(cache.ticker.nanos() - start);
    }
    return result;
  }

  void putAll(Map<? extends K, ? extends V> map) {
    cache.checkOpen();
    requireNonNull(map, "map");
    List<K> keys = new ArrayList<>(map.size());
    List<V> values = new ArrayList<>(map.size());
    split(map, keys, values);
    boolean stats = cache.statisticsEnabled();
    long start = stats ? cache.ticker.nanos() : 0L;
    List<Bytes> keyBytes = encodeKeys(keys);
    List<Bytes> valueBytes = encodeValues(cache, values);
    Set<Object> notWritten = Set.of();
    CacheWriterException failure = null;
    if (cache.writeThrough != null) {
      Collection<Cache.Entry<? extends K, ? extends V>> entries = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        entries.add(new WriterEntry<>(keys.get(i), values.get(i)));
      }
      try {
        cache.writeThrough.writeAll(entries);
      } catch (CacheWriterException e) {
        failure = e;
        notWritten = new HashSet<>();
        for (Cache.Entry<? extends K, ? extends V> left : entries) {
          notWritten.add(left.getKey());
        }
      }
    }
    if (cache.spansNodes() && !cache.codec.isByReference()) {
      putAllAtOnce(keys, values, keyBytes, valueBytes, notWritten, stats, start, failure);
      return;
    }
    EventBatch<K, V> batch = cache.listeners.newBatch();
    int puts = 0;
    int i = 0;
    try {
      for (; i < keys.size(); i++) {
        if (notWritten.contains(keys.get(i))) {
          cache.codec.release(valueBytes.get(i));
          continue;
        }
        KeyWrite<K, V> step = cache.applyWithoutFiring(keyBytes.get(i),
            KeyWrite.put(cache, Kind.PUT, keys.get(i), values.get(i), valueBytes.get(i), false, batch), valueBytes.get(i));
        if (step.stored) {
          puts++;
        }
      }
    } finally {
      // a key that failed part-way (a full no-eviction cache, say): the keys already stored keep
      // their events, and the encoded values never reached release their handles
      for (int left = i + 1; left < keys.size(); left++) {
        cache.codec.release(valueBytes.get(left));
      }
      batch.fire();
    }
    if (stats && puts > 0) {
      cache.statistics.recordPuts(puts);
      cache.statistics.recordPutNanos(cache.ticker.nanos() - start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * putAll's writes on a ring of several nodes: every key's update in flight at once, each with an
   * event batch of its own (their decisions run one at a time on this thread); the batches fire in
   * key order once all are done; the first failure (a writer's, else a key's) is thrown then.
   */
  private void putAllAtOnce(List<K> keys, List<V> values, List<Bytes> keyBytes, List<Bytes> valueBytes, Set<Object> notWritten,
      boolean stats, long start, @Nullable CacheWriterException writerFailure) {
    List<Bytes> writeKeys = new ArrayList<>(keys.size());
    List<KeyWrite<K, V>> steps = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      if (notWritten.contains(keys.get(i))) {
        continue;
      }
      writeKeys.add(keyBytes.get(i));
      steps.add(KeyWrite.put(cache, Kind.PUT, keys.get(i), values.get(i), valueBytes.get(i), false, cache.listeners.newBatch()));
    }
    List<RuntimeException> failures = cache.updateAllWithoutFiring(writeKeys, steps);
    int puts = 0;
    RuntimeException firstFailure = null;
    for (int i = 0; i < steps.size(); i++) {
      if (failures.get(i) != null) {
        firstFailure = firstFailure == null ? failures.get(i) : firstFailure;
      } else if (steps.get(i).stored) {
        puts++;
      }
    }
    for (KeyWrite<K, V> step : steps) {
      step.batch.fire();
    }
    if (stats && puts > 0) {
      cache.statistics.recordPuts(puts);
      cache.statistics.recordPutNanos(cache.ticker.nanos() - start);
    }
    if (writerFailure != null) {
      throw writerFailure;
    }
    if (firstFailure != null) {
      throw firstFailure;
    }
  }

  void removeAll(Set<? extends K> keys) {
    cache.checkOpen();
    requireNonNull(keys, "keys");
    removeKeys(nonNullKeys(keys));
  }

  void removeAll() {
    cache.checkOpen();
    List<K> keys = new ArrayList<>();
    Iterator<EngineEntry> scan = cache.scan();
    while (scan.hasNext()) {
      EngineEntry entry = scan.next();
      if (!entry.record().isTombstone()) {
        keys.add(cache.codec.decodeKey(entry.key()));
      }
    }
    removeKeys(keys);
  }

  private void removeKeys(List<K> keys) {
    boolean stats = cache.statisticsEnabled();
    long start = stats ? cache.ticker.nanos() : 0L;
    List<Bytes> keyBytes = encodeKeys(keys);
    Set<Object> notDeleted = Set.of();
    CacheWriterException failure = null;
    if (cache.writeThrough != null && !keys.isEmpty()) {
      Collection<K> toDelete = new LinkedHashSet<>(keys);
      try {
        cache.writeThrough.deleteAll(toDelete);
      } catch (CacheWriterException e) {
        failure = e;
        notDeleted = new HashSet<>(toDelete);
      }
    }
    EventBatch<K, V> batch = cache.listeners.newBatch();
    int removals = 0;
    try {
      for (int i = 0; i < keys.size(); i++) {
        if (notDeleted.contains(keys.get(i))) {
          continue;
        }
        KeyWrite<K, V> step = cache.applyWithoutFiring(keyBytes.get(i), KeyWrite.remove(cache, Kind.REMOVE, keys.get(i), false, batch), null);
        if (step.removed) {
          removals++;
        }
      }
    } finally {
      batch.fire(); // the removals made before a failure keep their events
    }
    if (stats && removals > 0) {
      cache.statistics.recordRemovals(removals);
      cache.statistics.recordRemoveNanos(cache.ticker.nanos() - start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  void loadAll(Set<? extends K> keys, boolean replaceExistingValues, @Nullable CompletionListener completionListener) {
    cache.checkOpen();
    requireNonNull(keys, "keys");
    ReadThrough<K, V> loader = cache.loader;
    if (loader == null) {
      if (completionListener != null) {
        completionListener.onCompletion();
      }
      return;
    }
    List<K> keyList = nonNullKeys(keys);
    cache.executor().execute(() -> {
      try {
        load(loader, keyList, replaceExistingValues);
        if (completionListener != null) {
          completionListener.onCompletion();
        }
      } catch (Exception e) {
        if (completionListener != null) {
          completionListener.onException(e);
        } else {
          LOG.log(Level.WARNING, "cache '" + cache.getName() + "': loadAll of " + keyList.size()
              + " keys failed, and no CompletionListener was given to report it to", e);
        }
      } catch (Error e) {
        if (completionListener != null) {
          completionListener.onException(new CacheLoaderException("cache '" + cache.getName() + "': loadAll failed: " + e, e));
        }
        throw e;
      }
    });
  }

  private void load(ReadThrough<K, V> loader, List<K> keys, boolean replaceExistingValues) {
    List<K> toLoad = new ArrayList<>(keys.size());
    for (K key : keys) {
      if (replaceExistingValues || !cache.containsKey(key)) {
        toLoad.add(key);
      }
    }
    if (toLoad.isEmpty()) {
      return;
    }
    Map<K, V> loaded = loader.loadAll(toLoad);
    boolean stats = cache.statisticsEnabled();
    long start = stats ? cache.ticker.nanos() : 0L;
    EventBatch<K, V> batch = cache.listeners.newBatch();
    int puts = 0;
    try {
      for (Map.Entry<K, V> entry : loaded.entrySet()) {
        K key = entry.getKey();
        V value = entry.getValue();
        if (key == null || value == null) {
          continue;
        }
        Bytes valueBytes = cache.codec.encodeValue(value);
        KeyWrite<K, V> step = cache.applyWithoutFiring(cache.codec.encodeKey(key),
            KeyWrite.put(cache, replaceExistingValues ? Kind.PUT : Kind.PUT_IF_ABSENT, key, value, valueBytes, false, batch), valueBytes);
        if (step.stored) {
          puts++;
        }
      }
    } finally {
      batch.fire(); // the loads stored before a failure keep their events
    }
    if (stats && puts > 0) {
      cache.statistics.recordPuts(puts);
      cache.statistics.recordPutNanos(cache.ticker.nanos() - start);
    }
  }

  <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor, Object[] arguments) {
    cache.checkOpen();
    requireNonNull(keys, "keys");
    requireNonNull(processor, "entryProcessor");
    List<K> keyList = nonNullKeys(keys);
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keyList) {
      try {
        T result = cache.invoke(key, processor, arguments);
        if (result != null) {
          results.put(key, ProcessorResult.of(result));
        }
      } catch (Exception e) {
        results.put(key, ProcessorResult.failed(e));
      }
    }
    return results;
  }

  /** The entries of a putAll's {@code map} into {@code keys} and {@code values}, each checked not null (sync and async). */
  static <K, V> void split(Map<? extends K, ? extends V> map, List<K> keys, List<V> values) {
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      keys.add(requireNonNull(entry.getKey(), "a key of the map"));
      values.add(requireNonNull(entry.getValue(), "a value of the map"));
    }
  }

  /** {@code values} encoded by {@code cache}'s codec; if one fails, those already encoded are released (sync and async). */
  static <K, V> List<Bytes> encodeValues(KeyspaceCache<K, V> cache, List<V> values) {
    List<Bytes> valueBytes = new ArrayList<>(values.size());
    try {
      for (V value : values) {
        valueBytes.add(cache.codec.encodeValue(value));
      }
    } catch (RuntimeException e) {
      for (Bytes held : valueBytes) {
        cache.codec.release(held);
      }
      throw e;
    }
    return valueBytes;
  }

  /** {@code keys} as a list, each checked not null (bulk operations, sync and async). */
  static <K> List<K> nonNullKeys(Collection<? extends K> keys) {
    List<K> list = new ArrayList<>(keys.size());
    for (K key : keys) {
      list.add(requireNonNull(key, "a key of the set"));
    }
    return list;
  }

  private List<Bytes> encodeKeys(List<K> keys) {
    return encodeKeys(cache, keys);
  }

  /** {@code keys} encoded by {@code cache}'s codec (bulk operations, sync and async). */
  static <K, V> List<Bytes> encodeKeys(KeyspaceCache<K, V> cache, List<K> keys) {
    List<Bytes> bytes = new ArrayList<>(keys.size());
    for (K key : keys) {
      bytes.add(cache.codec.encodeKey(key));
    }
    return bytes;
  }
}
