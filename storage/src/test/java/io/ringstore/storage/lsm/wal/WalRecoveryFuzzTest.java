package io.ringstore.storage.lsm.wal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.env.WritableFile;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer fuzz test of WAL recovery: whatever a segment holds after its header, recovery replays
 * records (each checked by its CRC), truncates a torn tail, or refuses with
 * {@link CorruptionException}; no other exception. The input's first byte chooses whether the
 * segment starts with a valid header (so the fuzzer explores records) or is all fuzz. The normal
 * build replays the corpus in {@code src/test/resources/io/ringstore/storage/lsm/wal/
 * WalRecoveryFuzzTestInputs/recover}; {@code mvn -Pfuzz -pl storage test -Dtest=WalRecoveryFuzzTest}
 * fuzzes.
 */
class WalRecoveryFuzzTest {
  private static final Path DIRECTORY = directory();

  private static Path directory() {
    try {
      Path dir = Files.createTempDirectory("wal-fuzz");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "20s")
  void recover(byte[] input) throws IOException {
    NioDisk disk = new NioDisk();
    for (Path stale : disk.list(DIRECTORY)) {
      disk.delete(stale);
    }
    Path segment = WalFormat.segmentPath(DIRECTORY, 1);
    try (WritableFile file = disk.create(segment)) {
      boolean validHeader = input.length > 0 && (input[0] & 1) == 0;
      if (validHeader) {
        file.append(WalFormat.header(1));
      }
      if (input.length > 1) {
        file.append(input, 1, input.length - 1);
      }
    }
    try {
      WalReader.recover(disk, DIRECTORY, 1, 1 << 16, record -> {
        if (record.payload() == null) {
          throw new AssertionError("a replayed record without payload");
        }
      });
    } catch (CorruptionException refused) {
      // damage that is not a torn tail: refused, naming where
    }
  }
}
