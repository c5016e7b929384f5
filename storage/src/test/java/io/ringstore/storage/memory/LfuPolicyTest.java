package io.ringstore.storage.memory;

import static io.ringstore.storage.memory.Fixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.StoredRecord;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** LFU: the entry used least often goes first; among those, the least recently used. */
class LfuPolicyTest {

  private final Fixture fx = new Fixture();

  @Test
  void evictsTheLeastFrequentlyUsed() {
    MemoryStorageEngine engine = fx.entries(3, EvictionPolicy.LFU);
    fx.put(engine, "a", "1");
    fx.put(engine, "b", "2");
    fx.put(engine, "c", "3");
    get(engine, "b");
    get(engine, "b");
    get(engine, "a");
    get(engine, "c");
    get(engine, "c");
    get(engine, "c");
    // uses: a 2, b 3, c 4; a was also read after b (LRU would evict b)
    fx.put(engine, "d", "4");
    assertThat(fx.evicted()).containsExactly("a");
  }

  @Test
  void tiesGoToTheLeastRecentlyUsed() {
    MemoryStorageEngine engine = fx.entries(3, EvictionPolicy.LFU);
    fx.put(engine, "a", "1");
    fx.put(engine, "b", "2");
    fx.put(engine, "c", "3");
    get(engine, "b");
    get(engine, "a");
    get(engine, "c"); // all used twice; b least recently (FIFO would evict a)
    fx.put(engine, "d", "4");
    assertThat(fx.evicted()).containsExactly("b");
  }

  @Test
  void aHotEntrySurvivesAStreamOfNewKeys() {
    MemoryStorageEngine engine = fx.entries(3, EvictionPolicy.LFU);
    fx.put(engine, "hot", "h");
    for (int i = 0; i < 5; i++) {
      get(engine, "hot");
    }
    for (int i = 0; i < 30; i++) {
      fx.put(engine, "scan" + i, "s"); // under LRU or FIFO "hot" goes after two of these
    }
    assertThat(get(engine, "hot")).isEqualTo("h");
    assertThat(fx.evicted()).hasSize(28).doesNotContain("hot");
  }

  @Test
  void writesCountAsUses() {
    MemoryStorageEngine engine = fx.entries(2, EvictionPolicy.LFU);
    fx.put(engine, "a", "1");
    fx.put(engine, "b", "2");
    fx.put(engine, "a", "1'");
    fx.put(engine, "c", "3");
    assertThat(fx.evicted()).containsExactly("b");
  }

  /**
   * Under a seeded Zipf(1.0) workload over 1,000 keys with room for 100, a read-through cache
   * keeps a clearly higher hit rate under LFU than under FIFO (LFU approaches the ideal of
   * keeping the 100 most popular keys).
   */
  @Test
  void keepsAHigherHitRateThanFifoUnderAZipfWorkload() {
    String property = System.getProperty("ringstore.seed");
    long seed = property != null ? Long.parseLong(property) : new SplittableRandom().nextLong();
    System.out.println("LfuPolicyTest Zipf seed = " + seed + " (rerun with -Dringstore.seed=" + seed + ")");

    double lfu = hitRate(EvictionPolicy.LFU, seed);
    double fifo = hitRate(EvictionPolicy.FIFO, seed);
    double lru = hitRate(EvictionPolicy.LRU, seed);
    System.out.printf("Zipf hit rates (seed %d): LFU %.3f, LRU %.3f, FIFO %.3f%n", seed, lfu, lru, fifo);

    assertThat(lfu).as("LFU hit rate vs FIFO (seed %d)", seed).isGreaterThan(fifo + 0.05);
    assertThat(lfu).as("LFU hit rate vs LRU (seed %d)", seed).isGreaterThan(lru);
  }

  private double hitRate(EvictionPolicy policy, long seed) {
    int keys = 1_000;
    int requests = 60_000;
    int warmup = 10_000;
    double[] cdf = zipfCdf(keys, 1.0);
    SplittableRandom random = new SplittableRandom(seed);
    MemoryStorageEngine engine = new Fixture().entries(100, policy);
    StoredRecord value = fx.record("value");
    int hits = 0;
    for (int i = 0; i < requests; i++) {
      int rank = Arrays.binarySearch(cdf, random.nextDouble());
      Bytes key = Bytes.utf8("key-" + (rank < 0 ? -rank - 1 : rank));
      if (engine.get(key) != null) {
        if (i >= warmup) {
          hits++;
        }
      } else {
        engine.compute(key, (k, current) -> value);
      }
    }
    engine.checkInvariants();
    return hits / (double) (requests - warmup);
  }

  private static double[] zipfCdf(int n, double exponent) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1 / Math.pow(i + 1, exponent);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    cdf[n - 1] = 1.0;
    return cdf;
  }
}
