package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The basic operations on the default configuration, through the JCache bootstrap. */
class BasicOperationsTest {
  private CacheManager manager;
  private Cache<Object, Object> cache;

  @BeforeEach
  void setUp() {
    CachingProvider provider = Caching.getCachingProvider();
    assertThat(provider).isInstanceOf(RingstoreCachingProvider.class);
    manager = provider.getCacheManager(java.net.URI.create("test:basic"), getClass().getClassLoader());
    cache = manager.createCache("basic", new MutableConfiguration<>());
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @Test
  void theConfigurationHandedOutIsACopyThatChangesNothing() {
    @SuppressWarnings("unchecked")
    MutableConfiguration<Object, Object> copy = cache.getConfiguration(MutableConfiguration.class);
    copy.setStatisticsEnabled(true);
    assertThat(cache.getConfiguration(javax.cache.configuration.CompleteConfiguration.class).isStatisticsEnabled())
        .as("the cache's configuration after a change to a copy").isFalse();

    manager.enableStatistics("basic", true);
    assertThat(cache.getConfiguration(javax.cache.configuration.CompleteConfiguration.class).isStatisticsEnabled())
        .as("a copy taken after the manager turned statistics on").isTrue();
    assertThat(copy.getCacheEntryListenerConfigurations()).isEmpty();
  }

  @Test
  void putGetRemoveContainsKey() {
    assertThat(cache.get("k")).isNull();
    cache.put("k", "v");
    assertThat(cache.get("k")).isEqualTo("v");
    assertThat(cache.containsKey("k")).isTrue();
    assertThat(cache.putIfAbsent("k", "w")).isFalse();
    assertThat(cache.putIfAbsent("k2", 42L)).isTrue();
    assertThat(cache.get("k2")).isEqualTo(42L);
    assertThat(cache.remove("k")).isTrue();
    assertThat(cache.containsKey("k")).isFalse();
    assertThat(cache.remove("k")).isFalse();
  }

  @Test
  void getAllAndIterator() {
    Map<Object, Object> entries = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      entries.put(i, "value-" + i);
    }
    cache.putAll(entries);
    assertThat(cache.getAll(Set.of(1, 2, 99))).containsOnly(Map.entry(1, "value-1"), Map.entry(2, "value-2"));
    Map<Object, Object> seen = new HashMap<>();
    for (Cache.Entry<Object, Object> entry : cache) {
      seen.put(entry.getKey(), entry.getValue());
    }
    assertThat(seen).isEqualTo(entries);
  }

  @Test
  void unwrapsToRingstoreTypes() {
    Object unwrapped = cache.unwrap(RingstoreCache.class);
    assertThat(unwrapped).isSameAs(cache);
    assertThat(manager.unwrap(RingstoreCacheManager.class)).isSameAs(manager);
    assertThat(manager.unwrap(io.ringstore.cluster.node.RingstoreNode.class).nodeId()).startsWith("node-");
    assertThat(cache.iterator()).isExhausted();
    cache.put("k", "v");
    assertThat(cache.iterator().next().unwrap(RingstoreEntry.class).getKey()).isEqualTo("k");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.unwrap(String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be unwrapped to java.lang.String");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> manager.unwrap(String.class))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
