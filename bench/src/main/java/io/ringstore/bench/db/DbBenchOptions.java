package io.ringstore.bench.db;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The command line of {@link DbBench}, db_bench's names where db_bench has one. Each option is
 * {@code --name value} or {@code --name=value}; a dash in a name may be written as an underscore
 * or the other way round.
 *
 * @param engine {@code --engine}: ringstore, rocksdb or skiplist (the harness check)
 * @param directory {@code --dir} (db_bench's {@code --db}): an empty or missing directory; the
 *     main database goes to {@code <dir>/db}, each fillsync run to {@code <dir>/fillsync-<t>t}
 * @param benchmarks {@code --benchmarks}, run in this order
 * @param num {@code --num}: keys in the main database; fillrandom and overwrite put this many
 * @param reads {@code --reads}: operations of readrandom and readmissing (db_bench: -1 for num)
 * @param seeks {@code --seeks}: seeks of seekrandom (-1 for num / 10; db_bench uses --reads)
 * @param seekNexts {@code --seek_nexts}: entries read after each seek
 * @param threads {@code --threads}: threads of every benchmark but fillsync
 * @param syncNum {@code --sync_num}: puts of each fillsync run (-1 for num / 100)
 * @param syncThreads {@code --sync_threads}: one fillsync run per thread count, each on a fresh
 *     database
 * @param valueBytes {@code --value_size}
 * @param compressionRatio {@code --compression_ratio}
 * @param seed {@code --seed}
 * @param blockCacheBytes {@code --cache_size}
 * @param memtableBytes {@code --write_buffer_size}
 * @param bloomBitsPerKey {@code --bloom_bits}
 * @param json {@code --json}: write the run's JSON object to this file instead of standard output
 */
public record DbBenchOptions(EngineKind engine, Path directory, List<String> benchmarks, int num, long reads,
    long seeks, int seekNexts, int threads, int syncNum, List<Integer> syncThreads, int valueBytes,
    double compressionRatio, long seed, long blockCacheBytes, long memtableBytes, int bloomBitsPerKey,
    @Nullable Path json) {

  /** The benchmarks db_bench.sh runs, in order. */
  public static final String DEFAULT_BENCHMARKS =
      "fillrandom,readrandom,readmissing,seekrandom,overwrite,compact,fillsync";

  /** The benchmarks this harness knows. */
  public static final List<String> KNOWN_BENCHMARKS =
      List.of("fillrandom", "readrandom", "readmissing", "seekrandom", "overwrite", "compact", "fillsync");

  /** The default seed, printed by every run. */
  public static final long DEFAULT_SEED = 20261124L;

  /** Parses {@code args}, naming any unknown or bad option, its value and its bound. */
  public static DbBenchOptions parse(String[] args) {
    Map<String, @Nullable String> o = new LinkedHashMap<>();
    o.put("engine", null);
    o.put("dir", null);
    o.put("benchmarks", DEFAULT_BENCHMARKS);
    o.put("num", "1000000");
    o.put("reads", "-1");
    o.put("seeks", "-1");
    o.put("seek_nexts", "100");
    o.put("threads", "1");
    o.put("sync_num", "-1");
    o.put("sync_threads", "1,8");
    o.put("value_size", "100");
    o.put("compression_ratio", "0.5");
    o.put("seed", Long.toString(DEFAULT_SEED));
    o.put("cache_size", Long.toString(64L << 20));
    o.put("write_buffer_size", Long.toString(64L << 20));
    o.put("bloom_bits", "10");
    o.put("json", null);
    for (int a = 0; a < args.length; a++) {
      String arg = args[a];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("argument '" + arg + "' is not '--name value'; known names: " + o.keySet());
      }
      int eq = arg.indexOf('=');
      String name = (eq < 0 ? arg.substring(2) : arg.substring(2, eq)).replace('-', '_');
      if (!o.containsKey(name)) {
        throw new IllegalArgumentException("option --" + name + " is unknown; known: " + o.keySet());
      }
      if (eq < 0 && a + 1 >= args.length) {
        throw new IllegalArgumentException("option --" + name + " lacks its value");
      }
      o.put(name, eq < 0 ? args[++a] : arg.substring(eq + 1));
    }
    String engine = required(o, "engine");
    String dir = required(o, "dir");
    List<String> benchmarks = list(o, "benchmarks");
    for (String b : benchmarks) {
      if (!KNOWN_BENCHMARKS.contains(b)) {
        throw new IllegalArgumentException("--benchmarks names '" + b + "', which is unknown; known: " + KNOWN_BENCHMARKS);
      }
    }
    int num = (int) whole(o, "num", 1, Integer.MAX_VALUE - 8);
    long reads = whole(o, "reads", -1, Long.MAX_VALUE);
    long seeks = whole(o, "seeks", -1, Long.MAX_VALUE);
    int syncNum = (int) whole(o, "sync_num", -1, num);
    List<Integer> syncThreads = list(o, "sync_threads").stream()
        .map(t -> (int) parseWhole("sync_threads", t, 1, 1024)).toList();
    double ratio;
    try {
      ratio = Double.parseDouble(required(o, "compression_ratio"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--compression_ratio = '" + o.get("compression_ratio") + "' is not a number", e);
    }
    String json = o.get("json");
    return new DbBenchOptions(EngineKind.ofParam(engine), Path.of(dir), benchmarks, num,
        reads < 0 ? num : reads,
        seeks < 0 ? Math.max(1, num / 10) : seeks,
        (int) whole(o, "seek_nexts", 0, 1 << 20),
        (int) whole(o, "threads", 1, 1024),
        syncNum < 0 ? Math.max(1, num / 100) : syncNum,
        syncThreads,
        (int) whole(o, "value_size", 1, 1 << 19),
        ratio,
        whole(o, "seed", Long.MIN_VALUE, Long.MAX_VALUE),
        whole(o, "cache_size", 1 << 20, 1L << 40),
        whole(o, "write_buffer_size", 1 << 20, 1L << 34),
        (int) whole(o, "bloom_bits", 1, 64),
        json == null ? null : Path.of(json));
  }

  /** Bytes of one entry: key and value. */
  public int entryBytes() {
    return KeySpace.KEY_BYTES + valueBytes;
  }

  private static String required(Map<String, @Nullable String> o, String name) {
    String v = o.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("option --" + name + " is required");
    }
    return v;
  }

  private static List<String> list(Map<String, @Nullable String> o, String name) {
    return Arrays.stream(required(o, name).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static long whole(Map<String, @Nullable String> o, String name, long min, long max) {
    return parseWhole(name, required(o, name), min, max);
  }

  private static long parseWhole(String name, String text, long min, long max) {
    long v;
    try {
      v = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " = '" + text + "' is not a whole number", e);
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("--" + name + " = " + v + " is out of range; need " + min + " <= "
          + name + " <= " + max);
    }
    return v;
  }
}
