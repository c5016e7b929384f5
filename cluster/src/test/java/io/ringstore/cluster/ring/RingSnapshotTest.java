package io.ringstore.cluster.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RingSnapshotTest {
  /** The tokens of member "node-1" with 3 vnodes, computed by the generator before issue 7. */
  private static final List<Long> GOLDEN_NODE1_TOKENS = List.of(-7262318607540750270L, -4157883198632812189L, -2407144545419834476L);

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
  void preferenceListsAreSharedAndImmutable() {
    RingSnapshot ring = RingSnapshot.of(Map.of("a", 1, "b", 1, "c", 1, "d", 1), 64);
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 100; i++) {
      long token = random.nextLong();
      List<String> first = ring.preferenceList(token, 3);
      assertThat(ring.preferenceList(token, 3)).isSameAs(first);
      assertThatThrownBy(() -> first.add("e")).isInstanceOf(UnsupportedOperationException.class);
    }
    // Every N above the member count is the same table as N = members.
    assertThat(ring.preferenceList(7L, 9)).isSameAs(ring.preferenceList(7L, 4));
    assertThat(ring.preferenceList(7L, 0)).isEmpty();
  }

  @Test
  void preferenceListsDoNotAllocateOnceBuilt() {
    var threads = ManagementFactory.getThreadMXBean();
    assumeTrue(threads instanceof com.sun.management.ThreadMXBean bean
        && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
    var bean = (com.sun.management.ThreadMXBean) threads;
    RingSnapshot ring = RingSnapshot.of(Map.of("a", 1, "b", 2, "c", 1, "d", 1, "e", 1), 256);
    long[] tokens = new SplittableRandom(SEED).longs(10_000).toArray();
    int sink = 0;
    for (long token : tokens) {
      sink += ring.preferenceList(token, 3).size();
    }
    long threadId = Thread.currentThread().getId();
    long before = bean.getThreadAllocatedBytes(threadId);
    for (int round = 0; round < 10; round++) {
      for (long token : tokens) {
        sink += ring.preferenceList(token, 3).size();
      }
    }
    long allocatedBytes = bean.getThreadAllocatedBytes(threadId) - before;
    assertThat(sink).isEqualTo(11 * 3 * tokens.length);
    // 100,000 lookups; allow a little for the measuring itself.
    assertThat(allocatedBytes).isLessThan(10_000);
  }

  @Test
  void accessorsAndToString() {
    RingSnapshot ring = RingSnapshot.of(Map.of("b", 2, "a", 1), 4);
    assertThat(ring.members()).containsExactly("a", "b");
    assertThat(ring.vnodes()).isEqualTo(4);
    assertThat(ring.weightOf("b")).isEqualTo(2);
    assertThat(ring.tokensOf("a")).hasSize(4);
    assertThat(ring.tokensOf("b")).hasSize(8);
    assertThat(ring.tokensOf("zz")).isEmpty();
    assertThat(ring).hasToString("RingSnapshot[members=[a, b], tokens=12, vnodes=4]");
    for (int i = 0; i < ring.tokenCount(); i++) {
      assertThat(ring.index(ring.tokenAt(i))).isEqualTo(i);
      assertThat(ring.preferenceList(ring.tokenAt(i), 1)).containsExactly(ring.ownerAt(i));
    }
    // Past the largest token, the ring wraps to the smallest.
    long last = ring.tokenAt(ring.tokenCount() - 1);
    if (last != Long.MAX_VALUE) {
      assertThat(ring.index(last + 1)).isZero();
    }
    Map<String, Integer> many = new TreeMap<>();
    for (int i = 0; i < 20; i++) {
      many.put("node-" + (char) ('a' + i), 1);
    }
    assertThat(RingSnapshot.of(many, 1).toString())
        .isEqualTo("RingSnapshot[members=[node-a, node-b, node-c, node-d, node-e, node-f, node-g, node-h, ... (20 members)], tokens=20, vnodes=1]");
  }

  @Test
  void tokensDerivedFromTheMemberIdAreStable() {
    // Pins the token generator (a format: changing it moves every key).
    RingSnapshot ring = RingSnapshot.of(Map.of("node-1", 1), 3);
    assertThat(ring.tokensOf("node-1")).containsExactlyElementsOf(GOLDEN_NODE1_TOKENS);
    // A digest of every (token, owner) of a mixed-weight ring, also computed before issue 7.
    RingSnapshot mixed = RingSnapshot.of(Map.of("node-1", 2, "node-2", 1, "node-3", 1, "node-4", 3), 256);
    long digest = 0;
    for (int i = 0; i < mixed.tokenCount(); i++) {
      digest = digest * 31 + (mixed.tokenAt(i) ^ mixed.ownerAt(i).hashCode());
    }
    assertThat(mixed.tokenCount()).isEqualTo(1792);
    assertThat(digest).isEqualTo(4382465045568748688L);
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> RingSnapshot.of(Map.of("a", 1), 8).preferenceList(0L, -1)).hasMessageContaining("n = -1");
    assertThatThrownBy(() -> RingSnapshot.of(Map.of("a", 1), 8).replicaOwnership(0)).hasMessageContaining("n = 0");
    assertThatThrownBy(() -> RingSnapshot.of(Map.of("a", 1), 8).weightOf("b")).hasMessageContaining("'b' is not a member");
    assertThatThrownBy(() -> RingSnapshot.of(Map.of(), 8)).hasMessageContaining("at least one member");
    assertThatThrownBy(() -> RingSnapshot.of(Map.of("a", 1), 0)).hasMessageContaining("vnodes = 0");
    assertThatThrownBy(() -> RingSnapshot.of(Map.of("a", 0), 8)).hasMessageContaining("weight of node 'a' = 0");
  }
}
