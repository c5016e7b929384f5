package io.ringstore.storage.lsm.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.FormatDocument;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example in {@code docs/formats/wal.md} is what this code writes and reads: the test
 * compares each section the code writes with the document's hex, then recovers the document's bytes
 * (whole, cut and damaged) as the document says. If the format changes, the failure prints the new
 * bytes to paste into the document.
 *
 * <p>Sections are marked {@code <!-- golden: NAME -->} before a fenced block; in the block, text from
 * {@code #} to the end of a line is commentary and the rest is whitespace-separated hex bytes.
 */
class WalFormatDocTest {
  private static final FormatDocument DOCUMENT = FormatDocument.named("wal.md");

  @TempDir Path dir;

  static Map<String, byte[]> exampleSections() {
    Map<String, byte[]> sections = new LinkedHashMap<>();
    sections.put("header", WalFormat.header(7));
    sections.put("record-hello", WalFormat.record(WalFormat.TYPE_BATCH, "hello".getBytes(StandardCharsets.UTF_8)));
    sections.put("record-empty", WalFormat.record(WalFormat.TYPE_BATCH, new byte[0]));
    return sections;
  }

  /** The sections of the segment example; the document's batch payload section is checked by the engine's tests. */
  static Map<String, byte[]> segmentSections() throws IOException {
    Map<String, byte[]> golden = new LinkedHashMap<>(DOCUMENT.goldenSections());
    golden.remove("batch");
    return golden;
  }

  @Test
  void theDocumentsExampleIsWhatTheCodeWrites() throws IOException {
    Map<String, byte[]> golden = segmentSections();
    Map<String, byte[]> actual = exampleSections();
    DOCUMENT.assertGoldenIsWritten(golden, actual, FormatDocument::hexLine);
  }

  @Test
  void theDocumentsBytesRecoverAsTheDocumentSays() throws IOException {
    byte[] file = FormatDocument.concatenate(segmentSections().values());
    assertThat(file).hasSize(39);
    Path segment = WalFormat.segmentPath(dir, 7);
    assertThat(segment.getFileName()).hasToString("00000000000000000007.wal");
    NioDisk disk = new NioDisk();

    Files.write(segment, file);
    Wals.Recovered whole = Wals.recover(disk, dir);
    assertThat(whole.payloads()).containsExactly("hello".getBytes(StandardCharsets.UTF_8), new byte[0]);
    assertThat(whole.records()).extracting(WalRecord::offsetBytes).containsExactly(16L, 30L);
    assertThat(whole.recovery().nextSegmentId()).isEqualTo(8);

    Files.write(segment, Arrays.copyOf(file, 35));
    Wals.Recovered cut = Wals.recover(disk, dir);
    assertThat(cut.payloads()).containsExactly("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(cut.recovery().truncatedBytes()).isEqualTo(5);
    assertThat(Files.size(segment)).isEqualTo(30);

    byte[] flipped = file.clone();
    flipped[25] ^= 0x01;
    Files.write(segment, flipped);
    assertThatThrownBy(() -> Wals.recover(disk, dir))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("WAL segment 7 record is corrupt at offset 16 of file " + segment)
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("a valid record follows at offset 30");
  }
}
