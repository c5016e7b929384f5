package io.ringstore.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.VectorClock;
import java.util.HexFormat;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The causal context's binary form: a round trip for every clock, and a typed refusal of anything else. */
class CausalContextTest {

  private static CausalContext context(String... actorCounterStamp) {
    int n = actorCounterStamp.length / 3;
    String[] actors = new String[n];
    long[] counters = new long[n];
    long[] stamps = new long[n];
    for (int i = 0; i < n; i++) {
      actors[i] = actorCounterStamp[3 * i];
      counters[i] = Long.parseLong(actorCounterStamp[3 * i + 1]);
      stamps[i] = Long.parseLong(actorCounterStamp[3 * i + 2]);
    }
    return CausalContext.of(VectorClock.ofEntries(actors, counters, stamps));
  }

  @Test
  void theEmptyContextIsTwoBytes() {
    assertThat(CausalContext.EMPTY.toBytes()).containsExactly(1, 0);
    assertThat(CausalContext.fromBytes(new byte[] {1, 0})).isSameAs(CausalContext.EMPTY);
    assertThat(CausalContext.of(VectorClock.EMPTY)).isSameAs(CausalContext.EMPTY);
  }

  @Test
  void aContextRoundTripsByteForByte() {
    CausalContext context = context("node-a", "3", "1700000000000", "node-b", "300", "0", "ü-node", "1", "5");
    byte[] bytes = context.toBytes();
    CausalContext decoded = CausalContext.fromBytes(bytes);
    assertThat(decoded).isEqualTo(context).hasSameHashCodeAs(context);
    assertThat(decoded.toBytes()).isEqualTo(bytes);
    assertThat(decoded.clock().stampMillisAt(0)).isEqualTo(1700000000000L);
  }

  @Test
  void theDocumentedLayout() {
    // version 1, one entry: actor "a" (length 1), counter 2, stamp 300 (varint AC 02)
    assertThat(HexFormat.of().formatHex(context("a", "2", "300").toBytes())).isEqualTo("01" + "01" + "0161" + "02" + "ac02");
  }

  @Test
  void equalityIsCausalOnly() {
    assertThat(context("a", "1", "10")).isEqualTo(context("a", "1", "99"));
    assertThat(context("a", "1", "10")).isNotEqualTo(context("a", "2", "10"));
    assertThat(context("a", "1", "10")).isNotEqualTo(context("a", "1", "10", "b", "1", "10"));
    assertThat(context("a", "1", "10")).isNotEqualTo("a=1");
    assertThat(context("a", "1", "10").toString()).contains("a=1");
  }

  @Test
  void malformedInputIsRefusedWithTheOffset() {
    assertRefused(new byte[0], "offset 0", "ends before the version");
    assertRefused(new byte[] {2, 0}, "unknown causal context format version 2");
    assertRefused(new byte[] {1}, "offset 1", "ends inside the entry count");
    assertRefused(new byte[] {1, 0, 0}, "1 bytes after the context");
    assertRefused(new byte[] {1, (byte) 0x81, 0x20}, "entry count = 4097 is out of range; need 0..4096");
    assertRefused(new byte[] {1, 1, 0}, "actor length = 0 is out of range; need 1..255");
    assertRefused(new byte[] {1, 1, 5, 'a'}, "an actor of 5 bytes runs past the end");
    assertRefused(new byte[] {1, 1, 1, (byte) 0xFF, 1, 0}, "not valid UTF-8");
    assertRefused(new byte[] {1, 1, 1, 'a', 0, 0}, "counter = 0; need >= 1");
    assertRefused(new byte[] {1, 2, 1, 'b', 1, 0, 1, 'a', 1, 0}, "strictly ascending");
    assertRefused(new byte[] {1, 1, 1, 'a', 1}, "ends inside the stamp");
    byte[] overflow = {1, 1, 1, 'a', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, 0x7F, 0};
    assertRefused(overflow, "overflows 64 bits");
    assertThatThrownBy(() -> CausalContext.fromBytes(null)).isInstanceOf(NullPointerException.class);
  }

  private static void assertRefused(byte[] bytes, String... fragments) {
    assertThatThrownBy(() -> CausalContext.fromBytes(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed causal context")
        .satisfies(e -> {
          for (String fragment : fragments) {
            assertThat(e.getMessage()).contains(fragment);
          }
        });
  }

  @Property(tries = 300)
  void everyClockRoundTrips(@ForAll("clocks") VectorClock clock) {
    CausalContext context = CausalContext.of(clock);
    CausalContext decoded = CausalContext.fromBytes(context.toBytes());
    assertThat(decoded).isEqualTo(context);
    assertThat(decoded.toBytes()).isEqualTo(context.toBytes());
  }

  @Property(tries = 1000)
  void anyBytesDecodeOrAreRefusedAsIllegalArguments(@ForAll byte[] bytes) {
    try {
      CausalContext decoded = CausalContext.fromBytes(bytes);
      assertThat(CausalContext.fromBytes(decoded.toBytes())).isEqualTo(decoded);
    } catch (IllegalArgumentException expected) {
      assertThat(expected).hasMessageContaining("malformed causal context");
    }
  }

  @Property(tries = 300)
  void everyTruncationIsRefused(@ForAll("clocks") VectorClock clock) {
    byte[] bytes = CausalContext.of(clock).toBytes();
    for (int length = 0; length < bytes.length; length++) {
      byte[] truncated = java.util.Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> CausalContext.fromBytes(truncated)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Provide
  Arbitrary<VectorClock> clocks() {
    Arbitrary<String> actors = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '0', 'é', 'ü', '名')
        .ofMinLength(1).ofMaxLength(20);
    Arbitrary<long[]> entry = Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE),
        Arbitraries.longs().between(0, Long.MAX_VALUE)).as((c, s) -> new long[] {c, s});
    return Arbitraries.maps(actors, entry).ofMaxSize(8).map(map -> {
      TreeMap<String, long[]> sorted = new TreeMap<>(map);
      String[] a = sorted.keySet().toArray(new String[0]);
      long[] counters = new long[a.length];
      long[] stamps = new long[a.length];
      for (int i = 0; i < a.length; i++) {
        counters[i] = sorted.get(a[i])[0];
        stamps[i] = sorted.get(a[i])[1];
      }
      return VectorClock.ofEntries(a, counters, stamps);
    });
  }
}
