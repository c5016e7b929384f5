package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Varint round trips, known encodings, and strict decoding of damaged input. */
class VarintsTest {

  @Test
  void knownEncodings() {
    assertThat(encodeLong(0)).isEqualTo(hex("00"));
    assertThat(encodeLong(1)).isEqualTo(hex("01"));
    assertThat(encodeLong(127)).isEqualTo(hex("7f"));
    assertThat(encodeLong(128)).isEqualTo(hex("8001"));
    assertThat(encodeLong(300)).isEqualTo(hex("ac02"));
    assertThat(encodeLong(0xffffffffL)).isEqualTo(hex("ffffffff0f"));
    assertThat(encodeLong(-1L)).isEqualTo(hex("ffffffffffffffffff01"));
    byte[] intMinusOne = new byte[5];
    assertThat(Varints.putInt(intMinusOne, 0, -1)).isEqualTo(5);
    assertThat(intMinusOne).isEqualTo(hex("ffffffff0f"));
  }

  @Property
  void intsRoundTripAndConsumeExactlyTheirSize(@ForAll int value, @ForAll @IntRange(max = 3) int slack) {
    byte[] buffer = new byte[Varints.MAX_INT_BYTES + slack];
    int end = Varints.putInt(buffer, 0, value);
    assertThat(end).isEqualTo(Varints.sizeOfInt(value));
    ByteBuffer in = ByteBuffer.wrap(buffer);
    assertThat(Varints.readInt(in)).isEqualTo(value);
    assertThat(in.position()).isEqualTo(end);
  }

  @Property
  void longsRoundTripAndConsumeExactlyTheirSize(@ForAll long value) {
    byte[] buffer = new byte[Varints.MAX_LONG_BYTES];
    int end = Varints.putLong(buffer, 0, value);
    assertThat(end).isEqualTo(Varints.sizeOfLong(value));
    ByteBuffer in = ByteBuffer.wrap(buffer, 0, end);
    assertThat(Varints.readLong(in)).isEqualTo(value);
    assertThat(in.hasRemaining()).isFalse();
  }

  @Property
  void everyTruncationIsCorruptionAndLeavesThePosition(@ForAll long value) {
    byte[] encoded = encodeLong(value);
    for (int length = 0; length < encoded.length; length++) {
      ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(encoded, length));
      assertThatThrownBy(() -> Varints.readLong(in)).isInstanceOf(CorruptionException.class)
          .hasMessageContaining("truncated");
      assertThat(in.position()).isZero();
    }
  }

  /** Random bytes decode to nothing or to a value whose encoding is exactly the bytes consumed. */
  @Property
  void randomBytesGiveCorruptionOrTheUniqueEncodingOfTheValue(@ForAll @Size(max = 12) byte[] bytes) {
    ByteBuffer asLong = ByteBuffer.wrap(bytes);
    Optional<Long> longValue = Mutations.decodeOrCorruption(() -> Varints.readLong(asLong));
    longValue.ifPresent(v -> assertThat(encodeLong(v)).isEqualTo(Arrays.copyOf(bytes, asLong.position())));
    if (longValue.isEmpty()) {
      assertThat(asLong.position()).isZero();
    }
    ByteBuffer asInt = ByteBuffer.wrap(bytes);
    Optional<Integer> intValue = Mutations.decodeOrCorruption(() -> Varints.readInt(asInt));
    intValue.ifPresent(v -> {
      byte[] expected = new byte[Varints.sizeOfInt(v)];
      Varints.putInt(expected, 0, v);
      assertThat(expected).isEqualTo(Arrays.copyOf(bytes, asInt.position()));
    });
  }

  @Test
  void overlongOverflowingAndTruncatedVarintsNameTheProblemAndOffset() {
    ByteBuffer overlong = ByteBuffer.wrap(hex("aa8000"));
    overlong.position(1);
    assertThatThrownBy(() -> Varints.readInt(overlong)).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("varint is corrupt at offset 1").hasMessageContaining("shortest form");
    assertThatThrownBy(() -> Varints.readInt(ByteBuffer.wrap(hex("ffffffff10"))))
        .isInstanceOf(CorruptionException.class).hasMessageContaining("varint32 overflows");
    assertThatThrownBy(() -> Varints.readLong(ByteBuffer.wrap(hex("ffffffffffffffffff02"))))
        .isInstanceOf(CorruptionException.class).hasMessageContaining("varint64 overflows");
    assertThatThrownBy(() -> Varints.readInt(ByteBuffer.wrap(hex("8080"))))
        .isInstanceOf(CorruptionException.class).hasMessageContaining("truncated after 2 bytes");
  }

  static byte[] encodeLong(long value) {
    byte[] out = new byte[Varints.sizeOfLong(value)];
    Varints.putLong(out, 0, value);
    return out;
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
