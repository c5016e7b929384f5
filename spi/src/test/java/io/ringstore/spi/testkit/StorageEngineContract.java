package io.ringstore.spi.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.CapacityExceededException;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.RecordUpdate;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import io.ringstore.spi.env.Env;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The test kit every {@link StorageEngine} passes, ours or a third party's: extend this class,
 * implement {@link #open(EngineSettings)}, and JUnit 5 runs one test per clause of the engine
 * contract (see {@link StorageEngine}) against your engine.
 *
 * <pre>{@code
 * class MyEngineContractTest extends StorageEngineContract {
 *   @Override
 *   protected StorageEngine open(EngineSettings settings) {
 *     return new MyEngineFactory().open(settings);
 *   }
 * }
 * }</pre>
 *
 * <p>What it checks, grouped in nested classes: {@link Basics} (get, compute, tombstones, a
 * throwing update), {@link Expiry} (expired records are never returned, are removed and reported),
 * {@link Iteration} (weakly consistent, each key once, no expired records), {@link Lifecycle}
 * (clear, stats, close), {@link Bounds} (for engines that take {@code maxEntries}/{@code maxBytes}:
 * the bound holds after every compute, evictions are reported, refusals store nothing and name the
 * setting and the bound), {@link Concurrency} (compute is atomic per key), and {@link Model}: random
 * operation sequences checked against a {@link TreeMap} model, for the unbounded engine and for
 * every supported policy under a small bound. The model test prints its seed; rerun one with
 * {@code -Dringstore.seed=<seed>}.
 *
 * <p>Time is a {@link FakeTime}; nothing sleeps. Each test opens fresh engines, which the kit
 * closes afterwards.
 *
 * <p>Where the contract leaves a choice, the kit accepts either answer: a {@code compute} on a key
 * whose record has expired may be handed that record or {@code null} (and need not report it); an
 * engine may drop an expired record at any time as long as it reports it as
 * {@link RemovalCause#EXPIRED}; a record heavier than the whole {@code maxBytes} may be refused
 * with any {@link LimitExceededException} that names {@code maxBytes}.
 *
 * <p>Hooks: {@link #baseSettings} (add options or a loose bound to every engine the kit opens) and
 * {@link #supportedEvictionPolicies()} (return fewer policies, or none for an engine that takes no
 * bound; the bound tests for the others are skipped).
 *
 * <p>Thread-safety: JUnit makes one instance per test; not shared.
 */
public abstract class StorageEngineContract {

  /** The actor id the kit writes its records as. */
  protected static final String ACTOR = "kit";

  /** The cache name of every engine the kit opens. */
  protected static final String CACHE = "contract-cache";

  /** Time for every engine the kit opens; starts at 2030-01-01T00:00:00Z. */
  protected final FakeTime time = new FakeTime();

  /** Every removal the engines report, in order. */
  protected final Removals removals = new Removals();

  private final List<StorageEngine> opened = new ArrayList<>();
  private final AtomicLong hlc = new AtomicLong();

  /** The engine under test for the default settings of this test. */
  protected StorageEngine engine;

  /** Opens an empty engine for {@code settings}. Called several times per test. */
  protected abstract StorageEngine open(EngineSettings settings);

  /**
   * The settings every engine of the kit starts from: by default unbounded, no options. Override
   * to add engine options (a data directory, say), keeping {@code env} and {@code listener}.
   */
  protected EngineSettings baseSettings(String cacheName, Env env, RemovalListener listener) {
    return new EngineSettings(cacheName, EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED,
        EvictionPolicy.NO_EVICTION, env, listener, Map.of());
  }

  /** The policies the engine supports under a bound; empty if it takes no bound. */
  protected Set<EvictionPolicy> supportedEvictionPolicies() {
    return EnumSet.allOf(EvictionPolicy.class);
  }

  @BeforeEach
  void openDefaultEngine() {
    engine = openTracked(settings());
  }

  @AfterEach
  void closeEngines() {
    for (StorageEngine e : opened) {
      e.close();
    }
  }

  // ---------------------------------------------------------------- helpers for tests and subclasses

  /** The kit's base settings on {@link #time} with {@link #removals} as listener. */
  protected final EngineSettings settings() {
    return baseSettings(CACHE, Env.of(time), removals);
  }

  /** Opens an engine that the kit closes after the test. */
  protected final StorageEngine openTracked(EngineSettings settings) {
    StorageEngine e = open(settings);
    opened.add(e);
    return e;
  }

  /** Opens an engine with a bound, or skips the test if the engine does not support the policy. */
  protected final StorageEngine openBounded(long maxEntries, long maxBytes, EvictionPolicy policy) {
    Assumptions.assumeTrue(supportedEvictionPolicies().contains(policy), () -> "engine does not support " + policy);
    EngineSettings base = settings();
    return openTracked(new EngineSettings(base.cacheName(), maxEntries, maxBytes, policy, base.env(),
        base.removalListener(), base.options()));
  }

  /** The UTF-8 bytes of {@code text}. */
  protected static Bytes key(String text) {
    return Bytes.utf8(text);
  }

  /** A write of {@code value} (a delete if {@code null}) on top of {@code current}, seen by its writer. */
  protected final StoredRecord write(@Nullable StoredRecord current, @Nullable String value, long expiresAtMillis) {
    VectorClock context = current == null ? VectorClock.EMPTY : current.clock();
    return StoredRecord.write(current, context, ACTOR, hlc.incrementAndGet(),
        value == null ? null : Bytes.utf8(value), expiresAtMillis, time.millis());
  }

  /** An update that writes {@code value} without expiry. */
  protected final RecordUpdate put(String value) {
    return (k, current) -> write(current, value, StoredRecord.NEVER);
  }

  /** An update that writes {@code value}, expiring {@code ttl} from now. */
  protected final RecordUpdate put(String value, Duration ttl) {
    return (k, current) -> write(current, value, time.millis() + ttl.toMillis());
  }

  /** An update that removes the key. */
  protected static RecordUpdate remove() {
    return (k, current) -> null;
  }

  /** The single value of {@code record} as text. */
  protected static String valueOf(@Nullable StoredRecord record) {
    assertThat(record).as("record").isNotNull();
    Bytes value = record.newest().value();
    assertThat(value).as("value of " + record).isNotNull();
    return value.asUtf8();
  }

  /** Every live entry of {@code e}, by key. */
  protected static Map<Bytes, StoredRecord> contents(StorageEngine e) {
    Map<Bytes, StoredRecord> all = new TreeMap<>();
    for (Iterator<EngineEntry> it = e.iterator(); it.hasNext(); ) {
      EngineEntry entry = it.next();
      assertThat(all.put(entry.key(), entry.record())).as("iterator yields %s twice", entry.key()).isNull();
    }
    return all;
  }

  /** One reported removal. */
  public record Removal(Bytes key, StoredRecord record, RemovalCause cause) {}

  /** A {@link RemovalListener} that records what it is told. Thread-safe. */
  public static final class Removals implements RemovalListener {
    private final List<Removal> seen = new ArrayList<>();

    @Override
    public synchronized void onRemoval(Bytes key, StoredRecord record, RemovalCause cause) {
      seen.add(new Removal(key, record, cause));
    }

    /** Everything reported so far. */
    public synchronized List<Removal> all() {
      return List.copyOf(seen);
    }

    /** Everything reported since the last drain, then forgets it. */
    public synchronized List<Removal> drain() {
      List<Removal> copy = List.copyOf(seen);
      seen.clear();
      return copy;
    }

    /** The removals reported with {@code cause}. */
    public synchronized List<Removal> with(RemovalCause cause) {
      return seen.stream().filter(r -> r.cause() == cause).toList();
    }
  }

  // ---------------------------------------------------------------- clauses

  /** get and compute on live records. */
  @Nested
  class Basics {

    @Test
    void absentKeyReadsAsNull() {
      assertThat(engine.get(key("nothing"))).isNull();
    }

    @Test
    void computeStoresWhatTheUpdateReturnsAndReturnsIt() {
      StoredRecord stored = engine.compute(key("k"), put("v1"));
      assertThat(valueOf(stored)).isEqualTo("v1");
      assertThat(engine.get(key("k"))).isEqualTo(stored);
    }

    @Test
    void updateIsHandedTheCurrentRecord() {
      StoredRecord first = engine.compute(key("k"), put("v1"));
      List<@Nullable StoredRecord> handed = new ArrayList<>();
      StoredRecord second = engine.compute(key("k"), (k, current) -> {
        assertThat(k).isEqualTo(key("k"));
        handed.add(current);
        return write(current, "v2", StoredRecord.NEVER);
      });
      assertThat(handed).containsExactly(first);
      assertThat(valueOf(engine.get(key("k")))).isEqualTo("v2");
      assertThat(second.clock().descendsFrom(first.clock())).isTrue();
    }

    @Test
    void updateOfAnAbsentKeyIsHandedNull() {
      List<@Nullable StoredRecord> handed = new ArrayList<>();
      engine.compute(key("k"), (k, current) -> {
        handed.add(current);
        return current;
      });
      assertThat(handed).hasSize(1).containsOnlyNulls();
      assertThat(engine.get(key("k"))).isNull();
    }

    @Test
    void returningCurrentLeavesTheKeyAsItIs() {
      StoredRecord stored = engine.compute(key("k"), put("v1"));
      StoredRecord kept = engine.compute(key("k"), (k, current) -> current);
      assertThat(kept).isEqualTo(stored);
      assertThat(engine.get(key("k"))).isEqualTo(stored);
    }

    @Test
    void returningNullRemovesTheKeyWithoutReportingIt() {
      engine.compute(key("k"), put("v1"));
      assertThat(engine.compute(key("k"), remove())).isNull();
      assertThat(engine.get(key("k"))).isNull();
      assertThat(removals.all()).isEmpty();
    }

    @Test
    void tombstonesAreStoredAndReturned() {
      engine.compute(key("k"), put("v1"));
      StoredRecord tombstone = engine.compute(key("k"), (k, current) -> write(current, null, StoredRecord.NEVER));
      assertThat(tombstone.isTombstone()).isTrue();
      assertThat(engine.get(key("k"))).isEqualTo(tombstone);
    }

    @Test
    void keysAreComparedByContent() {
      engine.compute(Bytes.copyOf("k".getBytes(StandardCharsets.UTF_8)), put("v1"));
      assertThat(valueOf(engine.get(Bytes.of("k".getBytes(StandardCharsets.UTF_8))))).isEqualTo("v1");
      assertThat(engine.get(Bytes.EMPTY)).isNull();
      engine.compute(Bytes.EMPTY, put("empty key"));
      assertThat(valueOf(engine.get(Bytes.EMPTY))).isEqualTo("empty key");
    }

    @Test
    void aThrowingUpdateLeavesAnExistingKeyAsItWas() {
      StoredRecord stored = engine.compute(key("k"), put("v1"));
      RuntimeException boom = new IllegalStateException("boom");
      Throwable thrown = catchThrowable(() -> engine.compute(key("k"), (k, current) -> {
        throw boom;
      }));
      assertThat(thrown).isSameAs(boom);
      assertThat(engine.get(key("k"))).isEqualTo(stored);
      assertThat(engine.stats().entries()).isEqualTo(1);
    }

    @Test
    void aThrowingUpdateLeavesAnAbsentKeyAbsent() {
      RuntimeException boom = new IllegalArgumentException("boom");
      assertThat(catchThrowable(() -> engine.compute(key("k"), (k, current) -> {
        throw boom;
      }))).isSameAs(boom);
      assertThat(engine.get(key("k"))).isNull();
      assertThat(engine.stats().entries()).isZero();
      assertThat(contents(engine)).isEmpty();
    }

    @Test
    void settingsAreTheOnesGiven() {
      assertThat(engine.settings()).isEqualTo(settings());
    }
  }

  /** Clause 1: expired records are never returned; they are removed and reported. */
  @Nested
  class Expiry {

    @Test
    void aRecordLivesUntilItsExpiryAndNotAtIt() {
      StoredRecord stored = engine.compute(key("k"), put("v", Duration.ofSeconds(10)));
      time.advance(Duration.ofMillis(9_999));
      assertThat(engine.get(key("k"))).isEqualTo(stored);
      time.advance(Duration.ofMillis(1));
      assertThat(engine.get(key("k"))).isNull();
    }

    @Test
    void anExpiredRecordMetByGetIsRemovedAndReportedOnce() {
      StoredRecord stored = engine.compute(key("k"), put("v", Duration.ofSeconds(1)));
      engine.compute(key("other"), put("stays"));
      time.advance(Duration.ofSeconds(1));

      assertThat(engine.get(key("k"))).isNull();
      assertThat(engine.get(key("k"))).isNull();

      assertThat(removals.all()).containsExactly(new Removal(key("k"), stored, RemovalCause.EXPIRED));
      EngineStats stats = engine.stats();
      assertThat(stats.expirations()).isEqualTo(1);
      assertThat(stats.entries()).isEqualTo(1);
      assertThat(stats.weightBytes()).isEqualTo(engine.get(key("other")).weightBytes(key("other").length()));
    }

    @Test
    void anExpiredRecordMetByTheIteratorIsSkippedRemovedAndReported() {
      StoredRecord expiring = engine.compute(key("a"), put("v", Duration.ofSeconds(1)));
      StoredRecord staying = engine.compute(key("b"), put("v", Duration.ofSeconds(5)));
      time.advance(Duration.ofSeconds(2));

      assertThat(contents(engine)).containsExactly(Map.entry(key("b"), staying));
      assertThat(removals.all()).containsExactly(new Removal(key("a"), expiring, RemovalCause.EXPIRED));
      assertThat(engine.stats().entries()).isEqualTo(1);
    }

    @Test
    void recordsWithoutExpiryNeverExpire() {
      StoredRecord stored = engine.compute(key("k"), put("v"));
      time.advance(Duration.ofDays(3650));
      assertThat(engine.get(key("k"))).isEqualTo(stored);
      assertThat(removals.all()).isEmpty();
    }

    @Test
    void computeMayBeHandedAnExpiredRecordOrNothingAndReplacesIt() {
      StoredRecord expired = engine.compute(key("k"), put("old", Duration.ofSeconds(1)));
      time.advance(Duration.ofSeconds(1));
      List<@Nullable StoredRecord> handed = new ArrayList<>();
      engine.compute(key("k"), (k, current) -> {
        handed.add(current);
        return write(null, "new", StoredRecord.NEVER);
      });
      assertThat(handed).hasSize(1);
      if (handed.get(0) != null) {
        assertThat(handed.get(0)).isEqualTo(expired);
      }
      assertThat(valueOf(engine.get(key("k")))).isEqualTo("new");
    }

    @Test
    void aWriteCanRenewAnExpiry() {
      engine.compute(key("k"), put("v", Duration.ofSeconds(1)));
      engine.compute(key("k"), (k, current) -> current.withExpiry(time.millis() + 10_000));
      time.advance(Duration.ofSeconds(5));
      assertThat(valueOf(engine.get(key("k")))).isEqualTo("v");
      time.advance(Duration.ofSeconds(5));
      assertThat(engine.get(key("k"))).isNull();
    }

    @Test
    void aWallClockStepBackRevivesNothingAlreadyRemoved() {
      engine.compute(key("k"), put("v", Duration.ofSeconds(1)));
      time.advance(Duration.ofSeconds(2));
      assertThat(engine.get(key("k"))).isNull();
      time.setWallClock(Instant.parse("2029-01-01T00:00:00Z"));
      assertThat(engine.get(key("k"))).isNull();
    }
  }

  /** The iterator: weakly consistent, each key at most once, no expired records. */
  @Nested
  class Iteration {

    @Test
    void yieldsEveryLiveEntryOnce() {
      Map<Bytes, StoredRecord> expected = new TreeMap<>();
      for (int i = 0; i < 50; i++) {
        Bytes k = key("k" + i);
        expected.put(k, engine.compute(k, put("v" + i)));
      }
      engine.compute(key("k7"), remove());
      expected.remove(key("k7"));
      assertThat(contents(engine)).isEqualTo(expected);
    }

    @Test
    void toleratesChangesWhileIterating() {
      for (int i = 0; i < 40; i++) {
        engine.compute(key("k" + i), put("v" + i));
      }
      Set<Bytes> seen = new HashSet<>();
      int step = 0;
      for (Iterator<EngineEntry> it = engine.iterator(); it.hasNext(); ) {
        EngineEntry entry = it.next();
        assertThat(seen.add(entry.key())).as("key %s seen twice", entry.key()).isTrue();
        engine.compute(key("new" + step), put("x"));
        engine.compute(key("k" + (39 - step)), remove());
        step++;
      }
      assertThat(seen).isNotEmpty();
    }

    @Test
    void removeIsNotSupported() {
      engine.compute(key("k"), put("v"));
      Iterator<EngineEntry> it = engine.iterator();
      it.next();
      assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
      assertThat(engine.get(key("k"))).isNotNull();
    }

    @Test
    void anEmptyEngineIteratesNothing() {
      Iterator<EngineEntry> it = engine.iterator();
      assertThat(it.hasNext()).isFalse();
      assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }
  }

  /** clear, stats and close. */
  @Nested
  class Lifecycle {

    @Test
    void statsCountEntriesAndBytes() {
      StoredRecord a = engine.compute(key("a"), put("1234567890"));
      StoredRecord b = engine.compute(key("bb"), put(""));
      EngineStats stats = engine.stats();
      assertThat(stats.entries()).isEqualTo(2);
      assertThat(stats.weightBytes()).isEqualTo(a.weightBytes(1) + b.weightBytes(2));
      assertThat(stats.evictions()).isZero();
      assertThat(stats.expirations()).isZero();

      StoredRecord a2 = engine.compute(key("a"), put("1"));
      engine.compute(key("bb"), remove());
      stats = engine.stats();
      assertThat(stats.entries()).isEqualTo(1);
      assertThat(stats.weightBytes()).isEqualTo(a2.weightBytes(1));
    }

    @Test
    void clearRemovesEverythingWithoutReporting() {
      for (int i = 0; i < 20; i++) {
        engine.compute(key("k" + i), put("v", Duration.ofSeconds(i + 1)));
      }
      engine.clear();
      assertThat(engine.get(key("k3"))).isNull();
      assertThat(contents(engine)).isEmpty();
      assertThat(engine.stats().entries()).isZero();
      assertThat(engine.stats().weightBytes()).isZero();
      assertThat(removals.all()).isEmpty();
      engine.compute(key("k3"), put("again"));
      assertThat(valueOf(engine.get(key("k3")))).isEqualTo("again");
    }

    @Test
    void everyOperationAfterCloseThrowsIllegalState() {
      engine.compute(key("k"), put("v"));
      engine.close();
      assertThatThrownBy(() -> engine.get(key("k"))).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> engine.compute(key("k"), put("w"))).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> engine.iterator()).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> engine.clear()).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> engine.stats()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeIsIdempotent() {
      engine.close();
      engine.close();
      assertThatThrownBy(() -> engine.get(key("k"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void enginesAreIndependent() {
      StorageEngine other = openTracked(settings());
      engine.compute(key("k"), put("mine"));
      assertThat(other.get(key("k"))).isNull();
      other.close();
      assertThat(valueOf(engine.get(key("k")))).isEqualTo("mine");
    }
  }

  /** Clause 3: bounds, eviction and refusals. Skipped for policies the engine does not support. */
  @Nested
  class Bounds {

    @ParameterizedTest
    @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
    void anEntryBoundHoldsAfterEveryComputeAndEveryEvictionIsReported(EvictionPolicy policy) {
      StorageEngine bounded = openBounded(5, EngineSettings.UNBOUNDED, policy);
      for (int i = 0; i < 20; i++) {
        Bytes k = key("k" + i);
        StoredRecord stored = bounded.compute(k, put("v" + i));
        assertThat(bounded.stats().entries()).isLessThanOrEqualTo(5);
        assertThat(bounded.get(k)).as("the key just written is never its own victim").isEqualTo(stored);
        bounded.get(key("k0")); // reads are allowed to influence the policy
      }
      List<Removal> evicted = removals.with(RemovalCause.EVICTED);
      assertThat(evicted).hasSize(15);
      assertThat(bounded.stats().evictions()).isEqualTo(15);
      Set<Bytes> evictedKeys = new HashSet<>();
      for (Removal r : evicted) {
        evictedKeys.add(r.key());
        assertThat(bounded.get(r.key())).isNull();
      }
      assertThat(evictedKeys).hasSize(15);
      assertThat(contents(bounded)).hasSize(5).doesNotContainKeys(evictedKeys.toArray(Bytes[]::new));
    }

    @ParameterizedTest
    @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO", "VOLATILE_TTL"})
    void aByteBoundHoldsAfterEveryCompute(EvictionPolicy policy) {
      long maxBytes = 2_000;
      StorageEngine bounded = openBounded(EngineSettings.UNBOUNDED, maxBytes, policy);
      for (int i = 0; i < 60; i++) {
        Bytes k = key("k" + (i % 25));
        bounded.compute(k, put("x".repeat(i * 7 % 90), Duration.ofHours(1 + i % 5)));
        assertThat(bounded.stats().weightBytes()).isLessThanOrEqualTo(maxBytes);
        long sum = contents(bounded).entrySet().stream().mapToLong(e -> e.getValue().weightBytes(e.getKey().length())).sum();
        assertThat(sum).isLessThanOrEqualTo(maxBytes).isEqualTo(bounded.stats().weightBytes());
      }
      assertThat(removals.with(RemovalCause.EVICTED)).isNotEmpty();
    }

    @Test
    void noEvictionRefusesAWritePastTheEntryBoundAndStoresNothing() {
      StorageEngine bounded = openBounded(3, EngineSettings.UNBOUNDED, EvictionPolicy.NO_EVICTION);
      for (int i = 0; i < 3; i++) {
        bounded.compute(key("k" + i), put("v"));
      }
      Throwable refused = catchThrowable(() -> bounded.compute(key("k3"), put("v")));
      assertThat(refused).isInstanceOf(CapacityExceededException.class)
          .hasMessageContaining(CACHE).hasMessageContaining("maxEntries").hasMessageContaining("3");
      CapacityExceededException full = (CapacityExceededException) refused;
      assertThat(full.cache()).isEqualTo(CACHE);
      assertThat(full.setting()).isEqualTo("maxEntries");
      assertThat(full.limit()).isEqualTo(3);
      assertThat(full.value()).isEqualTo(4);
      assertThat(bounded.get(key("k3"))).isNull();
      assertThat(bounded.stats().entries()).isEqualTo(3);
      assertThat(removals.all()).isEmpty();
      // a key already held may still be overwritten or removed
      assertThat(valueOf(bounded.compute(key("k1"), put("w")))).isEqualTo("w");
      bounded.compute(key("k2"), remove());
      assertThat(valueOf(bounded.compute(key("k3"), put("now it fits")))).isEqualTo("now it fits");
    }

    @Test
    void noEvictionRefusesAWritePastTheByteBoundAndKeepsTheOldRecord() {
      StoredRecord small = write(null, "small", StoredRecord.NEVER);
      long maxBytes = small.weightBytes(1) * 2 + 10;
      StorageEngine bounded = openBounded(EngineSettings.UNBOUNDED, maxBytes, EvictionPolicy.NO_EVICTION);
      bounded.compute(key("a"), (k, c) -> small);
      StoredRecord b = bounded.compute(key("b"), put("small"));
      Throwable refused = catchThrowable(() -> bounded.compute(key("b"), put("x".repeat(100))));
      assertThat(refused).isInstanceOf(LimitExceededException.class)
          .hasMessageContaining(CACHE).hasMessageContaining("maxBytes").hasMessageContaining(Long.toString(maxBytes));
      assertThat(((LimitExceededException) refused).setting()).isEqualTo("maxBytes");
      assertThat(bounded.get(key("b"))).isEqualTo(b);
      assertThat(bounded.stats().weightBytes()).isLessThanOrEqualTo(maxBytes);
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void aRecordHeavierThanTheWholeByteBoundIsRefused(EvictionPolicy policy) {
      StorageEngine bounded = openBounded(EngineSettings.UNBOUNDED, 1_000, policy);
      StoredRecord kept = bounded.compute(key("a"), put("small", Duration.ofHours(1)));
      Throwable refused = catchThrowable(() -> bounded.compute(key("big"), put("x".repeat(2_000), Duration.ofHours(1))));
      assertThat(refused).isInstanceOf(LimitExceededException.class).hasMessageContaining("maxBytes").hasMessageContaining("1000");
      assertThat(bounded.get(key("big"))).isNull();
      assertThat(bounded.get(key("a"))).isEqualTo(kept);
    }

    @Test
    void volatileTtlEvictsOnlyEntriesWithAnExpiryAndRefusesWhenNoneIsLeft() {
      StorageEngine bounded = openBounded(3, EngineSettings.UNBOUNDED, EvictionPolicy.VOLATILE_TTL);
      bounded.compute(key("forever1"), put("v"));
      bounded.compute(key("forever2"), put("v"));
      bounded.compute(key("mortal"), put("v", Duration.ofHours(1)));
      bounded.compute(key("new1"), put("v"));
      assertThat(removals.with(RemovalCause.EVICTED)).extracting(Removal::key).containsExactly(key("mortal"));
      Throwable refused = catchThrowable(() -> bounded.compute(key("new2"), put("v", Duration.ofHours(1))));
      assertThat(refused).isInstanceOf(CapacityExceededException.class).hasMessageContaining("maxEntries");
      assertThat(bounded.get(key("new2"))).isNull();
      assertThat(contents(bounded)).containsOnlyKeys(key("forever1"), key("forever2"), key("new1"));
    }

    @Test
    void aThrowingUpdateOnAFullEngineChangesNothing() {
      StorageEngine bounded = openBounded(2, EngineSettings.UNBOUNDED, EvictionPolicy.LRU);
      bounded.compute(key("a"), put("v"));
      bounded.compute(key("b"), put("v"));
      assertThatThrownBy(() -> bounded.compute(key("c"), (k, c) -> {
        throw new IllegalStateException("boom");
      })).hasMessage("boom");
      assertThat(contents(bounded)).containsOnlyKeys(key("a"), key("b"));
      assertThat(removals.all()).isEmpty();
    }

    @Test
    void expiredEntriesAreNotReturnedByABoundedEngine() {
      StorageEngine bounded = openBounded(10, EngineSettings.UNBOUNDED, EvictionPolicy.LRU);
      bounded.compute(key("k"), put("v", Duration.ofSeconds(1)));
      time.advance(Duration.ofSeconds(1));
      assertThat(bounded.get(key("k"))).isNull();
      assertThat(contents(bounded)).isEmpty();
      assertThat(removals.with(RemovalCause.EXPIRED)).hasSize(1);
    }
  }

  /** Clause 2 under threads: compute is atomic per key. */
  @Nested
  class Concurrency {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentComputesOnOneKeyLoseNoUpdate() throws Exception {
      int threads = 2;
      int perThread = 2_000;
      runConcurrently(threads, t -> {
        for (int i = 0; i < perThread; i++) {
          engine.compute(key("counter"), (k, current) -> write(current, Long.toString(count(current) + 1), StoredRecord.NEVER));
        }
      });
      assertThat(count(engine.get(key("counter")))).isEqualTo((long) threads * perThread);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBoundHoldsUnderConcurrentWrites() throws Exception {
      StorageEngine bounded = openBounded(50, EngineSettings.UNBOUNDED, EvictionPolicy.LRU);
      int perThread = 2_000;
      runConcurrently(2, t -> {
        for (int i = 0; i < perThread; i++) {
          bounded.compute(key(t + "-" + i), put("v"));
          bounded.get(key(t + "-" + (i / 2)));
          assertThat(bounded.stats().entries()).isLessThanOrEqualTo(50);
        }
      });
      EngineStats stats = bounded.stats();
      assertThat(stats.entries()).isEqualTo(50);
      assertThat(stats.evictions()).isEqualTo(2L * perThread - 50);
      assertThat(contents(bounded)).hasSize(50);
    }

    private long count(@Nullable StoredRecord record) {
      return record == null ? 0 : Long.parseLong(valueOf(record));
    }

    private void runConcurrently(int threads, ThrowingTask task) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int id = t;
          done.add(pool.submit(() -> {
            start.await();
            task.run(id);
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
    }
  }

  /** A task run on one of {@link Concurrency}'s threads. */
  @FunctionalInterface
  protected interface ThrowingTask {
    /** Runs as thread {@code thread}. */
    void run(int thread) throws Exception;
  }

  /**
   * Random operation sequences against a model (a {@link TreeMap} of what the engine should hold,
   * kept in step with the removals the engine reports), as Pebble's metamorphic tests do.
   */
  @Nested
  class Model {

    private static final int SEQUENCES = 12;
    private static final int OPERATIONS = 250;

    @Test
    void unboundedEngineBehavesAsTheModel() {
      runModel(settings(), "unbounded");
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void entryBoundedEngineBehavesAsTheModel(EvictionPolicy policy) {
      Assumptions.assumeTrue(supportedEvictionPolicies().contains(policy), () -> "engine does not support " + policy);
      runModel(settings().withMaxEntries(6, policy), "maxEntries = 6, " + policy);
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void byteBoundedEngineBehavesAsTheModel(EvictionPolicy policy) {
      Assumptions.assumeTrue(supportedEvictionPolicies().contains(policy), () -> "engine does not support " + policy);
      runModel(settings().withMaxBytes(900, policy), "maxBytes = 900, " + policy);
    }

    private void runModel(EngineSettings base, String label) {
      String property = System.getProperty("ringstore.seed");
      long seed = property != null ? Long.parseLong(property) : new SplittableRandom().nextLong();
      System.out.println("StorageEngineContract model (" + label + "): seed = " + seed
          + " (rerun with -Dringstore.seed=" + seed + ")");
      SplittableRandom seeds = new SplittableRandom(seed);
      for (int s = 0; s < SEQUENCES; s++) {
        long sequenceSeed = seeds.nextLong();
        try {
          new Run(base, sequenceSeed).run(OPERATIONS);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError("model run failed (" + label + "): seed = " + seed + ", sequence " + s
              + " (sequence seed " + sequenceSeed + "): " + e.getMessage(), e);
        }
      }
    }
  }

  /** One model run: a fresh engine on its own time, and the model it must agree with. */
  private final class Run {
    private final FakeTime clock = new FakeTime();
    private final Removals reported = new Removals();
    private final Map<Bytes, StoredRecord> model = new TreeMap<>();
    private final SplittableRandom random;
    private final EngineSettings settings;
    private final StorageEngine subject;
    private final Bytes[] keys = new Bytes[12];
    private long stamp;
    private int step;

    Run(EngineSettings base, long seed) {
      this.random = new SplittableRandom(seed);
      this.settings = base.withEnv(Env.of(clock)).withRemovalListener(reported);
      this.subject = openTracked(settings);
      for (int i = 0; i < keys.length; i++) {
        keys[i] = key("key-" + i);
      }
    }

    void run(int operations) {
      for (step = 0; step < operations; step++) {
        Bytes k = keys[random.nextInt(keys.length)];
        int dice = random.nextInt(100);
        if (dice < 35) {
          long expiry = random.nextInt(10) < 3 ? clock.millis() + 1 + random.nextInt(40) : StoredRecord.NEVER;
          String value = "v".repeat(random.nextInt(60));
          computeChecked(k, current -> record(current, value, expiry));
        } else if (dice < 43) {
          computeChecked(k, current -> null);
        } else if (dice < 47) {
          computeChecked(k, current -> record(current, null, StoredRecord.NEVER));
        } else if (dice < 51) {
          computeChecked(k, current -> current);
        } else if (dice < 54) {
          long expiry = clock.millis() + 1 + random.nextInt(40);
          computeChecked(k, current -> current == null ? null : current.withExpiry(expiry));
        } else if (dice < 58) {
          throwingUpdate(k);
        } else if (dice < 82) {
          checkGet(k);
        } else if (dice < 91) {
          clock.advance(Duration.ofMillis(random.nextInt(25)));
        } else if (dice < 98) {
          checkIteration();
        } else {
          subject.clear();
          assertThat(reported.drain()).as("clear reports nothing").isEmpty();
          model.clear();
        }
        checkBounds();
      }
      checkIteration();
    }

    private StoredRecord record(@Nullable StoredRecord current, @Nullable String value, long expiresAtMillis) {
      VectorClock context = current == null ? VectorClock.EMPTY : current.clock();
      return StoredRecord.write(current, context, ACTOR, ++stamp, value == null ? null : Bytes.utf8(value),
          expiresAtMillis, clock.millis());
    }

    private void computeChecked(Bytes k, UnaryOperator<@Nullable StoredRecord> change) {
      StoredRecord[] produced = new StoredRecord[1];
      StoredRecord result;
      try {
        result = subject.compute(k, (key, current) -> {
          checkCurrent(key, current);
          produced[0] = change.apply(current);
          return produced[0];
        });
      } catch (LimitExceededException refused) {
        checkRefusal(refused);
        absorbRemovals(k);
        checkGet(k);
        return;
      }
      assertThat(result).as("step %d: compute returns what the update returned", step).isEqualTo(produced[0]);
      absorbRemovals(k);
      if (result == null) {
        model.remove(k);
      } else {
        model.put(k, result);
      }
    }

    private void throwingUpdate(Bytes k) {
      RuntimeException boom = new IllegalStateException("model boom");
      Throwable thrown = catchThrowable(() -> subject.compute(k, (key, current) -> {
        throw boom;
      }));
      assertThat(thrown).as("step %d: the update's exception propagates", step).isSameAs(boom);
      absorbRemovals();
      checkGet(k);
    }

    private void checkCurrent(Bytes k, @Nullable StoredRecord current) {
      StoredRecord expected = model.get(k);
      if (current == null) {
        assertThat(expected == null || expected.isExpiredAt(clock.millis()))
            .as("step %d: update of %s handed null while the model holds %s", step, k, expected).isTrue();
      } else {
        assertThat(current).as("step %d: update of %s handed the stored record", step, k).isEqualTo(expected);
      }
    }

    private void checkRefusal(LimitExceededException refused) {
      assertThat(settings.isBounded()).as("step %d: an unbounded engine refused: %s", step, refused.getMessage()).isTrue();
      assertThat(refused.setting()).isIn("maxEntries", "maxBytes");
      long bound = refused.setting().equals("maxEntries") ? settings.maxEntries() : settings.maxBytes();
      assertThat(refused.limit()).isEqualTo(bound);
      assertThat(refused.value()).isGreaterThan(bound);
      assertThat(refused.getMessage()).contains(refused.setting()).contains(Long.toString(bound));
      if (refused instanceof CapacityExceededException full) {
        assertThat(full.cache()).isEqualTo(settings.cacheName());
        assertThat(full.getMessage()).contains(settings.cacheName());
        assertThat(settings.evictionPolicy())
            .as("step %d: only a policy that may not evict refuses a record that fits: %s", step, full.getMessage())
            .isIn(EvictionPolicy.NO_EVICTION, EvictionPolicy.VOLATILE_TTL);
      }
    }

    private void checkGet(Bytes k) {
      StoredRecord got = subject.get(k);
      absorbRemovals();
      if (got == null) {
        assertThat(model).as("step %d: %s read as absent; every removal must have been reported", step, k)
            .doesNotContainKey(k);
      } else {
        assertThat(got).as("step %d: read of %s", step, k).isEqualTo(model.get(k));
        assertThat(got.isExpiredAt(clock.millis())).as("step %d: an expired record was returned", step).isFalse();
      }
    }

    private void checkIteration() {
      Map<Bytes, StoredRecord> seen = new HashMap<>();
      for (Iterator<EngineEntry> it = subject.iterator(); it.hasNext(); ) {
        EngineEntry e = it.next();
        assertThat(seen.put(e.key(), e.record())).as("step %d: iterator yields %s twice", step, e.key()).isNull();
        assertThat(e.record().isExpiredAt(clock.millis())).as("step %d: iterator yields an expired record", step).isFalse();
      }
      absorbRemovals();
      assertThat(seen).as("step %d: iteration against the model", step).isEqualTo(model);
      EngineStats stats = subject.stats();
      assertThat(stats.entries()).as("step %d: entries", step).isEqualTo(model.size());
      long bytes = model.entrySet().stream().mapToLong(e -> e.getValue().weightBytes(e.getKey().length())).sum();
      assertThat(stats.weightBytes()).as("step %d: weightBytes", step).isEqualTo(bytes);
    }

    private void checkBounds() {
      EngineStats stats = subject.stats();
      assertThat(stats.entries()).as("step %d: maxEntries", step).isLessThanOrEqualTo(settings.maxEntries());
      assertThat(stats.weightBytes()).as("step %d: maxBytes", step).isLessThanOrEqualTo(settings.maxBytes());
    }

    private void absorbRemovals() {
      absorbRemovals(null);
    }

    /** Applies what the engine reported to the model, checking each report; {@code written} is never evicted. */
    private void absorbRemovals(@Nullable Bytes written) {
      for (Removal r : reported.drain()) {
        if (r.cause() == RemovalCause.EVICTED) {
          assertThat(r.key()).as("step %d: a compute evicted the key it wrote", step).isNotEqualTo(written);
        }
        assertThat(model.get(r.key())).as("step %d: reported removal of %s holds the stored record", step, r.key())
            .isEqualTo(r.record());
        if (r.cause() == RemovalCause.EXPIRED) {
          assertThat(r.record().isExpiredAt(clock.millis())).as("step %d: reported expired too early", step).isTrue();
        } else {
          assertThat(settings.isBounded()).as("step %d: an unbounded engine evicted %s", step, r.key()).isTrue();
          assertThat(settings.evictionPolicy()).as("step %d: eviction under", step).isNotEqualTo(EvictionPolicy.NO_EVICTION);
          if (settings.evictionPolicy() == EvictionPolicy.VOLATILE_TTL) {
            assertThat(r.record().hasExpiry()).as("step %d: volatile-TTL evicted a record without expiry", step).isTrue();
          }
        }
        model.remove(r.key());
      }
    }
  }
}
