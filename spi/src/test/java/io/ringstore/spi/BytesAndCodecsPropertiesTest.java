package io.ringstore.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Round trips and equality of {@link Bytes}, and the built-in {@link Codecs}. */
class BytesAndCodecsPropertiesTest {

  @Property
  void copiesAndWrapsAreEqualByContent(@ForAll @Size(max = 64) byte[] content) {
    Bytes wrapped = Bytes.of(content.clone());
    Bytes copied = Bytes.copyOf(content);
    assertThat(wrapped).isEqualTo(copied).hasSameHashCodeAs(copied);
    assertThat(wrapped.compareTo(copied)).isZero();
    assertThat(copied.toByteArray()).isEqualTo(content).isNotSameAs(copied.unsafeArray());
    assertThat(copied.length()).isEqualTo(content.length);
  }

  @Property
  void copyOfIsIndependentOfItsSource(@ForAll @Size(min = 1, max = 16) byte[] content) {
    Bytes copied = Bytes.copyOf(content);
    byte before = copied.at(0);
    content[0]++;
    assertThat(copied.at(0)).isEqualTo(before);
  }

  @Property
  void orderIsUnsignedLexicographicAndConsistentWithEquals(@ForAll @Size(max = 24) byte[] x, @ForAll @Size(max = 24) byte[] y) {
    Bytes a = Bytes.copyOf(x);
    Bytes b = Bytes.copyOf(y);
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(Arrays.compareUnsigned(x, y)));
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
    assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
  }

  @Property
  void everyByteReadsBackWhetherHeldInlineOrInAnArray(@ForAll @Size(max = 40) byte[] content) {
    Bytes bytes = Bytes.of(content.clone());
    for (int i = 0; i < content.length; i++) {
      assertThat(bytes.at(i)).isEqualTo(content[i]);
    }
    assertThat(bytes.unsafeArray()).isEqualTo(content);
    assertThat(bytes.toByteArray()).isEqualTo(content);
    assertThatThrownBy(() -> bytes.at(content.length)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Property
  void wordsMakeTheSameRunAsTheirBytes(@ForAll @Size(max = 16) byte[] content) {
    long w0 = 0;
    long w1 = 0;
    for (int i = content.length - 1; i >= 0; i--) {
      if (i < 8) {
        w0 |= (content[i] & 0xffL) << (8 * i);
      } else {
        w1 |= (content[i] & 0xffL) << (8 * (i - 8));
      }
    }
    Bytes fromWords = Bytes.ofWords(w0, w1, content.length);
    assertThat(fromWords).isEqualTo(Bytes.copyOf(content)).hasSameHashCodeAs(Bytes.copyOf(content));
    assertThat(fromWords.compareTo(Bytes.copyOf(content))).isZero();
  }

  @org.junit.jupiter.api.Test
  void wordsWithBitsPastTheLengthOrATooLongLengthAreRefused() {
    assertThatThrownBy(() -> Bytes.ofWords(0x1_00L, 0, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("past the length 1");
    assertThatThrownBy(() -> Bytes.ofWords(-1L, 1, 8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("past the length 8");
    assertThatThrownBy(() -> Bytes.ofWords(0, 0, 17)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length = 17").hasMessageContaining("<= 16");
    assertThat(Bytes.ofWords(-1L, -1L, 16).length()).isEqualTo(16);
    assertThat(Bytes.ofWords(0, 0, 0)).isEqualTo(Bytes.EMPTY);
  }

  @Property
  void aTrailingZeroByteMakesAnotherRun(@ForAll @Size(max = 30) byte[] content) {
    // inline runs are zero-padded: the length must still tell "ab" from "ab\0"
    byte[] longer = Arrays.copyOf(content, content.length + 1);
    Bytes a = Bytes.of(content);
    Bytes b = Bytes.of(longer);
    assertThat(a).isNotEqualTo(b);
    assertThat(a.compareTo(b)).isNegative();
    assertThat(b.compareTo(a)).isPositive();
  }

  @Property
  void toStringShowsAtMost32Bytes(@ForAll @Size(max = 100) byte[] content) {
    String text = Bytes.of(content).toString();
    assertThat(text).startsWith("Bytes[" + content.length + "]0x");
    assertThat(text.length()).isLessThanOrEqualTo(("Bytes[" + content.length + "]0x").length() + 64 + 3);
  }

  @Provide
  Arbitrary<String> text() {
    // whole code points, so no lone surrogates: those are not text (see loneSurrogatesAreRefused)
    return Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
        .list().ofMaxSize(20)
        .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
  }

  @Property
  void utf8RoundTrips(@ForAll("text") String value) {
    assertThat(Codecs.UTF8.decode(Codecs.UTF8.encode(value))).isEqualTo(value);
    assertThat(Bytes.utf8(value).asUtf8()).isEqualTo(value);
    assertThat(Codecs.UTF8.encode(value)).isEqualTo(Bytes.utf8(value).toByteArray());
  }

  @Property
  void loneSurrogatesAreRefusedRatherThanTurnedIntoQuestionMarks(@ForAll("text") String prefix,
      @ForAll char surrogate, @ForAll("text") String suffix) {
    if (!Character.isSurrogate(surrogate)) {
      surrogate = (char) (Character.MIN_SURROGATE + (surrogate % 0x800));
    }
    String value = prefix + surrogate + (Character.isHighSurrogate(surrogate) ? "x" : "") + suffix;
    assertThatThrownBy(() -> Codecs.UTF8.encode(value)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String").hasMessageContaining("lone surrogate");
  }

  @Property
  void questionMarksAndPairedSurrogatesStillEncode(@ForAll("text") String value) {
    String withMarks = "?" + value + "?\uD83D\uDE00?";
    assertThat(Codecs.UTF8.decode(Codecs.UTF8.encode(withMarks))).isEqualTo(withMarks);
  }

  @Property
  void longRoundTripsAndKeepsUnsignedOrderOfNonNegatives(@ForAll long value, @ForAll long other) {
    assertThat(Codecs.LONG.decode(Codecs.LONG.encode(value))).isEqualTo(value);
    assertThat(Codecs.LONG.encode(value)).hasSize(8);
    if (value >= 0 && other >= 0) {
      assertThat(Integer.signum(Bytes.of(Codecs.LONG.encode(value)).compareTo(Bytes.of(Codecs.LONG.encode(other)))))
          .isEqualTo(Long.signum(Long.compare(value, other)));
    }
  }

  @Property
  void integerRoundTrips(@ForAll int value) {
    assertThat(Codecs.INTEGER.decode(Codecs.INTEGER.encode(value))).isEqualTo(value);
    assertThat(Codecs.INTEGER.encode(value)).hasSize(4);
  }

  @Property
  void byteArrayRoundTripsAndSharesNothing(@ForAll @Size(max = 64) byte[] value) {
    byte[] encoded = Codecs.BYTE_ARRAY.encode(value);
    assertThat(encoded).isEqualTo(value).isNotSameAs(value);
    byte[] decoded = Codecs.BYTE_ARRAY.decode(encoded);
    assertThat(decoded).isEqualTo(value).isNotSameAs(encoded);
  }

  @Property
  void fixedWidthCodecsRefuseOtherLengths(@ForAll @Size(max = 12) byte[] bytes) {
    if (bytes.length != 8) {
      assertThatThrownBy(() -> Codecs.LONG.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("8").hasMessageContaining(Integer.toString(bytes.length));
    }
    if (bytes.length != 4) {
      assertThatThrownBy(() -> Codecs.INTEGER.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("4").hasMessageContaining(Integer.toString(bytes.length));
    }
  }
}
