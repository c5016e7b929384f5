package io.ringstore.cluster.membership;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The phi accrual failure detector (Hayashibara, Défago, Yared, Katayama, 2004): instead of a yes
 * or no after a fixed timeout, it keeps, per node, the distribution of the intervals between the
 * node's heartbeats and turns the silence since the last one into a suspicion level
 * <em>phi</em> = -log10(P(a heartbeat arrives later than now)). A node is alive while phi is below
 * the threshold: phi 8 means that, were the node alive, a heartbeat this late would happen about
 * once in 10^8. Because the distribution is learned, a node whose heartbeats come irregularly (a
 * loaded machine, a lossy link, heartbeats relayed through several gossip hops) gets more time
 * than one whose heartbeats are punctual, where a fixed timeout must be set for the worst of them.
 *
 * <p><b>The model.</b> The intervals are taken as normally distributed with the window's mean plus
 * {@code acceptablePause} and the window's standard deviation (at least {@code minStdDev}); the
 * normal CDF is approximated by the logistic function of Bowling et al. (2009), as Akka does:
 * {@code P(later than t) = 1 / (1 + e^z)}, {@code z = y (1.5976 + 0.070566 y^2)}, {@code y = (t -
 * mean - pause) / stdDev}, so {@code phi = log10(1 + e^z)}, computed without overflow. Phi grows
 * strictly with the silence, is finite, and is about 0.3 at the expected arrival.
 *
 * <p><b>The window.</b> Per node, the latest {@code maxSamples} intervals in a ring buffer with their
 * running sum (exact, nanos) and sum of squares: a report and a judgement cost O(1); the sum of
 * squares is recomputed from the window once per {@code maxSamples} reports so that floating-point
 * drift cannot build up (amortised O(1)). Until a node's second heartbeat there is no interval:
 * its first interval is then estimated as {@code firstIntervalEstimate} (the gossip interval, since
 * a node beats once a round) with a standard deviation of a quarter of it.
 *
 * <p><b>Outages are not samples.</b> An interval that ends when the node is already judged down
 * (phi at or above the threshold when its heartbeat resumes: a crash and restart, a partition, a
 * long pause of either side) is not added to the window, so one outage does not teach the detector
 * to wait for the next one (Cassandra drops long intervals for the same reason).
 *
 * <p><b>Invariants.</b> Per node: {@code 0 <= samples <= maxSamples}; {@code sumNanos} is the exact
 * sum of the window; every sample is > 0. Times are one node's {@link io.ringstore.spi.env.Ticker}
 * nanos; a report older than the last one is ignored.
 *
 * <p>Thread-safety: not thread-safe; the gossiper calls it under its lock (see {@link FailureDetector}).
 */
public final class PhiAccrualFailureDetector implements FailureDetector {
  /** The least phi threshold. */
  public static final double MIN_THRESHOLD = 1;
  /** The largest phi threshold. */
  public static final double MAX_THRESHOLD = 16;
  /** The least window. */
  public static final int MIN_SAMPLES = 10;
  /** The largest window. */
  public static final int MAX_SAMPLES = 100_000;

  private static final double LN_10 = Math.log(10);

  // constant after construction
  private final double threshold;
  private final double minStdDevNanos;
  private final double acceptablePauseNanos;
  private final int maxSamples;
  private final double firstIntervalNanos;

  private final Map<NodeId, History> histories = new HashMap<>();

  /**
   * A detector that judges a node down once its phi reaches {@code threshold} (1 to 16), assuming a
   * standard deviation of at least {@code minStdDev} (1 ms to 1 min), tolerating
   * {@code acceptablePause} (0 to 10 min) beyond the mean interval, over the latest
   * {@code maxSamples} intervals (10 to 100,000), and estimating a node's first interval as
   * {@code firstIntervalEstimate} (> 0).
   */
  public PhiAccrualFailureDetector(
      double threshold, Duration minStdDev, Duration acceptablePause, int maxSamples, Duration firstIntervalEstimate) {
    FailureDetection settings = new FailureDetection(FailureDetection.Kind.PHI, threshold, minStdDev, acceptablePause, maxSamples);
    if (firstIntervalEstimate.isNegative() || firstIntervalEstimate.isZero()) {
      throw new IllegalArgumentException("phi detector first interval estimate = " + firstIntervalEstimate + "; need > 0");
    }
    this.threshold = settings.phiThreshold();
    this.minStdDevNanos = minStdDev.toNanos();
    this.acceptablePauseNanos = acceptablePause.toNanos();
    this.maxSamples = maxSamples;
    this.firstIntervalNanos = firstIntervalEstimate.toNanos();
  }

  @Override
  public void report(NodeId node, long nowNanos) {
    History history = histories.get(node);
    if (history == null) {
      histories.put(node, new History(nowNanos));
      return;
    }
    long intervalNanos = nowNanos - history.lastNanos;
    if (intervalNanos <= 0) {
      return;
    }
    if (phi(history, nowNanos) < threshold) {
      history.add(intervalNanos, maxSamples);
    }
    history.lastNanos = nowNanos;
  }

  @Override
  public boolean isAlive(NodeId node, long nowNanos) {
    History history = histories.get(node);
    return history != null && phi(history, nowNanos) < threshold;
  }

  @Override
  public void forget(NodeId node) {
    histories.remove(node);
  }

  /** The suspicion of {@code node} at {@code nowNanos}: 0 and up, {@code +Infinity} for a node never reported. */
  public double phi(NodeId node, long nowNanos) {
    History history = histories.get(node);
    return history == null ? Double.POSITIVE_INFINITY : phi(history, nowNanos);
  }

  /** The number of intervals in {@code node}'s window (0 for a node reported at most once). */
  public int samples(NodeId node) {
    History history = histories.get(node);
    return history == null ? 0 : history.count;
  }

  /** The mean interval of {@code node}'s heartbeats in millis (the first-interval estimate before the first interval; NaN if never reported). */
  public double meanIntervalMillis(NodeId node) {
    History history = histories.get(node);
    return history == null ? Double.NaN : mean(history) / 1e6;
  }

  /** The standard deviation the detector uses for {@code node} in millis (at least minStdDev; NaN if never reported). */
  public double stdDevMillis(NodeId node) {
    History history = histories.get(node);
    return history == null ? Double.NaN : stdDev(history) / 1e6;
  }

  /** The threshold. */
  public double threshold() {
    return threshold;
  }

  @Override
  public String describe(NodeId node, long nowNanos) {
    History history = histories.get(node);
    if (history == null) {
      return "no heartbeat seen";
    }
    double phi = phi(history, nowNanos);
    String comparison = phi > threshold ? " > " : phi == threshold ? " = " : " < ";
    return String.format(Locale.ROOT, "phi %.1f%s%.1f after %,d ms without heartbeat; mean interval %,d ms, std dev %,d ms%s",
        phi, comparison, threshold, Math.max(0, nowNanos - history.lastNanos) / 1_000_000, Math.round(mean(history) / 1e6),
        Math.round(stdDev(history) / 1e6), history.count == 0 ? " (estimated: one heartbeat seen)" : "");
  }

  private double phi(History history, long nowNanos) {
    return phi(Math.max(0, nowNanos - history.lastNanos), mean(history) + acceptablePauseNanos, stdDev(history));
  }

  private double mean(History history) {
    return history.count == 0 ? firstIntervalNanos : (double) history.sumNanos / history.count;
  }

  private double stdDev(History history) {
    if (history.count == 0) {
      return Math.max(minStdDevNanos, firstIntervalNanos / 4);
    }
    double mean = (double) history.sumNanos / history.count;
    double variance = history.sumSquares / history.count - mean * mean;
    return Math.max(minStdDevNanos, Math.sqrt(Math.max(0, variance)));
  }

  /**
   * Phi after {@code elapsed} of silence when arrivals are normal with {@code mean} and
   * {@code stdDev} (> 0): {@code log10(1 + e^z)}, {@code z = y (1.5976 + 0.070566 y^2)}, {@code y =
   * (elapsed - mean) / stdDev}. Strictly increasing in {@code elapsed}; finite.
   */
  static double phi(double elapsed, double mean, double stdDev) {
    double y = (elapsed - mean) / stdDev;
    double z = y * (1.5976 + 0.070566 * y * y);
    // log(1 + e^z) = z + log(1 + e^-z) for z > 0, so neither branch overflows
    return (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) / LN_10;
  }

  /**
   * How many standard deviations past the expected arrival phi reaches {@code threshold}: the
   * {@code y} with {@code log10(1 + e^z(y)) = threshold} (5.2 for 8, 3.4 for 5, 7.0 for 12).
   */
  public static double deviationsAtPhi(double threshold) {
    FailureDetection.checkThreshold("phi threshold", threshold);
    double z = Math.log(Math.pow(10, threshold) - 1);
    double low = 0;
    double high = 100;
    for (int i = 0; i < 100; i++) { // z(y) is strictly increasing: bisect
      double mid = (low + high) / 2;
      if (mid * (1.5976 + 0.070566 * mid * mid) < z) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return (low + high) / 2;
  }

  /** One node's window: a ring buffer of intervals with running sums. */
  private static final class History {
    private long[] intervalsNanos = new long[16]; // grows by doubling up to maxSamples
    private int count;
    private int next;
    private long sumNanos;
    private double sumSquares;
    private long lastNanos;

    History(long lastNanos) {
      this.lastNanos = lastNanos;
    }

    void add(long intervalNanos, int maxSamples) {
      if (count == maxSamples) {
        long evicted = intervalsNanos[next];
        sumNanos -= evicted;
        sumSquares -= (double) evicted * evicted;
      } else {
        if (count == intervalsNanos.length) {
          long[] grown = new long[Math.min(maxSamples, 2 * intervalsNanos.length)];
          System.arraycopy(intervalsNanos, 0, grown, 0, count);
          intervalsNanos = grown;
        }
        count++;
      }
      intervalsNanos[next] = intervalNanos;
      sumNanos += intervalNanos;
      sumSquares += (double) intervalNanos * intervalNanos;
      next = (next + 1) % maxSamples;
      if (next == 0) { // once per maxSamples reports: shed the drift of the running sum of squares
        double exact = 0;
        for (int i = 0; i < count; i++) {
          exact += (double) intervalsNanos[i] * intervalsNanos[i];
        }
        sumSquares = exact;
      }
    }
  }
}
