package io.ringstore.cluster.vertx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer fuzz test of {@link FrameDecoder#feed}: any byte stream is cut into frames that encode
 * back to exactly the bytes they came from (all but the buffered tail of an incomplete frame), the
 * same whether the stream arrives whole or in two pieces; or it is refused with
 * {@link MalformedFrameException}; no other exception. The normal build replays the corpus in
 * {@code src/test/resources/io/ringstore/cluster/vertx/FrameDecoderFuzzTestInputs/decode};
 * {@code mvn -Pfuzz -pl cluster test -Dtest=FrameDecoderFuzzTest} fuzzes.
 */
class FrameDecoderFuzzTest {
  private static final int MAX_FRAME_BYTES = 1024;

  @FuzzTest(maxDuration = "20s")
  void decode(byte[] input) {
    FrameDecoder whole = new FrameDecoder(MAX_FRAME_BYTES);
    List<ChannelFrame> frames;
    try {
      frames = whole.feed(input);
    } catch (MalformedFrameException refused) {
      expectRefusalInPieces(input);
      return;
    }
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    frames.forEach(f -> again.writeBytes(f.encode(MAX_FRAME_BYTES)));
    int consumed = input.length - whole.buffered();
    if (!Arrays.equals(again.toByteArray(), Arrays.copyOf(input, consumed))) {
      throw new AssertionError("decoded frames encode to other bytes: " + frames);
    }
    FrameDecoder pieces = new FrameDecoder(MAX_FRAME_BYTES);
    int cut = input.length / 2;
    List<ChannelFrame> first = pieces.feed(Arrays.copyOfRange(input, 0, cut));
    List<ChannelFrame> second = pieces.feed(Arrays.copyOfRange(input, cut, input.length));
    if (!frames.equals(concat(first, second)) || pieces.buffered() != whole.buffered()) {
      throw new AssertionError("a stream in two pieces decodes otherwise than whole");
    }
  }

  private static void expectRefusalInPieces(byte[] input) {
    FrameDecoder pieces = new FrameDecoder(MAX_FRAME_BYTES);
    int cut = input.length / 2;
    try {
      pieces.feed(Arrays.copyOfRange(input, 0, cut));
      pieces.feed(Arrays.copyOfRange(input, cut, input.length));
    } catch (MalformedFrameException refused) {
      return;
    }
    throw new AssertionError("a stream refused whole is accepted in two pieces");
  }

  private static List<ChannelFrame> concat(List<ChannelFrame> a, List<ChannelFrame> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
