package io.ringstore.cluster.repair;

/**
 * The 64-bit mixing anti-entropy hashes with. Both nodes of an exchange must compute the same
 * numbers, so these functions are a format (docs/anti-entropy.md): changing one makes every tree
 * of a node of the new version differ from every tree of a node of the old one (wasted transfers
 * during a rolling upgrade, never a wrong merge).
 *
 * <p>Thread-safety: stateless.
 */
public final class Hash64 {
  /** 2^64 divided by the golden ratio, odd: the multiplier of {@link #combine}. */
  static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Hash64() {}

  /** MurmurHash3's 64-bit finaliser (fmix64): a bijection that spreads every input bit. */
  public static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  /** An order-dependent combination of {@code hash} with one more value {@code next}. */
  public static long combine(long hash, long next) {
    return mix(hash * GOLDEN + next + 1);
  }
}
