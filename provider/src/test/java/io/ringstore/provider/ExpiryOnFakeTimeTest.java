package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.testkit.FakeTime;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Expiry runs on the manager's Env, so fake time drives it; no test sleeps. */
class ExpiryOnFakeTimeTest {
  private static final javax.cache.expiry.Duration ONE_MINUTE = new javax.cache.expiry.Duration(TimeUnit.MINUTES, 1);

  private final FakeTime time = new FakeTime();
  private final RingstoreCacheManager manager = TestManagers.create(time);

  @AfterEach
  void tearDown() {
    manager.close();
  }

  /** Records events in a list shared through a static-free holder. */
  static final class Recorder implements CacheEntryExpiredListener<String, String>, CacheEntryCreatedListener<String, String>,
      Serializable {
    private static final long serialVersionUID = 1L;
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> seen.add("expired " + e.getKey() + "=" + e.getOldValue()));
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> seen.add("created " + e.getKey() + "=" + e.getValue()));
    }
  }

  private Cache<String, String> cache(ExpiryPolicy policy, Recorder recorder) {
    return manager.createCache("expiring", new RingstoreConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(new FactoryBuilder.SingletonFactory<>(policy))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            new FactoryBuilder.SingletonFactory<>(recorder), null, true, true)));
  }

  @Test
  void aCreatedEntryExpiresAfterItsDurationAndFiresExpired() {
    Recorder recorder = new Recorder();
    Cache<String, String> cache = cache(new CreatedExpiryPolicy(ONE_MINUTE), recorder);
    cache.put("k", "v");
    time.advance(Duration.ofSeconds(59));
    assertThat(cache.get("k")).isEqualTo("v");
    time.advance(Duration.ofSeconds(1));
    assertThat(cache.get("k")).isNull();
    assertThat(recorder.seen).containsExactly("created k=v", "expired k=v");
  }

  @Test
  void anAccessRenewsTheEntry() {
    Recorder recorder = new Recorder();
    Cache<String, String> cache = cache(new AccessedExpiryPolicy(ONE_MINUTE), recorder);
    cache.put("k", "v");
    time.advance(Duration.ofSeconds(50));
    assertThat(cache.get("k")).isEqualTo("v");
    time.advance(Duration.ofSeconds(50));
    assertThat(cache.get("k")).isEqualTo("v");
    time.advance(Duration.ofSeconds(61));
    assertThat(cache.containsKey("k")).isFalse();
  }

  @Test
  void aPutOverAnExpiredEntryReportsTheExpiryThenTheCreation() {
    Recorder recorder = new Recorder();
    Cache<String, String> cache = cache(new CreatedExpiryPolicy(ONE_MINUTE), recorder);
    cache.put("k", "old");
    time.advance(Duration.ofMinutes(2));
    cache.put("k", "new");
    assertThat(recorder.seen).containsExactly("created k=old", "expired k=old", "created k=new");
    assertThat(cache.get("k")).isEqualTo("new");
  }

  @Test
  void aZeroCreationDurationStoresNothing() {
    Recorder recorder = new Recorder();
    Cache<String, String> cache = cache(new CreatedExpiryPolicy(javax.cache.expiry.Duration.ZERO), recorder);
    cache.put("k", "v");
    assertThat(cache.containsKey("k")).isFalse();
    assertThat(recorder.seen).isEmpty();
  }
}
