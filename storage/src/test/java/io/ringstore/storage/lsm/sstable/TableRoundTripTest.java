package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.TestSeeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
 * Tables written by {@link TableBuilder} on a real disk read back by {@link TableReader} exactly as
 * a {@link TreeMap} model holds them: get of every key, get of absent keys (counting the block
 * reads the bloom filter saved), full scans and seeks.
 */
class TableRoundTripTest {

  @TempDir Path dir;

  private final NioDisk disk = new NioDisk();

  @ParameterizedTest(name = "{0} entries")
  @ValueSource(ints = {0, 1, 2, 5_000})
  void aTableReadsBackAsItsModel(int size, TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    TreeMap<Bytes, Bytes> model = TableFixtures.randomMap(random, size, 300);
    TableOptions options = TableOptions.defaults().withBlockSizeBytes(256 + random.nextInt(4096))
        .withRestartInterval(1 + random.nextInt(32));
    String context = size + " entries, " + options + ", seed " + seed;
    Path path = dir.resolve("000001.sst");
    TableSummary summary = TableFixtures.write(disk, path, model, options);

    assertThat(summary.entryCount()).isEqualTo(size);
    assertThat(summary.sizeBytes()).isEqualTo(Files.size(path));
    assertThat(summary.smallestKey()).isEqualTo(model.isEmpty() ? null : model.firstKey());
    assertThat(summary.largestKey()).isEqualTo(model.isEmpty() ? null : model.lastKey());
    try (TableReader reader = TableReader.open(disk, path, 1, new BlockCache(64 << 10))) {
      assertThat(reader.dataBlockCount()).isEqualTo(summary.dataBlockCount());
      if (size == 5_000) {
        assertThat(reader.dataBlockCount()).as("blocks in %s", context).isGreaterThan(50);
      }
      TableFixtures.assertHolds(reader, model, context);

      // absent keys: each is a miss; the filter should answer most without a block read
      TableReader.Stats before = reader.stats();
      byte[] alphabet = {0x00, 'a', 'c', 'k', 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff};
      Set<Bytes> seen = new HashSet<>(); // distinct, so one false positive counts once
      int absent = 0;
      while (absent < 2_000) {
        Bytes key = TableFixtures.randomKey(random, alphabet);
        if (!model.containsKey(key) && seen.add(key)) {
          assertThat(reader.get(key)).as("absent key %s in %s", key, context).isNull();
          absent++;
        }
      }
      TableReader.Stats after = reader.stats();
      long saved = after.filterNegatives() - before.filterNegatives();
      System.out.printf("%s: the bloom filter saved %d of %d block reads for absent keys (%.2f%%)%n", context, saved,
          absent, 100.0 * saved / absent);
      assertThat(saved).as("absent keys the filter answered in %s", context).isGreaterThanOrEqualTo(absent * 95L / 100);

      // seeks: to present keys, to keys between them, before the first and past the last
      List<Bytes> targets = new ArrayList<>(List.of(Bytes.EMPTY, Bytes.of(new byte[] {(byte) 0xff, (byte) 0xff})));
      List<Bytes> keys = new ArrayList<>(model.keySet());
      for (int i = 0; i < 300; i++) {
        targets.add(!keys.isEmpty() && random.nextBoolean() ? keys.get(random.nextInt(keys.size()))
            : TableFixtures.randomKey(random, alphabet));
      }
      for (Bytes target : targets) {
        int limit = random.nextInt(10) == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(40);
        assertThat(TableFixtures.scanFrom(reader, target, limit)).as("seek %s in %s", target, context)
            .containsExactlyElementsOf(TableFixtures.modelFrom(model, target, limit));
      }
    }
  }

  @Test
  void largeKeysAndValuesSpanBlocks(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    TreeMap<Bytes, Bytes> model = new TreeMap<>();
    while (model.size() < 60) {
      byte[] key = new byte[300 + random.nextInt(3000)]; // every entry passes 256 bytes alone
      random.nextBytes(key);
      model.put(Bytes.of(key), TableFixtures.randomValue(random, 20_000));
    }
    Path path = dir.resolve("000002.sst");
    TableFixtures.write(disk, path, model, TableOptions.defaults().withBlockSizeBytes(256));
    try (TableReader reader = TableReader.open(disk, path)) {
      assertThat(reader.dataBlockCount()).isEqualTo(60);
      TableFixtures.assertHolds(reader, model, "large entries, seed " + seed);
    }
  }

  @Test
  void theBuilderWritesTheDocumentsWorkedExample() throws IOException {
    Path path = dir.resolve("example.sst");
    TableOptions options = TableOptions.defaults().withRestartInterval(2);
    TreeMap<Bytes, Bytes> model = new TreeMap<>(Map.of(Bytes.utf8("apple"), Bytes.utf8("red"),
        Bytes.utf8("apricot"), Bytes.utf8("orange"), Bytes.utf8("banana"), Bytes.utf8("yellow")));
    TableFixtures.write(disk, path, model, options);

    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    for (byte[] section : SstableFormatDocTest.exampleSections().values()) {
      expected.writeBytes(section);
    }
    // SstableFormatDocTest checks these sections against docs/formats/sstable.md byte for byte
    assertThat(Files.readAllBytes(path)).hasSize(187).isEqualTo(expected.toByteArray());
    try (TableReader reader = TableReader.open(disk, path)) {
      assertThat(reader.get(Bytes.utf8("apricot"))).isEqualTo(Bytes.utf8("orange"));
      TableFixtures.assertHolds(reader, model, "the worked example");
    }
  }

  @Test
  void concurrentReadersOfOneTableSeeTheModel(TestInfo test) throws Exception {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    TreeMap<Bytes, Bytes> model = TableFixtures.randomMap(random, 2_000, 100);
    Path path = dir.resolve("000003.sst");
    TableFixtures.write(disk, path, model, TableOptions.defaults().withBlockSizeBytes(512));
    List<Bytes> keys = new ArrayList<>(model.keySet());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (TableReader reader = TableReader.open(disk, path, 3, new BlockCache(16 << 10))) {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long threadSeed = random.nextLong();
        tasks.add(pool.submit(() -> {
          Random local = new Random(threadSeed);
          for (int i = 0; i < 3_000; i++) {
            Bytes key = keys.get(local.nextInt(keys.size()));
            assertThat(reader.get(key)).as("get %s (seed %d)", key, seed).isEqualTo(model.get(key));
            if (i % 100 == 0) {
              assertThat(TableFixtures.scanFrom(reader, key, 30)).isEqualTo(TableFixtures.modelFrom(model, key, 30));
            }
          }
          return null;
        }));
      }
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
      assertThat(reader.stats().cacheHits()).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }
}
