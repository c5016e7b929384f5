package io.ringstore.storage.memory;

import static io.ringstore.storage.memory.Fixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.EvictionPolicy;
import org.junit.jupiter.api.Test;

/** LRU: the entry read or written least recently goes first. */
class LruPolicyTest {

  private final Fixture fx = new Fixture();
  private final MemoryStorageEngine engine = fx.entries(3, EvictionPolicy.LRU);

  @Test
  void evictsTheLeastRecentlyRead() {
    fx.put(engine, "a", "1");
    fx.put(engine, "b", "2");
    fx.put(engine, "c", "3");
    get(engine, "a"); // a is now the most recent; b the least (FIFO would evict a)
    fx.put(engine, "d", "4");
    assertThat(fx.evicted()).containsExactly("b");
    get(engine, "c");
    fx.put(engine, "e", "5"); // least recent now: a (read before c and d were used)
    assertThat(fx.evicted()).containsExactly("b", "a");
  }

  @Test
  void aWriteCountsAsAUse() {
    fx.put(engine, "a", "1");
    fx.put(engine, "b", "2");
    fx.put(engine, "c", "3");
    fx.put(engine, "a", "1 again");
    fx.put(engine, "d", "4");
    assertThat(fx.evicted()).containsExactly("b");
    assertThat(get(engine, "a")).isEqualTo("1 again");
  }

  @Test
  void aFrequentlyReadEntryIsStillEvictedOnceItIsTheLeastRecent() {
    fx.put(engine, "hot", "h");
    for (int i = 0; i < 50; i++) {
      get(engine, "hot");
    }
    fx.put(engine, "x", "1");
    fx.put(engine, "y", "2");
    fx.put(engine, "z", "3"); // LFU would keep "hot" and evict x
    assertThat(fx.evicted()).containsExactly("hot");
  }

  @Test
  void readsOfAbsentKeysChangeNothing() {
    fx.put(engine, "a", "1");
    fx.put(engine, "b", "2");
    fx.put(engine, "c", "3");
    assertThat(get(engine, "nothing")).isNull();
    fx.put(engine, "d", "4");
    assertThat(fx.evicted()).containsExactly("a");
    engine.checkInvariants();
  }
}
