package io.ringstore.bench.cluster;

import java.time.Duration;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.Ticker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * A three-node cluster on loopback, all in the benchmark's JVM, through {@code javax.cache}:
 * Ringstore (N = 3 with W/R = 2/2 or 1/1) beside Hazelcast 5 (backup count 2), on a
 * {@code Cache<String, byte[]>} holding {@value ClusterWorkload#KEY_COUNT} entries of
 * {@value ClusterWorkload#VALUE_BYTES}-byte values (see {@link ClusterWorkload}).
 *
 * <ul>
 *   <li>{@code get}: a present key, drawn uniformly.
 *   <li>{@code put}: a present key with the value it already holds, so the contents stay put.
 *   <li>{@code getAll100}: one {@code getAll} of 100 distinct present keys; one op = one call.
 *   <li>{@code putAll100}: one {@code putAll} of 100 distinct keys, each with its own value.
 * </ul>
 *
 * <p>Every trial is a fresh JVM that starts the three members, creates the cache, puts every key
 * through member 0, checks a sample, measures, and closes all three members in
 * {@code @TearDown}. The benchmark threads ({@code -t 1}, {@code -t 2}) share member 0's cache and
 * each walks the key sequence from its own offset. The default mode is throughput (ops/s, summed
 * over threads); {@code -bm sample -tu us} gives latency percentiles (p0.50 of {@code put} is the
 * figure compared with {@link LoopbackProbe}'s fan-out round trip).
 *
 * <p>Hazelcast has no read quorum, so every {@code quorum} value runs the same Hazelcast cluster;
 * {@code -p quorum=w2r2} alone avoids measuring it three times.
 *
 * <p>Thread-safety: the outer state is shared by all benchmark threads and read-only after setup;
 * {@link Cursor} is per thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g",
    // what Hazelcast asks for to use its fastest paths (it warns and falls back without them);
    // given to every trial, Ringstore's too, so both run on the same JVM flags
    "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 4, time = 2)
public class ClusterBenchmark {
  /** How long the members may take to form one cluster. */
  static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

  /** How long a replica written in the background may take to show a key put through member 0. */
  static final Duration REPLICA_WAIT = Duration.ofSeconds(10);

  private static final int SPOT_CHECKS = 1_000;
  private static final int MEMBER_CHECKS = 100;

  @Param({"ringstore", "hazelcast"})
  public String provider;

  @Param({"w2r2", "w1r1", "w3r1"})
  public String quorum;

  /** Seed of the keys, values and key sequence; the same for both systems. */
  @Param({"" + ClusterWorkload.DEFAULT_SEED})
  public long seed;

  // set in setup, then read-only
  private ClusterWorkload workload;
  private ThreeNodeCluster cluster;
  private Cache<String, byte[]> cache;

  /**
   * Starts the cluster, creates the cache, puts every key through member 0, checks a sample
   * through member 0 and another through each other member.
   */
  @Setup(Level.Trial)
  public void setUp() {
    workload = new ClusterWorkload(seed);
    cluster = start(provider, Quorum.ofParam(quorum));
    try {
      cache = cluster.cache();
      load(cache, workload);
      checkEveryMemberServes(cluster, workload);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    System.out.printf("%n# %s%n# workload seed = %d (rerun with -p seed=%d); %d keys, %d-byte values, uniform keys%n",
        cluster.description(), seed, seed, ClusterWorkload.KEY_COUNT, ClusterWorkload.VALUE_BYTES);
  }

  /** The cluster a {@code provider} parameter names, started and with its cache created. */
  static ThreeNodeCluster start(String provider, Quorum quorum) {
    return switch (provider) {
      case "ringstore" -> RingstoreCluster.start(quorum, JOIN_TIMEOUT);
      case "hazelcast" -> HazelcastCluster.start(JOIN_TIMEOUT);
      default -> throw new IllegalArgumentException("provider = '" + provider + "' is not one of: ringstore, hazelcast");
    };
  }

  /**
   * Puts every key (in batches of 100) and reads back {@value #SPOT_CHECKS} random ones, so a
   * cluster that loses or garbles entries fails instead of scoring.
   */
  static void load(Cache<String, byte[]> cache, ClusterWorkload workload) {
    Map<String, byte[]> batch = new HashMap<>();
    for (int i = 0; i < ClusterWorkload.KEY_COUNT; i++) {
      batch.put(workload.key(i), workload.value(i));
      if (batch.size() == ClusterWorkload.BATCH_SIZE || i == ClusterWorkload.KEY_COUNT - 1) {
        cache.putAll(batch);
        batch.clear();
      }
    }
    SplittableRandom random = new SplittableRandom(workload.seed());
    for (int n = 0; n < SPOT_CHECKS; n++) {
      int i = random.nextInt(ClusterWorkload.KEY_COUNT);
      byte[] got = cache.get(workload.key(i));
      if (!workload.isValueOf(i, got)) {
        throw new IllegalStateException("get(" + workload.key(i) + ") returned " + (got == null ? "null" : got.length + " other bytes")
            + " after the load; expected the " + ClusterWorkload.VALUE_BYTES + "-byte value put for it");
      }
    }
  }

  /**
   * Reads {@value #MEMBER_CHECKS} random keys through each member other than member 0, until each
   * returns its value or {@link #REPLICA_WAIT} has passed (with W = 1 the other replicas are
   * written after the put returns). Fails if a member does not serve the data put through member
   * 0: the figures would then be those of one node, not of a cluster.
   */
  static void checkEveryMemberServes(ThreeNodeCluster cluster, ClusterWorkload workload) {
    List<Cache<String, byte[]>> caches = cluster.memberCaches();
    Ticker ticker = Env.system().ticker();
    long deadlineNanos = ticker.nanos() + REPLICA_WAIT.toNanos();
    for (int member = 1; member < caches.size(); member++) {
      Cache<String, byte[]> cache = caches.get(member);
      SplittableRandom random = new SplittableRandom(workload.seed() + member);
      for (int n = 0; n < MEMBER_CHECKS; n++) {
        int i = random.nextInt(ClusterWorkload.KEY_COUNT);
        byte[] got = cache.get(workload.key(i));
        while (!workload.isValueOf(i, got)) {
          if (ticker.nanos() - deadlineNanos > 0) {
            throw new IllegalStateException("member " + member + " of " + cluster.description() + " returns "
                + (got == null ? "null" : got.length + " other bytes") + " for " + workload.key(i) + ", put through member 0, "
                + REPLICA_WAIT.toSeconds() + " s after the load: its members do not share their data");
          }
          pause();
          got = cache.get(workload.key(i));
        }
      }
    }
  }

  /**
   * Waits a little before reading a replica again. A replica written in the background gives no
   * event to wait on through {@code javax.cache}; this is setup code, never measured.
   */
  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the replicas", e);
    }
  }

  /** Closes every member of the cluster. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A benchmark thread's position in the key sequence and the batches. */
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
  public byte[] get(Cursor cursor) {
    return cache.get(workload.key(workload.keyIndexAt(cursor.next())));
  }

  @Benchmark
  public void put(Cursor cursor) {
    int i = workload.keyIndexAt(cursor.next());
    cache.put(workload.key(i), workload.value(i));
  }

  @Benchmark
  public Map<String, byte[]> getAll100(Cursor cursor) {
    return cache.getAll(workload.keySetAt(cursor.next()));
  }

  @Benchmark
  public void putAll100(Cursor cursor) {
    cache.putAll(workload.entriesAt(cursor.next()));
  }
}
