package io.ringstore.storage.lsm.manifest;

import io.ringstore.spi.testkit.FormatDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage at every offset: a flipped byte anywhere in a manifest file but its last record is a
 * {@link CorruptionException} naming the file and the offset of the damaged header or record; in
 * the last record it is a torn tail, and the state is the one before that edit. A cut anywhere
 * gives the state of the edits wholly before the cut (or corruption inside the header or the
 * snapshot). A damaged {@code CURRENT} is corruption naming {@code CURRENT}. Never another state,
 * and a refused directory is left as it was.
 */
class ManifestCorruptionTest {

  private static final int EDITS = 20;

  @TempDir Path dir;
  private long seed;
  private Random random;
  private byte[] cleanCurrent = new byte[0];
  private byte[] clean = new byte[0];
  private Path file = Path.of("");
  /** Where each record of the clean file starts, and (last) its length. */
  private final List<Integer> recordStarts = new ArrayList<>();
  /** The state after the first i records (so element 1 is the snapshot's: the empty state). */
  private List<ManifestState> states = List.of();

  @BeforeEach
  void setUp(TestInfo test) throws IOException {
    seed = TestSeeds.seed(test);
    random = new Random(seed);
    List<VersionEdit> edits = new ArrayList<>();
    edits.add(ManifestState.empty().asSnapshotEdit());
    try (Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults())) {
      for (int i = 0; i < EDITS; i++) {
        VersionEdit edit = Manifests.randomEdit(manifest.state(), random);
        manifest.apply(edit);
        edits.add(edit);
      }
      file = manifest.currentFile();
    }
    states = Manifests.prefixStates(edits);
    cleanCurrent = Files.readAllBytes(dir.resolve("CURRENT"));
    clean = Files.readAllBytes(file);
    int position = ManifestFormat.HEADER_BYTES;
    for (VersionEdit edit : edits) {
      recordStarts.add(position);
      position += ManifestFormat.RECORD_HEADER_BYTES + edit.encode().length;
    }
    assertThat(position).isEqualTo(clean.length);
    recordStarts.add(position);
  }

  private FaultInjectionDisk disk() {
    return new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
  }

  private Manifest open() throws IOException {
    return Manifest.open(disk(), dir, ManifestOptions.defaults());
  }

  private void restore(byte[] current, byte[] manifest) throws IOException {
    try (var entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        Files.delete(entry);
      }
    }
    Files.write(dir.resolve("CURRENT"), current);
    Files.write(file, manifest);
  }

  /** Index of the record holding byte {@code offset} (offset past the header). */
  private int recordOf(int offset) {
    int record = 0;
    while (recordStarts.get(record + 1) <= offset) {
      record++;
    }
    return record;
  }

  @Test
  void aFlippedByteIsCorruptionOrATornLastEdit() throws IOException {
    int lastRecord = recordStarts.size() - 2;
    int lastStart = recordStarts.get(lastRecord);
    int corrupt = 0;
    int torn = 0;
    for (int offset = 0; offset < clean.length; offset++) {
      byte[] bytes = clean.clone();
      bytes[offset] ^= (byte) (1 + random.nextInt(255));
      restore(cleanCurrent, bytes);
      String context = "byte " + offset + " of " + clean.length + " flipped (seed " + seed + ")";
      if (offset < lastStart) {
        CorruptionException e = catchThrowableOfType(CorruptionException.class, this::open);
        assertThat(e).as(context).isNotNull();
        assertThat(e.file()).as(context).isEqualTo(file.toString());
        if (offset < ManifestFormat.HEADER_BYTES) {
          assertThat(e.offset()).as(context).isZero();
          assertThat(e.structure()).as(context).isEqualTo("manifest header");
        } else {
          assertThat(e.offset()).as(context).isEqualTo((long) recordStarts.get(recordOf(offset)));
          assertThat(e.structure()).as(context).isEqualTo("manifest record");
        }
        assertThat(Files.readAllBytes(file)).as("a refused file is not repaired: %s", context).isEqualTo(bytes);
        assertThat(Files.readAllBytes(dir.resolve("CURRENT"))).as(context).isEqualTo(cleanCurrent);
        corrupt++;
      } else {
        try (Manifest manifest = open()) {
          assertThat(manifest.state()).as(context).isEqualTo(states.get(lastRecord));
          assertThat(manifest.recovery().tornTailOffset()).as(context).isEqualTo((long) lastStart);
          assertThat(manifest.recovery().tornTailBytes()).as(context).isEqualTo(clean.length - lastStart);
        }
        torn++;
      }
    }
    assertThat(corrupt).isEqualTo(lastStart);
    assertThat(torn).isEqualTo(clean.length - lastStart);
  }

  @Test
  void aCutGivesTheEditsBeforeItOrCorruptionInTheHeaderOrSnapshot() throws IOException {
    int snapshotEnd = recordStarts.get(1);
    for (int length = 0; length < clean.length; length++) {
      restore(cleanCurrent, Arrays.copyOf(clean, length));
      String context = "cut at " + length + " (seed " + seed + ")";
      if (length < snapshotEnd) {
        CorruptionException e = catchThrowableOfType(CorruptionException.class, this::open);
        assertThat(e).as(context).isNotNull();
        assertThat(e.getMessage()).as(context).contains(length < ManifestFormat.HEADER_BYTES
            ? "shorter than the 16-byte header" : length == ManifestFormat.HEADER_BYTES ? "holds no record after its header"
            : "this is the file's first record, its snapshot");
        continue;
      }
      int whole = recordOf(length); // records wholly before the cut
      try (Manifest manifest = open()) {
        assertThat(manifest.state()).as(context).isEqualTo(states.get(whole));
        boolean atBoundary = recordStarts.get(whole) == length;
        assertThat(manifest.recovery().tornTail()).as(context).isEqualTo(!atBoundary);
        assertThat(manifest.recovery().editsReplayed()).as(context).isEqualTo(whole);
      }
    }
  }

  @Test
  void garbageAfterTheLastRecordIsATornTail() throws IOException {
    for (int trial = 0; trial < 50; trial++) {
      byte[] garbage = new byte[1 + random.nextInt(600)];
      random.nextBytes(garbage);
      byte[] bytes = Arrays.copyOf(clean, clean.length + garbage.length);
      System.arraycopy(garbage, 0, bytes, clean.length, garbage.length);
      restore(cleanCurrent, bytes);
      try (Manifest manifest = open()) {
        assertThat(manifest.state()).as("trial %d (seed %d)", trial, seed).isEqualTo(states.get(states.size() - 1));
        assertThat(manifest.recovery().tornTailOffset()).isEqualTo(clean.length);
      }
    }
  }

  @Test
  void aDamagedCurrentIsCorruptionNamingIt() throws IOException {
    Path current = dir.resolve("CURRENT");
    String name = file.getFileName().toString();
    refusedCurrent("", "the file is empty");
    refusedCurrent(name, "the last byte is 0x" + Integer.toHexString(name.charAt(name.length() - 1))
        + ", not the newline 0x0a that ends a complete CURRENT");
    refusedCurrent(name + "\n\n", "byte 0x0a is not a printable ASCII character");
    refusedCurrent(name + "\r\n", "byte 0x0d is not a printable ASCII character");
    refusedCurrent(" " + name + "\n", "byte 0x20 is not a printable ASCII character");
    refusedCurrent("MANIFEST-1\n", "\"MANIFEST-1\" is not a manifest file name");
    refusedCurrent("MANIFEST-0000002\n", "\"MANIFEST-0000002\" is not a manifest file name");
    refusedCurrent("garbage\n", "\"garbage\" is not a manifest file name");
    refusedCurrent("MANIFEST-000001\n".repeat(2), "the file is 32 bytes; a manifest file name and a newline take at most 29 bytes");
    refusedCurrent("MANIFEST-000099\n", "names MANIFEST-000099, which does not exist in " + dir);
    restore(cleanCurrent, clean);
    Files.write(current, new byte[] {'M', (byte) 0xc3, (byte) 0xa9, '\n'});
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class).hasMessageContaining("byte 0xc3");
  }

  private void refusedCurrent(String content, String detail) throws IOException {
    restore(content.getBytes(StandardCharsets.ISO_8859_1), clean);
    Path current = dir.resolve("CURRENT");
    assertThatThrownBy(this::open).as(content).isInstanceOfSatisfying(CorruptionException.class, e -> {
      assertThat(e.structure()).isEqualTo("CURRENT");
      assertThat(e.file()).isEqualTo(current.toString());
    }).hasMessageStartingWith("CURRENT is corrupt at offset ").hasMessageContaining(" of file " + current + ": ")
        .hasMessageContaining(detail);
    assertThat(Files.readAllBytes(file)).isEqualTo(clean);
  }

  @Test
  void badHeadersAreCorruptionNamingTheValue() throws IOException {
    byte[] version = clean.clone();
    version[4] = 2;
    restore(cleanCurrent, version);
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("manifest header is corrupt at offset 0 of file " + file)
        .hasMessageContaining("unknown version 2 (this build reads version 1)");

    byte[] flags = clean.clone();
    flags[7] = (byte) 0x80;
    restore(cleanCurrent, flags);
    assertThatThrownBy(this::open).hasMessageContaining("unknown flags 0x8000 (version 1 defines none)");

    byte[] magic = clean.clone();
    magic[0] = 'W';
    restore(cleanCurrent, magic);
    assertThatThrownBy(this::open).hasMessageContaining("bad magic 57 53 4d 46 (expected 52 53 4d 46, \"RSMF\")");

    restore(ManifestFormat.currentContent(5), new byte[0]);
    Files.delete(file);
    Files.write(ManifestFormat.manifestPath(dir, 5), clean);
    long number = ManifestFormat.manifestNumber(file);
    assertThatThrownBy(this::open)
        .hasMessageContaining("manifest number " + number + " in the header, but the file is named for 5");
  }

  @Test
  void validRecordsThatMakeNoSenseAreCorruption() throws IOException {
    byte[] header = Arrays.copyOf(clean, ManifestFormat.HEADER_BYTES);
    byte[] snapshot = ManifestFormat.record(ManifestState.empty().asSnapshotEdit().encode());
    int second = ManifestFormat.HEADER_BYTES + snapshot.length;

    byte[] typed = ManifestFormat.record(new byte[] {1, 1});
    typed[8] = 2;
    io.ringstore.storage.lsm.wal.WalFormat.putU32(typed, 4, io.ringstore.storage.lsm.sstable.BlockTrailer.mask(ManifestFormat.crc(2, typed, 9, 2)));
    restore(cleanCurrent, concat(header, snapshot, typed));
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("manifest record is corrupt at offset " + second + " of file " + file)
        .hasMessageContaining("unknown record type 2 (this build knows 1 = edit), although its checksum matches");

    restore(cleanCurrent, concat(header, snapshot, ManifestFormat.record(new byte[] {0x06})));
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("manifest edit is corrupt at offset " + (second + 9) + " of file " + file)
        .hasMessageContaining("unknown tag 6");

    restore(cleanCurrent, concat(header, snapshot, ManifestFormat.record(VersionEdit.empty().withDeletedFile(2, 9).encode())));
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("manifest record is corrupt at offset " + second + " of file " + file)
        .hasMessageContaining("edit 1 does not apply to the state before it: edit deletes file 9 from level 2, but no file"
            + " of that number is live");

    restore(cleanCurrent, header);
    assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("holds no record after its header");
  }

  @Test
  void aRecordLongerThanTheSettingIsReadAnyway() throws IOException {
    byte[] big = new byte[5000];
    VersionEdit edit = VersionEdit.empty().withAddedFile(new FileMeta(1, 0, 1, 1,
        io.ringstore.spi.Bytes.of(big.clone()), io.ringstore.spi.Bytes.of(big)));
    restore(cleanCurrent, concat(Arrays.copyOf(clean, ManifestFormat.HEADER_BYTES),
        ManifestFormat.record(ManifestState.empty().asSnapshotEdit().encode()), ManifestFormat.record(edit.encode())));
    // manifest.maxRecordBytes bounds the edits apply accepts; a snapshot of this state (10 KB) is longer
    try (Manifest manifest = Manifest.open(disk(), dir, new ManifestOptions(1 << 20, 8192))) {
      assertThat(manifest.state().fileCount()).isEqualTo(1);
      assertThat(Files.size(manifest.currentFile())).isGreaterThan(8192);
    }
    try (Manifest manifest = Manifest.open(disk(), dir, new ManifestOptions(1 << 20, 8192))) {
      assertThat(manifest.state().fileCount()).isEqualTo(1);
    }
  }

  private static byte[] concat(byte[]... parts) {
    return io.ringstore.spi.testkit.FormatDocument.concatenate(List.of(parts));
  }
}
