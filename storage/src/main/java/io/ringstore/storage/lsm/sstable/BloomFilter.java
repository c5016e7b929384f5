package io.ringstore.storage.lsm.sstable;

import io.ringstore.spi.Bytes;

/**
 * A table's bloom filter, read from its serialised form: a bit array, then one byte holding the
 * number of probes {@code k} (1 to 30). It answers "certainly absent" or "maybe present": a key
 * added to the filter is always reported present (no false negatives); an absent key is reported
 * present with probability about {@code (1 - e^(-k n / m))^k}, near 0.8% at 10 bits per key.
 *
 * <p>Hash: {@link XxHash64} with seed 0 over the key's bytes gives {@code h}. Probes use double
 * hashing (Kirsch and Mitzenmacher): with {@code h1} the low and {@code h2} the high 32 bits of
 * {@code h} as unsigned numbers, probe {@code i} (0 to k-1) tests bit {@code (h1 + i * h2) mod m},
 * where {@code m} is the number of bits in the array and bit {@code j} is bit {@code j mod 8}
 * (least significant first) of byte {@code j / 8}.
 *
 * <p>The filter is stored in a block with a checksummed {@linkplain BlockTrailer trailer}: a
 * flipped bit inside the array cannot be detected here and would cause false negatives, so a
 * filter must only be decoded from a block that passed its checksum.
 *
 * <p>Invariants: at least 64 bits (8 bytes) of array; {@code 1 <= k <= 30}.
 *
 * <p>Thread-safety: immutable and thread-safe (the array is never modified).
 */
public final class BloomFilter {
  /** The name of the filter's entry in the metaindex block. */
  public static final String METAINDEX_KEY = "filter.bloom.xxh64";
  /** The most probes a filter may use. */
  public static final int MAX_HASH_COUNT = 30;
  /** The smallest bit array, in bytes. */
  public static final int MIN_ARRAY_BYTES = 8;

  private static final String STRUCTURE = "bloom filter";

  // constant after construction
  private final byte[] bits;
  private final int arrayBytes;
  private final long bitCount;
  private final int hashCount;

  private BloomFilter(byte[] bits, int arrayBytes, int hashCount) {
    this.bits = bits;
    this.arrayBytes = arrayBytes;
    this.bitCount = 8L * arrayBytes;
    this.hashCount = hashCount;
  }

  /**
   * Decodes a serialised filter, taking ownership of the array (the caller must not change it).
   *
   * @throws CorruptionException if it is shorter than {@value #MIN_ARRAY_BYTES} bytes of array plus
   *     the probe count, or the probe count is outside [1, {@value #MAX_HASH_COUNT}]
   */
  public static BloomFilter decode(byte[] serialized) {
    if (serialized.length < MIN_ARRAY_BYTES + 1) {
      throw new CorruptionException(STRUCTURE, 0, "a bloom filter needs at least " + (MIN_ARRAY_BYTES + 1)
          + " bytes (" + MIN_ARRAY_BYTES + " of bit array and the probe count) but has " + serialized.length);
    }
    int arrayBytes = serialized.length - 1;
    int k = serialized[arrayBytes] & 0xff;
    if (k < 1 || k > MAX_HASH_COUNT) {
      throw new CorruptionException(STRUCTURE, arrayBytes, "probe count k = " + k
          + " is out of range; need 1 <= k <= " + MAX_HASH_COUNT);
    }
    return new BloomFilter(serialized, arrayBytes, k);
  }

  /** The hash the filter uses for {@code key}: XXH64 with seed 0. */
  public static long hash(byte[] key) {
    return XxHash64.hash(key);
  }

  /** The number of probes per key. */
  public int hashCount() {
    return hashCount;
  }

  /** The number of bits in the array. */
  public long bitCount() {
    return bitCount;
  }

  /** The serialised length, in bytes. */
  public int sizeBytes() {
    return arrayBytes + 1;
  }

  /** False if {@code key} was certainly not added; true if it may have been. */
  public boolean mayContain(byte[] key) {
    return mayContainHash(hash(key));
  }

  /** False if {@code key} was certainly not added; true if it may have been. */
  public boolean mayContain(Bytes key) {
    return mayContain(key.unsafeArray());
  }

  /** {@link #mayContain(byte[])} for a key whose {@link #hash(byte[])} the caller computed once. */
  public boolean mayContainHash(long hash) {
    long h1 = hash & 0xffffffffL;
    long h2 = hash >>> 32;
    for (int probe = 0; probe < hashCount; probe++) {
      long bit = (h1 + probe * h2) % bitCount;
      if ((bits[(int) (bit >>> 3)] & (1 << (bit & 7))) == 0) {
        return false;
      }
    }
    return true;
  }
}
