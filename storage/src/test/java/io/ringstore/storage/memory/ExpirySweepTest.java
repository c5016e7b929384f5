package io.ringstore.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.env.Env;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The background sweep: expired records nobody reads leave the engine, and are reported. */
class ExpirySweepTest {
  private final Fixture fixture = new Fixture();

  private MemoryStorageEngine engine(boolean bounded) {
    return bounded ? fixture.entries(1_000_000, EvictionPolicy.LRU)
        : fixture.open(EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED, EvictionPolicy.NO_EVICTION);
  }

  @ParameterizedTest(name = "bounded = {0}")
  @ValueSource(booleans = {false, true})
  void expiredRecordsThatNobodyReadsAreRemovedAndReported(boolean bounded) {
    MemoryStorageEngine engine = engine(bounded);
    int dying = ExpirySweep.RECORDS_PER_RUN * 2 + 500;
    int living = ExpirySweep.RECORDS_PER_RUN + 7;
    for (int i = 0; i < dying; i++) {
      fixture.put(engine, "dying-" + i, "v", Duration.ofSeconds(10));
    }
    for (int i = 0; i < living; i++) {
      fixture.put(engine, "living-" + i, "v");
    }
    fixture.time.advance(Duration.ofSeconds(5));
    assertThat(fixture.expired()).as("nothing has expired yet").isEmpty();
    assertThat(engine.stats().entries()).isEqualTo(dying + living);

    // a full walk takes a few runs: each steps over at most RECORDS_PER_RUN live records
    for (int second = 0; second < 10; second++) {
      fixture.time.advance(ExpirySweep.INTERVAL);
    }
    assertThat(engine.stats().entries()).isEqualTo(living);
    assertThat(fixture.expired()).hasSize(dying).allMatch(key -> key.startsWith("dying-"));
    assertThat(fixture.removals.with(RemovalCause.EVICTED)).isEmpty();
    engine.close();
  }

  @Test
  void aClosedEngineIsNoLongerSwept() {
    MemoryStorageEngine engine = engine(false);
    fixture.put(engine, "k", "v", Duration.ofSeconds(1));
    assertThat(fixture.time.pendingTasks()).isEqualTo(1);
    engine.close();
    fixture.time.advance(Duration.ofSeconds(30));
    assertThat(fixture.time.pendingTasks()).isZero();
    assertThat(fixture.expired()).isEmpty();
  }

  @Test
  void aFailingRemovalListenerDoesNotStopTheSweep() {
    AtomicInteger calls = new AtomicInteger();
    MemoryStorageEngine engine = new MemoryStorageEngine(new EngineSettings("failing", EngineSettings.UNBOUNDED,
        EngineSettings.UNBOUNDED, EvictionPolicy.NO_EVICTION, Env.of(fixture.time), (key, record, cause) -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("a listener that fails once");
          }
        }, Map.of()));
    fixture.put(engine, "a", "v", Duration.ofSeconds(1));
    fixture.put(engine, "b", "v", Duration.ofSeconds(1));
    for (int second = 0; second < 5; second++) {
      fixture.time.advance(ExpirySweep.INTERVAL);
    }
    assertThat(calls).hasValue(2);
    assertThat(engine.stats().entries()).isZero();
    assertThat(fixture.time.pendingTasks()).as("the sweep goes on").isEqualTo(1);
    engine.close();
  }
}
