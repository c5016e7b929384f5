package io.ringstore.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.ringstore.provider.RingstoreCache;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;

/** The application in a Spring context: what @Cacheable caches lives in Ringstore, and Micrometer sees it. */
@SpringBootTest
class PriceApplicationTest {
  @Autowired PriceService prices;
  @Autowired CacheManager caches;
  @Autowired MeterRegistry meters;

  private javax.cache.Cache<?, ?> ringstoreCache() {
    return (javax.cache.Cache<?, ?>) caches.getCache("prices").getNativeCache();
  }

  @Test
  void theCacheIsRingstoresDeclaredInTheConfigurationFile() {
    javax.cache.Cache<?, ?> cache = ringstoreCache();
    assertThat(cache.unwrap(RingstoreCache.class)).isNotNull();
    assertThat(cache.getCacheManager().getURI().toString()).endsWith("ringstore.yaml");
    assertThat(cache.getCacheManager().getCacheNames()).contains("prices");
  }

  @Test
  void aPriceIsComputedOnceAndThenServedFromRingstore() {
    int before = prices.computations();
    Long first = prices.priceOf("plum");
    assertThat(prices.priceOf("plum")).isEqualTo(first);
    assertThat(prices.priceOf("plum")).isEqualTo(first);
    assertThat(prices.computations()).isEqualTo(before + 1);

    @SuppressWarnings("unchecked")
    javax.cache.Cache<Object, Object> cache = (javax.cache.Cache<Object, Object>) ringstoreCache();
    assertThat(cache.get("plum")).isEqualTo(first);

    prices.forget("plum");
    assertThat(cache.containsKey("plum")).isFalse();
    prices.priceOf("plum");
    assertThat(prices.computations()).isEqualTo(before + 2);
  }

  @Test
  void micrometerCountsTheHitsFromRingstoresStatistics() {
    double hitsBefore = hits();
    prices.priceOf("fig");
    prices.priceOf("fig");
    prices.priceOf("fig");
    assertThat(hits()).isEqualTo(hitsBefore + 2);
    assertThat(meters.get("cache.gets").tag("cache", "prices").tag("result", "miss").functionCounter().count())
        .isGreaterThanOrEqualTo(1);
  }

  private double hits() {
    return meters.get("cache.gets").tag("cache", "prices").tag("result", "hit").functionCounter().count();
  }
}
