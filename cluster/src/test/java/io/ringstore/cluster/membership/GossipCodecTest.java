package io.ringstore.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.LimitExceededException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link GossipCodec}: every frame round-trips to the same bytes; every cut, a bad magic, version
 * or type, trailing bytes, overlong varints and broken invariants are refused with
 * {@link MalformedGossipException} naming the offset; the frame bound holds both ways.
 */
class GossipCodecTest {
  private final GossipCodec codec = new GossipCodec(GossipSettings.MIN_FRAME_BYTES);

  @Provide
  Arbitrary<GossipFrame> frames() {
    return GossipArbitraries.frames();
  }

  @Property(tries = 300)
  void framesRoundTrip(@ForAll("frames") GossipFrame frame) {
    byte[] bytes = codec.encode(frame);
    assertThat(bytes).hasSize(GossipCodec.sizeOf(frame));
    GossipFrame decoded = codec.decode(bytes);
    assertThat(decoded).isEqualTo(frame);
    assertThat(codec.encode(decoded)).isEqualTo(bytes);
  }

  @Property(tries = 100)
  void everyCutIsRefusedWithTheTypedError(@ForAll("frames") GossipFrame frame) {
    byte[] bytes = codec.encode(frame);
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> codec.decode(cut))
          .as("frame cut to %d of %d bytes", length, bytes.length)
          .isInstanceOf(MalformedGossipException.class)
          .hasMessageContaining("at offset");
    }
  }

  @Property(tries = 100)
  void trailingBytesAreRefused(@ForAll("frames") GossipFrame frame) {
    byte[] bytes = codec.encode(frame);
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> codec.decode(longer))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessage("malformed gossip frame: 1 bytes after the end of the message (at offset " + bytes.length + ")");
  }

  private static GossipFrame syn() {
    return new GossipFrame("c1", NodeId.of("n1"), "h1:7000", new GossipMessage.Syn(List.of(new Digest(NodeId.of("n2"), 5, 9))));
  }

  @Test
  void anUnknownVersionIsRefusedByNumber() {
    byte[] bytes = codec.encode(syn());
    bytes[2] = 2;
    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessage("malformed gossip frame: unknown gossip format version 2 (this build reads version 1) (at offset 2)")
        .satisfies(e -> assertThat(((MalformedGossipException) e).offset()).isEqualTo(2));
  }

  @Test
  void anUnknownTypeOrMagicIsRefused() {
    byte[] bytes = codec.encode(syn());
    bytes[3] = 4;
    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessage("malformed gossip frame: unknown gossip message type 4 (format version 1 has 1 Syn, 2 Ack, 3 Ack2) (at offset 3)");
    byte[] other = codec.encode(syn());
    other[0] = 'X';
    assertThatThrownBy(() -> codec.decode(other))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessageContaining("bad magic 0x5847");
  }

  @Test
  void nonCanonicalAndOverlongVarintsAreRefused() {
    byte[] bytes = codec.encode(syn());
    // the Syn's digest count (1) sits after the three strings: c1, n1, h1:7000
    int count = 4 + 3 + 3 + 8;
    assertThat(bytes[count]).isEqualTo((byte) 1);
    byte[] padded = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, padded, 0, count);
    padded[count] = (byte) 0x81;
    padded[count + 1] = 0x00;
    System.arraycopy(bytes, count + 1, padded, count + 2, bytes.length - count - 1);
    assertThatThrownBy(() -> codec.decode(padded))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessageContaining("digest count is a varint with a redundant trailing zero byte (at offset " + count + ")");

    List<Byte> huge = new ArrayList<>();
    for (byte b : Arrays.copyOf(bytes, count)) {
      huge.add(b);
    }
    for (int i = 0; i < 9; i++) {
      huge.add((byte) 0xff);
    }
    huge.add((byte) 0x01);
    byte[] overlong = new byte[huge.size()];
    for (int i = 0; i < overlong.length; i++) {
      overlong[i] = huge.get(i);
    }
    assertThatThrownBy(() -> codec.decode(overlong))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessageContaining("digest count is a varint over 63 bits (at offset " + count + ")");
  }

  @Test
  void brokenInvariantsOfValuesAreRefusedAsMalformed() {
    // a STATUS value of 9 is no status; a duplicate digest names a node twice
    GossipFrame ack2 = new GossipFrame("c1", NodeId.of("n1"), "h1:7000", new GossipMessage.Ack2(List.of(
        new NodeDelta(NodeId.of("n2"), 5, List.of(new StateEntry(StateKey.STATUS, 1, Bytes.of(new byte[] {2})))))));
    byte[] bytes = codec.encode(ack2);
    bytes[bytes.length - 1] = 9;
    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessageContaining("unknown STATUS code 9 (this build knows 1 to 4)");

    byte[] twice = codec.encode(new GossipFrame("c1", NodeId.of("n1"), "h1:7000", new GossipMessage.Syn(List.of(
        new Digest(NodeId.of("n2"), 5, 9), new Digest(NodeId.of("n3"), 5, 9)))));
    twice[twice.length - 3] = '2'; // n3 -> n2
    assertThatThrownBy(() -> codec.decode(twice))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessageContaining("Syn digests name node n2 twice");
  }

  @Test
  void theFrameBoundHoldsOnEncodeAndDecode() {
    List<NodeDelta> deltas = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      deltas.add(new NodeDelta(NodeId.of("n" + i), 1, List.of(new StateEntry(StateKey.TOKENS, 1, Bytes.of(new byte[8 * 1024])))));
    }
    GossipFrame big = new GossipFrame("c1", NodeId.of("n1"), "h1:7000", new GossipMessage.Ack2(deltas));
    int size = GossipCodec.sizeOf(big);
    assertThat(size).isGreaterThan(GossipSettings.MIN_FRAME_BYTES);
    assertThatThrownBy(() -> codec.encode(big))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage("gossip Ack2 frame would be " + size + " bytes; limit gossip.maxFrameBytes = " + GossipSettings.MIN_FRAME_BYTES)
        .satisfies(e -> assertThat(((LimitExceededException) e).setting()).isEqualTo("gossip.maxFrameBytes"));

    byte[] bytes = new GossipCodec(64 * 1024).encode(big);
    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessage("malformed gossip frame: frame of " + size + " bytes is over the bound gossip.maxFrameBytes = "
            + GossipSettings.MIN_FRAME_BYTES + " (at offset 0)");
  }

  @Test
  void valuesAndSettingsOutOfRangeAreRefusedNamingTheBound() {
    assertThatThrownBy(() -> new GossipCodec(1000))
        .hasMessage("gossip.maxFrameBytes = 1000 is out of range; need 20480 to 16777216");
    assertThatThrownBy(() -> new StateEntry(StateKey.WEIGHT, 1, Bytes.of(new byte[] {0, 0, 0, 0})))
        .hasMessage("WEIGHT = 0; need >= 1");
    assertThatThrownBy(() -> new StateEntry(new StateKey(99), 1, Bytes.of(new byte[StateKey.MAX_VALUE_BYTES + 1])))
        .hasMessage("KEY_99 value is 16385 bytes; limit 16384");
    assertThatThrownBy(() -> NodeId.of("x".repeat(129)))
        .hasMessage("node id 'xxxxxxxxxxxxxxxx...' is 129 UTF-8 bytes; limit 128");
    assertThatThrownBy(() -> new NodeDelta(NodeId.of("n1"), 1, List.of(
        new StateEntry(StateKey.HEARTBEAT, 5, Bytes.EMPTY), new StateEntry(StateKey.STATUS, 3, Bytes.of(new byte[] {1})))))
        .hasMessage("delta of n1: version 3 of STATUS follows version 5; need strictly ascending versions");
  }
}
