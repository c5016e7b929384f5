package io.ringstore.storage.lsm;

import io.ringstore.spi.testkit.TestSeeds;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.storage.lsm.fs.CrashOutcome;
import io.ringstore.storage.lsm.fs.Errno;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.fs.FileOp;
import io.ringstore.storage.lsm.fs.UnsyncedTail;
import io.ringstore.storage.lsm.wal.WalSyncMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss at random points of random workloads, over the fault-injection disk: the "process"
 * dies at a random file operation (every later one fails, in the log, flushes, compactions and
 * the manifest alike), then a crash drops what was not synced (keeping torn prefixes or garbage).
 * After each reopen every write acknowledged under {@code wal.syncMode = always} is there with
 * its exact value, no deleted key is back, and the store opens without error. The store carries
 * its data from cycle to cycle, so later cycles crash stores that hold many tables.
 *
 * <p>{@code -Dringstore.crashCycles=N} runs more cycles (the faults profile sets it).
 */
class LsmCrashTest {

  @TempDir Path dir;
  private final FakeTime time = new FakeTime();

  private static LsmOptions options() {
    return LsmStoreTest.small().withSyncMode(WalSyncMode.ALWAYS);
  }

  @Test
  void noAcknowledgedWriteIsLostAcrossRandomCrashes(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    int cycles = Integer.getInteger("ringstore.crashCycles", 40);
    FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
    Map<Bytes, String> acked = new HashMap<>(); // key -> value acknowledged last (absent: deleted or never written)
    int keySpace = 400;
    int counter = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      LsmStore store = LsmStore.open(fs, dir, options(), Env.of(time));
      verify(store, acked, Map.of(), keySpace, "after reopen " + cycle + " (seed " + seed + ")");
      // uncertain keys: an operation that failed may or may not have reached the disk
      Map<Bytes, Set<String>> maybe = new HashMap<>();
      int killAt = 1 + random.nextInt(400);
      fs.failFromNth(EnumSet.allOf(FileOp.class), killAt, Errno.EIO);
      int ops = 50 + random.nextInt(400);
      for (int i = 0; i < ops; i++) {
        Bytes key = LsmStoreTest.key(random.nextInt(keySpace));
        int dice = random.nextInt(100);
        try {
          if (dice < 2) {
            store.flush();
          } else if (dice < 3) {
            store.compactAll();
          } else if (dice < 20) {
            try {
              store.delete(key);
            } catch (IOException | RuntimeException e) {
              maybe.computeIfAbsent(key, k -> new HashSet<>()).add(null);
              throw e;
            }
            acked.remove(key);
            maybe.remove(key);
          } else {
            String value = "c" + cycle + "-" + (counter++) + "-" + "x".repeat(random.nextInt(60));
            try {
              store.put(key, LsmStoreTest.value(value));
            } catch (IOException | RuntimeException e) {
              maybe.computeIfAbsent(key, k -> new HashSet<>()).add(value);
              throw e;
            }
            acked.put(key, value);
            maybe.remove(key);
          }
        } catch (IOException | RuntimeException e) {
          // the process is dying: nothing more is acknowledged from here on
        }
      }
      try {
        store.close();
      } catch (IOException | RuntimeException e) {
        // expected once the kill point has passed
      }
      UnsyncedTail tail = random.nextBoolean() ? UnsyncedTail.TORN_PREFIX : UnsyncedTail.TORN_GARBAGE;
      CrashOutcome outcome = fs.crash(random, tail);
      fs.clearFaults();
      LsmStore reopened = LsmStore.open(fs, dir, options(), Env.of(time));
      try {
        verify(reopened, acked, maybe, keySpace, "cycle " + cycle + ", kill at operation " + killAt + ", " + outcome
            + " (seed " + seed + ")");
        // settle what an uncertain key holds now, so the next cycle starts from a known state
        for (Bytes key : maybe.keySet()) {
          Bytes now = reopened.get(key);
          if (now == null) {
            acked.remove(key);
          } else {
            acked.put(key, now.asUtf8());
          }
        }
      } finally {
        reopened.close();
      }
    }
  }

  private static void verify(LsmStore store, Map<Bytes, String> acked, Map<Bytes, Set<String>> maybe, int keySpace,
      String where) {
    for (int k = 0; k < keySpace; k++) {
      Bytes key = LsmStoreTest.key(k);
      Bytes found = store.get(key);
      String value = found == null ? null : found.asUtf8();
      if (maybe.containsKey(key)) {
        Set<String> allowed = new HashSet<>(maybe.get(key));
        allowed.add(acked.get(key));
        assertThat(allowed).as("key %s %s", key, where).contains(value);
      } else {
        assertThat(value).as("key %s %s", key, where).isEqualTo(acked.get(key));
      }
    }
    TreeMap<Bytes, String> scanned = LsmStoreTest.scan(store, null);
    for (Bytes key : maybe.keySet()) {
      scanned.remove(key);
    }
    Map<Bytes, String> expected = new TreeMap<>(acked);
    expected.keySet().removeAll(maybe.keySet());
    assertThat(scanned).as("scan %s", where).isEqualTo(expected);
  }
}
