package io.ringstore.storage.memory;

import static io.ringstore.storage.memory.Fixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.EvictionPolicy;
import org.junit.jupiter.api.Test;

/** FIFO: the entry that entered first goes first; reads and overwrites do not change the order. */
class FifoPolicyTest {

  private final Fixture fx = new Fixture();
  private final MemoryStorageEngine engine = fx.entries(3, EvictionPolicy.FIFO);

  @Test
  void readsDoNotSaveTheOldestEntry() {
    fx.put(engine, "a", "1");
    fx.put(engine, "b", "2");
    fx.put(engine, "c", "3");
    for (int i = 0; i < 10; i++) {
      get(engine, "a"); // LRU and LFU would both keep a now
    }
    fx.put(engine, "d", "4");
    fx.put(engine, "e", "5");
    assertThat(fx.evicted()).containsExactly("a", "b");
  }

  @Test
  void anOverwriteKeepsTheKeysPlace() {
    fx.put(engine, "a", "1");
    fx.put(engine, "b", "2");
    fx.put(engine, "c", "3");
    fx.put(engine, "a", "1 again"); // LRU would move a to the back
    fx.put(engine, "d", "4");
    assertThat(fx.evicted()).containsExactly("a");
  }

  @Test
  void aRemovedAndRewrittenKeyEntersAtTheBack() {
    fx.put(engine, "a", "1");
    fx.put(engine, "b", "2");
    fx.put(engine, "c", "3");
    engine.compute(Fixture.key("a"), (k, current) -> null);
    fx.put(engine, "a", "again");
    fx.put(engine, "d", "4");
    assertThat(fx.evicted()).containsExactly("b");
    engine.checkInvariants();
  }
}
