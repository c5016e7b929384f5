package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Bloom filters: no false negatives, the false-positive rate theory predicts, strict decoding. */
class BloomFilterTest {

  @Property(tries = 300)
  void everyAddedKeyMayBeContained(@ForAll @Size(max = 300) List<@Size(max = 40) byte[]> keys,
      @ForAll @IntRange(min = 1, max = 24) int bitsPerKey) {
    BloomFilterBuilder builder = new BloomFilterBuilder(bitsPerKey);
    keys.forEach(builder::add);
    assertThat(builder.keyCount()).isEqualTo(keys.size());
    BloomFilter filter = BloomFilter.decode(builder.finish());
    assertThat(builder.keyCount()).isZero();
    assertThat(filter.hashCount()).isEqualTo(BloomFilterBuilder.hashCountFor(bitsPerKey));
    assertThat(filter.bitCount()).isGreaterThanOrEqualTo(Math.max(64, (long) keys.size() * bitsPerKey));
    for (byte[] key : keys) {
      assertThat(filter.mayContain(key)).isTrue();
      assertThat(filter.mayContain(Bytes.copyOf(key))).isTrue();
    }
  }

  /** At 10 bits per key the measured false-positive rate is within 25% of (1 - e^(-kn/m))^k (about 0.8%). */
  @Test
  void falsePositiveRateAtTenBitsPerKeyMatchesTheory() {
    String property = System.getProperty("ringstore.seed");
    long seed = property != null ? Long.parseLong(property) : new SplittableRandom().nextLong();
    System.out.println("BloomFilterTest false-positive seed = " + seed + " (rerun with -Dringstore.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    int keys = 20_000;
    int probes = 200_000;
    BloomFilterBuilder builder = new BloomFilterBuilder();
    for (int i = 0; i < keys; i++) {
      builder.add(randomKey(random, (byte) 0));
    }
    BloomFilter filter = BloomFilter.decode(builder.finish());
    int positives = 0;
    for (int i = 0; i < probes; i++) {
      if (filter.mayContain(randomKey(random, (byte) 1))) { // first byte 1: never an added key
        positives++;
      }
    }
    int k = filter.hashCount();
    double theory = Math.pow(1 - Math.exp(-(double) k * keys / filter.bitCount()), k);
    double measured = (double) positives / probes;
    System.out.printf("bloom 10 bits/key, k = %d: measured false positives %.4f%%, theory %.4f%% (seed %d)%n",
        k, 100 * measured, 100 * theory, seed);
    assertThat(k).isEqualTo(7);
    assertThat(measured).as("false-positive rate (seed %d)", seed).isBetween(0.75 * theory, 1.25 * theory);
  }

  @Test
  void probeCountIsBitsPerKeyTimesLnTwoClamped() {
    assertThat(BloomFilterBuilder.hashCountFor(1)).isEqualTo(1);
    assertThat(BloomFilterBuilder.hashCountFor(2)).isEqualTo(1);
    assertThat(BloomFilterBuilder.hashCountFor(3)).isEqualTo(2);
    assertThat(BloomFilterBuilder.hashCountFor(10)).isEqualTo(7);
    assertThat(BloomFilterBuilder.hashCountFor(16)).isEqualTo(11);
    assertThat(BloomFilterBuilder.hashCountFor(64)).isEqualTo(30);
    assertThatThrownBy(() -> new BloomFilterBuilder(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bitsPerKey = 0 is out of range; need 1 <= bitsPerKey <= 64");
    assertThatThrownBy(() -> new BloomFilterBuilder(65)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyFilterHasSixtyFourBitsAndContainsNothing() {
    byte[] serialized = new BloomFilterBuilder().finish();
    assertThat(serialized).hasSize(9);
    assertThat(serialized[8]).isEqualTo((byte) 7);
    BloomFilter filter = BloomFilter.decode(serialized);
    assertThat(filter.mayContain(new byte[] {1, 2, 3})).isFalse();
    assertThat(filter.sizeBytes()).isEqualTo(9);
  }

  @Test
  void malformedFiltersAreRefused() {
    assertThatThrownBy(() -> BloomFilter.decode(new byte[8])).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("bloom filter is corrupt at offset 0: a bloom filter needs at least 9 bytes");
    byte[] zeroProbes = new byte[9];
    assertThatThrownBy(() -> BloomFilter.decode(zeroProbes)).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("at offset 8: probe count k = 0 is out of range; need 1 <= k <= 30");
    byte[] tooMany = new byte[9];
    tooMany[8] = 31;
    assertThatThrownBy(() -> BloomFilter.decode(tooMany)).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("k = 31");
  }

  @Property
  void randomBytesDecodeToAUsableFilterOrCorruption(@ForAll @Size(max = 64) byte[] bytes,
      @ForAll @Size(max = 8) byte[] probe) {
    Mutations.decodeOrCorruption(() -> BloomFilter.decode(bytes)).ifPresent(filter -> {
      assertThat(filter.hashCount()).isBetween(1, 30);
      filter.mayContain(probe);
    });
  }

  private static byte[] randomKey(SplittableRandom random, byte first) {
    byte[] key = new byte[16];
    random.nextBytes(key);
    key[0] = first;
    return key;
  }
}
