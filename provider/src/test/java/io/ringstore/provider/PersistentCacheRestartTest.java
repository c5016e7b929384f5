package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.provider.configuration.ConfigurationFiles;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.testkit.FakeTime;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caches on the lsm engine keep their entries when their manager closes and a new one opens on the same directory. */
class PersistentCacheRestartTest {

  @TempDir Path dir;

  private URI configuration() {
    String yaml = "caches:\n"
        + "  orders:\n"
        + "    key-type: java.lang.String\n"
        + "    value-type: java.lang.String\n"
        + "    engine: lsm\n"
        + "    engine-options:\n"
        + "      directory: '" + dir.resolve("data/orders").toString().replace("'", "''") + "'\n"
        + "      wal.syncMode: always\n"
        + "      memtable.bytes: 65536\n";
    return ConfigurationFiles.write(dir, "ringstore.yaml", yaml);
  }

  /** Only javax.cache API: the cache is declared in the file the manager's URI names. */
  @Test
  void entriesSurviveAManagerRestartThroughTheJCacheApiOnly() {
    URI uri = configuration();
    CachingProvider provider = Caching.getCachingProvider();
    ClassLoader loader = getClass().getClassLoader();
    Map<String, String> written = new HashMap<>();
    CacheManager first = provider.getCacheManager(uri, loader);
    try {
      Cache<String, String> orders = first.getCache("orders", String.class, String.class);
      for (int i = 0; i < 2000; i++) {
        orders.put("order-" + i, "value of order " + i + " " + "x".repeat(i % 50));
        written.put("order-" + i, "value of order " + i + " " + "x".repeat(i % 50));
      }
      orders.remove("order-7");
      written.remove("order-7");
      orders.replace("order-8", "replaced");
      written.put("order-8", "replaced");
    } finally {
      first.close();
    }
    CacheManager second = provider.getCacheManager(uri, loader);
    try {
      Cache<String, String> orders = second.getCache("orders", String.class, String.class);
      assertThat(orders.getAll(written.keySet())).isEqualTo(written);
      assertThat(orders.containsKey("order-7")).isFalse();
      Map<String, String> iterated = new HashMap<>();
      orders.forEach(e -> iterated.put(e.getKey(), e.getValue()));
      assertThat(iterated).isEqualTo(written);
    } finally {
      second.close();
    }
  }

  @Test
  void expiryIsStillHonouredAfterARestart() {
    FakeTime time = new FakeTime();
    RingstoreConfiguration<String, String> configuration = new RingstoreConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setStorageEngine("lsm")
        .setEngineOption("directory", dir.resolve("expiring").toString())
        .setExpiryPolicyFactory(FactoryBuilder.factoryOf(new CreatedExpiryPolicy(new Duration(TimeUnit.MINUTES, 1))));
    RingstoreCacheManager first = TestManagers.create(time);
    try {
      Cache<String, String> cache = first.createCache("expiring", configuration);
      cache.put("a", "1");
      time.advance(java.time.Duration.ofSeconds(30));
      cache.put("b", "2");
    } finally {
      first.close();
    }
    RingstoreCacheManager second = TestManagers.create(time);
    try {
      Cache<String, String> cache = second.createCache("expiring", configuration);
      assertThat(cache.get("a")).isEqualTo("1");
      time.advance(java.time.Duration.ofSeconds(45)); // a is 75 s old, b 45 s
      assertThat(cache.get("a")).isNull();
      assertThat(cache.get("b")).isEqualTo("2");
      time.advance(java.time.Duration.ofSeconds(30));
      assertThat(cache.get("b")).isNull();
    } finally {
      second.close();
    }
  }

  @Test
  void aDirectoryInUseIsRefusedWithAClearError() {
    RingstoreConfiguration<String, String> configuration = new RingstoreConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setStorageEngine("lsm")
        .setEngineOption("directory", dir.resolve("shared").toString());
    RingstoreCacheManager first = TestManagers.create();
    RingstoreCacheManager second = TestManagers.create();
    try {
      first.createCache("one", configuration);
      assertThatThrownBy(() -> second.createCache("two", configuration))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("is in use by another open cache");
    } finally {
      first.close();
      second.close();
    }
  }

  @Test
  void aBoundOnAnLsmCacheIsRefusedNamingTheSetting() {
    RingstoreConfiguration<String, String> configuration = new RingstoreConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setStorageEngine("lsm")
        .setEngineOption("directory", dir.resolve("bounded").toString())
        .setMaxEntries(100);
    RingstoreCacheManager manager = TestManagers.create();
    try {
      assertThatThrownBy(() -> manager.createCache("bounded", configuration))
          .hasMessageContaining("maxEntries = 100");
    } finally {
      manager.close();
    }
  }
}
