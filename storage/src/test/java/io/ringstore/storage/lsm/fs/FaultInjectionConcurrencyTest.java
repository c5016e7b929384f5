package io.ringstore.storage.lsm.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.env.WritableFile;
import io.ringstore.spi.testkit.TestSeeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Writers on different files, as group-commit threads use it, with a crash in the middle. */
class FaultInjectionConcurrencyTest {

  private static final int WRITERS = 4;
  private static final int SYNCS_BEFORE_CRASH = 20;

  @TempDir Path dir;

  /** Byte {@code offset} of writer {@code w}'s file: predictable, so any prefix can be checked. */
  private static byte expected(int w, long offset) {
    return (byte) (offset * 31 + w * 7 + (offset >>> 8));
  }

  @Test
  void acknowledgedBytesOfConcurrentWritersSurviveACrashInTheMiddle(TestInfo test) throws Exception {
    long seed = TestSeeds.seed(test);
    FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
    long[] acknowledged = new long[WRITERS];
    CountDownLatch warmedUp = new CountDownLatch(WRITERS);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Path file = dir.resolve("writer-" + w + ".log");
      WritableFile out = fs.create(file);
      writers.add(pool.submit(() -> {
        Random r = new Random(seed + writer);
        long written = 0;
        int syncs = 0;
        try {
          while (true) {
            byte[] chunk = new byte[1 + r.nextInt(300)];
            for (int i = 0; i < chunk.length; i++) {
              chunk[i] = expected(writer, written + i);
            }
            out.append(chunk);
            written += chunk.length;
            if (r.nextInt(3) == 0) {
              out.sync();
              acknowledged[writer] = written; // only this thread writes it; read after join
              if (++syncs == SYNCS_BEFORE_CRASH) {
                warmedUp.countDown();
              }
            }
          }
        } catch (DiskCrashedException expectedAtTheCrash) {
          return null;
        }
      }));
    }
    fs.syncDirectory(dir);
    try {
      assertThat(warmedUp.await(30, TimeUnit.SECONDS)).as("every writer synced %d times", SYNCS_BEFORE_CRASH).isTrue();
      CrashOutcome outcome = fs.crash(new Random(seed), UnsyncedTail.TORN_PREFIX);
      for (Future<?> f : writers) {
        f.get(30, TimeUnit.SECONDS);
      }
      System.out.println(test.getDisplayName() + ": " + outcome.files());
    } finally {
      pool.shutdownNow();
    }
    for (int w = 0; w < WRITERS; w++) {
      byte[] kept = Files.readAllBytes(dir.resolve("writer-" + w + ".log"));
      assertThat((long) kept.length).as("writer %d keeps every acknowledged byte", w).isGreaterThanOrEqualTo(acknowledged[w]);
      for (int i = 0; i < kept.length; i++) {
        if (kept[i] != expected(w, i)) {
          throw new AssertionError("writer " + w + ": byte " + i + " of " + kept.length + " is not what was written");
        }
      }
    }
  }

  @Test
  void concurrentCreatesRenamesAndDeletesAreUndoneConsistently(TestInfo test) throws Exception {
    long seed = TestSeeds.seed(test);
    FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int worker = w;
        workers.add(pool.submit(() -> {
          Random r = new Random(seed + worker);
          for (int i = 0; i < 50; i++) {
            Path tmp = dir.resolve("w" + worker + "-" + i + ".tmp");
            try (WritableFile out = fs.create(tmp)) {
              out.append(new byte[r.nextInt(100)]);
              out.sync();
            }
            fs.rename(tmp, dir.resolve("w" + worker + "-" + i));
            if (i > 0 && r.nextBoolean()) {
              fs.delete(dir.resolve("w" + worker + "-" + (i - 1)));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : workers) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    fs.crash(new Random(seed));
    try (var left = Files.list(dir)) {
      assertThat(left).as("nothing was ever directory-synced, so every change is undone").isEmpty();
    }
  }
}
