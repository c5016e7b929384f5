package io.ringstore.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link TimeoutFailureDetector}: alive for the timeout after each report, never before the first. */
class TimeoutFailureDetectorTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aNodeIsAliveForTheTimeoutAfterItsLastReport() {
    TimeoutFailureDetector detector = new TimeoutFailureDetector(Duration.ofSeconds(10));
    NodeId node = NodeId.of("n1");
    assertThat(detector.isAlive(node, 0)).isFalse();
    detector.report(node, 5 * SECOND);
    assertThat(detector.isAlive(node, 15 * SECOND - 1)).isTrue();
    assertThat(detector.isAlive(node, 15 * SECOND)).isFalse();
    detector.report(node, 20 * SECOND);
    assertThat(detector.isAlive(node, 21 * SECOND)).isTrue();
    detector.forget(node);
    assertThat(detector.isAlive(node, 21 * SECOND)).isFalse();
    assertThatThrownBy(() -> new TimeoutFailureDetector(Duration.ZERO)).hasMessage("failure detector timeout = PT0S; need > 0");
  }
}
