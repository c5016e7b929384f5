package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.provider.testing.BlockingUrls;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/** A configuration file that is slow to read holds up only the managers of its own URI. */
class SlowConfigurationFileTest {

  @Test
  void otherManagersOpenWhileASlowFileIsBeingRead() throws Exception {
    BlockingUrls.reset();
    CachingProvider provider = Caching.getCachingProvider(RingstoreCachingProvider.class.getName());
    ClassLoader loader = getClass().getClassLoader();
    // threads of its own: the common pool may have a single thread on a small machine
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CompletableFuture<CacheManager> slow = CompletableFuture.supplyAsync(
        () -> provider.getCacheManager(URI.create("blocking:/remote/ringstore.yaml"), loader), threads);
    try {
      assertThat(BlockingUrls.awaitReading(10)).as("the slow file is being read").isTrue();
      CacheManager other = CompletableFuture.supplyAsync(
          () -> provider.getCacheManager(URI.create("test:not-held-up"), loader), threads).get(10, TimeUnit.SECONDS);
      assertThat(other.isClosed()).isFalse();
      assertThat(slow).isNotDone();
    } finally {
      BlockingUrls.release();
      threads.shutdown();
    }
    CacheManager manager = slow.get(10, TimeUnit.SECONDS);
    assertThat(manager.getCacheNames()).containsExactly("slow-cache");
    assertThat(provider.getCacheManager(URI.create("blocking:/remote/ringstore.yaml"), loader)).isSameAs(manager);
    manager.close();
    provider.getCacheManager(URI.create("test:not-held-up"), loader).close();
  }
}
