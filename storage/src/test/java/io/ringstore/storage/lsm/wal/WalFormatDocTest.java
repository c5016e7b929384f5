package io.ringstore.storage.lsm.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.storage.lsm.fs.NioDisk;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern GOLDEN = Pattern.compile("<!-- golden: ([a-z-]+) -->\\s*```[a-z]*\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  static Map<String, byte[]> exampleSections() {
    Map<String, byte[]> sections = new LinkedHashMap<>();
    sections.put("header", WalFormat.header(7));
    sections.put("record-hello", WalFormat.record(WalFormat.TYPE_BATCH, "hello".getBytes(StandardCharsets.UTF_8)));
    sections.put("record-empty", WalFormat.record(WalFormat.TYPE_BATCH, new byte[0]));
    return sections;
  }

  @Test
  void theDocumentsExampleIsWhatTheCodeWrites() throws IOException {
    Map<String, byte[]> golden = goldenSections();
    Map<String, byte[]> actual = exampleSections();
    StringBuilder rendered = new StringBuilder();
    actual.forEach((name, bytes) -> rendered.append("<!-- golden: ").append(name).append(" -->\n")
        .append(HexFormat.ofDelimiter(" ").formatHex(bytes)).append('\n'));
    assertThat(golden.keySet()).as("golden sections in %s", document()).containsExactlyElementsOf(actual.keySet());
    actual.forEach((name, bytes) -> assertThat(HexFormat.of().formatHex(golden.get(name)))
        .as("section %s of %s; the code now writes:%n%s", name, document(), rendered)
        .isEqualTo(HexFormat.of().formatHex(bytes)));
  }

  @Test
  void theDocumentsBytesRecoverAsTheDocumentSays() throws IOException {
    byte[] file = concatenate(goldenSections().values());
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

  private static Path document() {
    Path here = Path.of("").toAbsolutePath();
    for (Path d = here; d != null; d = d.getParent()) {
      Path candidate = d.resolve("docs/formats/wal.md");
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("docs/formats/wal.md not found above " + here);
  }

  private static Map<String, byte[]> goldenSections() throws IOException {
    String text = Files.readString(document(), StandardCharsets.UTF_8);
    Map<String, byte[]> sections = new LinkedHashMap<>();
    Matcher matcher = GOLDEN.matcher(text);
    while (matcher.find()) {
      List<Byte> bytes = new ArrayList<>();
      for (String line : matcher.group(2).split("\n")) {
        int comment = line.indexOf('#');
        String hex = (comment < 0 ? line : line.substring(0, comment)).trim();
        for (String token : hex.isEmpty() ? new String[0] : hex.split("\\s+")) {
          assertThat(token).as("hex byte in section %s", matcher.group(1)).matches("[0-9a-f]{2}");
          bytes.add((byte) Integer.parseInt(token, 16));
        }
      }
      byte[] array = new byte[bytes.size()];
      for (int i = 0; i < array.length; i++) {
        array[i] = bytes.get(i);
      }
      sections.put(matcher.group(1), array);
    }
    return sections;
  }

  private static byte[] concatenate(Iterable<byte[]> parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }
}
