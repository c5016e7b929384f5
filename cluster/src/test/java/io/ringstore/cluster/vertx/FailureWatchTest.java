package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.cluster.membership.EndpointState;
import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.Membership;
import io.ringstore.cluster.membership.MembershipListener;
import io.ringstore.cluster.membership.MembershipView;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.membership.StateEntry;
import io.ringstore.cluster.membership.StateKey;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.testkit.FakeTime;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link FailureWatch}'s decisions on {@link FakeTime}, over hand-made gossip views: who is removed,
 * when, by whom, and what a pause does.
 */
class FailureWatchTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration DOWN_AFTER = Duration.ofSeconds(5);

  private final FakeTime time = new FakeTime();
  private final FakeMembership membership = new FakeMembership();

  /** Members by Vert.x node id "a", "b", ...; gossip node ids "n-a", "n-b", .... */
  private static final class FakeMembership implements Membership {
    final Map<NodeId, Member> members = new TreeMap<>();
    final List<MembershipListener> listeners = new ArrayList<>();
    NodeId self = NodeId.of("n-a");

    void put(String vertxId, boolean alive) {
      NodeId id = NodeId.of("n-" + vertxId);
      EndpointState state = new EndpointState(id, 1, Map.of(
          StateKey.STATUS, new StateEntry(StateKey.STATUS, 1, Bytes.of(new byte[] {(byte) NodeStatus.NORMAL.code()})),
          StateKey.VERTX_NODE_ID, new StateEntry(StateKey.VERTX_NODE_ID, 2, Bytes.utf8(vertxId))));
      members.put(id, new Member(id, 1, NodeStatus.NORMAL, alive, state));
    }

    /** A member with a gossip address and a generation (its start: the smaller, the older). */
    void put(String vertxId, boolean alive, long generation) {
      NodeId id = NodeId.of("n-" + vertxId);
      EndpointState state = new EndpointState(id, generation, Map.of(
          StateKey.STATUS, new StateEntry(StateKey.STATUS, 1, Bytes.of(new byte[] {(byte) NodeStatus.NORMAL.code()})),
          StateKey.GOSSIP_ADDRESS, new StateEntry(StateKey.GOSSIP_ADDRESS, 2, Bytes.utf8("10.0.0." + generation + ":7000")),
          StateKey.VERTX_NODE_ID, new StateEntry(StateKey.VERTX_NODE_ID, 3, Bytes.utf8(vertxId))));
      members.put(id, new Member(id, generation, NodeStatus.NORMAL, alive, state));
    }

    @Override
    public MembershipView view() {
      return new MembershipView(self, members);
    }

    @Override
    public void addListener(MembershipListener listener) {
      listeners.add(listener);
    }

    @Override
    public void removeListener(MembershipListener listener) {
      listeners.remove(listener);
    }
  }

  /** The registry: members in join order, this node, and what the watch asked for. */
  private static final class FakeRegistry implements FailureWatch.Registry {
    final List<String> order;
    final String self;
    final List<String> removals = new ArrayList<>();
    int probes;

    FakeRegistry(String self, String... order) {
      this.self = self;
      this.order = new ArrayList<>(List.of(order));
    }

    @Override
    public List<String> members() {
      return List.copyOf(order);
    }

    @Override
    public String self() {
      return self;
    }

    @Override
    public boolean isCoordinator() {
      return order.get(0).equals(self);
    }

    @Override
    public Future<Void> removeDown(List<String> nodeIds, boolean takeover) {
      removals.add((takeover ? "takeover " : "remove ") + nodeIds);
      return Future.succeededFuture();
    }

    @Override
    public void probe() {
      probes++;
    }

    final List<String> merges = new ArrayList<>();

    @Override
    public void mergeInto(String address) {
      merges.add(address);
    }
  }

  @Test
  void aSideOfAHealedSplitWithoutTheOldestLiveMemberMergesIntoItsCluster() {
    // c took over the {c, d} side while a (the oldest, generation 1) was cut off; the partition healed
    FakeRegistry side = new FakeRegistry("c", "c", "d");
    membership.self = NodeId.of("n-c");
    membership.put("a", true, 1);
    membership.put("c", true, 3);
    membership.put("d", true, 4);
    FailureWatch watch = watch(side);
    watch.run();
    for (int i = 0; i < 4; i++) {
      step(watch);
    }
    assertThat(side.merges).as("before downAfter").isEmpty();
    step(watch);
    step(watch);
    assertThat(side.merges).containsExactly("10.0.0.1:7000");
    step(watch);
    assertThat(side.merges).as("at most one merge a downAfter").hasSize(1);
    // once merged, the registry holds a: nothing more
    side.order.add(0, "a");
    for (int i = 0; i < 8; i++) {
      step(watch);
    }
    assertThat(side.merges).hasSize(1);
  }

  @Test
  void theSideWithTheOldestLiveMemberStaysAsItIs() {
    FakeRegistry oldest = new FakeRegistry("a", "a");
    membership.put("a", true, 1);
    membership.put("c", true, 3);
    membership.put("d", true, 4);
    FailureWatch watch = watch(oldest);
    watch.run();
    for (int i = 0; i < 10; i++) {
      step(watch);
    }
    assertThat(oldest.merges).isEmpty();
    // and the oldest judged down (still cut off) makes no merge either
    FakeRegistry side = new FakeRegistry("c", "c", "d");
    membership.self = NodeId.of("n-c");
    membership.put("a", false, 1);
    FailureWatch other = watch(side);
    other.run();
    for (int i = 0; i < 10; i++) {
      step(other);
    }
    assertThat(side.merges).isEmpty();
  }

  private FailureWatch watch(FakeRegistry registry) {
    return new FailureWatch(membership, registry, time, INTERVAL, DOWN_AFTER);
  }

  private void step(FailureWatch watch) {
    time.advance(INTERVAL);
    watch.run();
  }

  @Test
  void theCoordinatorRemovesAMemberOnceItStayedDownForAnInterval() {
    FakeRegistry registry = new FakeRegistry("a", "a", "b", "c");
    membership.put("a", true);
    membership.put("b", true);
    membership.put("c", true);
    FailureWatch watch = watch(registry);
    watch.run();
    membership.put("c", false);
    step(watch);
    assertThat(registry.removals).as("one stale round removes nobody").isEmpty();
    assertThat(watch.isDown("c")).isFalse();
    step(watch);
    assertThat(registry.removals).containsExactly("remove [c]");
    assertThat(watch.isDown("c")).isTrue();
    step(watch);
    assertThat(registry.removals).as("not asked again while the removal is under way").hasSize(1);
    registry.order.remove("c");
    step(watch);
    assertThat(watch.isDown("c")).isFalse();
  }

  @Test
  void aMemberComingBackBeforeTheConfirmationIsNotRemoved() {
    FakeRegistry registry = new FakeRegistry("a", "a", "b");
    membership.put("a", true);
    membership.put("b", false);
    FailureWatch watch = watch(registry);
    watch.run();
    membership.put("b", true);
    step(watch);
    membership.put("b", false);
    step(watch);
    assertThat(registry.removals).isEmpty();
  }

  @Test
  void aMemberTakesOverOnlyWhenEveryOlderMemberIsDown() {
    membership.self = NodeId.of("n-c");
    FakeRegistry registry = new FakeRegistry("c", "a", "b", "c", "d");
    membership.put("a", false);
    membership.put("b", true);
    membership.put("c", true);
    membership.put("d", false);
    FailureWatch watch = watch(registry);
    watch.run();
    step(watch);
    step(watch);
    assertThat(registry.removals).as("b lives: b takes over, not c; d is not c's to remove").isEmpty();
    membership.put("b", false);
    step(watch);
    step(watch);
    assertThat(registry.removals).containsExactly("takeover [a, b]");
  }

  @Test
  void aMemberNeverSeenInGossipIsDownAfterTwiceDownAfter() {
    FakeRegistry registry = new FakeRegistry("a", "a", "b");
    membership.put("a", true);
    FailureWatch watch = watch(registry);
    for (int i = 0; i < 10; i++) {
      step(watch);
    }
    assertThat(registry.removals).isEmpty();
    step(watch);
    step(watch);
    assertThat(registry.removals).containsExactly("remove [b]");
  }

  @Test
  void afterAPauseNobodyIsJudgedDownForDownAfterAndMembershipIsProbed() {
    FakeRegistry registry = new FakeRegistry("a", "a", "b");
    membership.put("a", true);
    membership.put("b", true);
    FailureWatch watch = watch(registry);
    watch.run();
    membership.put("b", false); // what a paused process's failure detector says of everyone
    time.advance(DOWN_AFTER.multipliedBy(3));
    watch.run();
    assertThat(registry.probes).isEqualTo(1);
    for (int i = 0; i < 4; i++) {
      step(watch);
    }
    assertThat(registry.removals).as("held off for downAfter").isEmpty();
    step(watch);
    step(watch);
    assertThat(registry.removals).containsExactly("remove [b]");
  }

  @Test
  void aMemberThatIsNotTheCoordinatorProbesItEveryDownAfter() {
    FakeRegistry member = new FakeRegistry("b", "a", "b");
    membership.self = NodeId.of("n-b");
    membership.put("a", true);
    membership.put("b", true);
    FailureWatch watch = watch(member);
    for (int i = 0; i < 4; i++) {
      step(watch);
    }
    assertThat(member.probes).isZero();
    step(watch);
    assertThat(member.probes).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      step(watch);
    }
    assertThat(member.probes).isEqualTo(2);
    // the coordinator does not probe
    FakeRegistry coordinator = new FakeRegistry("a", "a", "b");
    FailureWatch its = watch(coordinator);
    for (int i = 0; i < 12; i++) {
      step(its);
    }
    assertThat(coordinator.probes).isZero();
  }

  @Test
  void aPeerComingUpMakesTheNextRunProbe() {
    FakeRegistry registry = new FakeRegistry("b", "a", "b");
    membership.self = NodeId.of("n-b");
    membership.put("a", true);
    membership.put("b", true);
    FailureWatch watch = watch(registry);
    watch.start(time);
    assertThat(membership.listeners).containsExactly(watch);
    time.advance(INTERVAL);
    assertThat(registry.probes).isZero();
    watch.onUp(membership.members.get(NodeId.of("n-a")));
    time.advance(INTERVAL);
    assertThat(registry.probes).isEqualTo(1);
    watch.stop();
    assertThat(membership.listeners).isEmpty();
    assertThat(time.pendingTasks()).isZero();
    assertThat(Set.copyOf(registry.removals)).isEmpty();
  }
}
