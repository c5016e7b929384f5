package io.ringstore.cluster.membership;

import io.ringstore.spi.testkit.TestSeeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.testkit.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@link Gossiper} in small simulated clusters: local state, restarts, partitions, bounds, refusals. */
class GossiperTest {
  private static final GossipSettings SETTINGS = GossipSettings.defaults("test", List.of(SimulatedCluster.address(0)));

  private static SimulatedCluster cluster(TestInfo test, GossipSettings settings) {
    return new SimulatedCluster(settings, TestSeeds.seed(test), Duration.ofMillis(1), Duration.ofMillis(20), 0);
  }

  private static void startAll(SimulatedCluster cluster, int n) {
    for (int i = 0; i < n; i++) {
      cluster.start(i, NodeStatus.NORMAL);
    }
    cluster.roundsUntil(() -> cluster.running().stream().allMatch(g -> g.view().alive().size() == n), 40, "all know all");
  }

  @Test
  void aStatusOnlyMovesForwardAndTheGossiperOwnsItsKeys() {
    FakeTime time = new FakeTime();
    Gossiper gossiper = new Gossiper(SETTINGS, NodeId.of("n1"), "h1:7000", time, time, new SplittableRandom(1),
        (address, frame) -> {}, new TimeoutFailureDetector(SETTINGS.failureTimeout()));
    assertThat(gossiper.view().member(NodeId.of("n1")).orElseThrow().status()).isEqualTo(NodeStatus.JOINING);
    gossiper.setStatus(NodeStatus.LEAVING);
    assertThatThrownBy(() -> gossiper.setStatus(NodeStatus.NORMAL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("node n1 cannot move from status LEAVING to NORMAL; a status only moves forward: JOINING, NORMAL, LEAVING, LEFT");
    assertThatThrownBy(() -> gossiper.setState(StateKey.STATUS, Bytes.of(new byte[] {2})))
        .hasMessage("state key STATUS is set by the gossiper itself; use setStatus for STATUS");
    assertThatThrownBy(() -> gossiper.setWeight(0)).hasMessage("node n1: WEIGHT = 0; need >= 1");
    gossiper.setWeight(3);
    gossiper.setTokens(new long[] {-5, 7, Long.MAX_VALUE});
    gossiper.setHttpAddress("h1:8080");
    Member self = gossiper.view().member(NodeId.of("n1")).orElseThrow();
    assertThat(self.weight()).isEqualTo(3);
    assertThat(self.tokens()).containsExactly(-5, 7, Long.MAX_VALUE);
    assertThat(self.httpAddress()).contains("h1:8080");
    assertThat(self.gossipAddress()).contains("h1:7000");
    assertThat(self.alive()).isTrue();
    assertThat(gossiper.generation()).isEqualTo(time.millis());
  }

  @Test
  void settingsOutOfRangeNameTheSettingTheValueAndTheBound() {
    assertThatThrownBy(() -> SETTINGS.withFanout(0)).hasMessage("gossip.fanout = 0 is out of range; need 1 to 16");
    assertThatThrownBy(() -> SETTINGS.withFailureTimeout(Duration.ofSeconds(1)))
        .hasMessage("gossip.failureTimeout = PT1S is too short; need at least 2 x gossip.interval = PT2S");
    assertThatThrownBy(() -> SETTINGS.withLeftRetention(Duration.ofSeconds(1)))
        .hasMessage("gossip.leftRetention = PT1S is too short; need at least gossip.failureTimeout = PT10S");
    assertThatThrownBy(() -> GossipSettings.defaults("", List.of()))
        .hasMessage("cluster name '' is 0 UTF-8 bytes; need 1 to 64");
  }

  @Test
  void listenersSeeTheChangeInTheViewWhenTheyAreCalled(TestInfo test) {
    SimulatedCluster cluster = cluster(test, SETTINGS);
    startAll(cluster, 3);
    List<String> seen = new ArrayList<>();
    Gossiper observer = cluster.node(0);
    observer.addListener(new MembershipListener() {
      @Override
      public void onStatusChanged(Member member, NodeStatus previous) {
        assertThat(observer.view().member(member.id())).contains(member);
        seen.add(member.id() + " " + previous + "->" + member.status());
      }
    });
    cluster.node(2).setStatus(NodeStatus.LEAVING);
    cluster.roundsUntil(() -> !seen.isEmpty(), 10, "n0 hears n2 leaving");
    assertThat(seen).containsExactly("n2 NORMAL->LEAVING");
  }

  @Test
  void aRestartedNodeReplacesItsOldStateAndComesBackUp(TestInfo test) {
    SimulatedCluster cluster = cluster(test, SETTINGS);
    startAll(cluster, 5);
    long oldGeneration = cluster.node(3).generation();
    cluster.crash(3);
    cluster.roundsUntil(() -> cluster.heard("down n3").size() == 4, 20, "all judge n3 down");
    Gossiper restarted = cluster.start(3, NodeStatus.JOINING);
    restarted.setBusAddress("10.9.9.9:5701");
    assertThat(restarted.generation()).isGreaterThan(oldGeneration);
    cluster.roundsUntil(() -> cluster.heard("restarted n3").size() == 4 && cluster.heard("up n3").size() == 4, 20,
        "all hear n3 restarted and up");
    for (int i : new int[] {0, 1, 2, 4}) {
      Member n3 = cluster.node(i).view().member(SimulatedCluster.id(3)).orElseThrow();
      assertThat(n3.generation()).isEqualTo(restarted.generation());
      assertThat(n3.status()).isEqualTo(NodeStatus.JOINING);
      assertThat(n3.busAddress()).contains("10.9.9.9:5701");
      assertThat(n3.alive()).isTrue();
    }
  }

  @Test
  void aHealedPartitionMergesAgain(TestInfo test) {
    SimulatedCluster cluster = cluster(test, SETTINGS);
    int n = 8;
    startAll(cluster, n);
    for (int a = 0; a < 4; a++) {
      for (int b = 4; b < n; b++) {
        cluster.network.cut(SimulatedCluster.address(a), SimulatedCluster.address(b));
      }
    }
    cluster.roundsUntil(() -> IntStream.range(0, n).allMatch(i -> cluster.node(i).view().alive().size() == 4), 30,
        "each side judges the other down");
    cluster.node(5).setHttpAddress("10.2.0.5:8080"); // a change made during the partition
    cluster.network.healAll();
    int rounds = cluster.roundsUntil(() -> IntStream.range(0, n).allMatch(i -> cluster.node(i).view().alive().size() == n
        && cluster.node(i).view().member(SimulatedCluster.id(5)).orElseThrow().httpAddress().isPresent()), 30, "healed");
    System.out.println("partition of 4 + 4 nodes healed in " + rounds + " rounds");
  }

  @Test
  void largeStatesSpreadThroughFramesAtTheBound(TestInfo test) {
    GossipSettings small = SETTINGS.withMaxFrameBytes(GossipSettings.MIN_FRAME_BYTES);
    SimulatedCluster cluster = cluster(test, small);
    int n = 12;
    long[] tokens = new long[StateKey.MAX_VALUE_BYTES / 8]; // a full-size value: one node's state a frame
    for (int i = 0; i < n; i++) {
      cluster.start(i, NodeStatus.NORMAL).setTokens(tokens);
    }
    int rounds = cluster.roundsUntil(() -> cluster.running().stream().allMatch(g -> g.view().members().values().stream()
        .filter(m -> m.tokens().length == tokens.length).count() == n), 60, "all hold all tokens");
    System.out.println(n + " nodes with " + StateKey.MAX_VALUE_BYTES + "-byte token lists converged in " + rounds
        + " rounds through " + small.maxFrameBytes() + "-byte frames; " + cluster.network);
  }

  @Test
  void framesOfAnotherClusterAndMalformedFramesAreDroppedAndCounted() {
    FakeTime time = new FakeTime();
    List<GossipFrame> sent = new ArrayList<>();
    Gossiper gossiper = new Gossiper(SETTINGS, NodeId.of("n1"), "h1:7000", time, time, new SplittableRandom(1),
        (address, frame) -> sent.add(frame), new TimeoutFailureDetector(SETTINGS.failureTimeout()));
    gossiper.handle(new GossipFrame("other", NodeId.of("n2"), "h2:7000", new GossipMessage.Syn(List.of())));
    gossiper.receive(new byte[] {'R', 'G', 9, 1});
    assertThat(gossiper.stats().framesRefused()).isEqualTo(2);
    assertThat(sent).isEmpty();
    gossiper.handle(new GossipFrame("test", NodeId.of("n2"), "h2:7000", new GossipMessage.Syn(List.of())));
    assertThat(sent).singleElement().satisfies(frame -> {
      assertThat(frame.message()).isInstanceOf(GossipMessage.Ack.class);
      assertThat(((GossipMessage.Ack) frame.message()).deltas()).extracting(NodeDelta::node).containsExactly(NodeId.of("n1"));
    });
    assertThat(gossiper.stats().framesReceived()).isEqualTo(1);
  }

  @Test
  void aNodeAloneGossipsToItsSeedOnly() {
    FakeTime time = new FakeTime();
    List<String> targets = new ArrayList<>();
    Gossiper gossiper = new Gossiper(SETTINGS.withFanout(3), NodeId.of("n1"), "h1:7000", time, time, new SplittableRandom(1),
        (address, frame) -> targets.add(address), new TimeoutFailureDetector(SETTINGS.failureTimeout()));
    gossiper.start(time);
    time.advance(Duration.ofSeconds(5));
    assertThat(targets).hasSize(5).containsOnly(SimulatedCluster.address(0));
    gossiper.stop();
    time.advance(Duration.ofSeconds(5));
    assertThat(targets).hasSize(5);
  }
}
