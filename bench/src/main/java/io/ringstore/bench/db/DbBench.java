package io.ringstore.bench.db;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A db_bench-style benchmark of one key-value engine in this process: Ringstore's {@code lsm}
 * engine or RocksDB ({@code bench/db_bench.sh} runs each in its own JVM with the same flags and
 * compares them with {@link DbBenchReport}).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.ringstore.bench.db.DbBench --engine rocksdb --dir /empty/dir
 *   [--benchmarks fillrandom,readrandom,readmissing,seekrandom,overwrite,compact,fillsync]
 *   [--num 1000000] [--reads N] [--seeks N] [--seek_nexts 100] [--threads 1]
 *   [--sync_num N] [--sync_threads 1,8] [--value_size 100] [--compression_ratio 0.5]
 *   [--seed 20261124] [--cache_size 67108864] [--write_buffer_size 67108864] [--bloom_bits 10]
 *   [--json out.json]
 * </pre>
 *
 * <p>Benchmarks, run in the order given, as db_bench runs them:
 * <ul>
 *   <li>{@code fillrandom}: a fresh database ({@code <dir>/db}), write-ahead log without sync;
 *       puts each of the {@code num} keys once, in a seeded random order (db_bench draws keys
 *       with replacement, so about 37% of its keys are never written; here every key is, so that
 *       the reads below must all hit);
 *   <li>{@code readrandom}: {@code reads} gets of existing keys drawn uniformly with replacement;
 *       every one must be found with a value of {@code value_size} bytes, or the run fails;
 *   <li>{@code readmissing}: {@code reads} gets of keys that were never put but lie between
 *       existing ones ({@link KeySpace#missing}); none may be found;
 *   <li>{@code seekrandom}: {@code seeks} times, a new iterator seeks to a random existing key and
 *       reads {@code seek_nexts} entries (key and value) from there;
 *   <li>{@code overwrite}: {@code num} puts of random existing keys (with replacement), new values;
 *   <li>{@code compact}: flushes the memtables and compacts everything (db_bench's
 *       {@code compact}, RocksDB's {@code CompactRange} over all keys): one operation, after which
 *       the bytes on disk are those of the live data alone;
 *   <li>{@code fillsync}: closes the main database; then for each of {@code sync_threads}, a
 *       fresh database ({@code <dir>/fillsync-<t>t}) opened with synced writes (an fsync before
 *       each put returns; concurrent writers share one by group commit), and {@code sync_num}
 *       puts of distinct random keys split over {@code t} threads.
 * </ul>
 *
 * <p>Measured per benchmark: operations per second of wall time (all threads), latency of each
 * operation (p50, p99, p99.9, max, mean; a {@link LatencyHistogram} per thread, merged), bytes
 * of file pages the process dirtied for writing to storage ({@code /proc/self/io}
 * {@code write_bytes}, whatever thread wrote them; see {@link IoCounters}), and the database
 * directory's bytes on disk right after. Write amplification is written bytes per logical byte put ({@code ops x (key + value)});
 * space amplification is bytes on disk per logical byte held ({@code distinct keys x (key +
 * value)}). Because an engine's background compaction outlives the benchmark that caused it, the
 * run also reports the total written from the first benchmark to the last database closed, over
 * the total put. Writes while an engine opens are left out of that total (and reported apart):
 * they are not caused by the data, and the first open of RocksDB writes its 17 MB native library
 * to a temporary file.
 *
 * <p>Output: a header and db_bench's one line per benchmark on standard output, then the run as
 * one JSON object, to the file {@code --json} names or else to standard output. Exit status 1 if a check failed (a key lost
 * or invented), 2 on a bad command line.
 *
 * <p>This is benchmark code: it reads the wall clock and {@code System.nanoTime} directly, which
 * Ringstore's production code never does.
 *
 * <p>Thread-safety: a command-line entry point; one run per instance.
 */
public final class DbBench {
  // constant after construction
  private final DbBenchOptions options;
  private final ValueSource values;
  private final SplittableRandom seeds;
  private final PrintStream out;

  // changed by the run, on its main thread only
  private final List<PhaseResult> results = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final Set<String> engineDetails = new LinkedHashSet<>();
  private @Nullable Engine main;
  private @Nullable Path mainDirectory;
  private int freshDatabases;
  private IoCounters openingWrites = IoCounters.ZERO;

  private DbBench(DbBenchOptions options, PrintStream out) {
    this.options = options;
    this.values = new ValueSource(options.seed(), options.valueBytes(), options.compressionRatio());
    this.seeds = new SplittableRandom(options.seed());
    this.out = out;
  }

  /** Runs one engine; see the class comment for the options. */
  public static void main(String[] args) throws IOException, InterruptedException {
    DbBenchOptions options;
    try {
      options = DbBenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("DbBench: " + e.getMessage());
      System.exit(2);
      return;
    }
    int status;
    try {
      status = run(options, System.out);
    } catch (IllegalArgumentException e) { // a setting this run cannot use, e.g. a non-empty --dir
      System.err.println("DbBench: " + e.getMessage());
      status = 2;
    }
    System.exit(status);
  }

  /** Runs the benchmarks of {@code options}, printing to {@code out}; returns the exit status. */
  static int run(DbBenchOptions options, PrintStream out) throws IOException, InterruptedException {
    return new DbBench(options, out).run();
  }

  private int run() throws IOException, InterruptedException {
    Path dir = options.directory();
    Files.createDirectories(dir);
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalArgumentException("--dir = " + dir + " is not empty; give an empty or missing directory");
      }
    }
    Instant started = Clock.systemUTC().instant();
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    printHeader();
    IoCounters atStart = IoCounters.read();
    for (String benchmark : options.benchmarks()) {
      int before = results.size();
      switch (benchmark) {
        case "fillrandom" -> fillRandom();
        case "readrandom" -> readRandom();
        case "readmissing" -> readMissing();
        case "seekrandom" -> seekRandom();
        case "overwrite" -> overwrite();
        case "compact" -> compact();
        case "fillsync" -> fillSync();
        default -> throw new IllegalStateException("benchmark '" + benchmark + "' has no implementation");
      }
      for (PhaseResult r : results.subList(before, results.size())) {
        out.println(r.humanLine(options.entryBytes()));
      }
    }
    closeMain();
    IoCounters total = IoCounters.read().since(atStart).since(openingWrites);
    long logicalTotal = results.stream().mapToLong(PhaseResult::logicalBytesWritten).sum();
    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    if (total.available()) {
      out.printf(Locale.ROOT, "total        : written %.1f MB for %.1f MB put (WA %.2f); of it cancelled before"
              + " writeback %.1f MB; wchar %.1f MB; not counted: %.1f MB written while opening databases%n",
          total.writeBytes() / 1e6, logicalTotal / 1e6, (double) total.writeBytes() / Math.max(1, logicalTotal),
          total.cancelledWriteBytes() / 1e6, total.wchar() / 1e6, openingWrites.writeBytes() / 1e6);
    }
    for (String e : errors) {
      out.println("ERROR: " + e);
    }
    String json = json(started, loadBefore, loadAfter, total, logicalTotal);
    Path jsonFile = options.json();
    if (jsonFile == null) {
      out.println(json);
    } else {
      Path parent = jsonFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(jsonFile, json + "\n", StandardCharsets.UTF_8);
      out.println("JSON:         " + jsonFile);
    }
    return errors.isEmpty() ? 0 : 1;
  }

  private void printHeader() {
    out.printf(Locale.ROOT, "DbBench:    engine %s, in %s%n", options.engine().param(), options.directory());
    out.printf(Locale.ROOT, "Keys:       %d bytes each (8-byte big-endian number + padding)%n", KeySpace.KEY_BYTES);
    out.printf(Locale.ROOT, "Values:     %d bytes each (%d bytes after compression, ratio %.2f)%n",
        options.valueBytes(), (int) (options.valueBytes() * options.compressionRatio() + 0.5),
        options.compressionRatio());
    out.printf(Locale.ROOT, "Entries:    %d (%.1f MB logical); reads %d, seeks %d x %d nexts, threads %d%n",
        options.num(), (double) options.num() * options.entryBytes() / 1e6, options.reads(), options.seeks(),
        options.seekNexts(), options.threads());
    out.printf(Locale.ROOT, "Sync fill:  %d puts per run, threads %s%n", options.syncNum(), options.syncThreads());
    out.printf(Locale.ROOT, "Seed:       %d%n", options.seed());
    out.printf(Locale.ROOT, "Java:       %s (%s), %d cores seen, args %s%n", System.getProperty("java.version"),
        System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getRuntimeMXBean().getInputArguments());
    out.println("------------------------------------------------");
  }

  private EngineConfig config(Path directory, boolean sync) {
    return new EngineConfig(directory, sync, options.memtableBytes(), options.blockCacheBytes(),
        options.bloomBitsPerKey());
  }

  private Engine open(Path directory, boolean sync) throws IOException {
    Files.createDirectories(directory);
    IoCounters before = IoCounters.read();
    Engine engine = options.engine().open(config(directory, sync));
    openingWrites = openingWrites.plus(IoCounters.read().since(before));
    if (engineDetails.add(engine.describe())) {
      out.println("Engine:     " + engine.describe());
    }
    return engine;
  }

  private Engine requireMain(String benchmark) {
    Engine engine = main;
    if (engine == null) {
      throw new IllegalArgumentException("--benchmarks: " + benchmark
          + " needs the database that fillrandom makes; put fillrandom before it (and no fillsync between)");
    }
    return engine;
  }

  private void closeMain() throws IOException {
    Engine engine = main;
    if (engine != null) {
      main = null;
      engine.close();
    }
  }

  private long mainLiveBytes() {
    return (long) options.num() * options.entryBytes();
  }

  // ---- the benchmarks

  private void fillRandom() throws IOException, InterruptedException {
    closeMain();
    Path directory = options.directory().resolve(freshDatabases == 0 ? "db" : "db-" + freshDatabases);
    freshDatabases++;
    main = open(directory, false);
    mainDirectory = directory;
    Engine engine = main;
    int[] order = shuffled(options.num(), options.num(), seeds.split());
    run("fillrandom", options.threads(), order.length, directory, mainLiveBytes(), true, (t, from, to, h) -> {
      ValueSource.Cursor cursor = values.cursor();
      for (long i = from; i < to; i++) {
        byte[] key = KeySpace.existing(order[(int) i]);
        byte[] value = cursor.next();
        long t0 = System.nanoTime();
        engine.put(key, value);
        h.record(System.nanoTime() - t0);
      }
      return -1;
    });
  }

  private void overwrite() throws IOException, InterruptedException {
    Engine engine = requireMain("overwrite");
    SplittableRandom[] random = perThread(options.threads());
    run("overwrite", options.threads(), options.num(), mainDirectory(), mainLiveBytes(), true, (t, from, to, h) -> {
      ValueSource.Cursor cursor = values.cursor();
      SplittableRandom r = random[t];
      for (long i = from; i < to; i++) {
        byte[] key = KeySpace.existing(r.nextInt(options.num()));
        byte[] value = cursor.next();
        long t0 = System.nanoTime();
        engine.put(key, value);
        h.record(System.nanoTime() - t0);
      }
      return -1;
    });
  }

  private void readRandom() throws IOException, InterruptedException {
    Engine engine = requireMain("readrandom");
    SplittableRandom[] random = perThread(options.threads());
    AtomicLong wrongLength = new AtomicLong();
    PhaseResult r = run("readrandom", options.threads(), options.reads(), mainDirectory(), mainLiveBytes(), false, (t, from, to, h) -> {
      SplittableRandom rnd = random[t];
      byte[] buffer = new byte[options.valueBytes()];
      long found = 0;
      for (long i = from; i < to; i++) {
        byte[] key = KeySpace.existing(rnd.nextInt(options.num()));
        long t0 = System.nanoTime();
        int n = engine.get(key, buffer);
        h.record(System.nanoTime() - t0);
        if (n >= 0) {
          found++;
          if (n != options.valueBytes()) {
            wrongLength.incrementAndGet();
          }
        }
      }
      return found;
    });
    if (r.found() != r.ops()) {
      errors.add("readrandom found " + r.found() + " of " + r.ops() + " keys, but every key was put by fillrandom");
    }
    if (wrongLength.get() > 0) {
      errors.add("readrandom: " + wrongLength.get() + " values were not " + options.valueBytes() + " bytes long");
    }
  }

  private void readMissing() throws IOException, InterruptedException {
    Engine engine = requireMain("readmissing");
    SplittableRandom[] random = perThread(options.threads());
    PhaseResult r = run("readmissing", options.threads(), options.reads(), mainDirectory(), mainLiveBytes(), false, (t, from, to, h) -> {
      SplittableRandom rnd = random[t];
      byte[] buffer = new byte[options.valueBytes()];
      long found = 0;
      for (long i = from; i < to; i++) {
        byte[] key = KeySpace.missing(rnd.nextInt(options.num()));
        long t0 = System.nanoTime();
        int n = engine.get(key, buffer);
        h.record(System.nanoTime() - t0);
        if (n >= 0) {
          found++;
        }
      }
      return found;
    });
    if (r.found() != 0) {
      errors.add("readmissing found " + r.found() + " of " + r.ops() + " keys that were never put");
    }
  }

  private void seekRandom() throws IOException, InterruptedException {
    Engine engine = requireMain("seekrandom");
    SplittableRandom[] random = perThread(options.threads());
    run("seekrandom", options.threads(), options.seeks(), mainDirectory(), mainLiveBytes(), false, (t, from, to, h) -> {
      SplittableRandom rnd = random[t];
      byte[] keyBuffer = new byte[KeySpace.KEY_BYTES];
      byte[] valueBuffer = new byte[options.valueBytes()];
      long entries = 0;
      for (long i = from; i < to; i++) {
        byte[] key = KeySpace.existing(rnd.nextInt(options.num()));
        long t0 = System.nanoTime();
        entries += engine.seek(key, options.seekNexts(), keyBuffer, valueBuffer);
        h.record(System.nanoTime() - t0);
      }
      return entries;
    });
  }

  private void compact() throws IOException, InterruptedException {
    Engine engine = requireMain("compact");
    run("compact", 1, 1, mainDirectory(), mainLiveBytes(), false, (t, from, to, h) -> {
      long t0 = System.nanoTime();
      engine.compactAll();
      h.record(System.nanoTime() - t0);
      return -1;
    });
  }

  private void fillSync() throws IOException, InterruptedException {
    closeMain();
    for (int threads : options.syncThreads()) {
      Path directory = options.directory().resolve("fillsync-" + threads + "t");
      int[] keys = shuffled(options.num(), options.syncNum(), seeds.split());
      try (Engine engine = open(directory, true)) {
        run("fillsync", threads, keys.length, directory, (long) keys.length * options.entryBytes(), true,
            (t, from, to, h) -> {
              ValueSource.Cursor cursor = values.cursor();
              for (long i = from; i < to; i++) {
                byte[] key = KeySpace.existing(keys[(int) i]);
                byte[] value = cursor.next();
                long t0 = System.nanoTime();
                engine.put(key, value);
                h.record(System.nanoTime() - t0);
              }
              return -1;
            });
      }
    }
  }

  private Path mainDirectory() {
    Path d = mainDirectory;
    if (d == null) {
      throw new IllegalStateException("no main database has been opened");
    }
    return d;
  }

  // ---- running threads and measuring

  /**
   * The work of one thread: operations {@code [from, to)}; returns how many keys or entries it
   * found, or -1 for work that does not look anything up.
   */
  @FunctionalInterface
  private interface ThreadWork {
    long run(int thread, long from, long to, LatencyHistogram histogram) throws IOException;
  }

  /**
   * Runs {@code work} on {@code threads} new threads that start together, measures the wall time
   * and the I/O counters around them, then the bytes on disk of {@code directory}, the database
   * worked on, and records the result.
   */
  private PhaseResult run(String name, int threads, long ops, Path directory, long liveLogicalBytes,
      boolean writes, ThreadWork work) throws IOException, InterruptedException {
    LatencyHistogram[] histograms = new LatencyHistogram[threads];
    long[] found = new long[threads];
    Throwable[] failures = new Throwable[threads];
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int thread = t;
      long from = ops * t / threads;
      long to = ops * (t + 1) / threads;
      histograms[t] = new LatencyHistogram();
      workers[t] = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          found[thread] = work.run(thread, from, to, histograms[thread]);
        } catch (Throwable e) {
          failures[thread] = e;
        }
      }, "dbbench-" + name + "-" + t);
      workers[t].start();
    }
    ready.await();
    IoCounters before = IoCounters.read();
    long startNanos = System.nanoTime();
    go.countDown();
    for (Thread w : workers) {
      w.join();
    }
    long elapsedNanos = System.nanoTime() - startNanos;
    IoCounters written = IoCounters.read().since(before);
    for (int t = 0; t < threads; t++) {
      if (failures[t] != null) {
        throw new IOException("benchmark " + name + ", thread " + t + " of " + threads + " failed: "
            + failures[t].getMessage(), failures[t]);
      }
    }
    LatencyHistogram merged = new LatencyHistogram();
    long foundTotal = 0;
    for (int t = 0; t < threads; t++) {
      merged.add(histograms[t]);
      foundTotal = found[t] < 0 || foundTotal < 0 ? -1 : foundTotal + found[t];
    }
    long dbBytes = DirectorySize.bytesUnder(directory);
    PhaseResult result = new PhaseResult(name, threads, ops, elapsedNanos, PhaseResult.Latency.of(merged),
        foundTotal, writes ? ops * options.entryBytes() : 0, written, dbBytes, liveLogicalBytes,
        String.valueOf(directory.getFileName()));
    results.add(result);
    return result;
  }

  private SplittableRandom[] perThread(int threads) {
    SplittableRandom[] r = new SplittableRandom[threads];
    for (int t = 0; t < threads; t++) {
      r[t] = seeds.split();
    }
    return r;
  }

  /** The first {@code count} of a seeded random permutation of {@code [0, n)} (Fisher-Yates). */
  static int[] shuffled(int n, int count, SplittableRandom random) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int x = a[i];
      a[i] = a[j];
      a[j] = x;
    }
    return count == n ? a : java.util.Arrays.copyOf(a, count);
  }

  // ---- JSON

  private String json(Instant started, double loadBefore, double loadAfter, IoCounters total, long logicalTotal) {
    JsonWriter json = new JsonWriter().beginObject()
        .name("tool").value(DbBench.class.getName())
        .name("engine").value(options.engine().param())
        .name("engineDetails").beginArray();
    engineDetails.forEach(json::value);
    json.endArray()
        .name("startedUtc").value(started.toString())
        .name("seed").value(options.seed())
        .name("num").value(options.num())
        .name("keyBytes").value(KeySpace.KEY_BYTES)
        .name("valueBytes").value(options.valueBytes())
        .name("compressionRatio").value(options.compressionRatio())
        .name("reads").value(options.reads())
        .name("seeks").value(options.seeks())
        .name("seekNexts").value(options.seekNexts())
        .name("threads").value(options.threads())
        .name("syncNum").value(options.syncNum())
        .name("syncThreads").beginArray();
    options.syncThreads().forEach(t -> json.value(t));
    json.endArray()
        .name("blockCacheBytes").value(options.blockCacheBytes())
        .name("memtableBytes").value(options.memtableBytes())
        .name("bloomBitsPerKey").value(options.bloomBitsPerKey())
        .name("java").value(System.getProperty("java.version"))
        .name("vm").value(System.getProperty("java.vm.name"))
        .name("jvmArgs").beginArray();
    ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(json::value);
    json.endArray()
        .name("os").value(System.getProperty("os.name") + " " + System.getProperty("os.arch"))
        .name("cores").value(Runtime.getRuntime().availableProcessors())
        .name("loadAverageBefore").value(loadBefore)
        .name("loadAverageAfter").value(loadAfter)
        .name("benchmarks").beginArray();
    results.forEach(r -> r.writeJson(json));
    json.endArray()
        .name("totals").beginObject()
        .name("logicalBytesWritten").value(logicalTotal);
    if (total.available()) {
      json.name("writeBytes").value(total.writeBytes())
          .name("cancelledWriteBytes").value(total.cancelledWriteBytes())
          .name("wchar").value(total.wchar())
          .name("writeAmplification").value(logicalTotal == 0 ? Double.NaN : (double) total.writeBytes() / logicalTotal)
          .name("openingWriteBytes").value(openingWrites.writeBytes());
    }
    json.endObject()
        .name("ok").value(errors.isEmpty())
        .name("errors").beginArray();
    errors.forEach(json::value);
    return json.endArray().endObject().toString();
  }
}
