package io.ringstore.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.CapacityExceededException;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A smoke test of the bounded store under two threads that write, read, remove, renew and
 * expire overlapping keys while time moves: the bounds hold at every step, and afterwards the
 * counts, the map and the eviction order agree ({@link MemoryStorageEngine#checkInvariants()})
 * and every eviction was reported exactly once.
 */
class BoundedConcurrencyTest {

  private static final int THREADS = 2;
  private static final int OPERATIONS = 20_000;
  private static final int KEYS = 200;

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void boundsHoldAndTheStructureStaysConsistent(EvictionPolicy policy) throws Exception {
    Fixture fx = new Fixture();
    StoredRecord sample = fx.record("x".repeat(20));
    long maxEntries = 50;
    long maxBytes = 40 * sample.weightBytes(8);
    MemoryStorageEngine engine = fx.open(maxEntries, maxBytes, policy);
    String property = System.getProperty("ringstore.seed");
    long seed = property != null ? Long.parseLong(property) : new SplittableRandom().nextLong();
    System.out.println("BoundedConcurrencyTest " + policy + " seed = " + seed + " (rerun with -Dringstore.seed=" + seed + ")");

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        SplittableRandom random = new SplittableRandom(seed + t);
        boolean movesTime = t == 0;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < OPERATIONS; i++) {
            step(fx, engine, random, movesTime && i % 50 == 0);
            EngineStats stats = engine.stats();
            assertThat(stats.entries()).isLessThanOrEqualTo(maxEntries);
            assertThat(stats.weightBytes()).isLessThanOrEqualTo(maxBytes);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    engine.checkInvariants();
    EngineStats stats = engine.stats();
    assertThat(fx.removals.with(RemovalCause.EVICTED)).hasSize((int) stats.evictions());
    assertThat(fx.removals.with(RemovalCause.EXPIRED)).hasSize((int) stats.expirations());
    if (policy != EvictionPolicy.NO_EVICTION) {
      assertThat(stats.evictions() + stats.expirations()).isPositive();
    } else {
      assertThat(stats.evictions()).isZero();
    }
  }

  private static void step(Fixture fx, MemoryStorageEngine engine, SplittableRandom random, boolean advance) {
    if (advance) {
      fx.time.advance(Duration.ofMillis(1));
    }
    Bytes key = Bytes.utf8("key-" + String.format("%04d", random.nextInt(KEYS)));
    int dice = random.nextInt(10);
    try {
      if (dice < 4) {
        long expiry = random.nextBoolean() ? fx.time.millis() + 1 + random.nextInt(30) : StoredRecord.NEVER;
        String value = "x".repeat(random.nextInt(40));
        engine.compute(key, (k, current) -> StoredRecord.write(current, current == null ? VectorClock.EMPTY : current.clock(),
            "t", 1, Bytes.utf8(value), expiry, 0));
      } else if (dice < 5) {
        engine.compute(key, (k, current) -> null);
      } else if (dice < 6) {
        long expiry = fx.time.millis() + random.nextInt(30);
        engine.compute(key, (k, current) -> current == null ? null : current.withExpiry(expiry));
      } else if (dice < 9) {
        // the clock is read before the get: the other thread may move it on at any moment after
        long before = fx.time.millis();
        StoredRecord r = engine.get(key);
        assertThat(r == null || !r.isExpiredAt(before)).as("record %s returned by a get at %d or later", r, before)
            .isTrue();
      } else {
        engine.iterator().forEachRemaining(e -> { });
      }
    } catch (CapacityExceededException refused) {
      assertThat(engine.settings().evictionPolicy()).isIn(EvictionPolicy.NO_EVICTION, EvictionPolicy.VOLATILE_TTL);
    }
  }
}
