package io.ringstore.storage.lsm;

import io.ringstore.spi.testkit.TestSeeds;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.spi.testkit.MemoryDisk;
import io.ringstore.storage.lsm.wal.WalSyncMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The store on {@link MemoryDisk}: a random workload of puts and deletes under
 * {@code wal.syncMode = always}, with flushes and compactions running, and at points along it a
 * {@link MemoryDisk#crashClone()} (a power cut at that moment, keeping only what was synced) is
 * opened as a fresh store: every acknowledged write is there with its value, and no acknowledged
 * delete is undone.
 */
class LsmMemoryDiskTest {

  private final FakeTime time = new FakeTime();
  private final Path dir = Path.of("/ringstore/cache").toAbsolutePath();

  @Test
  void everyAcknowledgedWriteSurvivesInACrashClone(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    SplittableRandom random = new SplittableRandom(seed);
    MemoryDisk disk = new MemoryDisk();
    LsmOptions options = LsmStoreTest.small().withSyncMode(WalSyncMode.ALWAYS);
    TreeMap<Bytes, String> acked = new TreeMap<>();
    int keySpace = 300;
    try (LsmStore store = LsmStore.open(disk, dir, options, Env.of(time, disk))) {
      for (int op = 1; op <= 3000; op++) {
        Bytes key = LsmStoreTest.key(random.nextInt(keySpace));
        if (random.nextInt(5) == 0) {
          store.delete(key);
          acked.remove(key);
        } else {
          String value = "v" + op + "-" + "x".repeat(random.nextInt(200));
          store.put(key, LsmStoreTest.value(value));
          acked.put(key, value);
        }
        if (op % 500 == 0) {
          verifyCrashClone(disk.crashClone(), options, acked, keySpace, "after op " + op + " (seed " + seed + ")");
        }
      }
      assertThat(store.stats().tablesPerLevel().stream().mapToInt(Integer::intValue).sum())
          .as("the workload flushed tables, so clones were taken with tables and compactions about").isPositive();
    }
    verifyCrashClone(disk.crashClone(), options, acked, keySpace, "after close (seed " + seed + ")");
  }

  private void verifyCrashClone(MemoryDisk crashed, LsmOptions options, Map<Bytes, String> acked, int keySpace,
      String when) throws IOException {
    try (LsmStore reopened = LsmStore.open(crashed, dir, options, Env.of(time, crashed))) {
      for (int i = 0; i < keySpace; i++) {
        Bytes key = LsmStoreTest.key(i);
        String expected = acked.get(key);
        Bytes actual = reopened.get(key);
        assertThat(actual == null ? null : actual.asUtf8()).as("key %s %s", key, when).isEqualTo(expected);
      }
    }
  }
}
