package io.ringstore.bench;

import java.util.SplittableRandom;

/**
 * Zipf-distributed item ranks in {@code [0, itemCount)}, rank 0 the most popular, drawn with the
 * method of Gray et al., "Quickly Generating Billion-Record Synthetic Databases" (SIGMOD 1994),
 * as YCSB's {@code ZipfianGenerator} does; YCSB's default exponent is 0.99.
 *
 * <p>The probability of rank {@code i} is proportional to {@code 1 / (i + 1)^exponent}. Ranks are
 * used directly as key indices: keys are hashed by every provider, so which keys are hot does
 * not matter, only how skewed the accesses are.
 *
 * <p>Invariants: {@code 0 < exponent < 1}, {@code itemCount >= 2}; the same seed gives the same
 * sequence. Thread-safety: not thread-safe (it owns its random generator); the benchmarks draw
 * the whole sequence up front, single-threaded.
 */
public final class ZipfSequence {
  /** YCSB's default Zipf exponent ("zipfian constant"). */
  public static final double YCSB_EXPONENT = 0.99;

  // constant after construction
  private final int itemCount;
  private final double exponent;
  private final double zetaN;
  private final double alpha;
  private final double eta;
  private final double halfPowExponent;
  private final SplittableRandom random;

  /** A sequence over {@code itemCount} items with the given exponent, drawn from {@code seed}. */
  public ZipfSequence(int itemCount, double exponent, long seed) {
    if (itemCount < 2) {
      throw new IllegalArgumentException("itemCount = " + itemCount + " is too small; need >= 2");
    }
    if (!(exponent > 0 && exponent < 1)) {
      throw new IllegalArgumentException(
          "Zipf exponent = " + exponent + " is out of range; need 0 < exponent < 1");
    }
    this.itemCount = itemCount;
    this.exponent = exponent;
    this.zetaN = zeta(itemCount, exponent);
    this.alpha = 1.0 / (1.0 - exponent);
    double zeta2 = zeta(2, exponent);
    this.eta = (1 - Math.pow(2.0 / itemCount, 1 - exponent)) / (1 - zeta2 / zetaN);
    this.halfPowExponent = Math.pow(0.5, exponent);
    this.random = new SplittableRandom(seed);
  }

  /** The next rank, in {@code [0, itemCount)}. */
  public int next() {
    double u = random.nextDouble();
    double uz = u * zetaN;
    if (uz < 1.0) {
      return 0;
    }
    if (uz < 1.0 + halfPowExponent) {
      return 1;
    }
    long rank = (long) (itemCount * Math.pow(eta * u - eta + 1, alpha));
    return (int) Math.min(rank, itemCount - 1L);
  }

  /** The next {@code length} ranks. */
  public int[] next(int length) {
    int[] ranks = new int[length];
    for (int i = 0; i < length; i++) {
      ranks[i] = next();
    }
    return ranks;
  }

  /** The exponent this sequence was built with. */
  public double exponent() {
    return exponent;
  }

  /** The generalised harmonic number {@code sum_{i=1..n} 1 / i^exponent}. */
  static double zeta(long n, double exponent) {
    double sum = 0;
    for (long i = 1; i <= n; i++) {
      sum += 1.0 / Math.pow(i, exponent);
    }
    return sum;
  }
}
