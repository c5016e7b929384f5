package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
