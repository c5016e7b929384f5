package io.ringstore.storage.lsm.sstable;

/**
 * XXH64 (Yann Collet's xxHash, 64-bit variant, specification 0.1.1), seed 0 unless given: the
 * hash behind the bloom filter. It is part of the on-disk format (a filter built with one hash
 * is useless with another), so it is implemented here rather than taken from a library that
 * might change it; the tests pin it to the reference implementation's outputs.
 *
 * <p>Thread-safety: stateless.
 */
public final class XxHash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private XxHash64() {}

  /** XXH64 of all of {@code input} with seed 0. */
  public static long hash(byte[] input) {
    return hash(input, 0, input.length, 0);
  }

  /** XXH64 of {@code input[offset .. offset+length)} with {@code seed}. */
  public static long hash(byte[] input, int offset, int length, long seed) {
    int at = offset;
    int end = offset + length;
    long h;
    if (length >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      for (int stripesEnd = end - 32; at <= stripesEnd; at += 32) {
        v1 = round(v1, Varints.getFixed64(input, at));
        v2 = round(v2, Varints.getFixed64(input, at + 8));
        v3 = round(v3, Varints.getFixed64(input, at + 16));
        v4 = round(v4, Varints.getFixed64(input, at + 24));
      }
      h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = seed + P5;
    }
    h += length;
    for (; at + 8 <= end; at += 8) {
      h ^= round(0, Varints.getFixed64(input, at));
      h = Long.rotateLeft(h, 27) * P1 + P4;
    }
    if (at + 4 <= end) {
      h ^= Integer.toUnsignedLong(Varints.getFixed32(input, at)) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      at += 4;
    }
    for (; at < end; at++) {
      h ^= (input[at] & 0xffL) * P5;
      h = Long.rotateLeft(h, 11) * P1;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long merge(long acc, long v) {
    acc ^= round(0, v);
    return acc * P1 + P4;
  }
}
