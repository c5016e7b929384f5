package io.ringstore.storage.lsm;

import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.spi.testkit.FormatDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.io.IOException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The batch payload of the log: the documented example, round trips, and damage. */
class WriteBatchTest {

  @Test
  void theDocumentsExampleIsWhatTheCodeWrites() throws IOException {
    byte[] golden = FormatDocument.named("wal.md").goldenSections().get("batch");
    byte[] actual = new WriteBatch().put(Bytes.utf8("k"), "v1".getBytes()).delete(Bytes.utf8("k")).encode(5);
    assertThat(HexFormat.ofDelimiter(" ").formatHex(golden))
        .as("docs/formats/wal.md, section batch; the code writes %s", HexFormat.ofDelimiter(" ").formatHex(actual))
        .isEqualTo(HexFormat.ofDelimiter(" ").formatHex(actual));
    WriteBatch.Decoded decoded = WriteBatch.decode(Bytes.of(golden));
    assertThat(decoded.firstSequence()).isEqualTo(5);
    assertThat(decoded.ops()).hasSize(2);
    assertThat(decoded.ops().get(0).value()).containsExactly('v', '1');
    assertThat(decoded.ops().get(1).value()).isNull();
  }

  @Test
  void randomBatchesRoundTrip(TestInfo test) {
    SplittableRandom random = new SplittableRandom(TestSeeds.seed(test));
    for (int round = 0; round < 500; round++) {
      WriteBatch batch = new WriteBatch();
      int n = random.nextInt(1, 20);
      for (int i = 0; i < n; i++) {
        byte[] key = new byte[random.nextInt(0, 300)];
        random.nextBytes(key);
        if (random.nextBoolean()) {
          byte[] value = new byte[random.nextInt(0, 400)];
          random.nextBytes(value);
          batch.put(Bytes.of(key), value);
        } else {
          batch.delete(Bytes.of(key));
        }
      }
      long first = random.nextLong(1, Long.MAX_VALUE / 2);
      WriteBatch.Decoded back = WriteBatch.decode(Bytes.of(batch.encode(first)));
      assertThat(back.firstSequence()).isEqualTo(first);
      assertThat(back.ops()).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(back.ops().get(i).key()).isEqualTo(batch.ops().get(i).key());
        assertThat(back.ops().get(i).value()).isEqualTo(batch.ops().get(i).value());
      }
    }
  }

  @Test
  void everyTruncationAndBadKindIsACorruptionNamingTheOffset() {
    byte[] whole = new WriteBatch().put(Bytes.utf8("key"), "value".getBytes()).delete(Bytes.utf8("other")).encode(9);
    for (int length = 0; length < whole.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(whole, length);
      assertThatThrownBy(() -> WriteBatch.decode(Bytes.of(cut))).as("cut to %d bytes", length)
          .isInstanceOf(CorruptionException.class).hasMessageContaining("write batch is corrupt at offset");
    }
    byte[] badKind = whole.clone();
    badKind[9] = 7;
    assertThatThrownBy(() -> WriteBatch.decode(Bytes.of(badKind)))
        .isInstanceOf(CorruptionException.class).hasMessageContaining("unknown kind 7");
    byte[] trailing = java.util.Arrays.copyOf(whole, whole.length + 1);
    assertThatThrownBy(() -> WriteBatch.decode(Bytes.of(trailing)))
        .isInstanceOf(CorruptionException.class).hasMessageContaining("1 bytes follow the last operation");
    byte[] zeroSequence = whole.clone();
    zeroSequence[0] = 0;
    assertThatThrownBy(() -> WriteBatch.decode(Bytes.of(zeroSequence)))
        .isInstanceOf(CorruptionException.class).hasMessageContaining("below 1");
  }
}
