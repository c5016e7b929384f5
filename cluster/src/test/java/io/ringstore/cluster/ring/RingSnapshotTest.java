package io.ringstore.cluster.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RingSnapshotTest {
  private static final long SEED = Long.getLong("ringstore.seed", 20261124L);

  @Test
  void singleMemberServesEveryKey() {
    RingSnapshot ring = RingSnapshot.of(Map.of("a", 1), 256);
    assertThat(ring.isSingleMember()).isTrue();
    assertThat(ring.tokenCount()).isEqualTo(256);
    assertThat(ring.preferenceList(42L, 3)).containsExactly("a");
  }

  @Test
  void preferenceListsHoldDistinctMembersUpToN() {
    System.out.println("RingSnapshotTest seed = " + SEED);
    RingSnapshot ring = RingSnapshot.of(Map.of("a", 1, "b", 1, "c", 1, "d", 1), 64);
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 1000; i++) {
      long token = random.nextLong();
      List<String> three = ring.preferenceList(token, 3);
      assertThat(three).hasSize(3).doesNotHaveDuplicates();
      assertThat(ring.preferenceList(token, 10)).hasSize(4).startsWith(three.toArray(new String[0]));
    }
  }

  @Test
  void everyNodeComputesTheSameRing() {
    Map<String, Integer> members = Map.of("a", 1, "b", 2, "c", 1);
    RingSnapshot one = RingSnapshot.of(members, 32);
    RingSnapshot two = RingSnapshot.of(new HashMap<>(members), 32);
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 200; i++) {
      long token = random.nextLong();
      assertThat(one.preferenceList(token, 2)).isEqualTo(two.preferenceList(token, 2));
    }
  }

  @Test
  void doubleWeightOwnsAboutTwiceTheKeys() {
    RingSnapshot ring = RingSnapshot.of(Map.of("small", 1, "big", 2), 256);
    assertThat(ring.tokenCount()).isEqualTo(768);
    SplittableRandom random = new SplittableRandom(SEED);
    int big = 0;
    int keys = 20_000;
    for (int i = 0; i < keys; i++) {
      if (ring.preferenceList(random.nextLong(), 1).get(0).equals("big")) {
        big++;
      }
    }
    assertThat(big / (double) keys).isBetween(0.60, 0.73);
  }

  @Test
  void aNewNodeTakesAboutItsShare() {
    RingSnapshot before = RingSnapshot.of(Map.of("a", 1, "b", 1, "c", 1), 256);
    RingSnapshot after = RingSnapshot.of(Map.of("a", 1, "b", 1, "c", 1, "d", 1), 256);
    SplittableRandom random = new SplittableRandom(SEED);
    int moved = 0;
    int keys = 20_000;
    var movedTo = new HashSet<String>();
    for (int i = 0; i < keys; i++) {
      long token = random.nextLong();
      String was = before.preferenceList(token, 1).get(0);
      String now = after.preferenceList(token, 1).get(0);
      if (!was.equals(now)) {
        moved++;
        movedTo.add(now);
      }
    }
    // Only keys that move to the new node move at all; close to 1/4 of them.
    assertThat(movedTo).containsExactly("d");
    assertThat(moved / (double) keys).isBetween(0.18, 0.32);
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> RingSnapshot.of(Map.of(), 8)).hasMessageContaining("at least one member");
    assertThatThrownBy(() -> RingSnapshot.of(Map.of("a", 1), 0)).hasMessageContaining("vnodes = 0");
    assertThatThrownBy(() -> RingSnapshot.of(Map.of("a", 0), 8)).hasMessageContaining("weight of node 'a' = 0");
  }
}
