package io.ringstore.storage.lsm.sstable;

import io.ringstore.spi.Bytes;
import java.util.Arrays;

/**
 * Builds a table's bloom filter from its keys, in the format {@link BloomFilter} reads: a bit
 * array of {@code m = max(64, keys * bitsPerKey)} bits rounded up to whole bytes, then one byte
 * holding the number of probes {@code k}. See {@link BloomFilter} for the hash and the probes.
 *
 * <p>Keys are hashed as they are added (8 bytes per key are kept, not the keys); duplicates are
 * harmless but count towards the size.
 *
 * <p>Thread-safety: not thread-safe; one writer fills one builder.
 */
public final class BloomFilterBuilder {
  /** Bits per key unless configured: about 1% false positives. */
  public static final int DEFAULT_BITS_PER_KEY = 10;
  /** The most bits per key accepted (past about 40 the false-positive rate is below 1e-8). */
  public static final int MAX_BITS_PER_KEY = 64;

  // constant after construction
  private final int bitsPerKey;
  private final int hashCount;

  // mutable, single writer
  private long[] hashes = new long[64];
  private int keyCount;

  /** A builder with {@value #DEFAULT_BITS_PER_KEY} bits per key. */
  public BloomFilterBuilder() {
    this(DEFAULT_BITS_PER_KEY);
  }

  /**
   * A builder with {@code bitsPerKey} bits per key and {@code k = round(bitsPerKey * ln 2)} probes,
   * clamped to [1, 30].
   *
   * @throws IllegalArgumentException if {@code bitsPerKey} is outside [1, {@value #MAX_BITS_PER_KEY}]
   */
  public BloomFilterBuilder(int bitsPerKey) {
    if (bitsPerKey < 1 || bitsPerKey > MAX_BITS_PER_KEY) {
      throw new IllegalArgumentException("bloom filter bitsPerKey = " + bitsPerKey
          + " is out of range; need 1 <= bitsPerKey <= " + MAX_BITS_PER_KEY);
    }
    this.bitsPerKey = bitsPerKey;
    this.hashCount = hashCountFor(bitsPerKey);
  }

  /** The number of probes for {@code bitsPerKey}: {@code round(bitsPerKey * ln 2)} in [1, 30]. */
  public static int hashCountFor(int bitsPerKey) {
    long k = Math.round(bitsPerKey * Math.log(2));
    return (int) Math.max(1, Math.min(BloomFilter.MAX_HASH_COUNT, k));
  }

  public int bitsPerKey() {
    return bitsPerKey;
  }

  /** The keys added since the last {@link #finish()}. */
  public int keyCount() {
    return keyCount;
  }

  public void add(Bytes key) {
    add(key.unsafeArray());
  }

  public void add(byte[] key) {
    addHash(BloomFilter.hash(key));
  }

  /** Adds a key by its {@link BloomFilter#hash(byte[])}, for callers that already computed it. */
  public void addHash(long hash) {
    if (keyCount == hashes.length) {
      hashes = Arrays.copyOf(hashes, keyCount * 2);
    }
    hashes[keyCount++] = hash;
  }

  /**
   * The serialised filter: bit array then the probe count byte. The builder is then empty.
   *
   * @throws IllegalStateException if the filter would not fit in one block
   */
  public byte[] finish() {
    long bits = Math.max(64, (long) keyCount * bitsPerKey);
    long bytes = (bits + 7) / 8;
    if (bytes + 1 > BlockHandle.MAX_SIZE_BYTES) {
      throw new IllegalStateException("bloom filter for " + keyCount + " keys at " + bitsPerKey
          + " bits per key needs " + (bytes + 1) + " bytes; a block holds at most " + BlockHandle.MAX_SIZE_BYTES);
    }
    byte[] out = new byte[(int) bytes + 1];
    long bitCount = bytes * 8;
    for (int i = 0; i < keyCount; i++) {
      long h = hashes[i];
      long h1 = h & 0xffffffffL;
      long h2 = h >>> 32;
      for (int probe = 0; probe < hashCount; probe++) {
        long bit = (h1 + probe * h2) % bitCount;
        out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
      }
    }
    out[(int) bytes] = (byte) hashCount;
    keyCount = 0;
    return out;
  }
}
