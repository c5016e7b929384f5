package io.ringstore.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StorageEngineFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryStorageEngineFactoryTest {

  @Test
  void isFoundByNameThroughTheServiceLoader() {
    StorageEngineFactory factory = StorageEngineFactory.named("memory", getClass().getClassLoader());
    assertThat(factory).isInstanceOf(MemoryStorageEngineFactory.class);
    try (StorageEngine engine = factory.open(EngineSettings.unbounded("c"))) {
      assertThat(engine).isInstanceOf(MemoryStorageEngine.class);
      assertThat(engine.settings().cacheName()).isEqualTo("c");
    }
  }

  @Test
  void rejectsOptionsItDoesNotKnowByName() {
    EngineSettings base = EngineSettings.unbounded("orders");
    EngineSettings withOption = new EngineSettings(base.cacheName(), base.maxEntries(), base.maxBytes(),
        base.evictionPolicy(), base.env(), base.removalListener(), Map.of("offHeap", "true"));
    assertThatThrownBy(() -> new MemoryStorageEngineFactory().open(withOption))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'orders'")
        .hasMessageContaining("offHeap")
        .hasMessageContaining("memory");
  }

  @Test
  void describesItself() {
    assertThat(new MemoryStorageEngine(EngineSettings.unbounded("c").withMaxEntries(10, EvictionPolicy.LFU)))
        .hasToString("MemoryStorageEngine[cache=c, maxEntries=10, maxBytes=unbounded, evictionPolicy=LFU]");
  }
}
