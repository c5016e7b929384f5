package io.ringstore.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ringstore.spi.testkit.TestSeeds;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@link PhiAccrualFailureDetector}: alive under steady heartbeats; phi grows with silence and
 * crosses the threshold when the model says; irregular heartbeats get the time a fixed timeout
 * does not give them; the window is bounded; outages are not learned; bad settings are refused.
 * Times are nanos passed in (no clock, no sleep).
 */
class PhiAccrualFailureDetectorTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;
  private static final NodeId N = NodeId.of("n2");

  /** Threshold 8, 100 ms least deviation, the given pause, 1,000 samples, a 1 s first estimate. */
  private static PhiAccrualFailureDetector detector(Duration acceptablePause) {
    return new PhiAccrualFailureDetector(8, Duration.ofMillis(100), acceptablePause, 1000, Duration.ofSeconds(1));
  }

  @Test
  void steadyHeartbeatsKeepANodeAlive() {
    PhiAccrualFailureDetector detector = detector(Duration.ofSeconds(3));
    long now = 0;
    for (int beat = 0; beat < 200; beat++) {
      detector.report(N, now);
      assertThat(detector.isAlive(N, now)).isTrue();
      assertThat(detector.isAlive(N, now + SECOND / 2)).isTrue();
      assertThat(detector.phi(N, now + SECOND)).as("phi one interval after beat %d", beat).isLessThan(0.5);
      now += SECOND;
    }
    assertThat(detector.samples(N)).isEqualTo(199);
    assertThat(detector.meanIntervalMillis(N)).isCloseTo(1000, within(1e-9));
    assertThat(detector.stdDevMillis(N)).as("the least deviation").isCloseTo(100, within(1e-9));
  }

  @Test
  void silencePhiGrowsMonotonicallyAndCrossesTheThresholdWhenTheModelSays() {
    Duration interval = Duration.ofSeconds(1);
    Duration failureTimeout = Duration.ofSeconds(10);
    FailureDetection defaults = FailureDetection.defaults();
    PhiAccrualFailureDetector detector = (PhiAccrualFailureDetector) defaults.newDetector(interval, failureTimeout);
    long last = 0;
    for (int beat = 0; beat < 50; beat++) {
      last = beat * SECOND;
      detector.report(N, last);
    }
    double previous = 0;
    long crossedAfterNanos = -1;
    for (long elapsed = 0; elapsed <= 20 * SECOND; elapsed += 10 * MS) {
      double phi = detector.phi(N, last + elapsed);
      // non-decreasing; strictly increasing once it is above what a double holds for 10^-phi ~ 1
      assertThat(phi).as("phi %d ms into the silence", elapsed / MS).isFinite().isGreaterThanOrEqualTo(previous);
      if (previous > 0) {
        assertThat(phi).as("phi %d ms into the silence", elapsed / MS).isGreaterThan(previous);
      }
      previous = phi;
      if (crossedAfterNanos < 0 && !detector.isAlive(N, last + elapsed)) {
        crossedAfterNanos = elapsed;
        assertThat(phi).isGreaterThanOrEqualTo(8);
      }
    }
    System.out.printf("phi crossed 8 after %d ms of silence (pause %d ms, failure timeout %d ms); phi at 20 s: %.1f%n",
        crossedAfterNanos / MS, defaults.acceptablePauseFor(interval, failureTimeout).toMillis(), failureTimeout.toMillis(), previous);
    // the derived pause makes a punctual node (mean 1 s, deviation 100 ms) go down at the failure timeout
    assertThat(crossedAfterNanos).isBetween(failureTimeout.toNanos() - 20 * MS, failureTimeout.toNanos() + 20 * MS);
    assertThat(detector.describe(N, last + 12 * SECOND))
        .matches("phi \\d+\\.\\d > 8\\.0 after 12,000 ms without heartbeat; mean interval 1,000 ms, std dev 100 ms");
  }

  @Test
  void phiFollowsTheModelAtItsLandmarks() {
    assertThat(PhiAccrualFailureDetector.phi(1000, 1000, 100)).as("at the mean").isCloseTo(Math.log10(2), within(1e-12));
    double y = PhiAccrualFailureDetector.deviationsAtPhi(8);
    assertThat(y).isCloseTo(5.22, within(0.01));
    assertThat(PhiAccrualFailureDetector.phi(1000 + y * 100, 1000, 100)).isCloseTo(8, within(1e-9));
    assertThat(PhiAccrualFailureDetector.phi(1e18, 0, 1)).as("no overflow").isFinite().isGreaterThan(1e30);
    assertThat(PhiAccrualFailureDetector.phi(0, 1e18, 1)).as("no underflow trouble").isGreaterThanOrEqualTo(0).isLessThan(1e-12);
  }

  /**
   * A node over a bad link: heartbeats every 0.2 to 1.4 s, and one in ten after a 3.5 s gap. A
   * timeout detector of the same nominal timeout (3 s: a punctual node is judged down 3 s after its
   * last heartbeat by both) judges it down at every long gap; phi learns the spread and never does.
   * This is the reason the phi detector is the default.
   */
  @Test
  void irregularButSteadyHeartbeatsAreNotJudgedDownWhereATimeoutWouldBe(TestInfo test) {
    long seed = TestSeeds.seed(test);
    Duration interval = Duration.ofSeconds(1);
    Duration nominal = Duration.ofSeconds(3);
    FailureDetector phi = FailureDetection.defaults().newDetector(interval, nominal);
    FailureDetector timeout = FailureDetection.timeout().newDetector(interval, nominal);
    assertThat(phi).isInstanceOf(PhiAccrualFailureDetector.class);
    assertThat(timeout).isInstanceOf(TimeoutFailureDetector.class);
    int phiDowns = downMoments(phi, seed);
    int timeoutDowns = downMoments(timeout, seed);
    System.out.printf("irregular heartbeats (seed %d): judged down at %d checks by phi, at %d by the %d ms timeout; phi: %s%n",
        seed, phiDowns, timeoutDowns, nominal.toMillis(), ((PhiAccrualFailureDetector) phi).describe(N, 0));
    assertThat(timeoutDowns).as("checks at which the timeout detector judged the node down").isPositive();
    assertThat(phiDowns).as("checks at which the phi detector judged the node down").isZero();

    // and both still judge it down once it really stops
    PhiAccrualFailureDetector punctual = (PhiAccrualFailureDetector) FailureDetection.defaults().newDetector(interval, nominal);
    for (int beat = 0; beat < 30; beat++) {
      punctual.report(N, beat * SECOND);
    }
    assertThat(punctual.isAlive(N, 29 * SECOND + nominal.toNanos() - 50 * MS)).isTrue();
    assertThat(punctual.isAlive(N, 29 * SECOND + nominal.toNanos() + 50 * MS)).isFalse();
  }

  /**
   * Feeds 2,000 irregular heartbeats; counts the 50 ms checks between them at which the node was
   * judged down, after the first 100 (while the phi detector learns).
   */
  private static int downMoments(FailureDetector detector, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long now = 0;
    int downs = 0;
    detector.report(N, now);
    for (int beat = 0; beat < 2000; beat++) {
      long gap = random.nextInt(10) == 0 ? 3500 * MS : 200 * MS + random.nextLong(1200 * MS);
      for (long t = now + 50 * MS; t < now + gap; t += 50 * MS) {
        if (beat >= 100 && !detector.isAlive(N, t)) {
          downs++;
        }
      }
      now += gap;
      detector.report(N, now);
    }
    return downs;
  }

  @Test
  void theWindowKeepsTheLatestMaxSamplesIntervals() {
    PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(8, Duration.ofMillis(1), Duration.ofSeconds(5), 10,
        Duration.ofSeconds(1));
    long now = 0;
    detector.report(N, now);
    for (int i = 0; i < 10; i++) {
      now += SECOND;
      detector.report(N, now);
    }
    assertThat(detector.samples(N)).isEqualTo(10);
    for (int i = 0; i < 7; i++) {
      now += 1200 * MS;
      detector.report(N, now);
    }
    assertThat(detector.samples(N)).isEqualTo(10);
    assertThat(detector.meanIntervalMillis(N)).isCloseTo((3 * 1000 + 7 * 1200) / 10.0, within(1e-6));
    for (int i = 0; i < 3 + 10 * 1000; i++) { // many windows over: only the last 10 intervals count, without drift
      now += 1200 * MS;
      detector.report(N, now);
    }
    assertThat(detector.samples(N)).isEqualTo(10);
    assertThat(detector.meanIntervalMillis(N)).isEqualTo(1200);
    assertThat(detector.stdDevMillis(N)).as("no spread left, so the least deviation").isCloseTo(1, within(1e-6));

    PhiAccrualFailureDetector large = detector(Duration.ZERO);
    for (int i = 0; i <= 2500; i++) {
      large.report(N, i * SECOND);
    }
    assertThat(large.samples(N)).isEqualTo(1000);
  }

  @Test
  void anOutageIsNotLearnedAsAnInterval() {
    PhiAccrualFailureDetector detector = detector(Duration.ofSeconds(2));
    for (int beat = 0; beat <= 20; beat++) {
      detector.report(N, beat * SECOND);
    }
    assertThat(detector.isAlive(N, 80 * SECOND)).isFalse();
    detector.report(N, 80 * SECOND); // back after a minute down
    assertThat(detector.isAlive(N, 80 * SECOND)).isTrue();
    assertThat(detector.samples(N)).isEqualTo(20);
    assertThat(detector.meanIntervalMillis(N)).isEqualTo(1000);
    detector.report(N, 81 * SECOND + 500 * MS); // a late beat while alive is learned
    assertThat(detector.samples(N)).isEqualTo(21);
    detector.report(N, 81 * SECOND); // older than the last: ignored
    assertThat(detector.samples(N)).isEqualTo(21);
  }

  @Test
  void aNodeSeenOnceUsesTheFirstIntervalEstimateAndANodeNeverSeenIsDown() {
    PhiAccrualFailureDetector detector = detector(Duration.ofSeconds(3));
    assertThat(detector.isAlive(N, 0)).isFalse();
    assertThat(detector.phi(N, 0)).isInfinite();
    assertThat(detector.describe(N, 0)).isEqualTo("no heartbeat seen");
    detector.report(N, 5 * SECOND);
    // estimate 1 s, deviation max(100 ms, 1 s / 4) = 250 ms, pause 3 s: down 4 s + 5.22 x 250 ms = 5.3 s after
    assertThat(detector.isAlive(N, 5 * SECOND + 5250 * MS)).isTrue();
    assertThat(detector.isAlive(N, 5 * SECOND + 5350 * MS)).isFalse();
    assertThat(detector.describe(N, 5 * SECOND + 100 * MS))
        .matches("phi 0\\.\\d < 8\\.0 after 100 ms without heartbeat; mean interval 1,000 ms, std dev 250 ms \\(estimated: one heartbeat seen\\)");
  }

  @Test
  void forgetDropsTheHistory() {
    PhiAccrualFailureDetector detector = detector(Duration.ZERO);
    for (int beat = 0; beat < 10; beat++) {
      detector.report(N, beat * SECOND);
    }
    detector.report(NodeId.of("n3"), 0);
    detector.forget(N);
    assertThat(detector.isAlive(N, 9 * SECOND)).isFalse();
    assertThat(detector.phi(N, 9 * SECOND)).isInfinite();
    assertThat(detector.samples(N)).isZero();
    assertThat(detector.isAlive(NodeId.of("n3"), 0)).isTrue();
    detector.report(N, 20 * SECOND);
    assertThat(detector.samples(N)).isZero();
    assertThat(detector.isAlive(N, 20 * SECOND)).isTrue();
  }

  @Test
  void badSettingsNameTheSettingTheValueAndTheBound() {
    Duration ms100 = Duration.ofMillis(100);
    Duration s1 = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(0.5, ms100, s1, 1000, s1))
        .hasMessage("gossip.phiThreshold = 0.5 is out of range; need 1 to 16");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(17, ms100, s1, 1000, s1))
        .hasMessage("gossip.phiThreshold = 17.0 is out of range; need 1 to 16");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(Double.NaN, ms100, s1, 1000, s1))
        .hasMessage("gossip.phiThreshold = NaN is out of range; need 1 to 16");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(8, Duration.ZERO, s1, 1000, s1))
        .hasMessage("gossip.minStdDev = PT0S is out of range; need 1 ms to 1 min");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(8, Duration.ofMinutes(2), s1, 1000, s1))
        .hasMessage("gossip.minStdDev = PT2M is out of range; need 1 ms to 1 min");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(8, ms100, Duration.ofMillis(-1), 1000, s1))
        .hasMessage("gossip.acceptablePause = PT-0.001S is out of range; need 0 to 10 min");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(8, ms100, Duration.ofMinutes(11), 1000, s1))
        .hasMessage("gossip.acceptablePause = PT11M is out of range; need 0 to 10 min");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(8, ms100, s1, 9, s1))
        .hasMessage("gossip.maxSamples = 9 is out of range; need 10 to 100000");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(8, ms100, s1, 100_001, s1))
        .hasMessage("gossip.maxSamples = 100001 is out of range; need 10 to 100000");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(8, ms100, s1, 1000, Duration.ZERO))
        .hasMessage("phi detector first interval estimate = PT0S; need > 0");
    GossipSettings settings = GossipSettings.defaults("test", java.util.List.of());
    assertThatThrownBy(() -> settings.withFailureDetection(FailureDetection.defaults().withPhiThreshold(20)))
        .hasMessage("gossip.phiThreshold = 20.0 is out of range; need 1 to 16");
    assertThatThrownBy(() -> FailureDetection.Kind.parse("gossip.failureDetector", "swim"))
        .hasMessage("gossip.failureDetector = 'swim' is not a failure detector; need phi or timeout");
  }

  @Test
  void gossipSettingsChooseTheDetectorPhiByDefault() {
    GossipSettings settings = GossipSettings.defaults("test", java.util.List.of());
    assertThat(settings.failureDetection()).isEqualTo(FailureDetection.defaults());
    assertThat(settings.failureDetection().kind()).isEqualTo(FailureDetection.Kind.PHI);
    assertThat(settings.newFailureDetector()).isInstanceOf(PhiAccrualFailureDetector.class);
    assertThat(settings.withFailureDetection(FailureDetection.timeout()).newFailureDetector()).isInstanceOf(TimeoutFailureDetector.class);
    assertThat(FailureDetection.Kind.parse("x", " Timeout ")).isEqualTo(FailureDetection.Kind.TIMEOUT);
    // the derived pause: 10 s - 1 s - 5.22 x 100 ms = 8,477.x ms; a pause that is set is taken as it is; never negative
    assertThat(FailureDetection.defaults().acceptablePauseFor(Duration.ofSeconds(1), Duration.ofSeconds(10)).toMillis()).isEqualTo(8477);
    assertThat(FailureDetection.defaults().withAcceptablePause(Duration.ofSeconds(2))
        .acceptablePauseFor(Duration.ofSeconds(1), Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(2));
    assertThat(FailureDetection.defaults().acceptablePauseFor(Duration.ofMillis(100), Duration.ofMillis(200))).isEqualTo(Duration.ZERO);
  }
}
