package io.ringstore.bench.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Keys, values and key orders of the db benchmarks. */
class WorkloadDataTest {
  private static final long SEED = Long.getLong("ringstore.seed", DbBenchOptions.DEFAULT_SEED);

  @Test
  void keysAreSixteenBytesInNumericOrderAndAMissingKeyLiesBetweenTwoExistingOnes() {
    assertThat(KeySpace.existing(258)).containsExactly(0, 0, 0, 0, 0, 0, 1, 2, '0', '0', '0', '0', '0', '0', '0', '0');
    for (long i : new long[] {0, 1, 255, 256, 999_999, 1L << 40}) {
      byte[] here = KeySpace.existing(i);
      byte[] missing = KeySpace.missing(i);
      byte[] next = KeySpace.existing(i + 1);
      assertThat(here).hasSize(KeySpace.KEY_BYTES);
      assertThat(Arrays.compareUnsigned(here, missing)).isNegative();
      assertThat(Arrays.compareUnsigned(missing, next)).isNegative();
    }
  }

  @Test
  void valuesAreHalfRandomPrintableCharactersWrittenTwice() {
    System.out.println("WorkloadDataTest seed = " + SEED);
    ValueSource.Cursor cursor = new ValueSource(SEED, 100, 0.5).cursor();
    Set<String> distinct = new HashSet<>();
    for (int i = 0; i < 30_000; i++) { // past the 1 MiB of data, so the cursor wraps
      byte[] v = cursor.next();
      assertThat(v).hasSize(100);
      assertThat(Arrays.copyOfRange(v, 0, 50)).isEqualTo(Arrays.copyOfRange(v, 50, 100));
      for (byte b : v) {
        assertThat(b).isBetween((byte) ' ', (byte) '~');
      }
      distinct.add(new String(v, java.nio.charset.StandardCharsets.US_ASCII));
    }
    assertThat(distinct).hasSize(10_486); // 1 MiB of 100-byte pieces, as db_bench's RandomGenerator
  }

  @Test
  void aShuffleIsAPermutationAndItsPrefixHasDistinctKeys() {
    int[] all = DbBench.shuffled(10_000, 10_000, new SplittableRandom(SEED));
    assertThat(Arrays.stream(all).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, 10_000).toArray());
    assertThat(all).isNotEqualTo(java.util.stream.IntStream.range(0, 10_000).toArray());
    int[] some = DbBench.shuffled(10_000, 300, new SplittableRandom(SEED));
    assertThat(Arrays.stream(some).distinct().count()).isEqualTo(300);
  }

  @Test
  void ioCountersAreParsedAndSubtracted() {
    IoCounters before = IoCounters.parse("rchar: 1\nwchar: 100\nsyscr: 1\nsyscw: 1\nread_bytes: 0\n"
        + "write_bytes: 4096\ncancelled_write_bytes: 0\n");
    IoCounters after = IoCounters.parse("rchar: 1\nwchar: 1100\nsyscr: 1\nsyscw: 1\nread_bytes: 0\n"
        + "write_bytes: 12288\ncancelled_write_bytes: 4096\n");
    assertThat(after.since(before)).isEqualTo(new IoCounters(8192, 4096, 1000));
    assertThat(IoCounters.parse("rchar: 1\n").available()).isFalse();
    assertThat(after.since(IoCounters.parse(""))).isEqualTo(new IoCounters(-1, -1, -1));
  }
}
