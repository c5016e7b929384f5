package io.ringstore.cluster.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ringstore.spi.LimitExceededException;
import java.util.Arrays;

/**
 * Jazzer fuzz test of {@link WireCodec#decodeRequest} and {@link WireCodec#decodeReply}: any bytes
 * decode to a message that encodes back to exactly the same bytes, or are refused with
 * {@link MalformedMessageException} (or, past the frame bound, {@link LimitExceededException}); no
 * other exception. The normal build replays the corpus in {@code src/test/resources/io/ringstore/
 * cluster/wire/WireCodecFuzzTestInputs/}; {@code mvn -Pfuzz -pl cluster test -Dtest=WireCodecFuzzTest}
 * fuzzes.
 */
class WireCodecFuzzTest {
  /** Small, so that the fuzzer also meets the bound. */
  private static final int MAX_FRAME_BYTES = 4096;

  @FuzzTest(maxDuration = "20s")
  void request(byte[] input) {
    ReplicaRequest request;
    try {
      request = WireCodec.decodeRequest(input, MAX_FRAME_BYTES);
    } catch (MalformedMessageException | LimitExceededException refused) {
      return;
    }
    byte[] again = WireCodec.encode(request);
    if (!Arrays.equals(again, input)) {
      throw new AssertionError("a decoded request encodes to other bytes: " + request);
    }
  }

  @FuzzTest(maxDuration = "20s")
  void reply(byte[] input) {
    ReplicaReply reply;
    try {
      reply = WireCodec.decodeReply(input, MAX_FRAME_BYTES);
    } catch (MalformedMessageException | LimitExceededException refused) {
      return;
    }
    byte[] again = WireCodec.encode(reply);
    if (!Arrays.equals(again, input)) {
      throw new AssertionError("a decoded reply encodes to other bytes: " + reply);
    }
  }
}
