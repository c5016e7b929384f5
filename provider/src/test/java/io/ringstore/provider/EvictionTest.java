package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.CapacityExceededException;
import io.ringstore.spi.EvictionPolicy;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.management.CacheStatisticsMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bounds and eviction policies chosen through RingstoreConfiguration, seen through the JCache API. */
class EvictionTest {
  private final RingstoreCacheManager manager = TestManagers.create();

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private Cache<String, String> bounded(EvictionPolicy policy) {
    return manager.createCache("bounded", new RingstoreConfiguration<String, String>()
        .setTypes(String.class, String.class).setMaxEntries(2).setEvictionPolicy(policy).setStatisticsEnabled(true));
  }

  @Test
  void noEvictionRefusesTheWriteWithACacheExceptionNamingTheCacheAndTheBound() {
    Cache<String, String> cache = bounded(EvictionPolicy.NO_EVICTION);
    cache.put("a", "1");
    cache.put("b", "2");
    assertThatThrownBy(() -> cache.put("c", "3"))
        .isInstanceOf(CacheException.class)
        .hasCauseInstanceOf(CapacityExceededException.class)
        .hasMessageContainingAll("cache 'bounded'", "maxEntries", "bound 2", "NO_EVICTION");
    assertThatThrownBy(() -> cache.putIfAbsent("c", "3")).isInstanceOf(CacheException.class);
    assertThat(cache.containsKey("c")).isFalse();
    assertThat(cache.get("a")).isEqualTo("1");
    assertThat(cache.get("b")).isEqualTo("2");
    cache.put("a", "1 again");
    assertThat(cache.get("a")).isEqualTo("1 again");
    assertThat(cache.unwrap(CacheStatisticsMXBean.class).getCacheEvictions()).isZero();
  }

  @Test
  void lruEvictsTheEntryUsedLeastRecentlyAndCountsTheEviction() {
    Cache<String, String> cache = bounded(EvictionPolicy.LRU);
    cache.put("a", "1");
    cache.put("b", "2");
    cache.get("a");
    cache.put("c", "3");
    assertThat(cache.containsKey("b")).isFalse();
    assertThat(cache.containsKey("a")).isTrue();
    assertThat(cache.containsKey("c")).isTrue();
    assertThat(cache.unwrap(CacheStatisticsMXBean.class).getCacheEvictions()).isEqualTo(1);
  }

  @Test
  void fifoEvictsTheEntryWrittenFirstWhateverWasRead() {
    Cache<String, String> cache = bounded(EvictionPolicy.FIFO);
    cache.put("a", "1");
    cache.put("b", "2");
    cache.get("a");
    cache.put("c", "3");
    assertThat(cache.containsKey("a")).isFalse();
    assertThat(cache.containsKey("b")).isTrue();
    assertThat(cache.containsKey("c")).isTrue();
  }

  @Test
  void aByteBoundRefusesWhatDoesNotFit() {
    Cache<String, String> cache = manager.createCache("bytes", new RingstoreConfiguration<String, String>()
        .setTypes(String.class, String.class).setMaxBytes(300).setEvictionPolicy(EvictionPolicy.NO_EVICTION));
    cache.put("a", "x");
    assertThatThrownBy(() -> cache.put("b", "y".repeat(400)))
        .isInstanceOf(CacheException.class)
        .hasMessageContainingAll("cache 'bytes'", "maxBytes");
    assertThat(cache.containsKey("b")).isFalse();
    assertThat(cache.get("a")).isEqualTo("x");
  }
}
