package io.ringstore.storage.lsm.manifest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.env.WritableFile;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Jazzer fuzz tests of the manifest's decoders: whatever the bytes, {@link VersionEdit#decode}
 * gives an edit whose encoding is exactly those bytes or refuses with {@link CorruptionException},
 * and {@link Manifest#open} over a fuzzed manifest file recovers a state that a second open
 * recovers again, or refuses with {@link CorruptionException}; no other exception, no
 * out-of-memory. The normal build replays each method's corpus ({@code src/test/resources/io/
 * ringstore/storage/lsm/manifest/ManifestFuzzTestInputs/<method>}); {@code mvn -Pfuzz -pl storage
 * test -Dtest=ManifestFuzzTest} fuzzes.
 */
class ManifestFuzzTest {
  private static final Path DIRECTORY = directory();
  private static final ManifestOptions OPTIONS = new ManifestOptions(ManifestOptions.MIN_BYTES, 1 << 16);

  private static Path directory() {
    try {
      Path dir = Files.createTempDirectory("manifest-fuzz");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "20s")
  void decodeEdit(byte[] input) {
    VersionEdit edit;
    try {
      edit = VersionEdit.decode(input, 0, input.length, "fuzz input", 0);
    } catch (CorruptionException refused) {
      return;
    }
    if (!Arrays.equals(edit.encode(), input)) {
      throw new AssertionError("decoded " + edit + " re-encodes to other bytes than its input");
    }
    try {
      ManifestState.empty().apply(edit);
    } catch (IllegalArgumentException doesNotFitTheEmptyState) {
      // a decodable edit need not apply: recovery turns this into a CorruptionException
    }
  }

  /**
   * The input's first byte chooses the layout: bit 0 clear puts a valid header for
   * MANIFEST-000001 before the rest of the input (so the fuzzer explores records), else the file is
   * all fuzz; bit 1 clear writes a CURRENT naming it, else there is no CURRENT (an interrupted
   * first open, or a lost CURRENT).
   */
  @FuzzTest(maxDuration = "20s")
  void recover(byte[] input) throws IOException {
    FaultInjectionDisk disk = new FaultInjectionDisk(new NioDisk(), DIRECTORY, FaultInjectionDisk.Syncs.SIMULATED);
    for (Path stale : disk.list(DIRECTORY)) {
      disk.delete(stale);
    }
    int layout = input.length > 0 ? input[0] : 0;
    try (WritableFile file = disk.create(ManifestFormat.manifestPath(DIRECTORY, 1))) {
      if ((layout & 1) == 0) {
        file.append(ManifestFormat.header(1));
      }
      if (input.length > 1) {
        file.append(input, 1, input.length - 1);
      }
    }
    if ((layout & 2) == 0) {
      try (WritableFile current = disk.create(DIRECTORY.resolve(ManifestFormat.CURRENT))) {
        current.append(ManifestFormat.currentContent(1));
      }
    }
    ManifestState recovered;
    try (Manifest manifest = Manifest.open(disk, DIRECTORY, OPTIONS)) {
      recovered = manifest.state();
    } catch (CorruptionException refused) {
      return; // damage that is not a torn tail: refused, naming where
    }
    try (Manifest again = Manifest.open(disk, DIRECTORY, OPTIONS)) {
      if (!again.state().equals(recovered)) {
        throw new AssertionError("a second open recovered " + again.state() + " after " + recovered);
      }
    }
  }
}
