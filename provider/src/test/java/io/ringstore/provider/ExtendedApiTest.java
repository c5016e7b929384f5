package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.SiblingResolver;
import io.ringstore.spi.testkit.FakeTime;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.management.CacheStatisticsMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The extended API on one embedded node: views with other quorums, the ring view, versions with
 * their causal context and writes that descend them. (The cluster tests run the same operations
 * against several nodes.)
 */
class ExtendedApiTest {
  private final FakeTime time = new FakeTime();
  private final RingstoreCacheManager manager = TestManagers.create(time);

  @AfterEach
  void tearDown() {
    manager.close();
  }

  /** Records created, updated and expired events as text. */
  static final class Events implements CacheEntryCreatedListener<String, String>, CacheEntryUpdatedListener<String, String>,
      CacheEntryExpiredListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> seen.add("created " + e.getKey() + "=" + e.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> seen.add("updated " + e.getKey() + "=" + e.getValue()));
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> seen.add("expired " + e.getKey()));
    }
  }

  @SuppressWarnings("unchecked")
  private RingstoreCache<String, String> cache(String name, RingstoreConfiguration<String, String> configuration) {
    return manager.createCache(name, configuration.setTypes(String.class, String.class)).unwrap(RingstoreCache.class);
  }

  private RingstoreCache<String, String> cache(RingstoreConfiguration<String, String> configuration) {
    return cache("extended", configuration);
  }

  // ---- views with other quorums ----

  @Test
  void quorumsOutsideOneToNAreRefusedNamingSettingValueAndBounds() {
    RingstoreCache<String, String> single = cache("single", new RingstoreConfiguration<>());
    assertThatThrownBy(() -> single.withQuorums(2, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("writeQuorum W = 2")
        .hasMessageContaining("1 <= W <= N")
        .hasMessageContaining("N = 1");
    assertThatThrownBy(() -> single.withQuorums(1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readQuorum R = 0")
        .hasMessageContaining("1 <= R <= N");
    RingstoreCache<String, String> three = cache("three", new RingstoreConfiguration<String, String>().setReplication(3, 2, 2));
    assertThatThrownBy(() -> three.withQuorums(4, 1)).hasMessageContaining("writeQuorum W = 4").hasMessageContaining("N = 3");
    assertThatThrownBy(() -> three.withQuorums(-1, 1)).hasMessageContaining("writeQuorum W = -1");
    assertThat(three.withQuorums(3, 1).ringView().writeQuorum()).isEqualTo(3);
  }

  @Test
  void aViewIsTheSameCacheWithOtherQuorums() {
    Events events = new Events();
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>()
        .setReplication(3, 1, 1)
        .setStatisticsEnabled(true)
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(events), null, false, true)));
    RingstoreCache<String, String> view = cache.withQuorums(1, 1);
    view.put("a", "1");
    assertThat(cache.get("a")).isEqualTo("1");
    cache.put("b", "2");
    assertThat(view.get("b")).isEqualTo("2");
    assertThat(view.getAll(Set.of("a", "b", "c"))).isEqualTo(Map.of("a", "1", "b", "2"));
    view.putAll(new java.util.TreeMap<>(Map.of("c", "3", "d", "4")));
    assertThat(view.getAndReplace("c", "33")).isEqualTo("3");
    assertThat(view.<String>invoke("d", (entry, args) -> entry.getValue() + args[0], "!")).isEqualTo("4!");
    view.removeAll(Set.of("d"));
    assertThat(view.containsKey("d")).isFalse();
    assertThat(view.remove("b")).isTrue();
    assertThat(events.seen).containsExactly("created a=1", "created b=2", "created c=3", "created d=4", "updated c=33");

    CacheStatisticsMXBean statistics = cache.unwrap(CacheStatisticsMXBean.class);
    assertThat(statistics.getCachePuts()).isEqualTo(5); // a, b, c, d, c again
    assertThat(statistics.getCacheRemovals()).isEqualTo(2);
    assertThat(view.unwrap(RingstoreCache.class)).isSameAs(view);
    assertThat(view.unwrap(CacheStatisticsMXBean.class)).isSameAs(statistics);
    assertThat(view.getName()).isEqualTo(cache.getName());
    assertThat(view.getCacheManager()).isSameAs(manager);
    assertThat(view.toString()).contains("W=1", "R=1");

    view.removeAll();
    assertThat(cache.iterator().hasNext()).isFalse();
    view.close();
    assertThat(cache.isClosed()).isTrue();
    assertThat(view.isClosed()).isTrue();
    assertThatThrownBy(() -> view.get("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> cache.withQuorums(1, 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aViewWhoseReadQuorumTheRingCannotServeFailsEachReadWithACacheException() {
    // N = 3 on a ring of one node: R = 1 is served, R = 2 is not
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>().setReplication(3, 1, 1));
    cache.put("k", "v");
    RingstoreCache<String, String> strict = cache.withQuorums(1, 2);
    assertThatThrownBy(() -> strict.get("k"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("readQuorum R = 2 not reachable: the key has 1 replicas");
    assertThatThrownBy(() -> strict.containsKey("k")).isInstanceOf(CacheException.class);
    assertThatThrownBy(() -> strict.getVersionsWithContext("k")).isInstanceOf(CacheException.class);
    assertThatThrownBy(() -> strict.getAll(Set.of("k", "x"))).isInstanceOf(CacheException.class);
    assertThatThrownBy(() -> strict.getAsync("k").toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(CacheException.class).hasMessageContaining("readQuorum R = 2 not reachable");
    assertThat(cache.withQuorums(1, 1).get("k")).isEqualTo("v");
    assertThat(cache.get("k")).isEqualTo("v");
  }

  @Test
  void aViewWhoseWriteQuorumTheRingCannotServeFailsEachWriteWithACacheException() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>().setReplication(3, 1, 1));
    RingstoreCache<String, String> strict = cache.withQuorums(3, 1);
    assertThatThrownBy(() -> strict.put("k", "w"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("writeQuorum W = 3 not reachable: the key has 1 replicas");
    assertThatThrownBy(() -> strict.putAll(Map.of("x", "1", "y", "2"))).isInstanceOf(CacheException.class);
    assertThatThrownBy(() -> strict.putAsync("k", "w").toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(CacheException.class).hasMessageContaining("writeQuorum W = 3 not reachable");
    assertThat(cache.get("k")).isNull();
  }

  // ---- the ring view ----

  @Test
  void theRingViewShowsTheNodeAndTheCachesQuorums() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>().setReplication(3, 2, 1));
    RingView<String> ring = cache.ringView();
    assertThat(ring.members()).containsExactly(manager.node().nodeId());
    assertThat(ring.liveMembers()).containsExactly(manager.node().nodeId());
    assertThat(ring.isAlive(manager.node().nodeId())).isTrue();
    assertThat(ring.isAlive("elsewhere")).isFalse();
    assertThat(ring.tokenCount()).isPositive();
    assertThat(ring.replicasOf("some key")).containsExactly(manager.node().nodeId());
    assertThat(ring.replicationFactor()).isEqualTo(3);
    assertThat(ring.writeQuorum()).isEqualTo(2);
    assertThat(ring.readQuorum()).isEqualTo(1);
    assertThat(cache.withQuorums(3, 3).ringView().readQuorum()).isEqualTo(3);
    assertThat(ring.toString()).contains("N=3", "W=2", "R=1");
    assertThatThrownBy(() -> ring.replicasOf(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(cache::repair).isInstanceOf(IllegalStateException.class).hasMessageContaining("embedded");
  }

  // ---- versions, contexts and writes that descend them ----

  @Test
  void versionsComeWithTheContextThatCoversThem() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<>());
    Versions<String> none = cache.getVersionsWithContext("k");
    assertThat(none.versions()).isEmpty();
    assertThat(none.context()).isEqualTo(CausalContext.EMPTY);
    cache.put("k", "v1");
    Versions<String> one = cache.getVersionsWithContext("k");
    assertThat(one.versions()).extracting(SiblingResolver.Version::value).containsExactly("v1");
    assertThat(one.context()).isNotEqualTo(CausalContext.EMPTY);
    assertThat(CausalContext.fromBytes(one.context().toBytes())).isEqualTo(one.context());
    cache.put("k", "v2");
    assertThat(cache.getVersionsWithContext("k").context()).isNotEqualTo(one.context());
    assertThat(cache.getVersions("k")).extracting(SiblingResolver.Version::value).containsExactly("v2");
    assertThatThrownBy(() -> cache.getVersionsWithContext(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void concurrentWritersWithTheSameContextLeaveSiblingsThatAMergedWriteReplaces() {
    Events events = new Events();
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>()
        .setStatisticsEnabled(true)
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(events), null, false, true)));
    cache.put("cart", "milk");
    // two writers read the same version...
    CausalContext first = cache.getVersionsWithContext("cart").context();
    CausalContext second = CausalContext.fromBytes(cache.getVersionsWithContext("cart").context().toBytes());
    // ...and each writes a descendant of it, unaware of the other
    cache.put("cart", "milk,eggs", first);
    cache.putAsync("cart", "milk,bread", second).toCompletableFuture().join();
    Versions<String> siblings = cache.getVersionsWithContext("cart");
    assertThat(siblings.versions()).extracting(SiblingResolver.Version::value).containsExactlyInAnyOrder("milk,eggs", "milk,bread");
    // a third write that read both replaces both
    cache.put("cart", "milk,eggs,bread", siblings.context());
    assertThat(cache.getVersions("cart")).extracting(SiblingResolver.Version::value).containsExactly("milk,eggs,bread");
    assertThat(cache.get("cart")).isEqualTo("milk,eggs,bread");
    assertThat(cache.unwrap(CacheStatisticsMXBean.class).getCachePuts()).isEqualTo(4);
    assertThat(events.seen).containsExactly("created cart=milk", "updated cart=milk,eggs", "updated cart=milk,bread",
        "updated cart=milk,eggs,bread");
  }

  @Test
  void aReadResolvesSiblingsLeftByContextWritesAndWritesTheResolutionBack() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<>());
    cache.put("k", "base");
    CausalContext context = cache.getVersionsWithContext("k").context();
    cache.put("k", "a", context);
    time.advance(Duration.ofMillis(5));
    cache.put("k", "b", context);
    assertThat(cache.getVersions("k")).hasSize(2);
    assertThat(cache.get("k")).isEqualTo("b"); // last write wins
    assertThat(cache.getDiscardedSiblings()).isEqualTo(1);
    assertThat(cache.getVersions("k")).extracting(SiblingResolver.Version::value).containsExactly("b");
  }

  @Test
  void theEmptyContextReplacesNothing() {
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<>());
    cache.put("k", "held");
    cache.put("k", "blind", CausalContext.EMPTY);
    assertThat(cache.getVersions("k")).extracting(SiblingResolver.Version::value).containsExactlyInAnyOrder("held", "blind");
    cache.put("new", "v", CausalContext.EMPTY);
    assertThat(cache.getVersions("new")).extracting(SiblingResolver.Version::value).containsExactly("v");
  }

  @Test
  void aContextWriteReplacesAnExpiredValueWholeAndTakesThePutsExpiry() {
    Events events = new Events();
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MINUTES, 1)))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(events), null, false, true)));
    cache.put("k", "old");
    time.advance(Duration.ofMinutes(2));
    cache.put("k", "new", CausalContext.EMPTY);
    assertThat(cache.getVersions("k")).extracting(SiblingResolver.Version::value).containsExactly("new");
    assertThat(events.seen).containsExactly("created k=old", "expired k", "created k=new");
    time.advance(Duration.ofMinutes(2));
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void aContextWriteCallsTheWriterAndAFailingWriterStoresNothing() {
    AsyncOperationsTest.MapWriter writer = new AsyncOperationsTest.MapWriter();
    RingstoreCache<String, String> cache = cache(new RingstoreConfiguration<String, String>()
        .setWriteThrough(true)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(writer)));
    cache.put("k", "v", CausalContext.EMPTY);
    assertThat(writer.written).containsEntry("k", "v");
    assertThatThrownBy(() -> cache.put(AsyncOperationsTest.MapWriter.REFUSED, "v", CausalContext.EMPTY))
        .isInstanceOf(javax.cache.integration.CacheWriterException.class);
    assertThat(cache.containsKey(AsyncOperationsTest.MapWriter.REFUSED)).isFalse();
    assertThatThrownBy(() -> cache.put("k", "v", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.put(null, "v", CausalContext.EMPTY)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aCacheUnwrapsToTheExtendedApi() {
    Cache<String, String> plain = manager.createCache("plain", new RingstoreConfiguration<String, String>());
    RingstoreCache<?, ?> extended = plain.unwrap(RingstoreCache.class);
    assertThat(extended).isSameAs(plain);
  }
}
