package io.ringstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  private static final long SEED = Long.getLong("ringstore.seed", Workload.DEFAULT_SEED);
  private static final int KEYS = 2_000;
  private static final int DRAWS = 1 << 15;

  private static int[] counts(Workload workload) {
    int[] counts = new int[workload.keyCount()];
    for (int i = 0; i < workload.sequenceLength(); i++) {
      counts[workload.keyIndexAt(i)]++;
    }
    return counts;
  }

  @Test
  void scramblingMovesThePopularKeysButKeepsTheDistribution() {
    System.out.println("WorkloadTest seed = " + SEED);
    int[] ranked = counts(Workload.generate(SEED, KEYS, 10, DRAWS, 10, 4, false));
    int[] scrambled = counts(Workload.generate(SEED, KEYS, 10, DRAWS, 10, 4, true));
    // ranked: key number r is rank r, so the first key is the most popular
    assertThat(Arrays.stream(ranked).max().getAsInt()).isEqualTo(ranked[0]);
    // scrambled: the same draws, each rank renamed to another key: the same multiset of counts
    assertThat(Arrays.stream(scrambled).sorted().toArray()).isEqualTo(Arrays.stream(ranked).sorted().toArray());
    // ... and the ten most popular keys are no longer the first ten
    int hottest = 0;
    for (int i = 1; i < KEYS; i++) {
      if (scrambled[i] > scrambled[hottest]) {
        hottest = i;
      }
    }
    assertThat(hottest).isGreaterThanOrEqualTo(10);
  }

  @Test
  void keySetsDrawTheirKeysThroughTheSamePermutation() {
    Workload scrambled = Workload.generate(SEED, KEYS, 10, DRAWS, 10, 64, true);
    int[] counts = counts(scrambled);
    // the sequence's 10% most popular keys
    Integer[] byPopularity = new Integer[KEYS];
    Arrays.setAll(byPopularity, i -> i);
    Arrays.sort(byPopularity, (a, b) -> Integer.compare(counts[b], counts[a]));
    java.util.Set<Integer> popular = java.util.Set.of(Arrays.copyOf(byPopularity, KEYS / 10));
    int inSets = 0;
    int popularInSets = 0;
    for (int s = 0; s < scrambled.keySetCount(); s++) {
      for (String key : scrambled.keySetAt(s)) {
        inSets++;
        if (popular.contains(Integer.parseInt(key.substring("key:".length())))) {
          popularInSets++;
        }
      }
    }
    // drawn through another permutation (or none), the sets would hit these keys ~10% of the time
    assertThat(popularInSets).as("keys of the getAll sets among the sequence's most popular 10%%").isGreaterThan(inSets / 2);
  }

  @Test
  void anUnknownKeyOrderIsRefusedByName() {
    assertThat(JCacheBenchmark.scrambledParam("scrambled")).isTrue();
    assertThat(JCacheBenchmark.scrambledParam("ranked")).isFalse();
    assertThatThrownBy(() -> JCacheBenchmark.scrambledParam("sorted"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyOrder = 'sorted'");
  }
}
