package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.cluster.membership.FailureDetection;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@link ClusterManagerSettings}: the gossip settings, their defaults and their errors. */
class ClusterManagerSettingsTest {

  private static ClusterManagerSettings from(String... keyValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return ClusterManagerSettings.from(properties);
  }

  @Test
  void gossipSettingsHaveDefaultsAndComeFromProperties() {
    assertThat(from().gossipInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(from().downAfter()).isEqualTo(Duration.ofSeconds(5));
    ClusterManagerSettings fast = from("ringstore.gossip.intervalMillis", "50", "ringstore.gossip.downAfterMillis", "400");
    assertThat(fast.gossipInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(fast.downAfter()).isEqualTo(Duration.ofMillis(400));
    assertThat(fast.withAddress(7000, java.util.List.of()).downAfter()).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void failureDetectionIsPhiByDefaultAndComesFromProperties() {
    assertThat(from().failureDetection()).isEqualTo(FailureDetection.defaults());
    assertThat(ClusterManagerSettings.defaults().failureDetection().kind()).isEqualTo(FailureDetection.Kind.PHI);
    ClusterManagerSettings tuned = from("ringstore.gossip.phiThreshold", "10.5", "ringstore.gossip.minStdDevMillis", "50",
        "ringstore.gossip.acceptablePauseMillis", "2500", "ringstore.gossip.maxSamples", "200");
    assertThat(tuned.failureDetection()).isEqualTo(new FailureDetection(FailureDetection.Kind.PHI, 10.5, Duration.ofMillis(50),
        Duration.ofMillis(2500), 200));
    assertThat(tuned.withGossip(Duration.ofMillis(100), Duration.ofSeconds(2)).failureDetection())
        .isEqualTo(tuned.failureDetection());
    assertThat(from("ringstore.gossip.failureDetector", "timeout").failureDetection().kind())
        .isEqualTo(FailureDetection.Kind.TIMEOUT);
    assertThat(from("ringstore.gossip.failureDetector", "PHI").failureDetection().kind()).isEqualTo(FailureDetection.Kind.PHI);
    // unset, the pause derives from downAfter: 2,000 - 100 - 5.22 x 100 ms
    ClusterManagerSettings fast = from("ringstore.gossip.intervalMillis", "100", "ringstore.gossip.downAfterMillis", "2000");
    assertThat(fast.failureDetection().acceptablePause()).isNull();
    assertThat(fast.failureDetection().acceptablePauseFor(fast.gossipInterval(), fast.downAfter()).toMillis()).isEqualTo(1377);
    FailureDetection timeout = FailureDetection.timeout();
    assertThat(ClusterManagerSettings.defaults().withFailureDetection(timeout).withAddress(7000, java.util.List.of())
        .failureDetection()).isEqualTo(timeout);
  }

  @Test
  void badFailureDetectionSettingsNameThePropertyTheValueAndTheBound() {
    assertThatThrownBy(() -> from("ringstore.gossip.failureDetector", "swim"))
        .hasMessage("ringstore.gossip.failureDetector = 'swim' is not a failure detector; need phi or timeout");
    assertThatThrownBy(() -> from("ringstore.gossip.phiThreshold", "0.5"))
        .hasMessage("ringstore.gossip.phiThreshold = 0.5 is out of range; need 1 to 16");
    assertThatThrownBy(() -> from("ringstore.gossip.phiThreshold", "17"))
        .hasMessage("ringstore.gossip.phiThreshold = 17 is out of range; need 1 to 16");
    assertThatThrownBy(() -> from("ringstore.gossip.phiThreshold", "NaN"))
        .hasMessage("ringstore.gossip.phiThreshold = NaN is out of range; need 1 to 16");
    assertThatThrownBy(() -> from("ringstore.gossip.phiThreshold", "high"))
        .hasMessage("ringstore.gossip.phiThreshold = 'high' is not a number");
    assertThatThrownBy(() -> from("ringstore.gossip.minStdDevMillis", "0"))
        .hasMessage("ringstore.gossip.minStdDevMillis = 0 is out of range; need 1 to 60000");
    assertThatThrownBy(() -> from("ringstore.gossip.acceptablePauseMillis", "-1"))
        .hasMessage("ringstore.gossip.acceptablePauseMillis = -1 is out of range; need 0 to 600000");
    assertThatThrownBy(() -> from("ringstore.gossip.acceptablePauseMillis", "600001"))
        .hasMessage("ringstore.gossip.acceptablePauseMillis = 600001 is out of range; need 0 to 600000");
    assertThatThrownBy(() -> from("ringstore.gossip.maxSamples", "9"))
        .hasMessage("ringstore.gossip.maxSamples = 9 is out of range; need 10 to 100000");
    assertThatThrownBy(() -> from("ringstore.gossip.maxSamples", "many"))
        .hasMessage("ringstore.gossip.maxSamples = 'many' is not an integer");
  }

  @Test
  void badGossipSettingsNameTheSettingTheValueAndTheBound() {
    assertThatThrownBy(() -> from("ringstore.gossip.intervalMillis", "5"))
        .hasMessage("ringstore.gossip.intervalMillis = 5 is out of range; need 10 to 60000");
    assertThatThrownBy(() -> from("ringstore.gossip.intervalMillis", "1000", "ringstore.gossip.downAfterMillis", "1500"))
        .hasMessage("ringstore.gossip.downAfterMillis = 1500 is out of range; need 2 x ringstore.gossip.intervalMillis = 2000 to 600000");
    assertThatThrownBy(() -> from("ringstore.gossip.downAfterMillis", "soon"))
        .hasMessage("ringstore.gossip.downAfterMillis = 'soon' is not an integer");
    assertThatThrownBy(() -> from("ringstore.node.id", "a\tb"))
        .hasMessage("ringstore.node.id = 'a\tb' is not a node id: node id has a control character at index 1: a?b");
  }
}
