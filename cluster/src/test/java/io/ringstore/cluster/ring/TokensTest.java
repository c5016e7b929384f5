package io.ringstore.cluster.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import org.junit.jupiter.api.Test;

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
