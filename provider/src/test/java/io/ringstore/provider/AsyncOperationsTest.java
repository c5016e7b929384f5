package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.io.Serializable;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.management.CacheStatisticsMXBean;
import javax.cache.processor.EntryProcessorException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CompletionStage variants on one embedded node: the same results, events, statistics,
 * loader and writer calls as the synchronous operations, exceptions as the stage's own (not
 * wrapped), argument errors thrown at once.
 */
class AsyncOperationsTest {
  private final RingstoreCacheManager manager = TestManagers.create();

  @AfterEach
  void tearDown() {
    manager.close();
  }

  /** Records created, updated and removed events as text, in order. */
  static final class Events implements CacheEntryCreatedListener<String, String>, CacheEntryUpdatedListener<String, String>,
      CacheEntryRemovedListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> seen.add("created " + e.getKey() + "=" + e.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> seen.add("updated " + e.getKey() + "=" + e.getOldValue() + ">" + e.getValue()));
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> seen.add("removed " + e.getKey()));
    }
  }

  /** A writer into a map that refuses one key, and records the threads it ran on. */
  static final class MapWriter implements CacheWriter<String, String>, Serializable {
    private static final long serialVersionUID = 1L;
    static final String REFUSED = "refused";
    final Map<String, String> written = new ConcurrentHashMap<>();
    final Set<String> deleted = ConcurrentHashMap.newKeySet();
    final List<Thread> threads = new CopyOnWriteArrayList<>();

    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
      threads.add(Thread.currentThread());
      if (entry.getKey().equals(REFUSED)) {
        throw new CacheWriterException("the writer refuses " + REFUSED);
      }
      written.put(entry.getKey(), entry.getValue());
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
      for (Iterator<Cache.Entry<? extends String, ? extends String>> i = entries.iterator(); i.hasNext(); ) {
        Cache.Entry<? extends String, ? extends String> entry = i.next();
        write(entry);
        i.remove();
      }
    }

    @Override
    public void delete(Object key) {
      threads.add(Thread.currentThread());
      if (key.equals(REFUSED)) {
        throw new CacheWriterException("the writer refuses to delete " + REFUSED);
      }
      deleted.add((String) key);
    }

    @Override
    public void deleteAll(Collection<?> keys) {
      for (Iterator<?> i = keys.iterator(); i.hasNext(); ) {
        delete(i.next());
        i.remove();
      }
    }
  }

  /** A loader that knows keys starting with "db-", fails on "broken", and records its threads. */
  static final class Loader implements CacheLoader<String, String>, Serializable {
    private static final long serialVersionUID = 1L;
    final List<Thread> threads = new CopyOnWriteArrayList<>();

    @Override
    public @Nullable String load(String key) {
      threads.add(Thread.currentThread());
      if (key.equals("broken")) {
        throw new CacheLoaderException("cannot load broken");
      }
      return key.startsWith("db-") ? "loaded " + key : null;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> loaded = new LinkedHashMap<>();
      for (String key : keys) {
        String value = load(key);
        if (value != null) {
          loaded.put(key, value);
        }
      }
      return loaded;
    }
  }

  @SuppressWarnings("unchecked")
  private RingstoreCache<String, String> cache(RingstoreConfiguration<String, String> configuration) {
    return manager.createCache("async", configuration.setTypes(String.class, String.class)).unwrap(RingstoreCache.class);
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  /** The exception the stage completed with, as a handler of the stage sees it. */
  private static Throwable failureOf(CompletionStage<?> stage) {
    Throwable failure = stage.handle((value, e) -> e).toCompletableFuture().join();
    assertThat(failure).as("the stage completed exceptionally").isNotNull();
    return failure;
  }

  @Test
  void everySingleKeyOperationAnswersAsItsSynchronousNamesake() {
    Events events = new Events();
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>()
        .setStatisticsEnabled(true)
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(events), null, true, true)));
    assertThat(join(cache.getAsync("k"))).isNull();
    assertThat(join(cache.containsKeyAsync("k"))).isFalse();
    assertThat(join(cache.putAsync("k", "1"))).isNull();
    assertThat(join(cache.containsKeyAsync("k"))).isTrue();
    assertThat(join(cache.getAsync("k"))).isEqualTo("1");
    assertThat(join(cache.getAndPutAsync("k", "2"))).isEqualTo("1");
    assertThat(join(cache.putIfAbsentAsync("k", "x"))).isFalse();
    assertThat(join(cache.putIfAbsentAsync("p", "1"))).isTrue();
    assertThat(join(cache.replaceAsync("absent", "x"))).isFalse();
    assertThat(join(cache.replaceAsync("k", "3"))).isTrue();
    assertThat(join(cache.replaceAsync("k", "wrong", "x"))).isFalse();
    assertThat(join(cache.replaceAsync("k", "3", "4"))).isTrue();
    assertThat(join(cache.getAndReplaceAsync("k", "5"))).isEqualTo("4");
    assertThat(join(cache.getAndReplaceAsync("absent", "5"))).isNull();
    assertThat(join(cache.removeAsync("k", "wrong"))).isFalse();
    assertThat(join(cache.removeAsync("k", "5"))).isTrue();
    assertThat(join(cache.removeAsync("k"))).isFalse();
    assertThat(join(cache.getAndRemoveAsync("p"))).isEqualTo("1");
    assertThat(join(cache.getAndRemoveAsync("p"))).isNull();
    assertThat(join(cache.<String>invokeAsync("n", (entry, args) -> {
      entry.setValue("made " + args[0]);
      return "done";
    }, "here"))).isEqualTo("done");
    assertThat(join(cache.<Boolean>invokeAsync("n", (entry, args) -> entry.exists()))).isTrue();
    assertThat(join(cache.removeAsync("n"))).isTrue();
    assertThat(join(cache.putAsync("c", "v", CausalContext.EMPTY))).isNull();
    assertThat(cache.get("c")).isEqualTo("v");

    assertThat(events.seen).containsExactly(
        "created k=1", "updated k=1>2", "created p=1", "updated k=2>3", "updated k=3>4", "updated k=4>5", "removed k",
        "removed p", "created n=made here", "removed n", "created c=v");
    CacheStatisticsMXBean statistics = cache.unwrap(CacheStatisticsMXBean.class);
    // hits and misses: get x2 (miss, hit), getAndPut (hit), putIfAbsent x2 (hit, miss), replace x2 (miss, hit),
    // replace(k, old, new) x2 (hit, hit), getAndReplace x2 (hit, miss), remove(k, v) x2 (hit, hit),
    // getAndRemove x2 (hit, miss), invoke x2 (miss, hit), the final get (hit)
    assertThat(statistics.getCacheHits()).isEqualTo(12);
    assertThat(statistics.getCacheMisses()).isEqualTo(6);
    assertThat(statistics.getCachePuts()).isEqualTo(8);
    assertThat(statistics.getCacheRemovals()).isEqualTo(3);
  }

  @Test
  void statisticsAndEventsMatchTheSynchronousOperations() {
    Events syncEvents = new Events();
    Events asyncEvents = new Events();
    @SuppressWarnings("unchecked")
    RingstoreCache<String, String> sync = manager.createCache("sync", new RingstoreConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setStatisticsEnabled(true)
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(syncEvents), null, true, true))).unwrap(RingstoreCache.class);
    RingstoreCache<String, String> async = cache(new RingstoreConfiguration<String, String>()
        .setStatisticsEnabled(true)
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(asyncEvents), null, true, true)));
    List<Object> syncResults = new java.util.ArrayList<>();
    List<Object> asyncResults = new java.util.ArrayList<>();
    for (String key : List.of("a", "b", "a", "c", "b")) {
      syncResults.add(String.valueOf(sync.get(key)));
      asyncResults.add(String.valueOf(join(async.getAsync(key))));
      syncResults.add(sync.putIfAbsent(key, key + 1));
      asyncResults.add(join(async.putIfAbsentAsync(key, key + 1)));
      syncResults.add(String.valueOf(sync.getAndPut(key, key + 2)));
      asyncResults.add(String.valueOf(join(async.getAndPutAsync(key, key + 2))));
      syncResults.add(sync.replace(key, key + 2, key + 3));
      asyncResults.add(join(async.replaceAsync(key, key + 2, key + 3)));
      syncResults.add(sync.remove(key, key + 1));
      asyncResults.add(join(async.removeAsync(key, key + 1)));
      syncResults.add(String.valueOf(sync.getAndReplace(key, key + 4)));
      asyncResults.add(String.valueOf(join(async.getAndReplaceAsync(key, key + 4))));
      syncResults.add(String.valueOf(sync.<String>invoke(key, (entry, args) -> {
        entry.setValue(entry.getValue() + "!");
        return entry.getValue();
      })));
      asyncResults.add(String.valueOf(join(async.<String>invokeAsync(key, (entry, args) -> {
        entry.setValue(entry.getValue() + "!");
        return entry.getValue();
      }))));
      if (key.equals("b")) {
        syncResults.add(String.valueOf(sync.getAndRemove(key)));
        asyncResults.add(String.valueOf(join(async.getAndRemoveAsync(key))));
        syncResults.add(sync.remove(key));
        asyncResults.add(join(async.removeAsync(key)));
      }
    }
    assertThat(asyncResults).isEqualTo(syncResults);
    assertThat(asyncEvents.seen).isEqualTo(syncEvents.seen);
    CacheStatisticsMXBean s = sync.unwrap(CacheStatisticsMXBean.class);
    CacheStatisticsMXBean a = async.unwrap(CacheStatisticsMXBean.class);
    assertThat(List.of(a.getCacheHits(), a.getCacheMisses(), a.getCachePuts(), a.getCacheRemovals()))
        .isEqualTo(List.of(s.getCacheHits(), s.getCacheMisses(), s.getCachePuts(), s.getCacheRemovals()));
    assertThat(a.getCacheHits()).isPositive();
    assertThat(a.getCacheMisses()).isPositive();
  }

  @Test
  void argumentErrorsAreThrownAtOnce() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<>());
    assertThatThrownBy(() -> cache.getAsync(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.putAsync("k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.putAsync("k", "v", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.replaceAsync("k", null, "v")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.invokeAsync("k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.getAllAsync(null)).isInstanceOf(NullPointerException.class);
    Set<String> withNull = new java.util.HashSet<>(java.util.Arrays.asList("a", null));
    assertThatThrownBy(() -> cache.getAllAsync(withNull)).isInstanceOf(NullPointerException.class);
    Map<String, String> nullValue = new java.util.HashMap<>();
    nullValue.put("a", null);
    assertThatThrownBy(() -> cache.putAllAsync(nullValue)).isInstanceOf(NullPointerException.class);
    cache.close();
    assertThatThrownBy(() -> cache.getAsync("k")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> cache.putAsync("k", "v")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> cache.removeAllAsync(Set.of("k"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFailingWriterCompletesTheStageWithItsOwnExceptionAndChangesNothing() throws Exception {
    MapWriter writer = new MapWriter();
    Events events = new Events();
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>()
        .setWriteThrough(true)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(writer))
        .setStatisticsEnabled(true)
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(events), null, true, true)));
    CompletionStage<Void> put = cache.putAsync(MapWriter.REFUSED, "v");
    assertThat(failureOf(put)).isInstanceOf(CacheWriterException.class).hasMessageContaining("refuses");
    assertThatThrownBy(() -> put.toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(CacheWriterException.class);
    assertThatThrownBy(() -> join(put)).isInstanceOf(CompletionException.class).cause().isInstanceOf(CacheWriterException.class);
    assertThat(cache.containsKey(MapWriter.REFUSED)).isFalse();
    assertThat(events.seen).isEmpty();
    assertThat(cache.unwrap(CacheStatisticsMXBean.class).getCachePuts()).isZero();

    join(cache.putAsync("k", "v"));
    assertThat(writer.written).containsEntry("k", "v");
    assertThat(writer.threads).doesNotContain(Thread.currentThread()); // the writer ran on the manager's executor
    assertThat(join(cache.removeAsync("k"))).isTrue();
    assertThat(writer.deleted).contains("k");
    assertThat(events.seen).containsExactly("created k=v", "removed k");
  }

  @Test
  void aFailingProcessorCompletesTheStageWithAnEntryProcessorException() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<>());
    cache.put("k", "v");
    CompletionStage<Object> invoked = cache.invokeAsync("k", (entry, args) -> {
      entry.setValue("changed");
      throw new IllegalArgumentException("bad processor");
    });
    assertThat(failureOf(invoked)).isInstanceOf(EntryProcessorException.class).hasRootCauseMessage("bad processor");
    assertThat(cache.get("k")).isEqualTo("v");
  }

  @Test
  void aFailingListenerCompletesTheStageWithItsExceptionAfterTheWrite() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<>());
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<String, String>(
        FactoryBuilder.factoryOf(new FailingListener()), null, false, true));
    assertThat(failureOf(cache.putAsync("k", "v"))).isInstanceOf(CacheEntryListenerException.class);
    assertThat(cache.get("k")).isEqualTo("v");
  }

  /** A synchronous listener that throws. */
  static final class FailingListener implements CacheEntryCreatedListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      throw new CacheEntryListenerException("listener failed");
    }
  }

  @Test
  void readThroughLoadsOnTheExecutorAndALoaderFailureCompletesTheStage() {
    Loader loader = new Loader();
    Events events = new Events();
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>()
        .setReadThrough(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(loader))
        .setStatisticsEnabled(true)
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(events), null, true, true)));
    assertThat(join(cache.getAsync("db-1"))).isEqualTo("loaded db-1");
    assertThat(join(cache.getAsync("db-1"))).isEqualTo("loaded db-1");
    assertThat(loader.threads).hasSize(1).doesNotContain(Thread.currentThread());
    assertThat(join(cache.getAsync("nowhere"))).isNull();
    assertThat(failureOf(cache.getAsync("broken"))).isInstanceOf(CacheLoaderException.class);
    assertThat(join(cache.getAllAsync(Set.of("db-1", "db-2", "db-3", "nowhere"))))
        .isEqualTo(Map.of("db-1", "loaded db-1", "db-2", "loaded db-2", "db-3", "loaded db-3"));
    assertThat(failureOf(cache.getAllAsync(Set.of("db-4", "broken")))).isInstanceOf(CacheLoaderException.class);
    assertThat(events.seen).containsExactlyInAnyOrder("created db-1=loaded db-1", "created db-2=loaded db-2",
        "created db-3=loaded db-3");
    CacheStatisticsMXBean statistics = cache.unwrap(CacheStatisticsMXBean.class);
    assertThat(statistics.getCachePuts()).isEqualTo(3);
    assertThat(statistics.getCacheHits()).isEqualTo(2); // the second get, and db-1 of getAll
  }

  @Test
  void bulkOperationsHaveEveryKeyInFlightAndFireEveryEvent() {
    Events events = new Events();
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>()
        .setStatisticsEnabled(true)
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(events), null, true, true)));
    Map<String, String> entries = new TreeMap<>();
    for (int i = 0; i < 50; i++) {
      entries.put("k" + i, "v" + i);
    }
    assertThat(join(cache.putAllAsync(entries))).isNull();
    assertThat(join(cache.getAllAsync(entries.keySet()))).isEqualTo(entries);
    Set<String> some = new TreeSet<>(List.of("k1", "k2", "k3", "absent"));
    assertThat(join(cache.removeAllAsync(some))).isNull();
    assertThat(join(cache.getAllAsync(some))).isEmpty();
    assertThat(join(cache.getAllAsync(Set.of()))).isEmpty();
    assertThat(events.seen).hasSize(53).contains("created k0=v0", "created k49=v49", "removed k1", "removed k3");
    CacheStatisticsMXBean statistics = cache.unwrap(CacheStatisticsMXBean.class);
    assertThat(statistics.getCachePuts()).isEqualTo(50);
    assertThat(statistics.getCacheHits()).isEqualTo(50);
    assertThat(statistics.getCacheMisses()).isEqualTo(4);
    assertThat(statistics.getCacheRemovals()).isEqualTo(3);
  }

  @Test
  void bulkWritesThroughAFailingWriterApplyWhatItWroteAndCompleteWithItsException() {
    MapWriter writer = new MapWriter();
    Events events = new Events();
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>()
        .setWriteThrough(true)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(writer))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(events), null, true, true)));
    Map<String, String> entries = new TreeMap<>(Map.of("a", "1", MapWriter.REFUSED, "2", "z", "3"));
    assertThat(failureOf(cache.putAllAsync(entries))).isInstanceOf(CacheWriterException.class);
    // the writer wrote "a" and stopped at "refused": "a" is stored, the others are not
    assertThat(cache.getAll(entries.keySet())).isEqualTo(Map.of("a", "1"));
    assertThat(events.seen).containsExactly("created a=1");
    cache.put("z", "3");
    assertThat(failureOf(cache.removeAllAsync(new TreeSet<>(Set.of("a", MapWriter.REFUSED, "z")))))
        .isInstanceOf(CacheWriterException.class);
    assertThat(cache.getAll(Set.of("a", "z"))).isEqualTo(Map.of("z", "3")); // deleted "a", stopped before "z"
    assertThat(writer.deleted).containsExactly("a");
  }

  @Test
  void aQuorumTheRingCannotServeCompletesTheStageWithACacheException() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>().setReplication(3, 1, 1));
    cache.put("k", "v");
    RingstoreCache<String, String> strict = cache.withQuorums(1, 3);
    assertThat(failureOf(strict.getAsync("k"))).isInstanceOf(CacheException.class).hasMessageContaining("readQuorum R = 3 not reachable");
    assertThat(failureOf(strict.containsKeyAsync("k"))).isInstanceOf(CacheException.class);
    assertThat(failureOf(strict.getAllAsync(Set.of("k", "j")))).isInstanceOf(CacheException.class);
    assertThat(join(cache.withQuorums(1, 1).getAsync("k"))).isEqualTo("v");
    // an update reads the key's versions with R before it writes with W: R = 3 fails it
    assertThat(failureOf(strict.getAndPutAsync("j", "w"))).isInstanceOf(CacheException.class)
        .hasMessageContaining("readQuorum R = 3");
    // but a plain put that no one could tell from an update reads nothing: W = 1 is served
    assertThat(join(strict.putAsync("j", "w"))).isNull();
    assertThat(cache.get("j")).isEqualTo("w");
  }

  @Test
  void aCacheClosedWhileAStageIsPendingIsNotReachedAfterwards() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<>());
    CompletionStage<Void> put = cache.putAsync("k", "v");
    join(put);
    cache.close();
    assertThatThrownBy(() -> cache.getAsync("k")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void anAsyncReadResolvesSiblingsAndWritesTheResolutionBack() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<>());
    cache.put("k", "base");
    CausalContext context = cache.getVersionsWithContext("k").context();
    join(cache.putAsync("k", "a", context));
    join(cache.putAsync("k", "b", context));
    assertThat(cache.getVersions("k")).hasSize(2);
    assertThat(join(cache.getAsync("k"))).isEqualTo("b");
    assertThat(cache.getVersions("k")).hasSize(1);
    assertThat(cache.getDiscardedSiblings()).isEqualTo(1);
  }

  @Test
  void anAccessExpiryIsRenewedByAsyncReads() {
    io.ringstore.spi.testkit.FakeTime time = new io.ringstore.spi.testkit.FakeTime();
    RingstoreCacheManager timed = TestManagers.create(time);
    try {
      @SuppressWarnings("unchecked")
      RingstoreCache<String, String> cache = timed.createCache("touched", new RingstoreConfiguration<String, String>()
          .setTypes(String.class, String.class)
          .setExpiryPolicyFactory(javax.cache.expiry.AccessedExpiryPolicy.factoryOf(
              new javax.cache.expiry.Duration(java.util.concurrent.TimeUnit.MINUTES, 1)))).unwrap(RingstoreCache.class);
      join(cache.putAllAsync(Map.of("a", "1", "b", "2")));
      time.advance(java.time.Duration.ofSeconds(50));
      assertThat(join(cache.getAsync("a"))).isEqualTo("1");
      assertThat(join(cache.getAllAsync(Set.of("b")))).isEqualTo(Map.of("b", "2"));
      time.advance(java.time.Duration.ofSeconds(50)); // 100 s after the put, 50 s after the reads
      assertThat(join(cache.getAllAsync(Set.of("a", "b")))).isEqualTo(Map.of("a", "1", "b", "2"));
      time.advance(java.time.Duration.ofSeconds(61));
      assertThat(join(cache.getAsync("a"))).isNull();
      assertThat(join(cache.containsKeyAsync("b"))).isFalse();
    } finally {
      timed.close();
    }
  }

  @Test
  void aStoreByReferenceCacheKeepsItsValuesThroughAsyncWrites() {
    RingstoreCache<String, StringBuilder> cache = manager.createCache("by-reference", new RingstoreConfiguration<String, StringBuilder>()
        .setTypes(String.class, StringBuilder.class)
        .setStoreByValue(false)).unwrap(RingstoreCache.class);
    StringBuilder first = new StringBuilder("1");
    StringBuilder second = new StringBuilder("2");
    join(cache.putAsync("k", first));
    assertThat(join(cache.getAsync("k"))).isSameAs(first);
    assertThat(join(cache.getAndReplaceAsync("k", second))).isSameAs(first);
    assertThat(join(cache.replaceAsync("k", second, first))).isTrue();
    assertThat(join(cache.getAllAsync(Set.of("k")))).containsEntry("k", first);
    assertThat(join(cache.removeAsync("k", first))).isTrue();
    assertThat(join(cache.getAsync("k"))).isNull();
  }

  @Test
  void aViewsSynchronousWritesCallTheWriterOnTheCallingThread() {
    MapWriter writer = new MapWriter();
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>()
        .setWriteThrough(true)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(writer)));
    RingstoreCache<String, String> view = cache.withQuorums(1, 1);
    view.put("k", "v");
    assertThat(writer.threads).containsExactly(Thread.currentThread());
    assertThatThrownBy(() -> view.put(MapWriter.REFUSED, "v")).isInstanceOf(CacheWriterException.class);
    assertThatThrownBy(() -> view.putAll(Map.of(MapWriter.REFUSED, "v"))).isInstanceOf(CacheWriterException.class);
    assertThat(view.containsKey(MapWriter.REFUSED)).isFalse();
    join(view.putAsync("j", "w"));
    assertThat(writer.written).containsOnlyKeys("k", "j");
  }
}
