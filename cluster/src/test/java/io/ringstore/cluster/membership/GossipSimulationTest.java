package io.ringstore.cluster.membership;

import io.ringstore.spi.testkit.TestSeeds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Membership changes reach all n nodes in O(log n) rounds: 50 simulated nodes, each knowing only
 * the seed, converge; a new node's join and its NORMAL status, a node's LEAVING and LEFT, and a
 * crashed node's being judged down each reach every other node, and the rounds are measured and
 * printed. The bound asserted, 4 x ceil(log2 n) rounds on average over several seeds, is generous:
 * push-pull gossip needs about log3(n) + O(log log n) rounds. The bound on failure detection is
 * the timeout detector's (a heartbeat relayed over several hops restarts the timeout at each), so
 * these runs use it; {@link GossipFailureDetectionTest} measures the phi-accrual detector.
 */
class GossipSimulationTest {
  private static final int N = 50;
  private static final int RUNS = 4;
  private static final int LOG2_N = (int) Math.ceil(Math.log(N) / Math.log(2));
  private static final GossipSettings SETTINGS = GossipSettings.defaults("sim", List.of(SimulatedCluster.address(0)))
      .withLeftRetention(Duration.ofSeconds(30)).withFailureDetection(FailureDetection.timeout());

  /**
   * Rounds measured in one run: until all know all from one seed; until all heard the join, the
   * NORMAL status, LEAVING and LEFT; past the failure timeout until all judged the crashed node down;
   * past leftRetention until all removed the node that left.
   */
  record Rounds(int converge, int join, int normal, int leaving, int left, int downAfterTimeout, int removedAfterRetention) {}

  @Test
  void fiftyNodesSpreadJoinsLeavesAndFailuresInLogarithmicRounds(TestInfo test) {
    long seed = TestSeeds.seed(test);
    SplittableRandom seeds = new SplittableRandom(seed);
    List<Rounds> runs = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      long runSeed = seeds.nextLong();
      Rounds rounds = scenario(new SimulatedCluster(SETTINGS, runSeed, Duration.ofMillis(1), Duration.ofMillis(20), 0), LOG2_N);
      System.out.println("gossip simulation, n = " + N + ", fanout " + SETTINGS.fanout() + ", run seed " + runSeed + ": " + rounds);
      runs.add(rounds);
    }
    double join = runs.stream().mapToInt(Rounds::join).average().orElseThrow();
    double normal = runs.stream().mapToInt(Rounds::normal).average().orElseThrow();
    double leaving = runs.stream().mapToInt(Rounds::leaving).average().orElseThrow();
    double left = runs.stream().mapToInt(Rounds::left).average().orElseThrow();
    System.out.printf("gossip simulation, n = %d, averages over %d runs: join %.1f, NORMAL %.1f, LEAVING %.1f, LEFT %.1f rounds "
        + "(bound 4 x ceil(log2 n) = %d)%n", N, RUNS, join, normal, leaving, left, 4 * LOG2_N);
    for (double average : new double[] {join, normal, leaving, left}) {
      assertThat(average).isLessThanOrEqualTo(4.0 * LOG2_N);
    }
  }

  @Test
  void withLossAndLongerDelaysChangesStillReachEveryone(TestInfo test) {
    long seed = TestSeeds.seed(test);
    Rounds rounds = scenario(new SimulatedCluster(SETTINGS, seed, Duration.ofMillis(5), Duration.ofMillis(300), 0.1), 2 * LOG2_N);
    System.out.println("gossip simulation, n = " + N + ", 10% loss, 5-300 ms delay: " + rounds);
    assertThat(rounds.join()).isLessThanOrEqualTo(8 * LOG2_N);
    assertThat(rounds.normal()).isLessThanOrEqualTo(8 * LOG2_N);
  }

  /**
   * Runs the whole scenario; a crashed node must be judged down by everyone within
   * {@code downSlackRounds} after the timeout (a heartbeat still travels for a few rounds after
   * its node stopped, and each hop restarts the timeout at its receiver).
   */
  private static Rounds scenario(SimulatedCluster cluster, int downSlackRounds) {
    long timeoutRounds = SETTINGS.failureTimeout().toNanos() / SETTINGS.interval().toNanos();
    for (int i = 0; i < N; i++) {
      cluster.start(i, NodeStatus.NORMAL);
    }
    int converge = cluster.roundsUntil(() -> cluster.running().stream().allMatch(g ->
        g.view().inStatus(NodeStatus.NORMAL).size() == N && g.view().alive().size() == N), 20 * LOG2_N, "all know all");
    Set<NodeId> firstFifty = IntStream.range(0, N).mapToObj(SimulatedCluster::id).collect(Collectors.toSet());

    // a new node joins through the seed, then becomes NORMAL
    long joinedAt = cluster.time.nanos();
    Gossiper newcomer = cluster.start(N, NodeStatus.JOINING);
    int join = cluster.roundsUntilAllHear("joined n" + N, firstFifty, joinedAt, 20 * LOG2_N);
    long normalAt = cluster.time.nanos();
    newcomer.setStatus(NodeStatus.NORMAL);
    int normal = cluster.roundsUntilAllHear("status n" + N + " NORMAL", firstFifty, normalAt, 20 * LOG2_N);

    // a node leaves politely: LEAVING, then LEFT, then stops
    Set<NodeId> othersThan7 = IntStream.rangeClosed(0, N).filter(i -> i != 7).mapToObj(SimulatedCluster::id).collect(Collectors.toSet());
    long leavingAt = cluster.time.nanos();
    cluster.node(7).setStatus(NodeStatus.LEAVING);
    int leaving = cluster.roundsUntilAllHear("status n7 LEAVING", othersThan7, leavingAt, 20 * LOG2_N);
    long leftAt = cluster.time.nanos();
    cluster.node(7).setStatus(NodeStatus.LEFT);
    int left = cluster.roundsUntilAllHear("status n7 LEFT", othersThan7, leftAt, 20 * LOG2_N);
    cluster.crash(7);

    // a node stops gossiping: everyone judges it down, within a few rounds after the timeout
    Set<NodeId> survivors = IntStream.rangeClosed(0, N).filter(i -> i != 7 && i != 13).mapToObj(SimulatedCluster::id)
        .collect(Collectors.toSet());
    long crashedAt = cluster.time.nanos();
    cluster.crash(13);
    int down = cluster.roundsUntilAllHear("down n13", survivors, crashedAt, (int) timeoutRounds + 4 * LOG2_N);
    assertThat(down).as("rounds from the crash until all judge n13 down").isLessThanOrEqualTo((int) timeoutRounds + downSlackRounds);

    // the node that left is removed everywhere after leftRetention, and stays removed
    int retentionRounds = (int) (SETTINGS.leftRetention().toNanos() / SETTINGS.interval().toNanos());
    int removed = cluster.roundsUntilAllHear("removed n7", survivors, leftAt, retentionRounds + 4 * LOG2_N) - retentionRounds;
    int eventsBefore = cluster.events().size();
    cluster.time.advance(SETTINGS.leftRetention());
    for (Gossiper g : cluster.running()) {
      if (!g.self().equals(SimulatedCluster.id(7)) && !g.self().equals(SimulatedCluster.id(13))) {
        assertThat(g.view().member(SimulatedCluster.id(7))).as("n7 in the view of %s", g.self()).isEmpty();
        assertThat(g.view().member(SimulatedCluster.id(13)).orElseThrow().alive()).isFalse();
        assertThat(g.view().members()).hasSize(N); // 51 nodes, less the one that left
      }
    }
    assertThat(cluster.events().subList(eventsBefore, cluster.events().size()))
        .as("events after n7 was removed").noneMatch(e -> e.contains("n7"));
    List<String> falseDowns = cluster.events().stream()
        .filter(e -> e.contains(": down ") && !e.endsWith("down n13")).toList();
    assertThat(falseDowns).as("nodes judged down while they were gossiping").isEmpty();
    return new Rounds(converge, join, normal, leaving, left, (int) (down - timeoutRounds), removed);
  }
}
