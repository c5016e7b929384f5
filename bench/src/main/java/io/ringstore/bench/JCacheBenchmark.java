package io.ringstore.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Throughput of {@code get}, {@code put}, {@code putIfAbsent} and {@code getAll} (100 keys) on a
 * {@code javax.cache.Cache<String, String>} holding 100,000 entries, with Zipf-distributed keys
 * (YCSB's exponent 0.99), for each {@link Provider} and {@link StoreMode}.
 *
 * <ul>
 *   <li>{@code get}: a key that is present (all keys are put in setup): a hit.
 *   <li>{@code put}: overwrites a present key with its own (equal, same-length) value, so the
 *       cache's size and memory stay put across iterations.
 *   <li>{@code putIfAbsent}: on a present key, so it returns false and writes nothing: the
 *       check-then-act path of a cache-aside loader losing a race.
 *   <li>{@code getAll}: one call for a set of 100 distinct keys, all present; one op = one call.
 * </ul>
 *
 * <p>Each trial runs in a fresh JVM (fork) and creates its provider's {@code CacheManager} and
 * cache in {@code @Setup(Level.Trial)}; both are closed in {@code @TearDown}. The thread count
 * is set from the command line ({@code -t 1}, {@code -t 2}); all threads share one cache and each
 * walks the shared Zipf sequence from its own offset. Scores are ops/us summed over threads.
 *
 * <p>Thread-safety: the outer state is shared by all benchmark threads and read-only after
 * setup; {@link Cursor} is per thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 4, time = 1)
public class JCacheBenchmark {

  @Param({"ringstore", "caffeine", "ehcache", "ri"})
  public String provider;

  @Param({"byValue", "byReference"})
  public String config;

  /** Seed of the keys, values and Zipf sequence; the same for every provider. */
  @Param({"" + Workload.DEFAULT_SEED})
  public long seed;

  /**
   * {@code scrambled} (the default): the popular keys lie anywhere in the key space, as in YCSB's
   * default; {@code ranked}: the most popular keys are the first keys, in order (see
   * {@link Workload}).
   */
  @Param({"scrambled"})
  public String keyOrder;

  // set in setup, then read-only
  private Workload workload;
  private CacheFixture fixture;
  private Cache<String, String> cache;

  /** Builds the workload and the provider's cache, filled with every key. */
  @Setup(Level.Trial)
  public void setUp() {
    workload = Workload.standard(seed, scrambledParam(keyOrder));
    fixture = CacheFixture.open(Provider.ofParam(provider), StoreMode.ofParam(config), workload);
    cache = fixture.cache();
    System.out.printf("%n# workload seed = %d (rerun with -p seed=%d); %d keys, Zipf exponent %s, key order %s%n",
        seed, seed, workload.keyCount(), ZipfSequence.YCSB_EXPONENT, keyOrder);
  }

  static boolean scrambledParam(String keyOrder) {
    switch (keyOrder) {
      case "scrambled":
        return true;
      case "ranked":
        return false;
      default:
        throw new IllegalArgumentException("keyOrder = '" + keyOrder + "' is not one of: scrambled, ranked");
    }
  }

  /** Closes the provider's cache and its {@code CacheManager}. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** A benchmark thread's position in the shared Zipf sequence and in the getAll key sets. */
  @State(Scope.Thread)
  public static class Cursor {
    int position;

    /** Spreads the threads' starting points over the sequence. */
    @Setup(Level.Trial)
    public void setUp(ThreadParams threads) {
      position = threads.getThreadIndex() * 0x9E3779B1;
    }

    int next() {
      return position++;
    }
  }

  @Benchmark
  public String get(Cursor cursor) {
    return cache.get(workload.key(workload.keyIndexAt(cursor.next())));
  }

  @Benchmark
  public void put(Cursor cursor) {
    int i = workload.keyIndexAt(cursor.next());
    cache.put(workload.key(i), workload.value(i));
  }

  @Benchmark
  public boolean putIfAbsent(Cursor cursor) {
    int i = workload.keyIndexAt(cursor.next());
    return cache.putIfAbsent(workload.key(i), workload.value(i));
  }

  @Benchmark
  public Map<String, String> getAll(Cursor cursor) {
    return cache.getAll(workload.keySetAt(cursor.next()));
  }
}
