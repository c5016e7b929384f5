package io.ringstore.cluster.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.cluster.ring.RingSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenRanges}: the canonical form, and the scope of a pair: a token is in
 * {@code shared(ring, n, a, b)} exactly when its preference list holds both.
 */
class TokenRangesTest {

  @Property(tries = 60)
  void aPairsScopeIsWhereItsPreferenceListsHoldBoth(@ForAll @IntRange(min = 1, max = 6) int members,
      @ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 16) int vnodes, @ForAll long salt) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (int i = 0; i < members; i++) {
      weights.put("node-" + i + "-" + (salt & 0xff), 1 + i % 2);
    }
    RingSnapshot ring = RingSnapshot.of(weights, vnodes);
    List<String> ids = ring.members();
    String a = ids.get(0);
    String b = ids.get(ids.size() - 1);
    TokenRanges scope = TokenRanges.shared(ring, n, a, b);
    java.util.SplittableRandom random = new java.util.SplittableRandom(salt);
    List<Long> probes = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L));
    for (int i = 0; i < ring.tokenCount(); i++) {
      probes.add(ring.tokenAt(i));
      probes.add(ring.tokenAt(i) + 1);
      probes.add(ring.tokenAt(i) - 1);
    }
    for (int i = 0; i < 200; i++) {
      probes.add(random.nextLong());
    }
    for (long token : probes) {
      List<String> replicas = ring.preferenceList(token, n);
      assertThat(scope.contains(token)).as("token %d, replicas %s, pair %s/%s", token, replicas, a, b)
          .isEqualTo(replicas.contains(a) && replicas.contains(b));
    }
  }

  @Test
  void unionIsCanonical() {
    TokenRanges union = TokenRanges.union(List.of(new TokenRange(10, 20), new TokenRange(0, 5), new TokenRange(6, 8),
        new TokenRange(15, 30), new TokenRange(Long.MAX_VALUE, Long.MAX_VALUE), new TokenRange(40, 50)));
    assertThat(union.ranges()).containsExactly(new TokenRange(0, 8), new TokenRange(10, 30), new TokenRange(40, 50),
        new TokenRange(Long.MAX_VALUE, Long.MAX_VALUE));
    assertThat(TokenRanges.union(List.of(new TokenRange(Long.MIN_VALUE, 0), new TokenRange(1, Long.MAX_VALUE))))
        .isEqualTo(TokenRanges.ALL);
    assertThat(union.split(3)).extracting(TokenRanges::size).containsExactly(3, 1);
    assertThat(union.intersect(new TokenRanges(List.of(new TokenRange(5, 12), new TokenRange(45, Long.MAX_VALUE)))).ranges())
        .containsExactly(new TokenRange(5, 8), new TokenRange(10, 12), new TokenRange(45, 50),
            new TokenRange(Long.MAX_VALUE, Long.MAX_VALUE));
    assertThat(union.intersect(TokenRanges.ALL)).isEqualTo(union);
    assertThat(union.intersect(TokenRanges.NONE).isEmpty()).isTrue();
    assertThat(union.contains(9)).isFalse();
    assertThat(union.contains(30)).isTrue();
    assertThatThrownBy(() -> new TokenRanges(List.of(new TokenRange(0, 5), new TokenRange(6, 8))))
        .hasMessage("token range [6, 8] does not start after [0, 5] with a gap; ranges must be ascending, disjoint and not adjacent");
    assertThatThrownBy(() -> new TokenRange(2, 1)).hasMessage("token range first = 2 is after last = 1; need first <= last");
  }

  @Test
  void aSingleMemberRingOrATwoMemberRingWithNTwoSharesEverything() {
    RingSnapshot two = RingSnapshot.of(Map.of("a", 1, "b", 1), 8);
    assertThat(TokenRanges.shared(two, 2, "a", "b")).isEqualTo(TokenRanges.ALL);
    assertThat(TokenRanges.shared(two, 1, "a", "b").isEmpty()).isTrue();
    assertThat(TokenRanges.shared(two, 2, "a", "c").isEmpty()).isTrue();
  }
}
