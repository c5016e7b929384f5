package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.TestSeeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tables with {@code table.compression = zstd}: they read back as their model; a block that zstd
 * cannot shrink by more than an eighth is stored as is beside compressed ones; damage to a compressed block
 * is a checksum mismatch, and a crafted zstd block behind a valid checksum is
 * {@link CorruptionException} naming the file and the block's offset; the settings are checked;
 * and a platform without the native library is refused when the builder is made.
 */
class TableZstdTest {

  @TempDir Path dir;

  private final NioDisk disk = new NioDisk();

  private static TreeMap<Bytes, Bytes> halfCompressibleMap(Random random, int size, int maxValueBytes) {
    byte[] alphabet = {0x00, 0x01, 'a', 'b', 'k', 0x7f, (byte) 0x80, (byte) 0xff};
    TreeMap<Bytes, Bytes> map = new TreeMap<>();
    while (map.size() < size) {
      Bytes value = Bytes.of(ZstdFrames.halfCompressibleValue(random, maxValueBytes));
      map.put(TableFixtures.randomKey(random, alphabet), value);
    }
    return map;
  }

  @ParameterizedTest(name = "zstd level {0}")
  @ValueSource(ints = {-5, 1, 3, 9})
  void aZstdTableReadsBackAsItsModelAndIsSmaller(int level, TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    TreeMap<Bytes, Bytes> model = halfCompressibleMap(random, 3_000, 400);
    TableOptions zstd = TableOptions.defaults().withZstdLevel(level).withRestartInterval(1 + random.nextInt(32));
    String context = "level " + level + ", " + zstd + ", seed " + seed;
    Path compressed = dir.resolve("zstd.sst");
    Path plain = dir.resolve("none.sst");
    TableSummary summary = TableFixtures.write(disk, compressed, model, zstd);
    TableSummary uncompressed = TableFixtures.write(disk, plain, model, zstd.withCompression(BlockCompression.NONE));

    assertThat(summary.dataBlockCount()).as(context).isEqualTo(uncompressed.dataBlockCount()).isGreaterThan(100);
    List<Integer> types = ZstdFrames.dataBlockTypes(Files.readAllBytes(compressed));
    // a block zstd cannot shrink by 1/8 (random bytes can be unlucky) is stored as is; nearly all shrink
    assertThat(types).as("data block types in %s", context).hasSize(summary.dataBlockCount()).allMatch(t -> t == 0 || t == 1);
    assertThat(types.stream().filter(t -> t == 1).count()).as("zstd blocks in %s", context)
        .isGreaterThanOrEqualTo(types.size() * 9L / 10);
    assertThat(ZstdFrames.dataBlockTypes(Files.readAllBytes(plain))).containsOnly(0);
    System.out.printf("%s: %d bytes with zstd, %d without (%.1f%%)%n", context, summary.sizeBytes(),
        uncompressed.sizeBytes(), 100.0 * summary.sizeBytes() / uncompressed.sizeBytes());
    assertThat(summary.sizeBytes()).as(context).isLessThan(uncompressed.sizeBytes() * 7 / 8);

    try (TableReader reader = TableReader.open(disk, compressed, 1, new BlockCache(64 << 10))) {
      TableFixtures.assertHolds(reader, model, context);
      List<Bytes> keys = List.copyOf(model.keySet());
      for (int i = 0; i < 200; i++) {
        Bytes target = random.nextBoolean() ? keys.get(random.nextInt(keys.size()))
            : TableFixtures.randomKey(random, new byte[] {0x00, 'a', 'k', (byte) 0xff});
        assertThat(TableFixtures.scanFrom(reader, target, 25)).as("seek %s in %s", target, context)
            .containsExactlyElementsOf(TableFixtures.modelFrom(model, target, 25));
      }
    }
  }

  @Test
  void blocksZstdCannotShrinkByAnEighthAreStoredAsIsBesideCompressedOnes(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    TreeMap<Bytes, Bytes> model = new TreeMap<>();
    for (int i = 0; i < 2_000; i++) {
      // runs of 200 entries alternate: random values (incompressible), then repeated words
      byte[] value = new byte[100];
      if (i / 200 % 2 == 0) {
        random.nextBytes(value);
      } else {
        for (int j = 0; j < value.length; j++) {
          value[j] = (byte) ("ringstore".charAt(j % 9) + random.nextInt(2));
        }
      }
      model.put(Bytes.utf8(String.format("key%08d", i)), Bytes.of(value));
    }
    Path path = dir.resolve("mixed.sst");
    TableSummary summary = TableFixtures.write(disk, path, model, TableOptions.defaults().withBlockSizeBytes(1024));
    List<Integer> types = ZstdFrames.dataBlockTypes(Files.readAllBytes(path));
    assertThat(types).as("seed %d", seed).hasSize(summary.dataBlockCount()).contains(0, 1).containsOnly(0, 1);
    System.out.printf("mixed table (seed %d): %d of %d data blocks compressed%n", seed,
        types.stream().filter(t -> t == 1).count(), types.size());
    try (TableReader reader = TableReader.open(disk, path)) {
      TableFixtures.assertHolds(reader, model, "mixed table, seed " + seed);
    }
  }

  @Test
  void aFlippedByteInACompressedBlockIsAChecksumMismatchNamingFileAndBlock(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    TreeMap<Bytes, Bytes> model = halfCompressibleMap(random, 600, 200);
    Path original = dir.resolve("original.sst");
    TableFixtures.write(disk, original, model, TableOptions.defaults().withBlockSizeBytes(1024));
    byte[] file = Files.readAllBytes(original);
    Footer footer = Footer.decode(file, file.length - Footer.ENCODED_LENGTH, Footer.ENCODED_LENGTH);
    List<BlockHandle> compressed = ZstdFrames.dataHandles(file, footer.indexHandle()).stream()
        .filter(h -> file[(int) (h.offset() + h.sizeBytes())] == BlockCompression.ZSTD_CODE).toList();
    assertThat(compressed).hasSizeGreaterThan(10);
    for (int n = 0; n < 100; n++) {
      BlockHandle block = compressed.get(random.nextInt(compressed.size()));
      int position = (int) (block.offset() + random.nextInt((int) block.sizeBytes() + BlockTrailer.SIZE_BYTES));
      int mask = 1 + random.nextInt(255);
      byte[] damaged = file.clone();
      damaged[position] ^= (byte) mask;
      Path path = dir.resolve("damaged-" + n + ".sst");
      Files.write(path, damaged);
      String context = "byte " + position + " xor 0x" + Integer.toHexString(mask) + " (seed " + seed + ")";
      try (TableReader reader = TableReader.open(disk, path)) {
        int detected = 0;
        for (Map.Entry<Bytes, Bytes> entry : model.entrySet()) {
          try {
            assertThat(reader.get(entry.getKey())).as("get %s after %s", entry.getKey(), context)
                .isEqualTo(entry.getValue());
          } catch (CorruptionException e) {
            assertThat(e.file()).as(context).isEqualTo(path.toString());
            assertThat(e.offset()).as(context).isEqualTo(block.offset());
            assertThat(e.getMessage()).as(context).contains("data block is corrupt at offset " + block.offset()
                + " of file " + path + ": block checksum mismatch");
            detected++;
          }
        }
        assertThat(detected).as("gets that noticed %s", context).isPositive();
      }
      Files.delete(path);
    }
  }

  @Test
  void aCraftedZstdDataBlockBehindAValidChecksumIsCorruptionNamingFileAndBlock() throws IOException {
    byte[] contents = ZstdFrames.compressibleBlock(new Random(11), 40);
    byte[] frame = ZstdFrames.frame(contents);
    byte[] body = frame.clone();
    for (int i = 10; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }
    byte[] twoFrames = new byte[2 * frame.length];
    System.arraycopy(frame, 0, twoFrames, 0, frame.length);
    System.arraycopy(frame, 0, twoFrames, frame.length, frame.length);
    Map<String, byte[]> cases = new TreeMap<>(Map.of(
        "a zstd block must be one zstd frame", Bytes.utf8("not a frame at all").toByteArray(),
        "the zstd frame does not decompress", body,
        "does not record its content size", ZstdFrames.frameWithoutContentSize(contents),
        "the zstd frame does not decompress: ", ZstdFrames.withDeclaredSize(frame, contents.length + 100),
        "declares 1073741824 bytes of contents, above the limit of 352321554 bytes", ZstdFrames.runLengthFrame(1 << 30),
        "declares 268435456 bytes of contents, more than its 17 stored bytes can hold",
        ZstdFrames.runLengthFrame(256 << 20),
        "a zstd block is exactly one frame", twoFrames));
    int n = 0;
    for (Map.Entry<String, byte[]> c : cases.entrySet()) {
      Assembly table = new Assembly();
      table.raw(new byte[] {1, 2, 3}); // so the data block does not start at 0
      BlockHandle data = table.raw(ZstdFrames.sealRaw(c.getValue(), BlockCompression.ZSTD_CODE));
      BlockHandle meta = table.block(new BlockBuilder().finish());
      BlockBuilder index = new BlockBuilder(1);
      index.add(Bytes.utf8("key999999"), Bytes.of(data.encode()));
      BlockHandle indexHandle = table.block(index.finish());
      Path path = dir.resolve("crafted-" + n++ + ".sst");
      Files.write(path, table.finish(meta, indexHandle));
      try (TableReader reader = TableReader.open(disk, path)) {
        assertThatThrownBy(() -> reader.get(Bytes.utf8("key000001"))).as(c.getKey())
            .isInstanceOfSatisfying(CorruptionException.class, e -> {
              assertThat(e.file()).isEqualTo(path.toString());
              assertThat(e.offset()).isEqualTo(3);
              assertThat(e.getMessage()).startsWith("data block is corrupt at offset 3 of file " + path + ": ")
                  .contains(c.getKey());
            });
        assertThatThrownBy(() -> TableFixtures.scan(reader)).isInstanceOf(CorruptionException.class);
      }
    }
  }

  @Test
  void aReaderFollowsTheTypeByteOfEveryBlockIncludingTheIndex() throws IOException {
    byte[] contents = ZstdFrames.compressibleBlock(new Random(13), 40);
    Assembly table = new Assembly();
    BlockHandle data = table.raw(BlockTrailer.seal(contents, BlockCompression.ZSTD));
    BlockHandle meta = table.raw(BlockTrailer.seal(new BlockBuilder().finish(), BlockCompression.ZSTD));
    BlockBuilder index = new BlockBuilder(1);
    index.add(Bytes.utf8("key999999"), Bytes.of(data.encode()));
    BlockHandle indexHandle = table.raw(BlockTrailer.seal(index.finish(), BlockCompression.ZSTD));
    Path path = dir.resolve("all-zstd.sst");
    Files.write(path, table.finish(meta, indexHandle));
    TreeMap<Bytes, Bytes> model = new TreeMap<>();
    BlockTest.entries(Block.decode(contents)).forEach(e -> model.put(e.getKey(), e.getValue()));
    try (TableReader reader = TableReader.open(disk, path)) {
      TableFixtures.assertHolds(reader, model, "a table whose every block is zstd");
    }
  }

  @Test
  void readersShareOnePoolOfContextsAndDoNotCloseIt(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    TreeMap<Bytes, Bytes> model = halfCompressibleMap(new Random(seed), 500, 200);
    Path path = dir.resolve("shared.sst");
    TableFixtures.write(disk, path, model, TableOptions.defaults().withBlockSizeBytes(1024));
    try (BlockDecompressors pool = new BlockDecompressors(2)) {
      for (int i = 0; i < 3; i++) {
        try (TableReader reader = TableReader.open(disk, path, i, null, pool)) {
          TableFixtures.assertHolds(reader, model, "reader " + i + ", seed " + seed);
        }
      }
      assertThat(pool.contextsMade()).isEqualTo(1);
      assertThat(pool.idleContexts()).isEqualTo(1);
    }
  }

  @Test
  void concurrentReadersOfAZstdTableShareAPoolAndSeeTheModel(TestInfo test) throws Exception {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    TreeMap<Bytes, Bytes> model = halfCompressibleMap(random, 2_000, 200);
    Path path = dir.resolve("concurrent.sst");
    TableFixtures.write(disk, path, model, TableOptions.defaults().withBlockSizeBytes(1024));
    assertThat(ZstdFrames.dataBlockTypes(Files.readAllBytes(path))).containsOnly(1);
    List<Bytes> keys = List.copyOf(model.keySet());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (BlockDecompressors contexts = new BlockDecompressors(2);
        TableReader reader = TableReader.open(disk, path, 1, null, contexts)) {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long threadSeed = random.nextLong();
        tasks.add(pool.submit(() -> {
          Random local = new Random(threadSeed);
          for (int i = 0; i < 2_000; i++) {
            Bytes key = keys.get(local.nextInt(keys.size()));
            assertThat(reader.get(key)).as("get %s (seed %d)", key, seed).isEqualTo(model.get(key));
          }
          return null;
        }));
      }
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
      assertThat(reader.stats().blockReads()).isEqualTo(8_000); // no cache: every get decompressed a block
      assertThat(contexts.idleContexts()).isBetween(1, 2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void withoutTheNativeLibraryAZstdBuilderIsRefusedNamingTheSettingAndNoFileIsMade() throws IOException {
    Path path = dir.resolve("t.sst");
    UnsatisfiedLinkError missing = new UnsatisfiedLinkError("no zstd-jni-1.5.7-28 in java.library.path");
    assertThatThrownBy(() -> TableBuilder.create(disk, path, TableOptions.defaults(), () -> {
      throw missing;
    })).isInstanceOf(IllegalStateException.class).hasCause(missing)
        .hasMessageStartingWith("table.compression = zstd cannot be used: the zstd native library of"
            + " com.github.luben:zstd-jni cannot be loaded on ")
        .hasMessageContaining("no zstd-jni-1.5.7-28 in java.library.path")
        .hasMessageEndingWith("; set table.compression = none on this platform");
    assertThat(Files.exists(path)).isFalse();

    // table.compression = none never touches the library
    TableOptions none = TableOptions.defaults().withCompression(BlockCompression.NONE);
    try (TableBuilder builder = TableBuilder.create(disk, path, none, () -> {
      throw missing;
    })) {
      builder.add(Bytes.utf8("k"), Bytes.of(new byte[1000]));
      builder.finish();
    }
    assertThat(ZstdFrames.dataBlockTypes(Files.readAllBytes(path))).containsExactly(0);
  }

  @Test
  void compressionSettingsAreCheckedNamingSettingValueAndBound() {
    TableOptions defaults = TableOptions.defaults();
    assertThat(defaults.compression()).isEqualTo(BlockCompression.ZSTD);
    assertThat(defaults.zstdLevel()).isEqualTo(3);
    assertThat(new TableOptions(4096, 16, 10, 65536, 16 << 20)).isEqualTo(defaults);
    TableOptions none = defaults.withCompression(BlockCompression.NONE).withZstdLevel(19);
    assertThat(none.withBlockSizeBytes(512).withRestartInterval(4).withBloomBitsPerKey(12).withMaxKeyBytes(10)
        .withMaxValueBytes(10)).isEqualTo(new TableOptions(512, 4, 12, 10, 10, BlockCompression.NONE, 19));
    assertThat(defaults.withZstdLevel(TableOptions.MIN_ZSTD_LEVEL).zstdLevel()).isEqualTo(-131072);
    assertThat(defaults.withZstdLevel(0).zstdLevel()).isZero();
    assertThatThrownBy(() -> defaults.withZstdLevel(23))
        .hasMessage("table.zstdLevel = 23 is out of range; need -131072 <= table.zstdLevel <= 22");
    assertThatThrownBy(() -> defaults.withZstdLevel(-131073)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("table.zstdLevel = -131073 is out of range");
    assertThatThrownBy(() -> new TableOptions(4096, 16, 10, 65536, 16 << 20, null, 3))
        .isInstanceOf(NullPointerException.class).hasMessage("table.compression");
    assertThat(TableOptions.MAX_BLOCK_CONTENT_BYTES).isEqualTo((64 << 20) + (16 << 20) + (256 << 20) + 18);
  }

  /** A file under construction: sealed blocks appended in order. */
  private static final class Assembly {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    BlockHandle raw(byte[] physical) {
      BlockHandle handle = new BlockHandle(out.size(), Math.max(0, physical.length - BlockTrailer.SIZE_BYTES));
      out.writeBytes(physical);
      return handle;
    }

    BlockHandle block(byte[] contents) {
      return raw(BlockTrailer.seal(contents, BlockCompression.NONE));
    }

    byte[] finish(BlockHandle metaindex, BlockHandle index) {
      out.writeBytes(new Footer(metaindex, index).encode());
      return out.toByteArray();
    }
  }
}
