package io.ringstore.provider;

import io.ringstore.spi.env.Env;
import io.ringstore.spi.testkit.FakeTime;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Caching;

/** Cache managers for tests: each with its own URI, optionally on fake time. */
final class TestManagers {
  private static final AtomicInteger COUNT = new AtomicInteger();

  private TestManagers() {}

  /** A fresh manager on the system environment. */
  static RingstoreCacheManager create() {
    return create(new Properties());
  }

  /** A fresh manager whose node runs on {@code time}. */
  static RingstoreCacheManager create(FakeTime time) {
    Properties properties = new Properties();
    properties.put(RingstoreCacheManager.ENV_PROPERTY, Env.of(time));
    return create(properties);
  }

  private static RingstoreCacheManager create(Properties properties) {
    URI uri = URI.create("test:manager-" + COUNT.incrementAndGet());
    return (RingstoreCacheManager) Caching.getCachingProvider(RingstoreCachingProvider.class.getName())
        .getCacheManager(uri, TestManagers.class.getClassLoader(), properties);
  }
}
