package io.ringstore.cluster.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokensTest {

  @Test
  void emptyInputHashesToZero() {
    assertThat(Tokens.of(Bytes.EMPTY)).isZero();
  }

  @Test
  void matchesTheReferenceMurmur3X64Vector() {
    // MurmurHash3_x64_128("The quick brown fox jumps over the lazy dog", seed 0) =
    // 6c1b07bc7bbc4be3 47939ac4a93c437a as little-endian bytes; the token is the first half.
    long expected = Long.reverseBytes(0x6c1b07bc7bbc4be3L);
    assertThat(Tokens.of(Bytes.utf8("The quick brown fox jumps over the lazy dog"))).isEqualTo(expected);
  }

  /**
   * Published seed-0 vectors of MurmurHash3_x64_128 (h1, the first 64 bits, as a long): Guava's
   * Murmur3Hash128Test known values ("hell", the two "lazy dog/cog" sentences) and Apache
   * DataSketches' MurmurHash3Test, taken from the reference C++ code ("lazy eog", "lazy
   * dogdogdog"). Together they cover a tail only (4 bytes), two blocks plus an 11-byte tail, and
   * three blocks plus a 1-byte tail.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "hell | 629942693e10f867",
      "The quick brown fox jumps over the lazy dog | e34bbc7bbc071b6c",
      "The quick brown fox jumps over the lazy cog | 658ca970ff85269a",
      "The quick brown fox jumps over the lazy eog | 362108102c62d1c9",
      "The quick brown fox jumps over the lazy dogdogdog | 9c8205300e612fc4",
  })
  void matchesPublishedReferenceVectors(String input, String firstHalfHex) {
    assertThat(Tokens.of(Bytes.utf8(input))).isEqualTo(Long.parseUnsignedLong(firstHalfHex, 16));
  }

  @Test
  void everyTailLengthContributes() {
    // Keys that differ only in their last byte, for every tail length 1..16, get different tokens.
    for (int length = 1; length <= 33; length++) {
      byte[] a = new byte[length];
      byte[] b = new byte[length];
      b[length - 1] = 1;
      assertThat(Tokens.of(Bytes.of(a))).as("length %d", length).isNotEqualTo(Tokens.of(Bytes.of(b)));
    }
  }
}
