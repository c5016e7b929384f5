package io.ringstore.provider;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.cluster.replication.KeyOperation;
import io.ringstore.cluster.replication.Mutation;
import io.ringstore.provider.KeyWrite.Kind;
import io.ringstore.provider.integration.ReadThrough;
import io.ringstore.provider.integration.WriteThrough;
import io.ringstore.provider.integration.WriterEntry;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.RingstoreException;
import io.ringstore.spi.StoredRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.integration.CacheWriterException;
import javax.cache.processor.EntryProcessor;
import org.jspecify.annotations.Nullable;

/**
 * The asynchronous operations of a {@link KeyspaceCache}, at given quorums: each is the
 * synchronous operation's step ({@link KeyWrite}, {@link KeyRead}, {@link KeyInvocation},
 * {@link KeyContextWrite}) handed to {@link Coordinator#updateAsync} (or a plain
 * {@link Coordinator#readAsync}), and the synchronous path's after-steps -- handle releases, the
 * step's events, statistics, exception translation -- run as stages when the coordinator's stage
 * completes. No thread waits for a request: a bulk operation has all its keys in flight at once
 * and joins them with {@link CompletableFuture#allOf}.
 *
 * <p>Where a loader or writer may be called, the update is issued from the cache manager's
 * executor ({@link KeyspaceCache#executor()}) unless {@code blockOnCaller} is set (a
 * {@link QuorumView}'s synchronous operations, whose caller waits anyway). Bulk loads and bulk
 * writer calls ({@code loadAll}, {@code writeAll}, {@code deleteAll}) run there too.
 *
 * <p>Every returned stage is a new {@link CompletableFuture} completed with the operation's own
 * exception (a {@link CacheException}, {@link CacheWriterException}, ...), never a
 * {@link CompletionException} around it. Argument errors are thrown before anything starts.
 *
 * <p>Bulk operations differ from their synchronous namesakes in one respect: a failing key does
 * not stop the keys after it (all are in flight at once); the stage completes with the first
 * failure once every key has finished, and the events of the keys that succeeded are fired.
 *
 * <p>Thread-safety: thread-safe (stateless apart from the cache).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheAsync<K, V> {
  private static final Object[] NO_ARGUMENTS = new Object[0];

  private final KeyspaceCache<K, V> cache;
  private final Coordinator coordinator;
  private final int writeQuorum;
  private final int readQuorum;
  private final boolean blockOnCaller;

  /**
   * @param blockOnCaller run loaders and writers on the calling thread instead of the manager's
   *     executor (for callers that wait for the stage)
   */
  CacheAsync(KeyspaceCache<K, V> cache, Coordinator coordinator, int writeQuorum, int readQuorum, boolean blockOnCaller) {
    this.cache = cache;
    this.coordinator = coordinator;
    this.writeQuorum = writeQuorum;
    this.readQuorum = readQuorum;
    this.blockOnCaller = blockOnCaller;
  }

  int writeQuorum() {
    return writeQuorum;
  }

  int readQuorum() {
    return readQuorum;
  }

  // ---- reads ----

  CompletionStage<@Nullable V> get(K key) {
    cache.checkOpen();
    requireNonNull(key, "key");
    long start = cache.startTimer();
    if (cache.plainReads()) {
      Bytes keyBytes = cache.codec.encodeKeyIfKnown(key);
      CompletionStage<@Nullable V> value = keyBytes == null ? CompletableFuture.completedFuture(null) : readValue(keyBytes);
      return deliver(value.thenApply(v -> {
        if (start != KeyspaceCache.NO_TIMER) {
          cache.recordGet(v != null, start);
        }
        return v;
      }));
    }
    boolean loads = cache.readThrough != null;
    KeyRead<K, V> step = new KeyRead<>(cache, key, loads, null, cache.listeners.newBatch());
    return deliver(apply(cache.codec.encodeKey(key), step, null, loads, true).thenApply(s -> {
      if (start != KeyspaceCache.NO_TIMER) {
        cache.recordGet(s.hit(), start);
        if (s.loaded) {
          cache.statistics.recordPuts(1);
        }
      }
      return s.value;
    }));
  }

  CompletionStage<Boolean> containsKey(K key) {
    cache.checkOpen();
    requireNonNull(key, "key");
    Bytes keyBytes = cache.codec.encodeKeyIfKnown(key);
    if (keyBytes == null) {
      return CompletableFuture.completedFuture(false);
    }
    return deliver(read(keyBytes).thenApply(cache::holdsValue));
  }

  CompletionStage<Versions<V>> versions(K key) {
    cache.checkOpen();
    requireNonNull(key, "key");
    return deliver(read(cache.codec.encodeKey(key)).thenApply(cache::versionsOf));
  }

  /** The value of {@code key} by a plain read, siblings resolved and the resolution written back. */
  private CompletionStage<@Nullable V> readValue(Bytes key) {
    return read(key).thenCompose(record -> record == null ? CompletableFuture.completedFuture(null) : resolved(key, record));
  }

  /** As {@link KeyspaceCache#resolvedValue}, writing the resolution back without blocking. */
  private CompletionStage<@Nullable V> resolved(Bytes key, StoredRecord record) {
    if (!record.hasSiblings()) {
      return CompletableFuture.completedFuture(cache.values.soleValueOf(record));
    }
    V resolved = cache.values.valueOf(record);
    if (cache.codec.isByReference()) {
      return CompletableFuture.completedFuture(resolved);
    }
    Bytes resolvedBytes = resolved == null ? null : cache.codec.encodeValue(resolved);
    KeyOperation writeBack = current -> current == null || !current.clock().equals(record.clock()) ? Mutation.KEEP
        : resolvedBytes == null ? Mutation.DELETE : Mutation.write(resolvedBytes, current.expiresAtMillis());
    return translated(update(key, writeBack)).thenApply(ignored -> resolved);
  }

  // ---- single-key writes ----

  CompletionStage<@Nullable Void> put(K key, V value) {
    return deliver(write(Kind.PUT, key, value, 0).thenApply(s -> null));
  }

  CompletionStage<@Nullable V> getAndPut(K key, V value) {
    return deliver(write(Kind.GET_AND_PUT, key, value, KeyspaceCache.HIT_OR_MISS | KeyspaceCache.GET_TIME).thenApply(s -> s.previous));
  }

  CompletionStage<Boolean> putIfAbsent(K key, V value) {
    return deliver(write(Kind.PUT_IF_ABSENT, key, value, KeyspaceCache.HIT_OR_MISS).thenApply(s -> s.stored));
  }

  CompletionStage<Boolean> replace(K key, V value) {
    return deliver(write(Kind.REPLACE, key, value, KeyspaceCache.HIT_OR_MISS).thenApply(s -> s.stored));
  }

  CompletionStage<@Nullable V> getAndReplace(K key, V value) {
    return deliver(write(Kind.GET_AND_REPLACE, key, value, KeyspaceCache.HIT_OR_MISS | KeyspaceCache.GET_TIME)
        .thenApply(s -> s.previous));
  }

  CompletionStage<Boolean> replace(K key, V oldValue, V newValue) {
    cache.checkOpen();
    requireNonNull(key, "key");
    requireNonNull(oldValue, "oldValue");
    requireNonNull(newValue, "newValue");
    long start = cache.startTimer();
    Bytes keyBytes = cache.codec.encodeKey(key);
    Bytes expectedBytes = cache.codec.isByReference() ? null : cache.codec.encodeValue(oldValue);
    Bytes valueBytes = cache.codec.encodeValue(newValue);
    KeyWrite<K, V> step = KeyWrite.replaceIfEqual(cache, key, oldValue, expectedBytes, newValue, valueBytes, cache.listeners.newBatch());
    return deliver(recorded(apply(keyBytes, step, valueBytes, cache.writeThrough != null, true), start, KeyspaceCache.HIT_OR_MISS)
        .thenApply(s -> s.stored));
  }

  CompletionStage<Boolean> remove(K key) {
    cache.checkOpen();
    requireNonNull(key, "key");
    long start = cache.startTimer();
    KeyWrite<K, V> step = KeyWrite.remove(cache, Kind.REMOVE, key, true, cache.listeners.newBatch());
    return deliver(recorded(apply(cache.codec.encodeKey(key), step, null, cache.writeThrough != null, true), start, 0)
        .thenApply(s -> s.removed));
  }

  CompletionStage<Boolean> remove(K key, V oldValue) {
    cache.checkOpen();
    requireNonNull(key, "key");
    requireNonNull(oldValue, "oldValue");
    long start = cache.startTimer();
    Bytes keyBytes = cache.codec.encodeKey(key);
    Bytes expectedBytes = cache.codec.isByReference() ? null : cache.codec.encodeValue(oldValue);
    KeyWrite<K, V> step = KeyWrite.removeIfEqual(cache, key, oldValue, expectedBytes, cache.listeners.newBatch());
    return deliver(recorded(apply(keyBytes, step, null, cache.writeThrough != null, true), start, KeyspaceCache.HIT_OR_MISS)
        .thenApply(s -> s.removed));
  }

  CompletionStage<@Nullable V> getAndRemove(K key) {
    cache.checkOpen();
    requireNonNull(key, "key");
    long start = cache.startTimer();
    KeyWrite<K, V> step = KeyWrite.remove(cache, Kind.GET_AND_REMOVE, key, true, cache.listeners.newBatch());
    return deliver(recorded(apply(cache.codec.encodeKey(key), step, null, cache.writeThrough != null, true), start,
        KeyspaceCache.HIT_OR_MISS | KeyspaceCache.GET_TIME).thenApply(s -> s.previous));
  }

  CompletionStage<@Nullable Void> put(K key, V value, CausalContext context) {
    cache.checkOpen();
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    requireNonNull(context, "context");
    long start = cache.startTimer();
    Bytes keyBytes = cache.codec.encodeKey(key);
    Bytes valueBytes = cache.codec.encodeValue(value);
    KeyContextWrite<K, V> step = new KeyContextWrite<>(cache, key, value, valueBytes, context.clock(), cache.listeners.newBatch());
    return deliver(apply(keyBytes, step, valueBytes, cache.writeThrough != null, true).thenApply(s -> {
      cache.recordPut(s.stored, start);
      return null;
    }));
  }

  <T> CompletionStage<@Nullable T> invoke(K key, EntryProcessor<K, V, T> processor, Object @Nullable [] arguments) {
    cache.checkOpen();
    requireNonNull(key, "key");
    requireNonNull(processor, "entryProcessor");
    long start = cache.startTimer();
    KeyInvocation<K, V, T> step = new KeyInvocation<>(cache, key, processor, arguments == null ? NO_ARGUMENTS : arguments,
        cache.listeners.newBatch());
    boolean blocking = cache.readThrough != null || cache.writeThrough != null;
    return deliver(apply(cache.codec.encodeKey(key), step, null, blocking, true).thenApply(s -> {
      cache.recordInvocation(s, start);
      return s.result;
    }));
  }

  /** A put-family write of {@code value} under {@code key}, with its statistics. */
  private CompletionStage<KeyWrite<K, V>> write(Kind kind, K key, V value, int counts) {
    cache.checkOpen();
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    long start = cache.startTimer();
    Bytes keyBytes = cache.codec.encodeKey(key);
    Bytes valueBytes = cache.codec.encodeValue(value);
    KeyWrite<K, V> step = KeyWrite.put(cache, kind, key, value, valueBytes, true, cache.listeners.newBatch());
    return recorded(apply(keyBytes, step, valueBytes, cache.writeThrough != null, true), start, counts);
  }

  private CompletionStage<KeyWrite<K, V>> recorded(CompletionStage<KeyWrite<K, V>> stage, long start, int counts) {
    return stage.thenApply(step -> cache.record(step, start, counts));
  }

  // ---- bulk operations ----

  CompletionStage<Map<K, V>> getAll(Set<? extends K> keys) {
    cache.checkOpen();
    requireNonNull(keys, "keys");
    List<K> keyList = nonNullKeys(keys);
    List<Bytes> keyBytes = encodeKeys(keyList);
    boolean stats = cache.statisticsEnabled();
    long start = stats ? cache.ticker.nanos() : 0L;
    boolean plain = !cache.expiry.hasAccessExpiry();
    int n = keyList.size();
    List<KeyStep<K, V>> steps = new ArrayList<>(); // in the order their events fire
    List<CompletableFuture<@Nullable V>> reads = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (plain) {
        reads.add(readValue(keyBytes.get(i)).toCompletableFuture());
      } else {
        KeyRead<K, V> step = new KeyRead<>(cache, keyList.get(i), false, null, cache.listeners.newBatch());
        steps.add(step);
        reads.add(apply(keyBytes.get(i), step, null, false, false).thenApply(s -> s.value).toCompletableFuture());
      }
    }
    CompletionStage<Map<K, V>> all = allOf(reads).thenCompose(ignored -> {
      Map<K, V> result = new HashMap<>(Math.max(4, n * 2));
      List<Integer> misses = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        V value = reads.get(i).join();
        if (value != null) {
          result.put(keyList.get(i), value);
        } else {
          misses.add(i);
        }
      }
      int hits = n - misses.size();
      ReadThrough<K, V> readThrough = cache.readThrough;
      if (readThrough == null || misses.isEmpty()) {
        return CompletableFuture.completedFuture(finishGetAll(result, steps, hits, misses.size(), 0, stats, start));
      }
      List<K> missingKeys = new ArrayList<>(misses.size());
      for (int i : misses) {
        missingKeys.add(keyList.get(i));
      }
      return blocking(() -> readThrough.loadAll(missingKeys)).thenCompose(loaded -> {
        List<KeyRead<K, V>> loads = new ArrayList<>();
        List<CompletableFuture<KeyRead<K, V>>> stores = new ArrayList<>();
        for (int i : misses) {
          K key = keyList.get(i);
          if (loaded.get(key) == null) {
            continue;
          }
          KeyRead<K, V> step = new KeyRead<>(cache, key, true, loaded, cache.listeners.newBatch());
          loads.add(step);
          stores.add(apply(keyBytes.get(i), step, null, false, false).toCompletableFuture());
        }
        return allOf(stores).thenApply(done -> {
          int stored = 0;
          for (KeyRead<K, V> step : loads) {
            if (step.value != null) {
              result.put(step.key, step.value);
            }
            if (step.loaded) {
              stored++;
            }
          }
          steps.addAll(loads);
          return finishGetAll(result, steps, hits, misses.size(), stored, stats, start);
        });
      });
    });
    return deliver(all);
  }

  private Map<K, V> finishGetAll(Map<K, V> result, List<KeyStep<K, V>> steps, int hits, int misses, int loads, boolean stats,
      long start) {
    fireAll(steps);
    if (stats) {
      cache.statistics.recordHits(hits);
      cache.statistics.recordMisses(misses);
      cache.statistics.recordPuts(loads);
      cache.statistics.recordGetNanos(cache.ticker.nanos() - start);
    }
    return result;
  }

  CompletionStage<@Nullable Void> putAll(Map<? extends K, ? extends V> map) {
    cache.checkOpen();
    requireNonNull(map, "map");
    List<K> keys = new ArrayList<>(map.size());
    List<V> values = new ArrayList<>(map.size());
    CacheBulk.split(map, keys, values);
    boolean stats = cache.statisticsEnabled();
    long start = stats ? cache.ticker.nanos() : KeyspaceCache.NO_TIMER;
    List<Bytes> keyBytes = encodeKeys(keys);
    List<Bytes> valueBytes = CacheBulk.encodeValues(cache, values);
    WriteThrough<K, V> writer = cache.writeThrough;
    CompletionStage<WriterOutcome> written;
    if (writer == null) {
      written = CompletableFuture.completedFuture(WriterOutcome.ALL);
    } else {
      Collection<Cache.Entry<? extends K, ? extends V>> entries = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        entries.add(new WriterEntry<>(keys.get(i), values.get(i)));
      }
      written = blocking(() -> {
        try {
          writer.writeAll(entries);
          return WriterOutcome.ALL;
        } catch (CacheWriterException e) {
          Set<Object> left = new HashSet<>();
          for (Cache.Entry<? extends K, ? extends V> entry : entries) {
            left.add(entry.getKey());
          }
          return new WriterOutcome(left, e);
        } catch (RuntimeException | Error e) {
          releaseAll(valueBytes);
          throw e;
        }
      });
    }
    return deliver(written.thenCompose(outcome -> {
      List<KeyWrite<K, V>> steps = new ArrayList<>(keys.size());
      List<CompletableFuture<@Nullable Throwable>> updates = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        if (outcome.left().contains(keys.get(i))) {
          cache.codec.release(valueBytes.get(i));
          continue;
        }
        KeyWrite<K, V> step = KeyWrite.put(cache, Kind.PUT, keys.get(i), values.get(i), valueBytes.get(i), false,
            cache.listeners.newBatch());
        steps.add(step);
        updates.add(failureOf(apply(keyBytes.get(i), step, valueBytes.get(i), false, false)));
      }
      return allOf(updates).thenApply(done -> {
        int puts = 0;
        for (KeyWrite<K, V> step : steps) {
          puts += step.stored ? 1 : 0;
        }
        int counted = puts;
        finishWrites(steps, updates, outcome.failure(), () -> {
          cache.statistics.recordPuts(counted);
          cache.statistics.recordPutNanos(cache.ticker.nanos() - start);
        }, stats && puts > 0);
        return null;
      });
    }));
  }

  CompletionStage<@Nullable Void> removeAll(Set<? extends K> keys) {
    cache.checkOpen();
    requireNonNull(keys, "keys");
    List<K> keyList = nonNullKeys(keys);
    boolean stats = cache.statisticsEnabled();
    long start = stats ? cache.ticker.nanos() : KeyspaceCache.NO_TIMER;
    List<Bytes> keyBytes = encodeKeys(keyList);
    WriteThrough<K, V> writer = cache.writeThrough;
    CompletionStage<WriterOutcome> deleted;
    if (writer == null || keyList.isEmpty()) {
      deleted = CompletableFuture.completedFuture(WriterOutcome.ALL);
    } else {
      Collection<K> toDelete = new LinkedHashSet<>(keyList);
      deleted = blocking(() -> {
        try {
          writer.deleteAll(toDelete);
          return WriterOutcome.ALL;
        } catch (CacheWriterException e) {
          return new WriterOutcome(new HashSet<>(toDelete), e);
        }
      });
    }
    return deliver(deleted.thenCompose(outcome -> {
      List<KeyWrite<K, V>> steps = new ArrayList<>(keyList.size());
      List<CompletableFuture<@Nullable Throwable>> updates = new ArrayList<>(keyList.size());
      for (int i = 0; i < keyList.size(); i++) {
        if (outcome.left().contains(keyList.get(i))) {
          continue;
        }
        KeyWrite<K, V> step = KeyWrite.remove(cache, Kind.REMOVE, keyList.get(i), false, cache.listeners.newBatch());
        steps.add(step);
        updates.add(failureOf(apply(keyBytes.get(i), step, null, false, false)));
      }
      return allOf(updates).thenApply(done -> {
        int removals = 0;
        for (KeyWrite<K, V> step : steps) {
          removals += step.removed ? 1 : 0;
        }
        int counted = removals;
        finishWrites(steps, updates, outcome.failure(), () -> {
          cache.statistics.recordRemovals(counted);
          cache.statistics.recordRemoveNanos(cache.ticker.nanos() - start);
        }, stats && removals > 0);
        return null;
      });
    }));
  }

  /**
   * The end of a bulk write: fires the events of the keys that were written (each step's batch,
   * in key order), records the statistics, then throws the first key's failure, else the writer's.
   */
  private void finishWrites(List<KeyWrite<K, V>> steps, List<CompletableFuture<@Nullable Throwable>> updates,
      @Nullable CacheWriterException writerFailure, Runnable statistics, boolean record) {
    Throwable first = null;
    List<KeyStep<K, V>> done = new ArrayList<>(steps.size());
    for (int i = 0; i < steps.size(); i++) {
      Throwable failure = updates.get(i).join();
      if (failure == null) {
        done.add(steps.get(i));
      } else if (first == null) {
        first = failure;
      } else if (first != failure) {
        first.addSuppressed(failure);
      }
    }
    try {
      fireAll(done);
    } finally {
      if (record) {
        statistics.run();
      }
    }
    if (first != null) {
      throw rethrow(first);
    }
    if (writerFailure != null) {
      throw writerFailure;
    }
  }

  /** What a bulk writer call left undone: the keys not written (deleted), and its exception. */
  private record WriterOutcome(Set<Object> left, @Nullable CacheWriterException failure) {
    static final WriterOutcome ALL = new WriterOutcome(Set.of(), null);
  }

  // ---- the machinery ----

  /**
   * Runs {@code step} on {@code key} through the coordinator; when its stage completes, releases
   * store-by-reference handles and, if {@code fire}, fires the step's events. On failure the
   * step's events are discarded and the exception translated as the synchronous path does.
   *
   * @param blocking whether the step may call a loader or writer (then issued from the executor)
   */
  private <S extends KeyStep<K, V>> CompletionStage<S> apply(Bytes key, S step, @Nullable Bytes newBytes, boolean blocking,
      boolean fire) {
    CompletionStage<@Nullable StoredRecord> update = blocking && !blockOnCaller
        ? onExecutor(() -> update(key, step)).thenCompose(stage -> stage)
        : update(key, step);
    return update.handle((record, failure) -> {
      Throwable error = cache.completeUpdate(step, newBytes, failure == null ? null : unwrap(failure));
      if (error != null) {
        throw rethrow(error);
      }
      if (fire) {
        step.batch.fire();
      }
      return step;
    });
  }

  private CompletionStage<@Nullable StoredRecord> update(Bytes key, KeyOperation operation) {
    try {
      return coordinator.updateAsync(key, operation, writeQuorum, readQuorum);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A plain read at this instance's read quorum, its failures translated. */
  private CompletionStage<@Nullable StoredRecord> read(Bytes key) {
    CompletionStage<@Nullable StoredRecord> read;
    try {
      read = coordinator.readAsync(key, readQuorum);
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    return translated(read);
  }

  private <T> CompletionStage<T> translated(CompletionStage<T> stage) {
    return stage.handle((value, failure) -> {
      if (failure == null) {
        return value;
      }
      throw rethrow(translate(unwrap(failure)));
    });
  }

  private Throwable translate(Throwable failure) {
    if (failure instanceof RingstoreException e) {
      return cache.translate(e);
    }
    if (failure instanceof IllegalStateException e) {
      return cache.translate(e);
    }
    return failure;
  }

  /** {@code work}'s result, computed on the manager's executor (or here, for a waiting caller). */
  private <T> CompletionStage<T> blocking(Supplier<T> work) {
    if (blockOnCaller) {
      try {
        return CompletableFuture.completedFuture(work.get());
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return onExecutor(work);
  }

  private <T> CompletionStage<T> onExecutor(Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    cache.executor().execute(() -> {
      try {
        result.complete(work.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** A stage that completes normally when {@code stage} completes: with its failure, or null. */
  private static CompletableFuture<@Nullable Throwable> failureOf(CompletionStage<?> stage) {
    return stage.handle((value, failure) -> failure == null ? null : unwrap(failure)).toCompletableFuture();
  }

  private static CompletableFuture<@Nullable Void> allOf(List<? extends CompletableFuture<?>> stages) {
    return CompletableFuture.allOf(stages.toArray(new CompletableFuture<?>[0]));
  }

  /** Fires each step's events, in order, all of them even if a listener throws; then throws the first failure. */
  private static void fireAll(List<? extends KeyStep<?, ?>> steps) {
    RuntimeException failure = null;
    for (KeyStep<?, ?> step : steps) {
      try {
        step.batch.fire();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * A new future completed as {@code stage} is, with the operation's own exception rather than
   * the {@link CompletionException} that stage composition wraps it in.
   */
  static <T> CompletionStage<T> deliver(CompletionStage<T> stage) {
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(unwrap(failure));
      }
    });
    return result;
  }

  /** The result of {@code stage}, waiting for it; its exception is rethrown as the synchronous call would throw it. */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      throw rethrow(unwrap(e));
    }
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** {@code failure} to throw: itself if unchecked (an Error is thrown here), else in a CacheException. */
  static RuntimeException rethrow(Throwable failure) {
    if (failure instanceof RuntimeException e) {
      return e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    return new CacheException(failure.getMessage(), failure);
  }

  private void releaseAll(List<Bytes> valueBytes) {
    for (Bytes held : valueBytes) {
      cache.codec.release(held);
    }
  }

  private static <K> List<K> nonNullKeys(Collection<? extends K> keys) {
    return CacheBulk.nonNullKeys(keys);
  }

  private List<Bytes> encodeKeys(List<K> keys) {
    return CacheBulk.encodeKeys(cache, keys);
  }
}
