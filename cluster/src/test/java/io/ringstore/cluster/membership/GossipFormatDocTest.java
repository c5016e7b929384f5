package io.ringstore.cluster.membership;

import io.ringstore.spi.testkit.FormatDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked example in {@code docs/formats/gossip.md} is what this code writes and reads: the test
 * compares each frame the code writes with the document's hex, decodes the document's bytes, and
 * checks the refusals the document describes. If the format changes, the failure prints the new
 * bytes to paste into the document.
 */
class GossipFormatDocTest {
  private static final FormatDocument DOCUMENT = FormatDocument.named("gossip.md");
  private static final long GENERATION = 1_893_456_000_000L;
  private final GossipCodec codec = new GossipCodec(64 * 1024);

  static Map<String, GossipFrame> exampleFrames() {
    Map<String, GossipFrame> frames = new LinkedHashMap<>();
    frames.put("syn", new GossipFrame("c1", NodeId.of("n1"), "10.0.0.1:7000",
        new GossipMessage.Syn(List.of(new Digest(NodeId.of("n1"), GENERATION, 6)))));
    frames.put("ack", new GossipFrame("c1", NodeId.of("n2"), "10.0.0.2:7000", new GossipMessage.Ack(
        List.of(new NodeDelta(NodeId.of("n2"), GENERATION, List.of(
            new StateEntry(StateKey.STATUS, 2, Bytes.of(new byte[] {(byte) NodeStatus.NORMAL.code()})),
            new StateEntry(StateKey.WEIGHT, 4, Bytes.of(new byte[] {2, 0, 0, 0})),
            new StateEntry(StateKey.HEARTBEAT, 7, Bytes.EMPTY)))),
        List.of(new Digest(NodeId.of("n1"), 0, 0)))));
    return frames;
  }

  @Test
  void theDocumentsExampleIsWhatTheCodeWrites() throws IOException {
    Map<String, byte[]> golden = DOCUMENT.goldenSections();
    Map<String, byte[]> actual = new LinkedHashMap<>();
    exampleFrames().forEach((name, frame) -> actual.put(name, codec.encode(frame)));
    DOCUMENT.assertGoldenIsWritten(golden, actual, FormatDocument::hexLine);
  }

  @Test
  void theDocumentsBytesDecodeAsTheDocumentSays() throws IOException {
    Map<String, byte[]> golden = DOCUMENT.goldenSections();
    exampleFrames().forEach((name, frame) -> assertThat(codec.decode(golden.get(name))).isEqualTo(frame));

    GossipFrame ack = codec.decode(golden.get("ack"));
    Member n2 = new Member(NodeId.of("n2"), GENERATION, NodeStatus.NORMAL, true,
        EndpointState.empty(NodeId.of("n2"), GENERATION).apply(((GossipMessage.Ack) ack.message()).deltas().get(0)));
    assertThat(n2.weight()).isEqualTo(2);
    assertThat(n2.heartbeat()).isEqualTo(7);

    byte[] syn = golden.get("syn");
    byte[] newer = syn.clone();
    newer[2] = 2;
    assertThatThrownBy(() -> codec.decode(newer))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessage("malformed gossip frame: unknown gossip format version 2 (this build reads version 1) (at offset 2)");
    assertThatThrownBy(() -> codec.decode(Arrays.copyOf(syn, syn.length - 1)))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessageContaining("at offset");
    byte[] overlong = Arrays.copyOf(syn, syn.length + 1); // maxVersion 6 as 86 00: not the shortest form
    overlong[syn.length - 1] = (byte) 0x86;
    assertThatThrownBy(() -> codec.decode(overlong))
        .isInstanceOf(MalformedGossipException.class)
        .hasMessage("malformed gossip frame: max version is a varint with a redundant trailing zero byte (at offset "
            + (syn.length - 1) + ")");
  }
}
