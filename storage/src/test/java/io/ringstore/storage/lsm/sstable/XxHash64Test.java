package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * XXH64 is part of the bloom filter format; these outputs come from the reference implementation
 * (libxxhash 0.8.1, {@code XXH64(input, length, 0)}), covering every tail path and the 32-byte stripes.
 */
class XxHash64Test {

  @Test
  void matchesTheReferenceImplementation() {
    assertThat(XxHash64.hash(utf8(""))).isEqualTo(0xef46db3751d8e999L);
    assertThat(XxHash64.hash(utf8("a"))).isEqualTo(0xd24ec4f1a98c6e5bL);
    assertThat(XxHash64.hash(utf8("abc"))).isEqualTo(0x44bc2cf5ad770999L);
    assertThat(XxHash64.hash(utf8("apple"))).isEqualTo(0x5889a1c15c94729fL);
    assertThat(XxHash64.hash(utf8("0123456789abcdef0123456789abcdefXYZ!"))).isEqualTo(0x045c287b1bdab58dL);
    byte[] hundred = new byte[100];
    for (int i = 0; i < hundred.length; i++) {
      hundred[i] = (byte) i;
    }
    assertThat(XxHash64.hash(hundred)).isEqualTo(0x6ac1e58032166597L);
  }

  @Test
  void hashesTheGivenRangeOnly() {
    byte[] padded = utf8("xxabcxx");
    assertThat(XxHash64.hash(padded, 2, 3, 0)).isEqualTo(XxHash64.hash(utf8("abc")));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
