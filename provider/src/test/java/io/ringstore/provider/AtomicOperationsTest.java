package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The atomic operations stay atomic when threads race on one key (the coordinator serialises each key). */
class AtomicOperationsTest {
  private static final int THREADS = 4;
  private static final int ROUNDS = 500;

  private final RingstoreCacheManager manager = TestManagers.create();
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    manager.close();
  }

  private <T> List<T> race(Callable<T> task) throws Exception {
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      futures.add(pool.submit(task));
    }
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get());
    }
    return results;
  }

  @Test
  void invokeIncrementsLoseNoUpdate() throws Exception {
    Cache<String, Integer> cache = manager.createCache("counters",
        new RingstoreConfiguration<String, Integer>().setTypes(String.class, Integer.class));
    race(() -> {
      for (int i = 0; i < ROUNDS; i++) {
        cache.invoke("hits", (entry, arguments) -> {
          entry.setValue(entry.exists() ? entry.getValue() + 1 : 1);
          return null;
        });
      }
      return null;
    });
    assertThat(cache.get("hits")).isEqualTo(THREADS * ROUNDS);
  }

  @Test
  void exactlyOnePutIfAbsentWinsEachRound() throws Exception {
    Cache<Integer, String> cache = manager.createCache("claims",
        new RingstoreConfiguration<Integer, String>().setTypes(Integer.class, String.class));
    AtomicInteger thread = new AtomicInteger();
    List<Integer> wins = race(() -> {
      String me = "thread-" + thread.incrementAndGet();
      int won = 0;
      for (int round = 0; round < ROUNDS; round++) {
        if (cache.putIfAbsent(round, me)) {
          won++;
        }
      }
      return won;
    });
    assertThat(wins.stream().mapToInt(Integer::intValue).sum()).isEqualTo(ROUNDS);
  }

  @Test
  void replaceIfEqualAdvancesAVersionOncePerSuccess() throws Exception {
    Cache<String, Long> cache = manager.createCache("versions", new RingstoreConfiguration<String, Long>().setTypes(String.class, Long.class));
    cache.put("v", 0L);
    List<Integer> successes = race(() -> {
      int done = 0;
      while (done < ROUNDS) {
        long seen = cache.get("v");
        if (cache.replace("v", seen, seen + 1)) {
          done++;
        }
      }
      return done;
    });
    assertThat(cache.get("v")).isEqualTo((long) THREADS * ROUNDS);
    assertThat(successes).containsOnly(ROUNDS);
  }
}
