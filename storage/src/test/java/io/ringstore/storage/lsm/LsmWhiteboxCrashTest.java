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
import io.ringstore.storage.lsm.manifest.ManifestOptions;
import io.ringstore.storage.lsm.wal.WalSyncMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whitebox kill points: a fixed workload (writes, flushes that roll the log, compactions, manifest
 * switches, a reopen) is run once to count its file operations, then once per operation with the
 * "process" dying exactly there (that operation and every later one fail), followed by a power loss
 * that drops what was not synced. So every write, fsync, create, rename, delete and directory fsync
 * of the log, flush, compaction and manifest paths is a crash point once. After each, the store
 * must open and hold every acknowledged write, and no deleted key may be back.
 */
class LsmWhiteboxCrashTest {

  @TempDir Path root;
  private final FakeTime time = new FakeTime();

  private static LsmOptions options() {
    // background work only when the workload asks for it: big triggers, explicit flush and compactAll
    return LsmStoreTest.small().withSyncMode(WalSyncMode.ALWAYS).withMemtableBytes(1 << 20)
        .withLevel0Triggers(64, 65).withManifest(new ManifestOptions(4096, 64 << 20));
  }

  /** What the workload acknowledged, and the key of the operation that failed (if one did). */
  private static final class Outcome {
    final Map<Bytes, String> acked = new HashMap<>();
    final Map<Bytes, Set<String>> maybe = new HashMap<>();
  }

  /** Runs the workload until it ends or an operation fails; returns what was acknowledged. */
  private Outcome run(FaultInjectionDisk fs, Path dir) {
    Outcome out = new Outcome();
    LsmStore store = null;
    try {
      store = LsmStore.open(fs, dir, options(), Env.of(time));
      for (int step = 0; step < 6; step++) {
        for (int i = 0; i < 40; i++) {
          int k = (step * 17 + i * 7) % 60;
          Bytes key = LsmStoreTest.key(k);
          if (i % 9 == 4) {
            out.maybe.computeIfAbsent(key, x -> new HashSet<>()).add(null);
            store.delete(key);
            out.acked.remove(key);
          } else {
            String value = "s" + step + "-i" + i;
            out.maybe.computeIfAbsent(key, x -> new HashSet<>()).add(value);
            store.put(key, LsmStoreTest.value(value));
            out.acked.put(key, value);
          }
          out.maybe.remove(key);
        }
        store.flush();
        if (step % 2 == 1) {
          store.compactAll();
        }
        if (step == 3) {
          store.close();
          store = LsmStore.open(fs, dir, options(), Env.of(time));
        }
      }
      store.close();
      store = null;
    } catch (IOException | RuntimeException e) {
      // the process died here
    } finally {
      if (store != null) {
        try {
          store.close();
        } catch (IOException | RuntimeException ignored) {
          // reports the failure again
        }
      }
    }
    return out;
  }

  @Test
  void everyFileOperationOfTheWorkloadIsACrashPointOnce(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Path clean = root.resolve("count");
    FaultInjectionDisk counting = new FaultInjectionDisk(new NioDisk(), clean, FaultInjectionDisk.Syncs.SIMULATED);
    Files.createDirectories(clean);
    Outcome full = run(counting, clean);
    long total = 0;
    for (FileOp op : FileOp.values()) {
      if (op != FileOp.READ) {
        total += counting.operations(op);
      }
    }
    assertThat(full.acked).isNotEmpty();
    assertThat(counting.operations(FileOp.RENAME)).as("manifest switches in the workload").isPositive();
    assertThat(total).isGreaterThan(100);
    System.out.println("LsmWhiteboxCrashTest: " + total + " kill points");
    Random random = new Random(seed);
    List<String> failures = new ArrayList<>();
    for (long k = 1; k <= total; k++) {
      Path dir = root.resolve("kill-" + k);
      Files.createDirectories(dir);
      FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
      fs.failFromNth(EnumSet.complementOf(EnumSet.of(FileOp.READ)), k, Errno.EIO);
      Outcome outcome = run(fs, dir);
      CrashOutcome crash = fs.crash(random, k % 2 == 0 ? UnsyncedTail.TORN_PREFIX : UnsyncedTail.TORN_GARBAGE);
      fs.clearFaults();
      try (LsmStore store = LsmStore.open(fs, dir, options(), Env.of(time))) {
        TreeMap<Bytes, String> found = LsmStoreTest.scan(store, null);
        for (int key = 0; key < 60; key++) {
          Bytes b = LsmStoreTest.key(key);
          String now = found.get(b);
          Set<String> allowed = new HashSet<>();
          allowed.add(outcome.acked.get(b));
          allowed.addAll(outcome.maybe.getOrDefault(b, Set.of()));
          if (!allowed.contains(now)) {
            failures.add("kill at operation " + k + ": key " + b.asUtf8() + " holds " + now + ", allowed " + allowed
                + " (" + crash + ")");
          }
        }
      } catch (IOException | RuntimeException e) {
        failures.add("kill at operation " + k + ": reopen failed: " + e + " (" + crash + ")");
      }
      if (failures.size() > 5) {
        break;
      }
    }
    assertThat(failures).as("seed %d, %d kill points", seed, total).isEmpty();
  }
}
