package io.ringstore.storage.lsm.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.FormatDocument;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example in {@code docs/formats/manifest.md} is what this code writes and reads: the
 * test compares each section the code writes with the document's hex, then opens a directory made
 * of the document's bytes (whole, cut and damaged) as the document says. If the format changes, the
 * failure prints the new bytes to paste into the document.
 *
 * <p>Sections are marked {@code <!-- golden: NAME -->} before a fenced block; in the block, text
 * from {@code #} to the end of a line is commentary and the rest is whitespace-separated hex bytes.
 */
class ManifestFormatDocTest {
  private static final FormatDocument DOCUMENT = FormatDocument.named("manifest.md");

  @TempDir Path dir;

  /** The example's snapshot: the state of an engine that flushed one table. */
  static VersionEdit snapshot() {
    return new VersionEdit(2L, 4L, 100L, List.of(Manifests.file(3, 0, "apple", "cherry")), List.of());
  }

  /** The example's edit: table 3 compacted into two level-1 tables, and a second flush's counters. */
  static VersionEdit compaction() {
    return new VersionEdit(5L, 7L, 250L,
        List.of(Manifests.file(5, 1, "apple", "banana"), Manifests.file(6, 1, "cherry", "fig")),
        List.of(new DeletedFile(0, 3)));
  }

  static Map<String, byte[]> exampleSections() {
    Map<String, byte[]> sections = new LinkedHashMap<>();
    sections.put("header", ManifestFormat.header(3));
    sections.put("record-snapshot", ManifestFormat.record(snapshot().encode()));
    sections.put("record-edit", ManifestFormat.record(compaction().encode()));
    sections.put("current", ManifestFormat.currentContent(3));
    return sections;
  }

  @Test
  void theDocumentsExampleIsWhatTheCodeWrites() throws IOException {
    Map<String, byte[]> golden = DOCUMENT.goldenSections();
    Map<String, byte[]> actual = exampleSections();
    DOCUMENT.assertGoldenIsWritten(golden, actual, FormatDocument::hexLine);
  }

  @Test
  void theDocumentsBytesOpenAsTheDocumentSays() throws IOException {
    Map<String, byte[]> golden = DOCUMENT.goldenSections();
    byte[] file = FormatDocument.concatenate(List.of(golden.get("header"), golden.get("record-snapshot"),
        golden.get("record-edit")));
    assertThat(file).hasSize(105);
    assertThat(golden.get("current")).asString().isEqualTo("MANIFEST-000003\n");
    ManifestState expected = ManifestState.empty().apply(snapshot()).apply(compaction());
    assertThat(expected.level(1)).extracting(FileMeta::fileNumber).containsExactly(5L, 6L);

    restore(golden.get("current"), file);
    try (Manifest manifest = open()) {
      assertThat(manifest.state()).isEqualTo(expected);
      assertThat(manifest.recovery().editsReplayed()).isEqualTo(2);
      assertThat(manifest.currentFile().getFileName()).hasToString("MANIFEST-000004");
    }

    restore(golden.get("current"), Arrays.copyOf(file, 100)); // cut inside the edit record
    try (Manifest manifest = open()) {
      assertThat(manifest.state()).isEqualTo(ManifestState.empty().apply(snapshot()));
      assertThat(manifest.recovery().tornTailOffset()).isEqualTo(50);
      assertThat(manifest.recovery().tornTailBytes()).isEqualTo(50);
    }

    byte[] flipped = file.clone();
    flipped[40] ^= 0x01; // inside the snapshot's payload
    restore(golden.get("current"), flipped);
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("manifest record is corrupt at offset 16 of file " + dir.resolve("MANIFEST-000003"))
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("a valid record follows at offset 50");
  }

  private Manifest open() throws IOException {
    return Manifest.open(new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED), dir,
        ManifestOptions.defaults());
  }

  private void restore(byte[] current, byte[] manifest) throws IOException {
    try (var entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        Files.delete(entry);
      }
    }
    Files.write(dir.resolve("CURRENT"), current);
    Files.write(dir.resolve("MANIFEST-000003"), manifest);
  }
}
