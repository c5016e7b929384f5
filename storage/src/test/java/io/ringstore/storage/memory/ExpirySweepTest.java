package io.ringstore.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
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

  /** Writes without the fixture's invariant check after each write (tens of thousands of them here). */
  private void write(MemoryStorageEngine engine, String key, long expiresAtMillis) {
    engine.compute(Fixture.key(key), (k, current) -> StoredRecord.write(current,
        current == null ? VectorClock.EMPTY : current.clock(), "test", 1, Bytes.utf8("v"), expiresAtMillis, fixture.time.millis()));
  }

  /** Advances the fake time a second at a time until {@code done}, for at most {@code limit}. */
  private Duration advanceUntil(java.util.function.BooleanSupplier done, Duration limit) {
    Duration waited = Duration.ZERO;
    while (!done.getAsBoolean() && waited.compareTo(limit) < 0) {
      fixture.time.advance(Duration.ofSeconds(1));
      waited = waited.plusSeconds(1);
    }
    return waited;
  }

  @ParameterizedTest(name = "bounded = {0}")
  @ValueSource(booleans = {false, true})
  void expiredRecordsThatNobodyReadsAreRemovedAndReported(boolean bounded) {
    MemoryStorageEngine engine = engine(bounded);
    int dying = ExpirySweep.RECORDS_PER_RUN * 2 + 500;
    int living = ExpirySweep.RECORDS_PER_RUN + 7;
    long expiresAt = fixture.time.millis() + 10_000;
    for (int i = 0; i < dying; i++) {
      write(engine, "dying-" + i, expiresAt);
    }
    for (int i = 0; i < living; i++) {
      write(engine, "living-" + i, StoredRecord.NEVER);
    }
    engine.checkInvariants();
    fixture.time.advance(Duration.ofSeconds(9));
    assertThat(fixture.expired()).as("nothing has expired yet").isEmpty();
    assertThat(engine.stats().entries()).isEqualTo(dying + living);

    // the sweep may have backed off while nothing expired: the dead records go within two of its
    // longest intervals (a pass takes a few runs of RECORDS_PER_RUN live records each)
    Duration waited = advanceUntil(() -> fixture.expired().size() == dying, ExpirySweep.MAX_INTERVAL.multipliedBy(2));
    System.out.println("expired records swept " + waited.toSeconds() + " s after they expired");
    assertThat(fixture.expired()).hasSize(dying).allMatch(key -> key.startsWith("dying-"));
    assertThat(engine.stats().entries()).isEqualTo(living);
    assertThat(fixture.removals.with(RemovalCause.EVICTED)).isEmpty();
    engine.checkInvariants();
    engine.close();
  }

  @Test
  void theSweepBacksOffWhileNothingExpiresAndComesBackWhenSomethingDoes() {
    MemoryStorageEngine engine = engine(false);
    write(engine, "eternal", StoredRecord.NEVER);
    advanceUntil(() -> engine.sweep().interval().equals(ExpirySweep.MAX_INTERVAL), Duration.ofMinutes(10));
    assertThat(engine.sweep().interval()).isEqualTo(ExpirySweep.MAX_INTERVAL);

    write(engine, "short", fixture.time.millis() + 1_000);
    Duration waited = advanceUntil(() -> !fixture.expired().isEmpty(), ExpirySweep.MAX_INTERVAL.multipliedBy(2));
    assertThat(fixture.expired()).containsExactly("short");
    assertThat(waited).isLessThanOrEqualTo(ExpirySweep.MAX_INTERVAL.plusSeconds(1));
    assertThat(engine.sweep().interval()).isEqualTo(ExpirySweep.INTERVAL);
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
