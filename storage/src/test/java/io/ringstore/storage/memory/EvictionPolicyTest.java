package io.ringstore.storage.memory;

import static io.ringstore.storage.memory.Fixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ringstore.spi.CapacityExceededException;
import io.ringstore.spi.EvictionPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One workload, five policies, five different outcomes: the test fails if any policy behaved as
 * another one. Four entries (bound 4) are written and read so that each policy has a different
 * victim:
 *
 * <pre>
 * key  written  expires in  reads  uses  last used
 * a    1st      3 h         5      6    2nd-oldest
 * b    2nd      2 h         1      2    newest
 * c    3rd      4 h         2      3    oldest
 * e    4th      1 h         3      4    3rd-oldest
 * </pre>
 *
 * LRU evicts c (used least recently), LFU evicts b (used least often), FIFO evicts a (written
 * first), volatile-TTL evicts e (expires soonest), and no-eviction refuses the fifth key.
 */
class EvictionPolicyTest {

  private final Fixture fx = new Fixture();

  @ParameterizedTest(name = "{0} evicts {1}")
  @CsvSource({"LRU, c", "LFU, b", "FIFO, a", "VOLATILE_TTL, e", "NO_EVICTION, ''"})
  void eachPolicyPicksItsOwnVictim(EvictionPolicy policy, String victim) {
    MemoryStorageEngine engine = fx.entries(4, policy);
    fx.put(engine, "a", "A", Duration.ofHours(3));
    fx.put(engine, "b", "B", Duration.ofHours(2));
    fx.put(engine, "c", "C", Duration.ofHours(4));
    fx.put(engine, "e", "E", Duration.ofHours(1));
    read(engine, "c", 2);
    read(engine, "a", 5);
    read(engine, "e", 3);
    read(engine, "b", 1);

    Throwable refused = catchThrowable(() -> fx.put(engine, "f", "F"));

    if (policy == EvictionPolicy.NO_EVICTION) {
      assertThat(refused).isInstanceOf(CapacityExceededException.class);
      assertThat(fx.evicted()).isEmpty();
      assertThat(get(engine, "f")).isNull();
    } else {
      assertThat(refused).isNull();
      assertThat(fx.evicted()).containsExactly(victim);
      assertThat(get(engine, victim)).isNull();
      assertThat(get(engine, "f")).isEqualTo("F");
    }
    for (String k : List.of("a", "b", "c", "e")) {
      if (!k.equals(victim)) {
        assertThat(get(engine, k)).as(k).isEqualTo(k.toUpperCase(Locale.ROOT));
      }
    }
    engine.checkInvariants();
  }

  private static void read(MemoryStorageEngine engine, String key, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(get(engine, key)).isNotNull();
    }
  }
}
