package io.ringstore.provider.event;

import io.ringstore.provider.testing.StubCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Asynchronous delivery: order per key under concurrency, and the bound on pending work. */
class AsyncOrderingTest {

  private final Cache<Integer, Integer> cache = StubCache.named("ringstore://test", "ordering");
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  @AfterEach
  void shutDown() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void eventsOfOneKeyNeverReorder() throws Exception {
    long seed = Long.getLong("ringstore.seed", System.nanoTime());
    System.out.println("AsyncOrderingTest.eventsOfOneKeyNeverReorder seed = " + seed);
    SplittableRandom random = new SplittableRandom(seed);

    SequenceListener listener = new SequenceListener(random.split());
    ListenerRegistry<Integer, Integer> registry = new ListenerRegistry<>(cache, executor, null);
    registry.register(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, true, false));

    int producers = 4;
    int keysPerProducer = 8;
    int updatesPerKey = 200;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      SplittableRandom producerRandom = random.split();
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        int[] next = new int[keysPerProducer];
        int remaining = keysPerProducer * updatesPerKey;
        while (remaining > 0) {
          // A batch touches a few of this producer's keys, each with its next sequence number(s).
          EventBatch<Integer, Integer> batch = registry.newBatch();
          int size = 1 + producerRandom.nextInt(4);
          for (int i = 0; i < size && remaining > 0; i++) {
            int slot = producerRandom.nextInt(keysPerProducer);
            if (next[slot] == updatesPerKey) {
              continue;
            }
            int key = producer * keysPerProducer + slot;
            int sequence = next[slot]++;
            if (sequence == 0) {
              batch.created(key, sequence);
            } else {
              batch.updated(key, sequence - 1, sequence);
            }
            remaining--;
          }
          batch.fire();
        }
      }, "producer-" + p);
      threads.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    int keys = producers * keysPerProducer;
    await().atMost(Duration.ofSeconds(30)).until(() -> listener.delivered() == keys * updatesPerKey);
    for (int key = 0; key < keys; key++) {
      List<Integer> sequence = listener.byKey.get(key);
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < updatesPerKey; i++) {
        expected.add(i);
      }
      assertThat(sequence).as("key %d (seed %d)", key, seed).isEqualTo(expected);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> registry.pendingAsyncTasks() == 0);
    registry.close();
  }

  @Test
  void pastTheBoundProducersWaitThenQueueBeyondItAndNothingIsDropped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    BlockingListener listener = new BlockingListener(release);
    ListenerRegistry<Integer, Integer> registry =
        new ListenerRegistry<>(cache, executor, null, 2, Duration.ofMillis(5));
    registry.register(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, false, false));

    for (int key = 0; key < 20; key++) {
      EventBatch<Integer, Integer> batch = registry.newBatch();
      batch.created(key, key);
      batch.fire(); // must return although the listener is stuck and the bound is 2
    }
    assertThat(listener.received).hasSizeLessThanOrEqualTo(2);

    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.received.size() == 20);
    assertThat(listener.received).containsExactlyInAnyOrder(
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    registry.close();
  }

  @Test
  void closeWaitsForQueuedDeliveriesBeforeClosingTheListener() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    BlockingListener listener = new BlockingListener(release);
    ListenerRegistry<Integer, Integer> registry = new ListenerRegistry<>(cache, executor, null);
    registry.register(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, false, false));
    EventBatch<Integer, Integer> batch = registry.newBatch();
    batch.created(1, 1);
    batch.created(2, 2);
    batch.fire();

    registry.close();
    assertThat(listener.closedAfter).isEmpty();
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.closedAfter.size() == 1);
    assertThat(listener.closedAfter.get(0)).isEqualTo(2);
  }

  /** Records the sequence numbers per key; does a little random work to shuffle thread timing. */
  static final class SequenceListener implements CacheEntryCreatedListener<Integer, Integer>,
      CacheEntryUpdatedListener<Integer, Integer>, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final Map<Integer, List<Integer>> byKey = new ConcurrentHashMap<>();
    private final transient SplittableRandom random;

    SequenceListener(SplittableRandom random) {
      this.random = random;
    }

    int delivered() {
      return byKey.values().stream().mapToInt(List::size).sum();
    }

    private void record(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      int spins;
      synchronized (this) {
        spins = random.nextInt(200);
      }
      for (int i = 0; i < spins; i++) {
        Thread.onSpinWait();
      }
      for (CacheEntryEvent<? extends Integer, ? extends Integer> event : events) {
        byKey.computeIfAbsent(event.getKey(), k -> new CopyOnWriteArrayList<>()).add(event.getValue());
      }
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      record(events);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      record(events);
    }
  }

  /** Blocks every delivery until released; records what it got and how much before closing. */
  static final class BlockingListener implements CacheEntryCreatedListener<Integer, Integer>,
      java.io.Closeable, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final List<Integer> received = new CopyOnWriteArrayList<>();
    final List<Integer> closedAfter = new CopyOnWriteArrayList<>();
    private final transient CountDownLatch release;

    BlockingListener(CountDownLatch release) {
      this.release = release;
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      events.forEach(event -> received.add(event.getKey()));
    }

    @Override
    public void close() {
      closedAfter.add(received.size());
    }
  }
}
