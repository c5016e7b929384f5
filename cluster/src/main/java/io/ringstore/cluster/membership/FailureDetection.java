package io.ringstore.cluster.membership;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which {@link FailureDetector} a {@link Gossiper} judges liveness with, and its parameters; part
 * of {@link GossipSettings}. Every value is checked here, with an error that names the setting,
 * the value and the bound.
 *
 * <p><b>Phi accrual</b> ({@link Kind#PHI}, the default; {@link PhiAccrualFailureDetector}): a node
 * is down once phi, the suspicion computed from the distribution of its heartbeats' inter-arrival
 * times, reaches {@code phiThreshold}. The failure timeout of {@link GossipSettings} does not bound
 * it; it only sets the default {@code acceptablePause}, chosen so that a node whose heartbeats come
 * once an interval with no jitter is judged down about {@code failureTimeout} after its last one,
 * as the timeout detector would, while a node whose heartbeats arrive irregularly gets
 * proportionally more time (see {@link #acceptablePauseFor}).
 *
 * <p><b>Timeout</b> ({@link Kind#TIMEOUT}; {@link TimeoutFailureDetector}): down after
 * {@code failureTimeout} without heartbeat progress; the phi parameters are then ignored.
 *
 * <p>Thread-safety: immutable.
 *
 * @param kind the detector ({@code gossip.failureDetector}: {@code phi} or {@code timeout})
 * @param phiThreshold the phi at and above which a node is down (default 8, i.e. a chance of about
 *     1e-8 that a heartbeat still comes; {@value PhiAccrualFailureDetector#MIN_THRESHOLD} to
 *     {@value PhiAccrualFailureDetector#MAX_THRESHOLD})
 * @param minStdDev the least standard deviation assumed of the inter-arrival times, so that very
 *     regular heartbeats do not make phi jump at the first late one (default 100 ms; 1 ms to 1 min)
 * @param acceptablePause a silence added to the mean inter-arrival time before suspicion starts to
 *     grow (0 to 10 min); null: derived from the failure timeout ({@link #acceptablePauseFor})
 * @param maxSamples how many of the latest inter-arrival times the detector keeps per node (default
 *     1,000; {@value PhiAccrualFailureDetector#MIN_SAMPLES} to {@value PhiAccrualFailureDetector#MAX_SAMPLES})
 */
public record FailureDetection(
    Kind kind, double phiThreshold, Duration minStdDev, @Nullable Duration acceptablePause, int maxSamples) {

  /** The failure detectors to choose from. */
  public enum Kind {
    /** {@link PhiAccrualFailureDetector}. */
    PHI,
    /** {@link TimeoutFailureDetector}. */
    TIMEOUT;

    /** The kind named {@code name} ({@code phi} or {@code timeout}, any case), or an error naming {@code setting}. */
    public static Kind parse(String setting, String name) {
      return switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "phi" -> PHI;
        case "timeout" -> TIMEOUT;
        default -> throw new IllegalArgumentException(setting + " = '" + name + "' is not a failure detector; need phi or timeout");
      };
    }

    /** The name as a setting spells it ({@code phi}, {@code timeout}). */
    public String settingName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The default phi threshold. */
  public static final double DEFAULT_PHI_THRESHOLD = 8;
  /** The default least standard deviation. */
  public static final Duration DEFAULT_MIN_STD_DEV = Duration.ofMillis(100);
  /** The default window of inter-arrival times. */
  public static final int DEFAULT_MAX_SAMPLES = 1000;
  /** The least {@code minStdDev}. */
  public static final Duration MIN_MIN_STD_DEV = Duration.ofMillis(1);
  /** The largest {@code minStdDev}. */
  public static final Duration MAX_MIN_STD_DEV = Duration.ofMinutes(1);
  /** The largest {@code acceptablePause}. */
  public static final Duration MAX_ACCEPTABLE_PAUSE = Duration.ofMinutes(10);

  /** Checks every value. */
  public FailureDetection {
    checkThreshold("gossip.phiThreshold", phiThreshold);
    if (minStdDev.compareTo(MIN_MIN_STD_DEV) < 0 || minStdDev.compareTo(MAX_MIN_STD_DEV) > 0) {
      throw new IllegalArgumentException("gossip.minStdDev = " + minStdDev + " is out of range; need 1 ms to 1 min");
    }
    if (acceptablePause != null && (acceptablePause.isNegative() || acceptablePause.compareTo(MAX_ACCEPTABLE_PAUSE) > 0)) {
      throw new IllegalArgumentException("gossip.acceptablePause = " + acceptablePause + " is out of range; need 0 to 10 min");
    }
    checkMaxSamples("gossip.maxSamples", maxSamples);
  }

  /** Phi accrual with threshold 8, a least standard deviation of 100 ms, the derived pause and 1,000 samples. */
  public static FailureDetection defaults() {
    return new FailureDetection(Kind.PHI, DEFAULT_PHI_THRESHOLD, DEFAULT_MIN_STD_DEV, null, DEFAULT_MAX_SAMPLES);
  }

  /** The plain timeout detector (the phi parameters keep their defaults, unused). */
  public static FailureDetection timeout() {
    return defaults().withKind(Kind.TIMEOUT);
  }

  /** This with {@code kind}. */
  public FailureDetection withKind(Kind kind) {
    return new FailureDetection(kind, phiThreshold, minStdDev, acceptablePause, maxSamples);
  }

  /** This with {@code phiThreshold}. */
  public FailureDetection withPhiThreshold(double phiThreshold) {
    return new FailureDetection(kind, phiThreshold, minStdDev, acceptablePause, maxSamples);
  }

  /** This with {@code minStdDev}. */
  public FailureDetection withMinStdDev(Duration minStdDev) {
    return new FailureDetection(kind, phiThreshold, minStdDev, acceptablePause, maxSamples);
  }

  /** This with {@code acceptablePause} (null: derived). */
  public FailureDetection withAcceptablePause(@Nullable Duration acceptablePause) {
    return new FailureDetection(kind, phiThreshold, minStdDev, acceptablePause, maxSamples);
  }

  /** This with {@code maxSamples}. */
  public FailureDetection withMaxSamples(int maxSamples) {
    return new FailureDetection(kind, phiThreshold, minStdDev, acceptablePause, maxSamples);
  }

  /**
   * The acceptable pause the phi detector uses with gossip rounds every {@code interval} and a
   * failure timeout {@code failureTimeout}: the one set, else {@code failureTimeout - interval -
   * y x minStdDev} (at least 0), where {@code y} is how many standard deviations past the expected
   * arrival phi reaches the threshold ({@link PhiAccrualFailureDetector#deviationsAtPhi}, 5.2 for
   * phi 8). A node whose heartbeats come every interval without jitter (mean {@code interval},
   * standard deviation {@code minStdDev}) is then judged down {@code failureTimeout} after its last
   * heartbeat.
   */
  public Duration acceptablePauseFor(Duration interval, Duration failureTimeout) {
    if (acceptablePause != null) {
      return acceptablePause;
    }
    long spreadNanos = Math.round(PhiAccrualFailureDetector.deviationsAtPhi(phiThreshold) * minStdDev.toNanos());
    return Duration.ofNanos(Math.max(0, failureTimeout.toNanos() - interval.toNanos() - spreadNanos));
  }

  /** A new detector of this kind for gossip rounds every {@code interval} and {@code failureTimeout}. */
  public FailureDetector newDetector(Duration interval, Duration failureTimeout) {
    return switch (kind) {
      case TIMEOUT -> new TimeoutFailureDetector(failureTimeout);
      case PHI -> new PhiAccrualFailureDetector(phiThreshold, minStdDev, acceptablePauseFor(interval, failureTimeout),
          maxSamples, interval);
    };
  }

  /** Checks a phi threshold, naming {@code setting} in the error. */
  static void checkThreshold(String setting, double phiThreshold) {
    if (!(phiThreshold >= PhiAccrualFailureDetector.MIN_THRESHOLD && phiThreshold <= PhiAccrualFailureDetector.MAX_THRESHOLD)) {
      throw new IllegalArgumentException(setting + " = " + phiThreshold + " is out of range; need "
          + (int) PhiAccrualFailureDetector.MIN_THRESHOLD + " to " + (int) PhiAccrualFailureDetector.MAX_THRESHOLD);
    }
  }

  /** Checks a window bound, naming {@code setting} in the error. */
  static void checkMaxSamples(String setting, int maxSamples) {
    if (maxSamples < PhiAccrualFailureDetector.MIN_SAMPLES || maxSamples > PhiAccrualFailureDetector.MAX_SAMPLES) {
      throw new IllegalArgumentException(setting + " = " + maxSamples + " is out of range; need "
          + PhiAccrualFailureDetector.MIN_SAMPLES + " to " + PhiAccrualFailureDetector.MAX_SAMPLES);
    }
  }
}
