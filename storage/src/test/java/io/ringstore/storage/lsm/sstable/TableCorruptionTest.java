package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.TestSeeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged table files: a flipped byte anywhere makes open, get and scan either give the right
 * answer or throw {@link CorruptionException} naming the file and an offset at or before the
 * damage (never a wrong value), and some read always notices it; a truncated file is refused at
 * open.
 */
class TableCorruptionTest {

  private static final int RANDOM_FLIPS = 300;

  @TempDir Path dir;

  private final NioDisk disk = new NioDisk();

  @Test
  void aFlippedByteAnywhereIsCorruptionNamingFileAndOffsetNeverAWrongValue(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    TreeMap<Bytes, Bytes> model = TableFixtures.randomMap(random, 400, 40);
    Path original = dir.resolve("original.sst");
    TableFixtures.write(disk, original, model, TableOptions.defaults().withBlockSizeBytes(256));
    byte[] file = Files.readAllBytes(original);
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < RANDOM_FLIPS; i++) {
      positions.add(random.nextInt(file.length));
    }
    for (int i = file.length - 120; i < file.length; i++) {
      positions.add(i); // the footer and the end of the index block, every byte
    }
    int atOpen = 0;
    int later = 0;
    for (int n = 0; n < positions.size(); n++) {
      int position = positions.get(n);
      int mask = 1 + random.nextInt(255);
      byte[] damaged = file.clone();
      damaged[position] ^= (byte) mask;
      Path path = dir.resolve("damaged-" + n + ".sst");
      Files.write(path, damaged);
      String context = "byte " + position + " of " + file.length + " xor 0x" + Integer.toHexString(mask) + " (seed "
          + seed + ")";
      TableReader reader;
      try {
        reader = TableReader.open(disk, path);
      } catch (CorruptionException e) {
        assertLocated(e, path, position, file.length, context);
        atOpen++;
        Files.delete(path);
        continue;
      }
      int detected = 0;
      try (reader) {
        for (Map.Entry<Bytes, Bytes> entry : model.entrySet()) {
          try {
            assertThat(reader.get(entry.getKey())).as("get %s after %s", entry.getKey(), context)
                .isEqualTo(entry.getValue());
          } catch (CorruptionException e) {
            assertLocated(e, path, position, file.length, context);
            detected++;
          }
        }
        Iterator<Map.Entry<Bytes, Bytes>> expected = model.entrySet().iterator();
        TableReader.Cursor cursor = reader.cursor();
        try {
          for (cursor.seekToFirst(); cursor.isValid(); cursor.next()) {
            assertThat(Map.entry(cursor.key(), cursor.value())).as("scan after %s", context).isEqualTo(expected.next());
          }
          assertThat(expected.hasNext()).as("scan ended early after %s", context).isFalse();
        } catch (CorruptionException e) {
          assertLocated(e, path, position, file.length, context);
          detected++;
        }
      }
      assertThat(detected).as("reads that noticed %s", context).isPositive();
      later++;
      Files.delete(path);
    }
    System.out.printf("%d flipped bytes (seed %d): %d refused at open, %d found by get or scan%n", positions.size(),
        seed, atOpen, later);
  }

  @Test
  void aTruncatedFileIsRefusedAtOpen(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    TreeMap<Bytes, Bytes> model = TableFixtures.randomMap(random, 60, 40);
    Path original = dir.resolve("original.sst");
    TableFixtures.write(disk, original, model, TableOptions.defaults().withBlockSizeBytes(256));
    byte[] file = Files.readAllBytes(original);
    for (int length = 0; length < file.length; length++) {
      Path path = dir.resolve("truncated-" + length + ".sst");
      Files.write(path, java.util.Arrays.copyOf(file, length));
      int cut = length;
      assertThatThrownBy(() -> TableReader.open(disk, path).close()).as("truncated to %d bytes (seed %d)", cut, seed)
          .isInstanceOfSatisfying(CorruptionException.class, e -> {
            assertThat(e.file()).isEqualTo(path.toString());
            assertThat(e.getMessage()).contains(path.toString());
          });
      Files.delete(path);
    }
    assertThatThrownBy(() -> TableReader.open(disk, dir.resolve("missing.sst")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void aFileThatIsNotATableIsRefusedByItsMagic() throws IOException {
    Path path = dir.resolve("text.sst");
    Files.writeString(path, "this is not a table, but it is long enough to hold a footer of 56 bytes");
    assertThatThrownBy(() -> TableReader.open(disk, path)).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("bad magic number").hasMessageContaining(path.toString());
  }

  private static void assertLocated(CorruptionException e, Path path, int position, int length, String context) {
    assertThat(e.file()).as("file named for %s", context).isEqualTo(path.toString());
    assertThat(e.getMessage()).as(context).contains("of file " + path);
    assertThat(e.offset()).as("offset named for %s: %s", context, e.getMessage()).isBetween(0L, length - 1L);
    if (position < length - Footer.ENCODED_LENGTH) {
      // a damaged block fails its checksum, reported at the block's first byte
      assertThat(e.offset()).as("offset named for %s: %s", context, e.getMessage()).isLessThanOrEqualTo(position);
      assertThat(e.getMessage()).as(context).contains("checksum mismatch");
    }
  }
}
