package io.ringstore.bench.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The cluster benchmark's data: {@value #KEY_COUNT} {@code String} keys ({@code "key:00000"}),
 * each with its own {@value #VALUE_BYTES}-byte random value; a sequence of uniformly drawn key
 * indexes that every benchmark thread walks from its own offset; and {@value #BATCH_COUNT}
 * batches of {@value #BATCH_SIZE} distinct keys for {@code getAll} (as key sets) and
 * {@code putAll} (as maps of each key to its own value, so the cache's contents never change).
 * Everything is drawn from one seed, so Ringstore and Hazelcast see the same operations.
 *
 * <p>Thread-safety: immutable after construction; the arrays, sets and maps it hands out must not
 * be changed (the sets and maps are unmodifiable; the value arrays are shared, which is why the
 * benchmark puts them as they are and never writes into them).
 */
public final class ClusterWorkload {
  /** Keys in the cache, all put before measuring. */
  public static final int KEY_COUNT = 10_000;
  /** Bytes of each value. */
  public static final int VALUE_BYTES = 100;
  /** Keys in one {@code getAll} or {@code putAll} call. */
  public static final int BATCH_SIZE = 100;
  /** Distinct batches (a power of two). */
  public static final int BATCH_COUNT = 1 << 10;
  /** Length of the key-index sequence (a power of two). */
  public static final int SEQUENCE_LENGTH = 1 << 16;
  /** The default seed (a JMH parameter of the benchmark). */
  public static final long DEFAULT_SEED = 20261124L;

  // constant after construction
  private final long seed;
  private final String[] keys;
  private final byte[][] values;
  private final int[] sequence;
  private final List<Set<String>> keySets;
  private final List<Map<String, byte[]>> entryMaps;

  /** The workload drawn from {@code seed}. */
  public ClusterWorkload(long seed) {
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    keys = new String[KEY_COUNT];
    values = new byte[KEY_COUNT][];
    for (int i = 0; i < KEY_COUNT; i++) {
      keys[i] = String.format("key:%05d", i);
      byte[] value = new byte[VALUE_BYTES];
      for (int b = 0; b < VALUE_BYTES; b++) {
        value[b] = (byte) random.nextInt(256);
      }
      values[i] = value;
    }
    sequence = new int[SEQUENCE_LENGTH];
    for (int n = 0; n < SEQUENCE_LENGTH; n++) {
      sequence[n] = random.nextInt(KEY_COUNT);
    }
    List<Set<String>> sets = new ArrayList<>(BATCH_COUNT);
    List<Map<String, byte[]>> maps = new ArrayList<>(BATCH_COUNT);
    for (int n = 0; n < BATCH_COUNT; n++) {
      Set<String> set = new LinkedHashSet<>();
      Map<String, byte[]> map = new LinkedHashMap<>();
      while (set.size() < BATCH_SIZE) {
        int i = random.nextInt(KEY_COUNT);
        if (set.add(keys[i])) {
          map.put(keys[i], values[i]);
        }
      }
      sets.add(Collections.unmodifiableSet(set));
      maps.add(Collections.unmodifiableMap(map));
    }
    keySets = List.copyOf(sets);
    entryMaps = List.copyOf(maps);
  }

  /** The seed everything was drawn from. */
  public long seed() {
    return seed;
  }

  /** The key with index {@code i}, 0 to {@value #KEY_COUNT} - 1. */
  public String key(int i) {
    return keys[i];
  }

  /** The value of key {@code i}: shared, never to be written into. */
  public byte[] value(int i) {
    return values[i];
  }

  /** Whether {@code got} is key {@code i}'s value. */
  public boolean isValueOf(int i, byte[] got) {
    return Arrays.equals(values[i], got);
  }

  /** The key index at {@code position} of the sequence (any int; it wraps). */
  public int keyIndexAt(int position) {
    return sequence[position & (SEQUENCE_LENGTH - 1)];
  }

  /** The {@code getAll} key set at {@code position} (any int; it wraps). */
  public Set<String> keySetAt(int position) {
    return keySets.get(position & (BATCH_COUNT - 1));
  }

  /** The {@code putAll} map at {@code position} (any int; it wraps): each key to its own value. */
  public Map<String, byte[]> entriesAt(int position) {
    return entryMaps.get(position & (BATCH_COUNT - 1));
  }
}
