package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.testkit.MemoryDisk;
import io.ringstore.spi.testkit.TestSeeds;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The block cache's byte bound, LRU order and use by the table reader (tables on a {@link MemoryDisk}). */
class BlockCacheTest {

  private final Path dir = Path.of("/ringstore/tables").toAbsolutePath();

  /** A block of one entry, {@code "k" -> valueBytes zero bytes}. */
  private static Block blockWithValue(int valueBytes) {
    BlockBuilder builder = new BlockBuilder();
    builder.add(new byte[] {'k'}, new byte[valueBytes]);
    return Block.decode(builder.finish());
  }

  @Test
  void theCacheNeverHoldsMoreThanItsCapacityAndEvictsLeastRecentlyUsed(TestInfo test) {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    long capacity = 10 * (100 + BlockCache.ENTRY_OVERHEAD_BYTES);
    BlockCache cache = new BlockCache(capacity);
    assertThat(blockWithValue(88).sizeBytes()).isEqualTo(100); // 3 bytes of lengths, key, value, 8 of restarts
    for (long i = 0; i < 10; i++) {
      cache.put(1, i * 1000, blockWithValue(88));
    }
    assertThat(cache.usedBytes()).isEqualTo(capacity);
    assertThat(cache.get(1, 0)).isNotNull(); // block 0 is now most recent; block 1000 is eldest
    cache.put(2, 0, blockWithValue(88));
    assertThat(cache.get(1, 1000)).as("least recently used").isNull();
    assertThat(cache.get(1, 0)).isNotNull();
    assertThat(cache.get(2, 0)).isNotNull();
    assertThat(cache.stats().evictions()).isEqualTo(1);

    // a block larger than the capacity is not cached, and evicts nothing
    cache.put(3, 0, blockWithValue((int) capacity));
    assertThat(cache.get(3, 0)).isNull();
    assertThat(cache.stats().blockCount()).isEqualTo(10);

    // random sizes and accesses: the bound holds after every call
    for (int i = 0; i < 5_000; i++) {
      if (random.nextBoolean()) {
        cache.put(random.nextInt(4), random.nextInt(50), blockWithValue(random.nextInt(600)));
      } else {
        cache.get(random.nextInt(4), random.nextInt(50));
      }
      BlockCache.Stats stats = cache.stats();
      assertThat(stats.usedBytes()).as("seed %d, step %d", seed, i).isBetween(0L, capacity);
    }
    cache.evictFile(0);
    for (int offset = 0; offset < 50; offset++) {
      assertThat(cache.get(0, offset)).isNull();
    }
    BlockCache.Stats stats = cache.stats();
    assertThat(stats.hits() + stats.misses()).isPositive();
    System.out.println("cache after the random walk: " + stats);
  }

  @Test
  void aZeroCapacityCacheHoldsNothingAndANegativeOneIsRefused() {
    BlockCache cache = new BlockCache(0);
    cache.put(1, 0, Block.decode(new byte[4]));
    assertThat(cache.get(1, 0)).isNull();
    assertThat(cache.usedBytes()).isZero();
    assertThatThrownBy(() -> new BlockCache(-1)).hasMessageContaining("blockCache.capacityBytes = -1 bytes");
  }

  @Test
  void readersShareTheCacheAndRereadEvictedBlocks(TestInfo test) throws Exception {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    MemoryDisk disk = new MemoryDisk();
    disk.mkdirs(dir);
    TreeMap<Bytes, Bytes> model = TableFixtures.randomMap(random, 1_000, 60);
    TableOptions options = TableOptions.defaults().withBlockSizeBytes(512);
    TableFixtures.write(disk, dir.resolve("1.sst"), model, options);
    TableFixtures.write(disk, dir.resolve("2.sst"), model, options);
    BlockCache cache = new BlockCache(8 * (600 + BlockCache.ENTRY_OVERHEAD_BYTES));
    try (TableReader one = TableReader.open(disk, dir.resolve("1.sst"), 1, cache);
        TableReader two = TableReader.open(disk, dir.resolve("2.sst"), 2, cache)) {
      Bytes key = model.firstKey();
      one.get(key);
      one.get(key);
      assertThat(one.stats().blockReads()).isEqualTo(1);
      assertThat(one.stats().cacheHits()).isEqualTo(1);
      two.get(key); // same offset, other file id: a miss
      assertThat(two.stats().blockReads()).isEqualTo(1);
      TableFixtures.assertHolds(one, model, "table 1, seed " + seed);
      TableFixtures.assertHolds(two, model, "table 2, seed " + seed);
      assertThat(cache.usedBytes()).isLessThanOrEqualTo(cache.capacityBytes());
      assertThat(cache.stats().evictions()).isPositive();
      long reads = one.stats().blockReads();
      one.get(key); // evicted by the scans above: read again
      assertThat(one.stats().blockReads()).isEqualTo(reads + 1);
    }
  }
}
