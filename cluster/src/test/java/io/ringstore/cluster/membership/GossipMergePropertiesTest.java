package io.ringstore.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.cluster.membership.GossipArbitraries.History;
import io.ringstore.spi.Bytes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The merge laws of {@link EndpointState} and the reconciliation of {@link GossipExchange}: for
 * replicas of one node's history the merge is commutative, associative and idempotent; a newer
 * generation wins whole; versions never go back; a delta cut anywhere and completed later gives
 * the same state; a Syn/Ack/Ack2 exchange leaves both sides with the merge of both, in one
 * exchange when the frame is large enough and in a bounded number when it is not.
 */
class GossipMergePropertiesTest {

  record Replicas(History history, EndpointState a, EndpointState b, EndpointState c) {}

  @Provide
  Arbitrary<Replicas> replicas() {
    return GossipArbitraries.histories().flatMap(h -> Combinators
        .combine(GossipArbitraries.replicas(h), GossipArbitraries.replicas(h), GossipArbitraries.replicas(h))
        .as((a, b, c) -> new Replicas(h, a, b, c)));
  }

  @Property(tries = 300)
  void mergeIsCommutativeAssociativeAndIdempotent(@ForAll("replicas") Replicas r) {
    assertThat(r.a().merge(r.b())).isEqualTo(r.b().merge(r.a()));
    assertThat(r.a().merge(r.b()).merge(r.c())).isEqualTo(r.a().merge(r.b().merge(r.c())));
    assertThat(r.a().merge(r.a())).isEqualTo(r.a());
    assertThat(r.a().merge(r.b()).merge(r.b())).isEqualTo(r.a().merge(r.b()));
  }

  @Property(tries = 300)
  void aNewerGenerationWinsWholeAndAnOlderOneIsIgnored(@ForAll("replicas") Replicas r) {
    EndpointState merged = r.a().merge(r.b());
    if (r.a().generation() != r.b().generation()) {
      EndpointState newer = r.a().generation() > r.b().generation() ? r.a() : r.b();
      assertThat(merged).isEqualTo(newer);
    }
    assertThat(merged.generation()).isEqualTo(Math.max(r.a().generation(), r.b().generation()));
  }

  @Property(tries = 300)
  void versionsNeverGoBack(@ForAll("replicas") Replicas r) {
    EndpointState merged = r.a().merge(r.b());
    for (EndpointState side : List.of(r.a(), r.b())) {
      if (side.generation() == merged.generation()) {
        assertThat(merged.maxVersion()).isGreaterThanOrEqualTo(side.maxVersion());
        side.entries().forEach((key, entry) ->
            assertThat(merged.entry(key).version()).as("version of %s", key).isGreaterThanOrEqualTo(entry.version()));
      }
    }
  }

  @Property(tries = 300)
  void aDeltaCutAnywhereAndCompletedLaterGivesTheSameState(@ForAll("replicas") Replicas r, @ForAll("cuts") int cut) {
    EndpointState behind = r.a();
    EndpointState ahead = r.a().merge(r.b());
    NodeDelta whole = GossipExchange.deltaFor(ahead, behind.generation(), behind.maxVersion());
    if (whole == null) {
      assertThat(behind).isEqualTo(ahead);
      return;
    }
    int taken = Math.min(cut, whole.entries().size());
    EndpointState partly = behind.apply(new NodeDelta(whole.node(), whole.generation(), whole.entries().subList(0, taken)));
    NodeDelta rest = GossipExchange.deltaFor(ahead, partly.generation(), partly.maxVersion());
    EndpointState completed = rest == null ? partly : partly.apply(rest);
    assertThat(completed.merge(behind)).isEqualTo(ahead);
    assertThat(completed.maxVersion()).isEqualTo(ahead.maxVersion());
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.integers().between(0, 12);
  }

  // ---------------------------------------------------------------- whole exchanges

  record Clusters(Map<NodeId, EndpointState> a, Map<NodeId, EndpointState> b) {}

  /** Two views of up to five nodes, each node's states drawn from that node's history. */
  @Provide
  Arbitrary<Clusters> clusters() {
    Arbitrary<List<History>> histories = GossipArbitraries.histories().list().ofMinSize(1).ofMaxSize(5);
    return histories.flatMap(list -> {
      Arbitrary<Map<NodeId, EndpointState>> view = Combinators.combine(list.stream().map(h -> {
        History named = new History(NodeId.of("n" + list.indexOf(h)), h.generations());
        return Arbitraries.oneOf(GossipArbitraries.replicas(named).map(s -> (EndpointState) s),
            Arbitraries.just((EndpointState) null));
      }).toList()).as(states -> {
        Map<NodeId, EndpointState> map = new HashMap<>();
        states.stream().filter(s -> s != null).forEach(s -> map.put(s.node(), s));
        return map;
      });
      return Combinators.combine(view, view).as(Clusters::new);
    });
  }

  private static Map<NodeId, EndpointState> join(Map<NodeId, EndpointState> a, Map<NodeId, EndpointState> b) {
    Map<NodeId, EndpointState> joined = new HashMap<>(a);
    b.forEach((node, state) -> joined.merge(node, state, EndpointState::merge));
    return joined;
  }

  /** Runs one Syn/Ack/Ack2 exchange from {@code a} to {@code b} with budget {@code budget}; both maps change. */
  private static void exchange(Map<NodeId, EndpointState> a, Map<NodeId, EndpointState> b, int budget, SplittableRandom random) {
    List<Digest> syn = GossipExchange.syn(a, budget, random);
    GossipMessage.Ack ack = GossipExchange.ack(b, syn, d -> true, budget, random);
    assertThat(GossipCodec.sizeOf(new GossipFrame("c", NodeId.of("x"), "a", ack))).isLessThanOrEqualTo(budget + GossipCodec.headerSize("c", NodeId.of("x"), "a"));
    apply(a, ack.deltas());
    List<NodeDelta> ack2 = GossipExchange.ack2(a, ack.requests(), budget, random);
    assertThat(GossipCodec.sizeOf(new GossipFrame("c", NodeId.of("x"), "a", new GossipMessage.Ack2(ack2))))
        .isLessThanOrEqualTo(budget + GossipCodec.headerSize("c", NodeId.of("x"), "a"));
    apply(b, ack2);
  }

  private static void apply(Map<NodeId, EndpointState> states, List<NodeDelta> deltas) {
    for (NodeDelta delta : deltas) {
      EndpointState old = states.get(delta.node());
      states.put(delta.node(), (old == null ? EndpointState.empty(delta.node(), delta.generation()) : old).apply(delta));
    }
  }

  @Property(tries = 300)
  void oneExchangeLeavesBothSidesWithTheMergeOfBoth(@ForAll("clusters") Clusters c, @ForAll long seed) {
    Map<NodeId, EndpointState> expected = join(c.a(), c.b());
    Map<NodeId, EndpointState> a = new HashMap<>(c.a());
    Map<NodeId, EndpointState> b = new HashMap<>(c.b());
    exchange(a, b, 64 * 1024, new SplittableRandom(seed));
    assertThat(a).isEqualTo(expected);
    assertThat(b).isEqualTo(expected);
  }

  @Property(tries = 200)
  void withASmallBudgetExchangesStillConverge(@ForAll("clusters") Clusters c, @ForAll long seed) {
    Map<NodeId, EndpointState> expected = join(c.a(), c.b());
    Map<NodeId, EndpointState> a = new HashMap<>(c.a());
    Map<NodeId, EndpointState> b = new HashMap<>(c.b());
    SplittableRandom random = new SplittableRandom(seed);
    int exchanges = 0;
    // room for about one entry a frame: every exchange still moves something forward
    while (!(a.equals(expected) && b.equals(expected))) {
      exchange(a, b, 60, random);
      exchanges++;
      assertThat(exchanges).as("exchanges so far").isLessThanOrEqualTo(200);
    }
  }

  @Property(tries = 100)
  void unknownKeysAreKeptAndRelayed(@ForAll("replicas") Replicas r) {
    StateEntry unknown = new StateEntry(new StateKey(200), r.a().maxVersion() + 1, Bytes.utf8("from a newer build"));
    NodeDelta delta = new NodeDelta(r.a().node(), r.a().generation(), List.of(unknown));
    EndpointState relayed = EndpointState.empty(r.a().node(), 0).apply(r.a().apply(delta).fullDelta());
    assertThat(relayed.entry(new StateKey(200))).isEqualTo(unknown);
  }
}
