package io.ringstore.provider.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The built-in codec: round trips, distinct bytes for distinct types, deterministic keys. */
class TaggedCodecTest {
  private final TaggedCodec codec = new TaggedCodec(TaggedCodecTest.class.getClassLoader(), DeserializationFilter.of(null, 1 << 20));

  @Property
  void stringsRoundTripAndEqualStringsEncodeEqually(@ForAll String text) {
    byte[] bytes = codec.encode(text);
    assertThat(codec.decode(bytes)).isEqualTo(text);
    assertThat(codec.encode(new String(text))).isEqualTo(bytes);
  }

  @Property
  void shortAsciiKeysEncodeToTheSameBytesWithoutAnArray(@ForAll @net.jqwik.api.constraints.StringLength(max = 20) String text,
      @ForAll @net.jqwik.api.constraints.StringLength(max = 20) @net.jqwik.api.constraints.CharRange(from = 0, to = 127) String ascii) {
    for (String s : List.of(text, ascii)) {
      io.ringstore.spi.Bytes inline = TaggedCodec.encodeShortAscii(s);
      io.ringstore.spi.Bytes viaArray = io.ringstore.spi.Bytes.of(codec.encode(s));
      boolean shortAscii = s.length() < io.ringstore.spi.Bytes.INLINE_MAX && s.chars().allMatch(c -> c < 0x80);
      if (shortAscii) {
        assertThat(inline).isEqualTo(viaArray).hasSameHashCodeAs(viaArray);
        assertThat(inline.unsafeArray()).isEqualTo(viaArray.unsafeArray());
        assertThat(codec.decode(inline.unsafeArray())).isEqualTo(s);
      } else {
        assertThat(inline).isNull();
      }
    }
  }

  @Test
  void anUncheckedExceptionRoundTripsThroughTheDefaultFilter() {
    Object decoded = codec.decode(codec.encode(new IllegalStateException("stored by value")));
    assertThat(decoded).isInstanceOf(IllegalStateException.class);
    assertThat(((IllegalStateException) decoded).getMessage()).isEqualTo("stored by value");
  }

  @Property
  void numbersRoundTrip(@ForAll long number, @ForAll int small) {
    assertThat(codec.decode(codec.encode(number))).isEqualTo(number);
    assertThat(codec.decode(codec.encode(small))).isEqualTo(small);
  }

  @Property
  void byteArraysRoundTripAsCopies(@ForAll byte[] bytes) {
    Object decoded = codec.decode(codec.encode(bytes));
    assertThat(decoded).isInstanceOf(byte[].class).isEqualTo(bytes).isNotSameAs(bytes);
  }

  @Test
  void stringsThatUtf8CannotKeepStillRoundTrip() {
    for (String text : List.of("", "\uD800", "a\uDC00b", "\uD83D\uDE00 smile", "caf\u00e9")) {
      assertThat(codec.decode(codec.encode(text))).isEqualTo(text);
    }
    assertThat(codec.encode("\uD800")).isNotEqualTo(codec.encode("\uD801"));
  }

  @Test
  void equalLookingValuesOfDifferentTypesEncodeDifferently() {
    assertThat(codec.encode(1L)).isNotEqualTo(codec.encode(1));
    assertThat(codec.encode("1")).isNotEqualTo(codec.encode(1));
    assertThat(codec.encode(new byte[] {0x31})).isNotEqualTo(codec.encode("1"));
  }

  @Test
  void theFormatIsPinned() {
    assertThat(hex(codec.encode("key"))).isEqualTo("016b6579");
    assertThat(hex(codec.encode(new byte[] {(byte) 0xca, (byte) 0xfe}))).isEqualTo("02cafe");
    assertThat(hex(codec.encode(258L))).isEqualTo("030000000000000102");
    assertThat(hex(codec.encode(-1))).isEqualTo("04ffffffff");
    assertThat(hex(codec.encode("\uD800a"))).isEqualTo("06d8000061");
    assertThat(codec.encode(new ArrayList<>())[0]).isEqualTo((byte) 0x05);
    assertThat(codec.decode(new byte[] {0x01, 0x6b, 0x65, 0x79})).isEqualTo("key");
  }

  private static String hex(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      text.append(String.format("%02x", b));
    }
    return text.toString();
  }

  @Test
  void serializableValuesRoundTrip() {
    ArrayList<Object> list = new ArrayList<>(List.of("a", 1, 2L));
    assertThat(codec.decode(codec.encode(list))).isEqualTo(list);
  }

  @Test
  void aValueThatIsNotSerializableIsRefusedNamingItsClass() {
    assertThatThrownBy(() -> codec.encode(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void unknownTagsAndEmptyInputAreRefused() {
    assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no type tag");
    assertThatThrownBy(() -> codec.decode(new byte[] {0x55})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x55");
    assertThatThrownBy(() -> codec.decode(new byte[] {TaggedCodec.LONG, 1})).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultFilterDeniesGadgetPackagesByName() {
    assertThat(DeserializationFilter.isDenied("org.apache.commons.collections.functors.InvokerTransformer")).isTrue();
    assertThat(DeserializationFilter.isDenied("com.example.Order")).isFalse();
    // a class entry denies the class and its nested classes, not every name it begins
    assertThat(DeserializationFilter.isDenied("java.lang.Runtime")).isTrue();
    assertThat(DeserializationFilter.isDenied("java.lang.ProcessBuilder$Redirect")).isTrue();
    assertThat(DeserializationFilter.isDenied("java.lang.RuntimeException")).isFalse();
    assertThat(DeserializationFilter.isDenied("java.lang.reflect.ProxyGenerator")).isFalse();
  }
}
