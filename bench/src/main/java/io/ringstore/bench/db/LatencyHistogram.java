package io.ringstore.bench.db;

/**
 * Counts latencies in nanoseconds in log-linear buckets, as HdrHistogram does with fewer
 * digits: values below 64 have a bucket each; above, every power of two is split into 32 equal
 * buckets, so a percentile read back is within about 1.6% of a recorded value (the middle of a
 * bucket whose width is at most 1/32 of its lower edge). Mean, minimum and maximum are exact.
 *
 * <p>Index of value {@code v >= 64} with highest set bit {@code m} ({@code m >= 6}): shift
 * {@code s = m - 5}, top bits {@code t = v >>> s} in {@code [32, 63]}, index
 * {@code 64 + (s - 1) * 32 + (t - 32)}. The bucket holds {@code [t << s, (t + 1) << s)}.
 *
 * <p>Thread-safety: not thread-safe; each benchmark thread records into its own histogram, and
 * {@link #add} merges them after the threads have finished.
 */
public final class LatencyHistogram {
  private static final int LINEAR = 64;
  private static final int SUB_BUCKETS = 32;
  private static final int BUCKETS = LINEAR + 58 * SUB_BUCKETS;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long sumNanos;
  private long minNanos = Long.MAX_VALUE;
  private long maxNanos;

  /** Counts one latency; a negative one (a clock step) counts as zero. */
  public void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[index(v)]++;
    total++;
    sumNanos += v;
    minNanos = Math.min(minNanos, v);
    maxNanos = Math.max(maxNanos, v);
  }

  /** Adds every count of {@code other} to this histogram. */
  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    sumNanos += other.sumNanos;
    minNanos = Math.min(minNanos, other.minNanos);
    maxNanos = Math.max(maxNanos, other.maxNanos);
  }

  /** How many latencies were recorded. */
  public long count() {
    return total;
  }

  /**
   * The latency at or below which a {@code fraction} of the recorded ones lie (0.5 for the
   * median, 0.99 for p99), as the middle of its bucket, clamped to the exact minimum and maximum;
   * fraction 0 gives the exact minimum and a fraction whose rank is the last the exact maximum;
   * 0 if nothing was recorded.
   */
  public long percentileNanos(double fraction) {
    if (fraction < 0 || fraction > 1) {
      throw new IllegalArgumentException("percentile fraction = " + fraction + " is out of range; need 0 <= fraction <= 1");
    }
    if (total == 0) {
      return 0;
    }
    if (fraction == 0) {
      return minNanos;
    }
    long rank = (long) Math.ceil(fraction * total);
    if (rank >= total) {
      return maxNanos;
    }
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(maxNanos, Math.max(minNanos, middle(i)));
      }
    }
    return maxNanos;
  }

  /** The exact mean latency, 0 if nothing was recorded. */
  public double meanNanos() {
    return total == 0 ? 0 : (double) sumNanos / total;
  }

  /** The exact largest latency, 0 if nothing was recorded. */
  public long maxNanos() {
    return maxNanos;
  }

  static int index(long v) {
    if (v < LINEAR) {
      return (int) v;
    }
    int shift = 63 - Long.numberOfLeadingZeros(v) - 5;
    long top = v >>> shift;
    return LINEAR + (shift - 1) * SUB_BUCKETS + (int) (top - SUB_BUCKETS);
  }

  static long middle(int index) {
    if (index < LINEAR) {
      return index;
    }
    int shift = (index - LINEAR) / SUB_BUCKETS + 1;
    long top = SUB_BUCKETS + (index - LINEAR) % SUB_BUCKETS;
    return (top << shift) + (1L << (shift - 1));
  }
}
