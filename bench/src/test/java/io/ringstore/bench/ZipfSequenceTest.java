package io.ringstore.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ZipfSequenceTest {
  private static final long SEED = Long.getLong("ringstore.seed", 7L);

  @Test
  void sameSeedGivesSameSequence() {
    System.out.println("ZipfSequenceTest seed = " + SEED);
    int[] a = new ZipfSequence(1000, 0.99, SEED).next(10_000);
    int[] b = new ZipfSequence(1000, 0.99, SEED).next(10_000);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void ranksStayInRangeAndFollowZipf() {
    int items = 1000;
    int draws = 200_000;
    int[] counts = new int[items];
    ZipfSequence zipf = new ZipfSequence(items, ZipfSequence.YCSB_EXPONENT, SEED);
    for (int i = 0; i < draws; i++) {
      int rank = zipf.next();
      assertThat(rank).isBetween(0, items - 1);
      counts[rank]++;
    }
    // P(rank 0) = 1 / zeta(n, s): about 13% for n = 1000, s = 0.99.
    double expectedTop = 1 / ZipfSequence.zeta(items, ZipfSequence.YCSB_EXPONENT);
    assertThat(counts[0] / (double) draws).isCloseTo(expectedTop, offset(0.01));
    // rank 0 is the most frequent, and the top 10% of ranks take most of the draws
    assertThat(Arrays.stream(counts).max().getAsInt()).isEqualTo(counts[0]);
    int top = Arrays.stream(counts, 0, items / 10).sum();
    assertThat(top).isGreaterThan(draws / 2);
  }

  @Test
  void refusesAnExponentOutsideTheOpenUnitInterval() {
    assertThatThrownBy(() -> new ZipfSequence(100, 1.0, SEED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exponent = 1.0");
  }
}
