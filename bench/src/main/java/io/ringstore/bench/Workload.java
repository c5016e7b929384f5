package io.ringstore.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The data every benchmark works on, generated from one seed so that all providers see exactly
 * the same keys, values and access order.
 *
 * <ul>
 *   <li>{@code keyCount} String keys {@code "key:0000000"} ... (11 characters), all put into the
 *       cache before measuring;
 *   <li>one value per key: a {@code valueChars}-character ASCII String (100 in the benchmarks, so
 *       100 bytes of payload), distinct per key, random letters from the seed. Strings rather
 *       than {@code byte[]} because that is what most JCache users store; note that Caffeine's
 *       store-by-value copier treats String as immutable and does not copy it, while Ehcache and
 *       the RI serialise it;
 *   <li>a precomputed Zipf sequence of key indices ({@link ZipfSequence}, exponent
 *       {@link ZipfSequence#YCSB_EXPONENT}) of length {@code sequenceLength} (a power of two),
 *       which each benchmark thread walks from its own offset, wrapping around. Unless
 *       {@code scrambled} is off, a Zipf rank names a key through a seeded permutation of the key
 *       indices, so the popular keys lie anywhere in the key space, as with YCSB's default
 *       request distribution ({@code ScrambledZipfianGenerator}); without it rank {@code r} is
 *       key number {@code r}, the most popular keys are {@code "key:0000000"},
 *       {@code "key:0000001"}, ..., neighbours in insertion order and in {@code String.hashCode},
 *       which favours a map keyed by {@code String.hashCode} with a locality real workloads
 *       rarely have;
 *   <li>{@code keySetCount} sets of {@code keySetSize} distinct keys for {@code getAll}, each
 *       filled from the same Zipf distribution until it holds that many distinct keys.
 * </ul>
 *
 * <p>Invariants: the arrays are never modified after construction. Thread-safety: immutable
 * after construction, safe to share between benchmark threads.
 */
public final class Workload {
  /** The benchmarks' default seed, printed by every trial. */
  public static final long DEFAULT_SEED = 20261124L;

  // constant after construction
  private final long seed;
  private final String[] keys;
  private final String[] values;
  private final int[] sequence;
  private final int sequenceMask;
  private final List<Set<String>> keySets;

  private Workload(long seed, String[] keys, String[] values, int[] sequence,
      List<Set<String>> keySets) {
    this.seed = seed;
    this.keys = keys;
    this.values = values;
    this.sequence = sequence;
    this.sequenceMask = sequence.length - 1;
    this.keySets = keySets;
  }

  /**
   * The workload the benchmarks use: 100k keys, 100-character values, 2^20 draws, 1024 sets of
   * 100, ranks scrambled or not.
   */
  public static Workload standard(long seed, boolean scrambled) {
    return generate(seed, 100_000, 100, 1 << 20, 100, 1024, scrambled);
  }

  /** A workload of the given shape, with scrambled ranks; see the class comment. */
  public static Workload generate(long seed, int keyCount, int valueChars, int sequenceLength,
      int keySetSize, int keySetCount) {
    return generate(seed, keyCount, valueChars, sequenceLength, keySetSize, keySetCount, true);
  }

  /** A workload of the given shape; see the class comment. */
  public static Workload generate(long seed, int keyCount, int valueChars, int sequenceLength,
      int keySetSize, int keySetCount, boolean scrambled) {
    if (Integer.bitCount(sequenceLength) != 1) {
      throw new IllegalArgumentException(
          "sequenceLength = " + sequenceLength + " must be a power of two");
    }
    if (keySetSize > keyCount / 2) {
      throw new IllegalArgumentException("keySetSize = " + keySetSize
          + " is too large for keyCount = " + keyCount + "; need keySetSize <= keyCount / 2");
    }
    SplittableRandom random = new SplittableRandom(seed);
    String[] keys = new String[keyCount];
    String[] values = new String[keyCount];
    char[] chars = new char[valueChars];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = String.format("key:%07d", i);
      for (int c = 0; c < valueChars; c++) {
        chars[c] = (char) ('a' + random.nextInt(26));
      }
      values[i] = new String(chars);
    }
    ZipfSequence zipf = new ZipfSequence(keyCount, ZipfSequence.YCSB_EXPONENT, random.nextLong());
    int[] keyOfRank = new int[keyCount];
    for (int i = 0; i < keyCount; i++) {
      keyOfRank[i] = i;
    }
    if (scrambled) {
      // Fisher-Yates from the seed: a permutation, so each key keeps exactly its rank's probability
      for (int i = keyCount - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = keyOfRank[i];
        keyOfRank[i] = keyOfRank[j];
        keyOfRank[j] = t;
      }
    }
    int[] sequence = zipf.next(sequenceLength);
    for (int i = 0; i < sequence.length; i++) {
      sequence[i] = keyOfRank[sequence[i]];
    }
    List<Set<String>> keySets = new ArrayList<>(keySetCount);
    for (int s = 0; s < keySetCount; s++) {
      Set<String> set = new LinkedHashSet<>();
      while (set.size() < keySetSize) {
        set.add(keys[keyOfRank[zipf.next()]]);
      }
      // not Set.copyOf: its contains(null) throws, and the RI's getAll asks contains(null)
      keySets.add(Collections.unmodifiableSet(set));
    }
    return new Workload(seed, keys, values, sequence, List.copyOf(keySets));
  }

  /** The seed this workload was generated from. */
  public long seed() {
    return seed;
  }

  /** How many keys there are (and values). */
  public int keyCount() {
    return keys.length;
  }

  /** Key number {@code index}. */
  public String key(int index) {
    return keys[index];
  }

  /** The value that belongs to key number {@code index}. */
  public String value(int index) {
    return values[index];
  }

  /** The key index at {@code position} of the Zipf sequence; positions wrap around. */
  public int keyIndexAt(int position) {
    return sequence[position & sequenceMask];
  }

  /** How many draws the Zipf sequence holds before wrapping. */
  public int sequenceLength() {
    return sequence.length;
  }

  /** The {@code getAll} key set at {@code position}; positions wrap around. */
  public Set<String> keySetAt(int position) {
    return keySets.get(Math.floorMod(position, keySets.size()));
  }

  /** How many {@code getAll} key sets there are. */
  public int keySetCount() {
    return keySets.size();
  }
}
