package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FrameDecoder} and {@link ChannelFrame#encode}: the layout of {@code docs/formats/cluster-channel.md}. */
class FrameDecoderTest {
  private static final int MAX = 64 * 1024;

  private static byte[] hex(String text) {
    return HexFormat.of().parseHex(text.replaceAll("[ |]", ""));
  }

  @Test
  void theDocumentsExampleDecodes() {
    byte[] example = hex("00 00 00 12 | 01 | 01 | 00 00 00 00 00 00 00 07 | 03 | 02 | 00 00 00 02 6e 31");
    List<ChannelFrame> frames = new FrameDecoder(MAX).feed(example);
    assertThat(frames).containsExactly(new ChannelFrame(ChannelFrame.Type.REQUEST, 7, Bytes.of(hex("03 02 00 00 00 02 6e 31"))));
    assertThat(frames.get(0).encode(MAX)).isEqualTo(example);
  }

  @Test
  void framesCutAnywhereDecodeTheSame() {
    List<ChannelFrame> sent = List.of(
        new ChannelFrame(ChannelFrame.Type.HELLO, 0, Bytes.utf8("node-1")),
        new ChannelFrame(ChannelFrame.Type.REQUEST, 1, Bytes.EMPTY),
        new ChannelFrame(ChannelFrame.Type.GOSSIP, 0, Bytes.of(new byte[300])),
        new ChannelFrame(ChannelFrame.Type.REPLY_NOT_MEMBER, Long.MAX_VALUE, Bytes.utf8("not a member")));
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    sent.forEach(f -> stream.writeBytes(f.encode(MAX)));
    byte[] bytes = stream.toByteArray();
    for (int cut = 0; cut <= bytes.length; cut += 7) {
      FrameDecoder decoder = new FrameDecoder(MAX);
      List<ChannelFrame> got = new ArrayList<>(decoder.feed(java.util.Arrays.copyOfRange(bytes, 0, cut)));
      got.addAll(decoder.feed(java.util.Arrays.copyOfRange(bytes, cut, bytes.length)));
      assertThat(got).as("cut at %d", cut).isEqualTo(sent);
      assertThat(decoder.buffered()).isZero();
    }
    FrameDecoder oneByOne = new FrameDecoder(MAX);
    List<ChannelFrame> got = new ArrayList<>();
    for (byte b : bytes) {
      got.addAll(oneByOne.feed(new byte[] {b}));
    }
    assertThat(got).isEqualTo(sent);
  }

  @Test
  void aBadFrameIsRefusedNamingTheValueAndTheBound() {
    assertThatThrownBy(() -> new FrameDecoder(MAX).feed(hex("00 00 00 09")))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessage("malformed cluster channel frame: frame length = 9 bytes; need 10 to ringstore.cluster.maxFrameBytes = 65536 "
            + "(frame at stream offset 0)");
    assertThatThrownBy(() -> new FrameDecoder(MAX).feed(hex("ff ff ff ff")))
        .as("refused from its length field, before its body arrives")
        .hasMessageContaining("frame length = 4294967295 bytes; need 10 to ringstore.cluster.maxFrameBytes = 65536");
    byte[] good = new ChannelFrame(ChannelFrame.Type.REQUEST, 1, Bytes.EMPTY).encode(MAX);
    byte[] version2 = good.clone();
    version2[4] = 2;
    FrameDecoder decoder = new FrameDecoder(MAX);
    assertThat(decoder.feed(good)).hasSize(1);
    assertThatThrownBy(() -> decoder.feed(version2))
        .hasMessage("malformed cluster channel frame: version = 2; this build reads version 1 only (frame at stream offset 14)");
    assertThatThrownBy(() -> decoder.feed(good)).as("a decoder is spent after a bad frame").hasMessageContaining("version = 2");
    byte[] type7 = good.clone();
    type7[5] = 7;
    assertThatThrownBy(() -> new FrameDecoder(MAX).feed(type7))
        .hasMessageContaining("type = 7; this build knows types 1 to 6 (version 1)");
    assertThatThrownBy(() -> new FrameDecoder(MAX).feed(new ChannelFrame(ChannelFrame.Type.HELLO, 0, Bytes.EMPTY).encode(MAX)))
        .hasMessageContaining("HELLO node id of 0 bytes; need 1 to 255");
    assertThatThrownBy(() -> new FrameDecoder(MAX).feed(new ChannelFrame(ChannelFrame.Type.HELLO, 0, Bytes.of(new byte[] {(byte) 0xc3})).encode(MAX)))
        .hasMessageContaining("HELLO node id is not UTF-8");
  }

  @Test
  void aFrameOverTheBoundIsNotWritten() {
    ChannelFrame big = new ChannelFrame(ChannelFrame.Type.REPLY_OK, 3, Bytes.of(new byte[MAX - 9]));
    assertThatThrownBy(() -> big.encode(MAX))
        .hasMessage("cluster channel frame of 65537 bytes exceeds ringstore.cluster.maxFrameBytes = 65536");
    assertThat(new FrameDecoder(MAX).feed(new ChannelFrame(ChannelFrame.Type.REPLY_OK, 3, Bytes.of(new byte[MAX - 10])).encode(MAX)))
        .hasSize(1);
  }
}
