package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.testkit.FormatDocument;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked example of the "Shared data" section of {@code docs/formats/cluster-channel.md} is
 * what the code writes and reads: a CHANGE request carrying a {@code MapWrite}, and a JSON value.
 * If the format changes, the failure prints the new bytes to paste into the document.
 */
class SharedDataFormatDocTest {
  private static final FormatDocument DOCUMENT = FormatDocument.named("cluster-channel.md");
  private static final ClusterValueCodec CODEC = new ClusterValueCodec("");

  private static Map<String, byte[]> examples() {
    Map<String, byte[]> examples = new LinkedHashMap<>();
    Change write = new Change.MapWrite("n1", 7, "m", Change.WriteMode.PUT_IF_ABSENT,
        Bytes.of(CODEC.encode("k")), Bytes.of(CODEC.encode(42)), 1_000);
    Buffer request = Buffer.buffer().appendByte((byte) 2); // CHANGE
    write.writeTo(request);
    examples.put("map-write", request.getBytes());
    examples.put("json-value", CODEC.encode(new io.vertx.core.json.JsonObject().put("a", 1)));
    return examples;
  }

  @Test
  void theDocumentsExampleIsWhatTheCodeWrites() throws IOException {
    Map<String, byte[]> actual = examples();
    // the document holds other sections too (cluster-channel.md): compare those the examples name
    Map<String, byte[]> golden = new LinkedHashMap<>(DOCUMENT.goldenSections());
    golden.keySet().retainAll(actual.keySet());
    DOCUMENT.assertGoldenIsWritten(golden, actual, FormatDocument::hexLine);
  }

  @Test
  void theDocumentsBytesDecodeAsTheDocumentSays() throws IOException {
    Map<String, byte[]> golden = DOCUMENT.goldenSections();
    byte[] request = golden.get("map-write");
    Change change = Change.decode(Buffer.buffer(request), 1);
    assertThat(change).isInstanceOfSatisfying(Change.MapWrite.class, w -> {
      assertThat(w.origin()).isEqualTo("n1");
      assertThat(w.opId()).isEqualTo(7);
      assertThat(w.mode()).isEqualTo(Change.WriteMode.PUT_IF_ABSENT);
      assertThat(CODEC.decode(w.key().toByteArray())).isEqualTo("k");
      assertThat(CODEC.decode(w.value().toByteArray())).isEqualTo(42);
      assertThat(w.ttlMillis()).isEqualTo(1_000);
    });
    assertThat(CODEC.decode(golden.get("json-value"))).isEqualTo(new io.vertx.core.json.JsonObject().put("a", 1));

    byte[] unknownMode = request.clone();
    unknownMode[1 + 1 + 4 + 2 + 8 + 4 + 1] = 4; // the write mode byte
    assertThatThrownBy(() -> Change.decode(Buffer.buffer(unknownMode), 1))
        .isInstanceOf(MalformedClusterMessageException.class)
        .hasMessage("malformed cluster message: map write mode 4 is unknown; this build knows 1 to 3 (at offset 21)");
    assertThatThrownBy(() -> Change.decode(Buffer.buffer(Arrays.copyOf(request, request.length - 1)), 1))
        .isInstanceOf(MalformedClusterMessageException.class)
        .hasMessageContaining("need an 8-byte integer");
    byte[] unknownKind = request.clone();
    unknownKind[1] = 15;
    assertThatThrownBy(() -> Change.decode(Buffer.buffer(unknownKind), 1))
        .hasMessage("malformed cluster message: unknown change kind 15; this build knows 1 to 14 (at offset 1)");
  }
}
