package io.ringstore.cluster.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.LimitExceededException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ReplicaRequest.Batch} and {@link ReplicaReply.Batched} on the wire: their elements are
 * whole frames, a batch holds 1 to {@link WireCodec#MAX_BATCH} of them and no batch, and every
 * refusal names the problem and its offset in the whole frame.
 */
class WireBatchTest {
  private static final int BOUND = 1 << 20;

  private static ReplicaRequest.Read read(String key) {
    return new ReplicaRequest.Read("ks", Bytes.utf8(key), false);
  }

  @Test
  void aBatchIsItsRequestsFramesOneAfterTheOther() {
    List<ReplicaRequest> requests = List.of(read("a"), new ReplicaRequest.Drop("ks"), read("b"));
    List<byte[]> frames = requests.stream().map(WireCodec::encode).toList();
    byte[] batch = WireCodec.encode(new ReplicaRequest.Batch(requests));
    assertThat(WireCodec.encodeBatch(frames)).isEqualTo(batch);
    int size = WireCodec.BATCH_HEADER_BYTES - 1; // a count of 3 takes one byte
    for (byte[] frame : frames) {
      size += WireCodec.batchElementBytes(frame.length);
    }
    assertThat(batch).hasSize(size);
    assertThat(WireCodec.decodeRequest(batch, BOUND)).isEqualTo(new ReplicaRequest.Batch(requests));
    assertThat(new ReplicaRequest.Batch(requests).keyspace()).isEqualTo("ks");

    List<ReplicaReply> replies = List.of(new ReplicaReply.Ack(), new ReplicaReply.Found(null));
    byte[] batched = WireCodec.encode(new ReplicaReply.Batched(replies));
    assertThat(WireCodec.encodeBatched(replies.stream().map(WireCodec::encode).toList())).isEqualTo(batched);
    assertThat(WireCodec.decodeReply(batched, BOUND)).isEqualTo(new ReplicaReply.Batched(replies));
  }

  @Test
  void aBatchOfTheMostRequestsRoundTrips() {
    List<ReplicaRequest> requests = new ArrayList<>();
    for (int i = 0; i < WireCodec.MAX_BATCH; i++) {
      requests.add(read("k" + i));
    }
    ReplicaRequest.Batch batch = new ReplicaRequest.Batch(requests);
    assertThat(WireCodec.decodeRequest(WireCodec.encode(batch), BOUND)).isEqualTo(batch);
  }

  @Test
  void malformedBatchesAreRefusedWithAMessage() {
    String read = "52 57 01 01 02 6b 73 01 61 00"; // Read "a" of "ks", 10 bytes
    refusedAsRequest("52 57 01 08 00", "batch count = 0 is out of range; need 1 to 512", 4);
    refusedAsRequest("52 57 01 08 81 04", "batch count = 513 is out of range; need 1 to 512", 4);
    refusedAsRequest("52 57 01 08 80 04", "batch count = 512 needs at least 2560 bytes; 0 left", 4);
    // a batch inside a batch, at its type's offset in the whole frame
    refusedAsRequest("52 57 01 08 01 10 52 57 01 08 01 0a " + read, "a batch inside a batch", 9);
    // an element that runs past the frame, one shorter than a header, one with a bad header or a reply's type
    refusedAsRequest("52 57 01 08 01 0b " + read, "batched request of 11 bytes runs past the input (10 bytes left)", 5);
    refusedAsRequest("52 57 01 08 01 03 52 57 01 00", "batched request length = 3 is out of range; need 4 to 2147483647", 5);
    refusedAsRequest("52 57 01 08 01 0a 52 57 02 01 02 6b 73 01 61 00",
        "unknown replica protocol version 2 (this build reads version 1)", 8);
    refusedAsRequest("52 57 01 08 01 04 52 57 01 81", "unknown request type 0x81", 9);
    // an element's own bytes end where its length says, not at the frame's end
    refusedAsRequest("52 57 01 08 01 09 " + read, "input ends before the withExpired", 15);
    refusedAsRequest("52 57 01 08 01 0a " + read + " 00", "1 bytes after the message", 16);
    // the same rules for batched replies
    refusedAsReply("52 57 01 88 00", "batched reply count = 0 is out of range; need 1 to 512", 4);
    refusedAsReply("52 57 01 88 01 06 52 57 01 88 01 00", "a batched reply inside a batched reply", 9);
    refusedAsReply("52 57 01 88 01 04 52 57 01 08", "unknown reply type 0x08", 9);
    refusedAsReply("52 57 01 88 02 04 52 57 01 81", "batched reply count = 2 needs at least 10 bytes; 5 left", 4);
    // a request decoder refuses a batched reply, a reply decoder a batch
    refusedAsRequest("52 57 01 88 01 04 52 57 01 81", "unknown request type 0x88", 3);
    refusedAsReply("52 57 01 08 01 0a " + read, "unknown reply type 0x08", 3);
  }

  @Test
  void theEncoderRefusesBatchesNoDecoderWouldAccept() {
    assertThatThrownBy(() -> new ReplicaRequest.Batch(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a batch needs at least one request");
    assertThatThrownBy(() -> new ReplicaRequest.Batch(List.of(new ReplicaRequest.Batch(List.of(read("a"))))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a batch may not hold a batch");
    assertThatThrownBy(() -> new ReplicaReply.Batched(List.of(new ReplicaReply.Batched(List.of(new ReplicaReply.Ack())))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a batched reply may not hold a batched reply");
    ReplicaRequest.Batch tooMany = new ReplicaRequest.Batch(Collections.nCopies(WireCodec.MAX_BATCH + 1, read("a")));
    assertThatThrownBy(() -> WireCodec.encode(tooMany))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage("a batch of 513 messages exceeds WireCodec.MAX_BATCH = 512");
    byte[] frame = WireCodec.encode(read("a"));
    assertThatThrownBy(() -> WireCodec.encodeBatch(Collections.nCopies(WireCodec.MAX_BATCH + 1, frame)))
        .isInstanceOf(LimitExceededException.class)
        .satisfies(e -> assertThat(((LimitExceededException) e).setting()).isEqualTo("WireCodec.MAX_BATCH"));
    assertThatThrownBy(() -> WireCodec.encodeBatch(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a batch needs at least one message");
    assertThatThrownBy(() -> WireCodec.encodeBatch(List.of(WireCodec.encode(new ReplicaRequest.Batch(List.of(read("a")))))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a batch may not hold a batch");
    assertThatThrownBy(() -> WireCodec.encodeBatch(List.of(WireCodec.encode(new ReplicaReply.Ack()))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a batch element is not a request frame of version 1");
  }

  private static void refusedAsRequest(String hexFrame, String problem, int offset) {
    byte[] frame = HexFormat.of().parseHex(hexFrame.replace(" ", ""));
    assertThatThrownBy(() -> WireCodec.decodeRequest(frame, BOUND))
        .as("decoding %s", hexFrame)
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed replica message: " + problem + " (at offset " + offset + ")");
  }

  private static void refusedAsReply(String hexFrame, String problem, int offset) {
    byte[] frame = HexFormat.of().parseHex(hexFrame.replace(" ", ""));
    assertThatThrownBy(() -> WireCodec.decodeReply(frame, BOUND))
        .as("decoding %s", hexFrame)
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed replica message: " + problem + " (at offset " + offset + ")");
  }
}
