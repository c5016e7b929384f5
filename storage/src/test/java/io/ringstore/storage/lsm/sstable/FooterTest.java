package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.zip.CRC32C;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Footers round-trip; every damaged footer is refused. */
class FooterTest {

  @Property(tries = 200)
  void footersRoundTripAndEveryFlippedByteIsRefused(@ForAll @LongRange(max = 1L << 50) long metaOffset,
      @ForAll @IntRange(max = 1 << 20) int metaSize, @ForAll @LongRange(max = 1L << 50) long indexOffset,
      @ForAll @IntRange(max = 1 << 30) int indexSize, @ForAll @IntRange(min = 1, max = 255) int mask) {
    Footer footer = new Footer(new BlockHandle(metaOffset, metaSize), new BlockHandle(indexOffset, indexSize));
    byte[] encoded = footer.encode();
    assertThat(encoded).hasSize(Footer.ENCODED_LENGTH);
    assertThat(Footer.decode(encoded)).isEqualTo(footer);
    assertThat(footer.formatVersion()).isEqualTo(Footer.CURRENT_FORMAT_VERSION);
    for (int i = 0; i < encoded.length; i++) {
      byte[] damaged = Mutations.flip(encoded, i, mask);
      assertThatThrownBy(() -> Footer.decode(damaged)).isInstanceOf(CorruptionException.class)
          .hasMessageStartingWith("footer is corrupt at offset ");
    }
  }

  @Property
  void randomBytesAndWrongLengthsAreRefused(@ForAll @Size(max = 80) byte[] bytes) {
    assertThatThrownBy(() -> Footer.decode(bytes)).isInstanceOf(CorruptionException.class);
  }

  @Test
  void aFooterInsideALargerArrayIsReadFromItsOffset() {
    Footer footer = new Footer(new BlockHandle(1, 2), new BlockHandle(3, 4));
    byte[] file = new byte[100];
    System.arraycopy(footer.encode(), 0, file, 100 - Footer.ENCODED_LENGTH, Footer.ENCODED_LENGTH);
    assertThat(Footer.decode(file, 100 - Footer.ENCODED_LENGTH, Footer.ENCODED_LENGTH)).isEqualTo(footer);
    assertThatThrownBy(() -> Footer.decode(file, 0, 55)).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("a footer is 56 bytes but 55 were given");
  }

  @Test
  void errorsNameTheMagicTheVersionAndBothChecksums() {
    byte[] encoded = new Footer(new BlockHandle(1, 2), new BlockHandle(3, 4)).encode();
    assertThatThrownBy(() -> Footer.decode(Mutations.flip(encoded, 55, 1))).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("at offset 48: bad magic number 0x1b0a0d5453535289, expected 0x1a0a0d5453535289");
    byte[] version2 = new Footer(new BlockHandle(1, 2), new BlockHandle(3, 4), 2).encode();
    assertThatThrownBy(() -> Footer.decode(version2)).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("at offset 40: unsupported format version 2; this reader knows version 1");
    assertThatThrownBy(() -> Footer.decode(Mutations.flip(encoded, 0, 1))).isInstanceOf(CorruptionException.class)
        .hasMessageMatching("footer is corrupt at offset 44: footer checksum mismatch: stored crc32c 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}");
    // non-zero padding under a valid checksum is still refused
    byte[] padded = encoded.clone();
    padded[30] = 7;
    CRC32C crc = new CRC32C();
    crc.update(padded, 0, 44);
    Varints.putFixed32(padded, 44, BlockTrailer.mask((int) crc.getValue()));
    assertThatThrownBy(() -> Footer.decode(padded)).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("at offset 30: padding byte is 0x07, expected 0x00");
    assertThat(Arrays.copyOfRange(encoded, 48, 56)).containsExactly(0x89, 0x52, 0x53, 0x53, 0x54, 0x0d, 0x0a, 0x1a);
    assertThatThrownBy(() -> new Footer(new BlockHandle(1, 2), new BlockHandle(3, 4), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("formatVersion = 0");
  }
}
