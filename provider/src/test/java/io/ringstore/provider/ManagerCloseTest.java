package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import org.junit.jupiter.api.Test;

/** Closing a manager while an asynchronous listener is behind loses none of its events. */
class ManagerCloseTest {
  static final CountDownLatch GATE = new CountDownLatch(1);
  static final List<String> SEEN = new CopyOnWriteArrayList<>();
  static final AtomicBoolean CLOSED = new AtomicBoolean();

  /** Blocks in its first delivery until the test opens the gate. */
  public static final class SlowListener implements CacheEntryCreatedListener<String, String>,
      CacheEntryUpdatedListener<String, String>, Closeable {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      try {
        GATE.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      events.forEach(e -> SEEN.add("created " + e.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> SEEN.add("updated " + e.getValue()));
    }

    @Override
    public void close() {
      CLOSED.set(true);
    }
  }

  @Test
  void eventsQueuedBehindASlowAsynchronousListenerAreDeliveredAfterClose() {
    RingstoreCacheManager manager = TestManagers.create();
    Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(SlowListener.class), null, false, false)));
    cache.put("k", "a");
    cache.put("k", "b");
    manager.close();
    GATE.countDown();

    await().atMost(Duration.ofSeconds(20)).until(() -> SEEN.size() == 2 && CLOSED.get());
    assertThat(SEEN).containsExactly("created a", "updated b");
  }
}
