package io.ringstore.storage.memory;

import static io.ringstore.storage.memory.Fixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ringstore.spi.CapacityExceededException;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.StoredRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** No-eviction: a write past the bound is refused, names the cache and the bound, and stores nothing. */
class NoEvictionPolicyTest {

  private final Fixture fx = new Fixture();

  @Test
  void refusesANewKeyPastTheEntryBoundAndStoresNothing() {
    MemoryStorageEngine engine = fx.entries(3, EvictionPolicy.NO_EVICTION);
    fx.put(engine, "a", "1");
    fx.put(engine, "b", "2");
    fx.put(engine, "c", "3");
    EngineStats before = engine.stats();

    Throwable refused = catchThrowable(() -> fx.put(engine, "d", "4"));

    assertThat(refused).isInstanceOf(CapacityExceededException.class).hasMessage(
        "cache 'policy-cache' is full: the write would make maxEntries = 4, past the bound 3"
            + " (maxEntries = 3, evictionPolicy = NO_EVICTION)");
    CapacityExceededException full = (CapacityExceededException) refused;
    assertThat(full.cache()).isEqualTo("policy-cache");
    assertThat(full.setting()).isEqualTo("maxEntries");
    assertThat(full.value()).isEqualTo(4);
    assertThat(full.limit()).isEqualTo(3);
    assertThat(get(engine, "d")).isNull();
    assertThat(engine.stats()).isEqualTo(before);
    assertThat(fx.removals.all()).isEmpty();
    engine.checkInvariants();
  }

  @Test
  void refusesAGrowingRecordPastTheByteBoundAndKeepsTheOldOne() {
    StoredRecord sample = fx.record("1234567890");
    long maxBytes = 3 * sample.weightBytes(1);
    MemoryStorageEngine engine = fx.bytes(maxBytes, EvictionPolicy.NO_EVICTION);
    fx.put(engine, "a", "1234567890");
    fx.put(engine, "b", "1234567890");
    StoredRecord c = fx.put(engine, "c", "1234567890");
    assertThat(engine.stats().weightBytes()).isEqualTo(maxBytes);

    Throwable refused = catchThrowable(() -> fx.put(engine, "c", "12345678901"));

    assertThat(refused).isInstanceOf(CapacityExceededException.class)
        .hasMessageContaining("'policy-cache'")
        .hasMessageContaining("maxBytes = " + (maxBytes + 1))
        .hasMessageContaining("past the bound " + maxBytes);
    assertThat(engine.get(Fixture.key("c"))).isEqualTo(c);
    assertThat(engine.stats().weightBytes()).isEqualTo(maxBytes);
    fx.put(engine, "c", "123456789"); // shrinking always fits
    assertThat(engine.stats().weightBytes()).isEqualTo(maxBytes - 1);
  }

  @Test
  void recordsThatHaveAlreadyExpiredNeverCauseARefusal() {
    MemoryStorageEngine engine = fx.entries(3, EvictionPolicy.NO_EVICTION);
    fx.put(engine, "a", "1", Duration.ofSeconds(2));
    fx.put(engine, "b", "2", Duration.ofSeconds(1));
    fx.put(engine, "c", "3", Duration.ofSeconds(5));
    fx.time.advance(Duration.ofSeconds(1));
    fx.put(engine, "d", "4"); // b has expired: it makes room, and is reported as expired
    assertThat(fx.expired()).containsExactly("b");
    assertThat(catchThrowable(() -> fx.put(engine, "e", "5"))).isInstanceOf(CapacityExceededException.class);
    assertThat(fx.evicted()).isEmpty();
    assertThat(get(engine, "a")).isEqualTo("1");
    assertThat(get(engine, "c")).isEqualTo("3");
  }
}
