package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Block handles round-trip and refuse malformed encodings. */
class BlockHandleTest {

  @Property
  void handlesRoundTrip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE - BlockHandle.MAX_SIZE_BYTES - 5) long offset,
      @ForAll @LongRange(min = 0, max = BlockHandle.MAX_SIZE_BYTES) long size) {
    BlockHandle handle = new BlockHandle(offset, size);
    byte[] encoded = handle.encode();
    assertThat(encoded).hasSize(handle.encodedLength());
    assertThat(encoded.length).isBetween(2, BlockHandle.MAX_ENCODED_LENGTH);
    assertThat(BlockHandle.decodeExactly(encoded, "index block entry 0")).isEqualTo(handle);
    ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(encoded, encoded.length + 3));
    assertThat(BlockHandle.decode(in)).isEqualTo(handle);
    assertThat(in.position()).isEqualTo(encoded.length);
    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> BlockHandle.decodeExactly(truncated, "index block entry 0"))
          .isInstanceOf(CorruptionException.class);
    }
  }

  /** Random bytes give corruption or a valid handle whose encoding is exactly the bytes consumed. */
  @Property
  void randomBytesGiveCorruptionOrTheUniqueEncodingOfAValidHandle(@ForAll @Size(max = 24) byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    Mutations.decodeOrCorruption(() -> BlockHandle.decode(in))
        .ifPresentOrElse(
            handle -> assertThat(handle.encode()).isEqualTo(Arrays.copyOf(bytes, in.position())),
            () -> assertThat(in.position()).isZero());
    Mutations.decodeOrCorruption(() -> BlockHandle.decodeExactly(bytes, "metaindex entry 0"))
        .ifPresent(handle -> assertThat(handle.encode()).isEqualTo(bytes));
  }

  @Test
  void outOfRangeHandlesAreRefused() {
    byte[] negativeOffset = new byte[20];
    int at = Varints.putLong(negativeOffset, 0, -1L);
    at = Varints.putLong(negativeOffset, at, 1);
    byte[] exactNegative = Arrays.copyOf(negativeOffset, at);
    assertThatThrownBy(() -> BlockHandle.decodeExactly(exactNegative, "index block entry 2"))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("index block entry 2 is corrupt at offset 0: block handle offset 18446744073709551615");
    byte[] huge = new BlockHandle(0, 1).encode();
    byte[] hugeSize = new byte[12];
    int end = Varints.putLong(hugeSize, Varints.putLong(hugeSize, 0, 0), BlockHandle.MAX_SIZE_BYTES + 1);
    assertThatThrownBy(() -> BlockHandle.decodeExactly(Arrays.copyOf(hugeSize, end), "footer"))
        .isInstanceOf(CorruptionException.class).hasMessageContaining("is above the limit of");
    byte[] trailing = Arrays.copyOf(huge, huge.length + 1);
    assertThatThrownBy(() -> BlockHandle.decodeExactly(trailing, "index block entry 0"))
        .isInstanceOf(CorruptionException.class).hasMessageContaining("1 bytes follow the block handle");
    assertThatThrownBy(() -> new BlockHandle(-1, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset = -1");
    assertThat(new BlockHandle(100, 20).endOffset()).isEqualTo(125);
  }
}
