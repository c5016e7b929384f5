package io.ringstore.storage.memory;

import static io.ringstore.storage.memory.Fixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ringstore.spi.CapacityExceededException;
import io.ringstore.spi.EvictionPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Volatile-TTL: among entries with an expiry, the one with the shortest remaining time goes
 * first; entries without expiry are never evicted, and when only they are left the write is
 * refused as under no-eviction.
 */
class VolatileTtlPolicyTest {

  private final Fixture fx = new Fixture();
  private final MemoryStorageEngine engine = fx.entries(3, EvictionPolicy.VOLATILE_TTL);

  @Test
  void evictsTheShortestRemainingTtlFirstWhateverTheOrderOfWritesAndReads() {
    fx.put(engine, "a", "1", Duration.ofHours(5));
    fx.put(engine, "b", "2", Duration.ofHours(1));
    fx.put(engine, "c", "3", Duration.ofHours(3));
    for (int i = 0; i < 5; i++) {
      get(engine, "b"); // LRU, LFU and FIFO would all evict a
    }
    fx.put(engine, "d", "4", Duration.ofHours(10));
    assertThat(fx.evicted()).containsExactly("b");
    fx.put(engine, "e", "5");
    assertThat(fx.evicted()).containsExactly("b", "c");
    fx.put(engine, "f", "6");
    assertThat(fx.evicted()).containsExactly("b", "c", "a");
  }

  @Test
  void remainingTtlIsWhatCountsNotTheTtlItWasWrittenWith() {
    fx.put(engine, "long-ago", "1", Duration.ofHours(2)); // 2 h at t0: remains 30 min at t0+90 min
    fx.time.advance(Duration.ofMinutes(90));
    fx.put(engine, "recent", "2", Duration.ofHours(1));
    fx.put(engine, "other", "3", Duration.ofHours(4));
    fx.put(engine, "new", "4", Duration.ofHours(4));
    assertThat(fx.evicted()).containsExactly("long-ago");
  }

  @Test
  void aRewrittenExpiryIsRefiled() {
    fx.put(engine, "a", "1", Duration.ofMinutes(1));
    fx.put(engine, "b", "2", Duration.ofMinutes(2));
    fx.put(engine, "c", "3", Duration.ofMinutes(3));
    engine.compute(Fixture.key("a"), (k, current) -> current.withExpiry(fx.time.millis() + Duration.ofHours(1).toMillis()));
    fx.put(engine, "b", "2'"); // b loses its expiry: no longer evictable
    fx.put(engine, "d", "4", Duration.ofHours(2));
    assertThat(fx.evicted()).containsExactly("c");
    engine.checkInvariants();
  }

  @Test
  void refusesWhenOnlyEntriesWithoutExpiryAreLeft() {
    fx.put(engine, "forever1", "1");
    fx.put(engine, "forever2", "2");
    fx.put(engine, "mortal", "3", Duration.ofDays(1));
    fx.put(engine, "forever3", "4");
    assertThat(fx.evicted()).containsExactly("mortal");

    Throwable refused = catchThrowable(() -> fx.put(engine, "one-more", "5", Duration.ofMinutes(1)));

    assertThat(refused).isInstanceOf(CapacityExceededException.class)
        .hasMessageContaining("'" + Fixture.CACHE + "'")
        .hasMessageContaining("maxEntries = 3")
        .hasMessageContaining("VOLATILE_TTL");
    assertThat(get(engine, "one-more")).isNull();
    assertThat(engine.stats().entries()).isEqualTo(3);
    assertThat(fx.evicted()).containsExactly("mortal");
  }

  @Test
  void anExpiredVictimIsReportedAsExpired() {
    fx.put(engine, "a", "1", Duration.ofSeconds(1));
    fx.put(engine, "b", "2", Duration.ofHours(1));
    fx.put(engine, "c", "3", Duration.ofHours(1));
    fx.time.advance(Duration.ofSeconds(2));
    fx.put(engine, "d", "4", Duration.ofHours(1));
    assertThat(fx.evicted()).isEmpty();
    assertThat(fx.expired()).containsExactly("a");
    assertThat(engine.stats().expirations()).isEqualTo(1);
    assertThat(engine.stats().evictions()).isZero();
  }
}
