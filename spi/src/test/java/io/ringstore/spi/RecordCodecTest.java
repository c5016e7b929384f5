package io.ringstore.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link RecordCodec}: every record round-trips; no input makes the decoder do anything but decode or refuse. */
class RecordCodecTest {

  /** A record from a seeded history: writes by three actors with fresh, old and empty contexts, deletes, syncs. */
  static StoredRecord history(long seed) {
    Random random = new Random(seed);
    List<String> actors = List.of("n1", "node-two", "\u00e9t\u00e9");
    StoredRecord[] replicas = new StoredRecord[3];
    List<VectorClock> seen = new ArrayList<>(List.of(VectorClock.EMPTY));
    long t = 1_700_000_000_000L << 16;
    for (int step = 0; step < 1 + random.nextInt(12); step++) {
      int at = random.nextInt(3);
      if (replicas[at] != null && random.nextInt(4) == 0) {
        int from = random.nextInt(3);
        if (replicas[from] != null) {
          replicas[at] = StoredRecord.sync(replicas[at], replicas[from]);
        }
        continue;
      }
      VectorClock context = random.nextBoolean() || replicas[at] == null ? seen.get(random.nextInt(seen.size()))
          : replicas[at].clock();
      Bytes value = random.nextInt(5) == 0 ? null : Bytes.of(randomBytes(random, random.nextInt(40)));
      long expiry = random.nextInt(3) == 0 ? 1_700_000_060_000L + random.nextInt(1000) : StoredRecord.NEVER;
      replicas[at] = StoredRecord.write(replicas[at], context, actors.get(at), t += 1 + random.nextInt(5), value, expiry,
          1_700_000_000_000L + step);
      seen.add(replicas[at].clock());
    }
    for (StoredRecord r : replicas) {
      if (r != null) {
        return r;
      }
    }
    throw new AssertionError("a history writes at least once");
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Property(tries = 300)
  void everyRecordRoundTrips(@ForAll long seed) {
    StoredRecord record = history(seed);
    StoredRecord decoded = RecordCodec.decode(RecordCodec.encode(record));
    assertThat(decoded).isEqualTo(record);
    assertThat(decoded.expiresAtMillis()).isEqualTo(record.expiresAtMillis());
    assertThat(decoded.timestamp()).isEqualTo(record.timestamp());
    assertThat(decoded.isTombstone()).isEqualTo(record.isTombstone());
    for (int i = 0; i < record.clock().size(); i++) {
      assertThat(decoded.clock().stampMillisAt(i)).isEqualTo(record.clock().stampMillisAt(i));
    }
    assertThat(decoded.siblings()).isEqualTo(record.siblings());
  }

  @Property(tries = 300)
  void aTruncatedRecordIsAlwaysRefused(@ForAll long seed, @ForAll Random random) {
    byte[] encoded = RecordCodec.encode(history(seed));
    int cut = random.nextInt(encoded.length);
    assertThatThrownBy(() -> RecordCodec.decode(encoded, 0, cut)).isInstanceOf(MalformedRecordException.class);
  }

  @Property(tries = 500)
  void aDamagedRecordDecodesOrIsRefusedButNothingElse(@ForAll long seed, @ForAll Random random) {
    byte[] encoded = RecordCodec.encode(history(seed));
    for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
      encoded[random.nextInt(encoded.length)] ^= (byte) (1 << random.nextInt(8));
    }
    decodesOrIsRefused(encoded);
  }

  @Provide
  Arbitrary<byte[]> noise() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
  }

  @Property(tries = 2000)
  void anyBytesDecodeOrAreRefusedButNothingElse(@ForAll("noise") byte[] bytes) {
    decodesOrIsRefused(bytes);
  }

  @Property(tries = 500)
  void anyBytesAfterAValidHeaderDecodeOrAreRefused(@ForAll @Size(max = 60) byte[] tail) {
    byte[] bytes = new byte[tail.length + 2];
    bytes[0] = RecordCodec.VERSION;
    System.arraycopy(tail, 0, bytes, 2, tail.length);
    decodesOrIsRefused(bytes);
  }

  private static void decodesOrIsRefused(byte[] bytes) {
    try {
      StoredRecord record = RecordCodec.decode(bytes);
      assertThat(RecordCodec.decode(RecordCodec.encode(record))).isEqualTo(record);
    } catch (MalformedRecordException e) {
      assertThat(e.getMessage()).startsWith("malformed record: ").contains("(at offset ");
      assertThat(e.offset()).isBetween(0, bytes.length);
    }
  }

  @Test
  void refusalsNameWhatWasWrong() {
    assertThatThrownBy(() -> RecordCodec.decode(new byte[] {2, 0})).isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("unknown record format version 2");
    assertThatThrownBy(() -> RecordCodec.decode(new byte[] {1, 4})).hasMessageContaining("unknown flag bits 0x4");
    assertThatThrownBy(() -> RecordCodec.decode(new byte[] {1, 0, 1, 0})).hasMessageContaining("actor length = 0 is out of range");
    byte[] valid = RecordCodec.encode(history(1));
    byte[] longer = java.util.Arrays.copyOf(valid, valid.length + 1);
    assertThatThrownBy(() -> RecordCodec.decode(longer)).hasMessageContaining("1 bytes after the record");
    // actors out of order
    byte[] unsorted = {1, 0, 2, 1, 'b', 1, 0, 1, 'a', 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assertThatThrownBy(() -> RecordCodec.decode(unsorted)).hasMessageContaining("strictly ascending");
    // a sibling whose dot the clock does not cover
    byte[] uncovered = {1, 0, 1, 1, 'a', 1, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assertThatThrownBy(() -> RecordCodec.decode(uncovered)).hasMessageContaining("not covered");
  }

  /** The worked example of docs/formats/record.md, so that the document cannot drift from the code. */
  @Test
  void theDocumentsWorkedExampleIsWhatTheCodecWrites() throws IOException {
    VectorClock clock = VectorClock.ofEntries(new String[] {"n1"}, new long[] {2}, new long[] {1_700_000_000_000L});
    StoredRecord record = StoredRecord.of(clock,
        List.of(new Sibling(new Dot("n1", 2), 0x0123456789ABCDEFL, Bytes.utf8("hi"))), 1_700_000_060_000L);
    String hex = HexFormat.ofDelimiter(" ").formatHex(RecordCodec.encode(record));

    String doc = Files.readString(Path.of("..", "docs", "formats", "record.md"), StandardCharsets.UTF_8);
    String example = doc.substring(doc.indexOf("<!-- example-hex -->") + "<!-- example-hex -->".length(),
        doc.indexOf("<!-- /example-hex -->")).replaceAll("[`\\s]+", " ").trim();
    assertThat(example).isEqualTo(hex);
    assertThat(RecordCodec.decode(HexFormat.ofDelimiter(" ").parseHex(hex))).isEqualTo(record);
  }
}
