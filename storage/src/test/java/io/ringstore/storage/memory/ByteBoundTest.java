package io.ringstore.storage.memory;

import static io.ringstore.storage.memory.Fixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ringstore.spi.CapacityExceededException;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.StoredRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Engines bounded by bytes ({@link StoredRecord#weightBytes}), alone or together with an entry bound. */
class ByteBoundTest {

  private final Fixture fx = new Fixture();
  /** The weight of a one-letter key holding a 10-byte value. */
  private final long small = fx.record("0123456789").weightBytes(1);

  @Test
  void aLargeRecordEvictsAsManyOfTheLeastRecentAsItNeeds() {
    MemoryStorageEngine engine = fx.bytes(5 * small, EvictionPolicy.LRU);
    for (String k : new String[] {"a", "b", "c", "d", "e"}) {
      fx.put(engine, k, "0123456789");
    }
    get(engine, "a");
    String big = "x".repeat((int) (2 * small + 10)); // needs the room of three small records
    fx.put(engine, "f", big);
    assertThat(fx.evicted()).containsExactly("b", "c", "d");
    assertThat(engine.stats().weightBytes()).isLessThanOrEqualTo(5 * small);
    assertThat(get(engine, "f")).isEqualTo(big);
    assertThat(get(engine, "a")).isNotNull();
  }

  @Test
  void aGrowingRecordEvictsOthersButNeverItself() {
    MemoryStorageEngine engine = fx.bytes(3 * small, EvictionPolicy.LRU);
    fx.put(engine, "a", "0123456789");
    fx.put(engine, "b", "0123456789");
    fx.put(engine, "c", "0123456789");
    get(engine, "b");
    get(engine, "c");
    // a is the least recently used, and it is the record that grows
    fx.put(engine, "a", "0123456789" + "x".repeat((int) small));
    assertThat(fx.evicted()).containsExactly("b");
    assertThat(get(engine, "a")).startsWith("0123456789x");
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void aRecordHeavierThanTheBoundIsRefusedWithoutEvictingAnything(EvictionPolicy policy) {
    MemoryStorageEngine engine = fx.bytes(3 * small, policy);
    fx.put(engine, "a", "0123456789", Duration.ofHours(1));
    fx.put(engine, "b", "0123456789", Duration.ofHours(2));
    String huge = "x".repeat((int) (3 * small));

    Throwable refused = catchThrowable(() -> fx.put(engine, "h", huge, Duration.ofMinutes(1)));

    assertThat(refused).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("'" + Fixture.CACHE + "'")
        .hasMessageContaining("maxBytes = " + 3 * small)
        .hasMessageContaining("nothing was stored");
    LimitExceededException limit = (LimitExceededException) refused;
    assertThat(limit.setting()).isEqualTo("maxBytes");
    assertThat(limit.limit()).isEqualTo(3 * small);
    assertThat(limit.value()).isGreaterThan(3 * small);
    assertThat(get(engine, "h")).isNull();
    assertThat(engine.stats().entries()).isEqualTo(2);
    assertThat(fx.removals.all()).isEmpty();
  }

  @Test
  void bothBoundsAreHonoured() {
    MemoryStorageEngine engine = fx.open(3, 4 * small, EvictionPolicy.FIFO);
    fx.put(engine, "a", "0123456789");
    fx.put(engine, "b", "0123456789");
    fx.put(engine, "c", "0123456789");
    fx.put(engine, "d", "0123456789"); // entry bound
    assertThat(fx.evicted()).containsExactly("a");
    fx.put(engine, "e", "0123456789" + "x".repeat((int) (2 * small))); // entry bound, then byte bound
    assertThat(fx.evicted()).containsExactly("a", "b", "c");
    assertThat(engine.stats().entries()).isEqualTo(2);
    assertThat(engine.stats().weightBytes()).isLessThanOrEqualTo(4 * small);
  }

  @Test
  void noEvictionNamesTheByteBoundWhenThatIsTheOnePassed() {
    MemoryStorageEngine engine = fx.open(10, 2 * small, EvictionPolicy.NO_EVICTION);
    fx.put(engine, "a", "0123456789");
    fx.put(engine, "b", "0123456789");
    Throwable refused = catchThrowable(() -> fx.put(engine, "c", "0"));
    assertThat(refused).isInstanceOf(CapacityExceededException.class);
    assertThat(((CapacityExceededException) refused).setting()).isEqualTo("maxBytes");
  }

  @Test
  void removingAndShrinkingGiveBytesBack() {
    MemoryStorageEngine engine = fx.bytes(10 * small, EvictionPolicy.LRU);
    StoredRecord a = fx.put(engine, "a", "0123456789");
    fx.put(engine, "b", "01234567890123456789");
    engine.compute(Fixture.key("b"), (k, current) -> null);
    assertThat(engine.stats().weightBytes()).isEqualTo(a.weightBytes(1));
    StoredRecord shrunk = fx.put(engine, "a", "0");
    assertThat(engine.stats().weightBytes()).isEqualTo(shrunk.weightBytes(1));
  }
}
