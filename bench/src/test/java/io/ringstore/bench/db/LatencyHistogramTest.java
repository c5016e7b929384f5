package io.ringstore.bench.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  private static final long SEED = Long.getLong("ringstore.seed", DbBenchOptions.DEFAULT_SEED);

  @Test
  void everyValueFallsInTheBucketWhoseMiddleIsWithinOneSixtyFourthOfIt() {
    System.out.println("LatencyHistogramTest seed = " + SEED);
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 100_000; i++) {
      long v = random.nextLong(1L << random.nextInt(1, 62));
      long middle = LatencyHistogram.middle(LatencyHistogram.index(v));
      assertThat((double) Math.abs(middle - v)).as("value %d, middle %d", v, middle).isLessThanOrEqualTo(v / 64.0 + 1);
    }
    assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isLessThan(64 + 58 * 32);
    for (int index = 1; index < 64 + 57 * 32; index++) {
      assertThat(LatencyHistogram.index(LatencyHistogram.middle(index))).isEqualTo(index);
    }
  }

  @Test
  void percentilesAreThoseOfTheRecordedValuesWithinTheBucketPrecision() {
    SplittableRandom random = new SplittableRandom(SEED);
    long[] values = new long[20_001];
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    for (int i = 0; i < values.length; i++) {
      values[i] = 500 + (long) (random.nextDouble() * random.nextDouble() * 2_000_000);
      (i % 2 == 0 ? a : b).record(values[i]);
    }
    a.add(b);
    Arrays.sort(values);
    assertThat(a.count()).isEqualTo(values.length);
    for (double p : new double[] {0.5, 0.9, 0.99, 0.999}) {
      long exact = values[(int) Math.ceil(p * values.length) - 1];
      assertThat((double) a.percentileNanos(p)).as("p%s", p).isCloseTo(exact, org.assertj.core.data.Offset.offset(exact / 60.0));
    }
    assertThat(a.percentileNanos(1.0)).isEqualTo(values[values.length - 1]);
    assertThat(a.percentileNanos(0.0)).isEqualTo(values[0]);
    assertThat(a.maxNanos()).isEqualTo(values[values.length - 1]);
    assertThat(a.meanNanos()).isCloseTo(Arrays.stream(values).average().orElseThrow(), org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void anEmptyHistogramReportsZeros() {
    LatencyHistogram h = new LatencyHistogram();
    assertThat(h.percentileNanos(0.99)).isZero();
    assertThat(h.meanNanos()).isZero();
    assertThat(h.count()).isZero();
  }
}
