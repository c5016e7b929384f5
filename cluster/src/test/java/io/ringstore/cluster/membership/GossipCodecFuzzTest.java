package io.ringstore.cluster.membership;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer fuzz test of {@link GossipCodec#decode}: any bytes decode to a frame that encodes back to
 * exactly the same bytes, or are refused with {@link MalformedGossipException}; no other
 * exception. The normal build replays the corpus in {@code src/test/resources/io/ringstore/cluster/
 * membership/GossipCodecFuzzTestInputs/decode}; {@code mvn -Pfuzz -pl cluster test
 * -Dtest=GossipCodecFuzzTest} fuzzes.
 */
class GossipCodecFuzzTest {
  private static final GossipCodec CODEC = new GossipCodec(GossipSettings.MIN_FRAME_BYTES);

  @FuzzTest(maxDuration = "20s")
  void decode(byte[] input) {
    GossipFrame frame;
    try {
      frame = CODEC.decode(input);
    } catch (MalformedGossipException refused) {
      return;
    }
    byte[] again = CODEC.encode(frame);
    if (!Arrays.equals(again, input)) {
      throw new AssertionError("a decoded frame encodes to other bytes: " + frame);
    }
  }
}
