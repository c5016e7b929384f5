package io.ringstore.provider.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.testkit.FormatDocument;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.cache.event.EventType;
import org.junit.jupiter.api.Test;

/**
 * The worked examples in {@code docs/formats/events.md} are what {@link EventFrameCodec} writes and
 * reads, and the refusals the document lists are the codec's. If the format changes, the failure
 * prints the new bytes to paste into the document.
 */
class EventFrameFormatDocTest {
  private static final FormatDocument DOCUMENT = FormatDocument.named("events.md");
  private static final int BOUND = 1 << 20;

  static Map<String, EventFrame> examples() {
    Map<String, EventFrame> frames = new LinkedHashMap<>();
    frames.put("updated", new EventFrame("n1", List.of(
        new EventFrame.Event(EventType.UPDATED, Bytes.utf8("k1"), Bytes.utf8("v1"), Bytes.utf8("v2")))));
    frames.put("batch", new EventFrame("n2", List.of(
        new EventFrame.Event(EventType.CREATED, Bytes.utf8("k2"), null, Bytes.utf8("v3")),
        new EventFrame.Event(EventType.REMOVED, Bytes.utf8("k1"), Bytes.utf8("v2"), null),
        new EventFrame.Event(EventType.EXPIRED, Bytes.utf8("k3"), null, null))));
    return frames;
  }

  @Test
  void theDocumentsExamplesAreWhatTheCodeWrites() throws IOException {
    Map<String, byte[]> actual = new LinkedHashMap<>();
    examples().forEach((name, frame) -> actual.put(name, EventFrameCodec.encode(frame)));
    DOCUMENT.assertGoldenIsWritten(DOCUMENT.goldenSections(), actual, FormatDocument::hexLine);
  }

  @Test
  void theDocumentsBytesDecodeAsTheDocumentSays() throws IOException {
    Map<String, byte[]> golden = DOCUMENT.goldenSections();
    examples().forEach((name, frame) -> {
      assertThat(EventFrameCodec.decode(golden.get(name), BOUND)).as(name).isEqualTo(frame);
      assertThat(EventFrameCodec.encodedLength(frame)).as(name).isEqualTo(golden.get(name).length);
    });

    byte[] updated = golden.get("updated");
    assertThatThrownBy(() -> EventFrameCodec.decode(updated, updated.length - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an event frame of " + updated.length + " bytes is past the bound maxFrameBytes = " + (updated.length - 1));
    byte[] newer = updated.clone();
    newer[2] = 2;
    assertThatThrownBy(() -> EventFrameCodec.decode(newer, BOUND))
        .hasMessage("event frame version 2 is not supported; this node reads version 1");
    byte[] notOurs = updated.clone();
    notOurs[1] = 'W';
    assertThatThrownBy(() -> EventFrameCodec.decode(notOurs, BOUND))
        .hasMessage("not an event frame: it does not start with the magic \"RE\"");
    byte[] unknownType = updated.clone();
    unknownType[7] = 5;
    assertThatThrownBy(() -> EventFrameCodec.decode(unknownType, BOUND))
        .hasMessage("event frame: unknown event type 5 at offset 7; known: 1 CREATED, 2 UPDATED, 3 REMOVED, 4 EXPIRED");
    byte[] unknownFlags = updated.clone();
    unknownFlags[8] = 7;
    assertThatThrownBy(() -> EventFrameCodec.decode(unknownFlags, BOUND))
        .hasMessage("event frame: unknown flags 0x7 at offset 8");
    byte[] noNewValue = updated.clone();
    noNewValue[8] = 1; // UPDATED with an old value only: the new value's bytes are then trailing
    assertThatThrownBy(() -> EventFrameCodec.decode(noNewValue, BOUND))
        .hasMessageStartingWith("event frame: event 0 at offset 7: a UPDATED event needs its new value");
    assertThatThrownBy(() -> EventFrameCodec.decode(Arrays.copyOf(updated, updated.length + 1), BOUND))
        .hasMessage("event frame: 1 trailing bytes at offset " + updated.length);
    assertThatThrownBy(() -> EventFrameCodec.decode(Arrays.copyOf(updated, updated.length - 1), BOUND))
        .hasMessageContaining("declares 2 bytes; only 1 remain");
    byte[] longCount = updated.clone();
    longCount[6] = (byte) 0x81; // a count of 1 written in two bytes (81 00) would not be the shortest form
    assertThatThrownBy(() -> EventFrameCodec.decode(longCount, BOUND))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void framesRoundTripAndArbitraryBytesAreRefusedCleanly() {
    long seed = Long.getLong("ringstore.seed", new Random().nextLong());
    System.out.println("EventFrameFormatDocTest seed " + seed + " (rerun with -Dringstore.seed=" + seed + ")");
    Random random = new Random(seed);
    EventType[] types = EventType.values();
    for (int i = 0; i < 500; i++) {
      int count = 1 + random.nextInt(5);
      List<EventFrame.Event> events = new java.util.ArrayList<>();
      for (int e = 0; e < count; e++) {
        EventType type = types[random.nextInt(types.length)];
        Bytes key = randomBytes(random, 300);
        Bytes old = type == EventType.CREATED || random.nextBoolean() ? null : randomBytes(random, 300);
        Bytes value = type == EventType.REMOVED || type == EventType.EXPIRED ? null : randomBytes(random, 300);
        events.add(new EventFrame.Event(type, key, old, value));
      }
      EventFrame frame = new EventFrame("node-" + random.nextInt(1000), events);
      byte[] bytes = EventFrameCodec.encode(frame);
      assertThat(EventFrameCodec.decode(bytes, BOUND)).as("seed %d, frame %d", seed, i).isEqualTo(frame);
      // any corruption is either refused with an IllegalArgumentException or decodes to a valid frame
      byte[] corrupt = bytes.clone();
      corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
      try {
        EventFrame decoded = EventFrameCodec.decode(corrupt, BOUND);
        assertThat(EventFrameCodec.encode(decoded)).as("seed %d, frame %d", seed, i).isEqualTo(corrupt);
      } catch (IllegalArgumentException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  private static Bytes randomBytes(Random random, int max) {
    byte[] bytes = new byte[random.nextInt(max)];
    random.nextBytes(bytes);
    return Bytes.of(bytes);
  }
}
