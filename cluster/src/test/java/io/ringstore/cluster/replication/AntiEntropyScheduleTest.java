package io.ringstore.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.cluster.node.NodeOptions;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.cluster.repair.RepairReport;
import io.ringstore.cluster.repair.RepairSettings;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.Scheduler;
import io.ringstore.spi.testkit.FakeTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The periodic task of {@link AntiEntropy} on a fake scheduler: a round runs an interval after
 * {@link AntiEntropy#schedule()}, and another an interval after each round ends, until cancelled.
 * A node alone has no peer: its rounds are empty.
 */
class AntiEntropyScheduleTest {
  private final FakeTime time = new FakeTime();
  private final RingstoreNode node = RingstoreNode.embedded(
      NodeOptions.embedded(getClass().getClassLoader()).withNodeId("n1").withEnv(Env.of(time)));

  @AfterEach
  void close() {
    node.close();
  }

  @Test
  void roundsRunEveryIntervalUntilCancelled() throws Exception {
    Coordinator keyspace = node.openKeyspace(TestNodes.settings("scheduled", 1, 1, 1));
    RepairSettings settings = new RepairSettings(Duration.ofMinutes(5), 8, 100, 1 << 20, 16, Duration.ofSeconds(1));
    AntiEntropy antiEntropy = new AntiEntropy(keyspace, settings, Env.of(time));

    assertThat(antiEntropy.peers()).isEmpty();
    List<RepairReport> alone = antiEntropy.round().get();
    assertThat(alone).isEmpty();
    assertThat(antiEntropy.rounds()).isEqualTo(1);

    Scheduler.Cancellable periodic = antiEntropy.schedule();
    time.advance(Duration.ofMinutes(4));
    assertThat(antiEntropy.rounds()).isEqualTo(1);
    time.advance(Duration.ofMinutes(1));
    assertThat(antiEntropy.rounds()).isEqualTo(2);
    time.advance(Duration.ofMinutes(10));
    assertThat(antiEntropy.rounds()).isEqualTo(4);

    periodic.cancel();
    time.advance(Duration.ofMinutes(30));
    assertThat(antiEntropy.rounds()).isEqualTo(4);
  }
}
