package io.ringstore.cluster.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The cached preference lists of {@link RingSnapshot} against a naive walk over the ring, for random
 * rings (1..7 members, weights 1..3, 1..16 vnodes), random key tokens and N from 0 to 9. jqwik
 * prints each property's seed in its report; rerun one with {@code @Property(seed = "...")}.
 */
class RingSnapshotPropertiesTest {

  record Shape(Map<String, Integer> weights, int vnodes) {
    RingSnapshot ring() {
      return RingSnapshot.of(weights, vnodes);
    }
  }

  @Provide
  Arbitrary<Shape> shapes() {
    Arbitrary<Map<String, Integer>> weights = Arbitraries.integers().between(1, 3).list().ofMinSize(1).ofMaxSize(7)
        .map(list -> {
          Map<String, Integer> members = new TreeMap<>();
          for (int i = 0; i < list.size(); i++) {
            members.put("m" + i, list.get(i));
          }
          return members;
        });
    return Combinators.combine(weights, Arbitraries.integers().between(1, 16)).as(Shape::new);
  }

  @Provide
  Arbitrary<Long> tokens() {
    // Random longs, plus the edges where wrapping happens.
    return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(Long.MIN_VALUE, -1L, 0L, 1L, Long.MAX_VALUE));
  }

  @Property(tries = 300)
  void cachedListsEqualANaiveWalk(@ForAll("shapes") Shape shape, @ForAll("tokens") long token) {
    RingSnapshot ring = shape.ring();
    for (int n = 0; n <= 9; n++) {
      assertThat(ring.preferenceList(token, n)).as("N=%d in %s", n, ring).isEqualTo(naiveWalk(shape, token, n));
    }
  }

  @Property(tries = 300)
  void listsHoldMinOfNAndMembersDistinctMembersOwnerFirst(@ForAll("shapes") Shape shape, @ForAll("tokens") long token) {
    RingSnapshot ring = shape.ring();
    TreeMap<Long, String> owners = ownersByToken(shape);
    var owning = owners.ceilingEntry(token);
    String owner = owning != null ? owning.getValue() : owners.firstEntry().getValue();
    for (int n = 1; n <= 9; n++) {
      List<String> list = ring.preferenceList(token, n);
      assertThat(list).hasSize(Math.min(n, shape.weights().size())).doesNotHaveDuplicates();
      assertThat(list.get(0)).isEqualTo(owner);
      assertThat(ring.members()).containsAll(list);
    }
    assertThat(ring.preferenceList(token, shape.weights().size() + 1)).containsExactlyInAnyOrderElementsOf(ring.members());
    assertThat(ring.index(token)).isBetween(0, ring.tokenCount() - 1);
    assertThat(ring.ownerAt(ring.index(token))).isEqualTo(owner);
  }

  @Property(tries = 200)
  void tokensOfPartitionTheRing(@ForAll("shapes") Shape shape) {
    RingSnapshot ring = shape.ring();
    int total = 0;
    for (var member : shape.weights().entrySet()) {
      List<Long> tokens = ring.tokensOf(member.getKey());
      assertThat(tokens).hasSize(shape.vnodes() * member.getValue()).isSorted();
      assertThat(ring.weightOf(member.getKey())).isEqualTo(member.getValue());
      total += tokens.size();
    }
    assertThat(total).isEqualTo(ring.tokenCount());
    assertThat(ring.vnodes()).isEqualTo(shape.vnodes());
  }

  /** Every token and its owner, from {@link RingSnapshot#tokensOf} only. */
  private static TreeMap<Long, String> ownersByToken(Shape shape) {
    RingSnapshot ring = shape.ring();
    TreeMap<Long, String> owners = new TreeMap<>();
    for (String member : shape.weights().keySet()) {
      for (long t : ring.tokensOf(member)) {
        owners.put(t, member);
      }
    }
    return owners;
  }

  /** Walk clockwise from the first token >= {@code token}, collecting distinct owners. */
  private static List<String> naiveWalk(Shape shape, long token, int n) {
    TreeMap<Long, String> owners = ownersByToken(shape);
    List<Map.Entry<Long, String>> clockwise = new ArrayList<>(owners.tailMap(token, true).entrySet());
    clockwise.addAll(owners.headMap(token, false).entrySet());
    List<String> replicas = new ArrayList<>();
    for (var e : clockwise) {
      if (replicas.size() == n) {
        break;
      }
      if (!replicas.contains(e.getValue())) {
        replicas.add(e.getValue());
      }
    }
    return replicas;
  }
}
