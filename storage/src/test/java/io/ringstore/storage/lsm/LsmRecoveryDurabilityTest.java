package io.ringstore.storage.lsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.storage.lsm.fs.Errno;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.fs.FileOp;
import io.ringstore.storage.lsm.fs.UnsyncedTail;
import io.ringstore.storage.lsm.wal.WalSyncMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery after a process kill makes what it replays durable before anything newer exists, and a
 * read-only engine still answers reads of expired keys.
 */
class LsmRecoveryDurabilityTest {

  @TempDir Path dir;
  private final FakeTime time = new FakeTime();

  @Test
  void writesReplayedAfterAKillSurviveALaterPowerLoss() throws IOException {
    FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
    LsmOptions options = LsmStoreTest.small().withMemtableBytes(1 << 20); // NONE sync mode
    LsmStore first = LsmStore.open(fs, dir, options, Env.of(time));
    for (int i = 0; i < 50; i++) {
      first.put(LsmStoreTest.key(i), LsmStoreTest.value("v" + i));
    }
    fs.killProcess(); // kill -9: nothing lost, nothing synced
    try (LsmStore second = LsmStore.open(fs, dir, options, Env.of(time))) {
      assertThat(second.get(LsmStoreTest.key(7)).asUtf8()).isEqualTo("v7"); // served again
    } // a clean close: under NONE "may lose everything since the last segment roll, flush or close"
    fs.crash(new Random(1), UnsyncedTail.DROP);
    try (LsmStore third = LsmStore.open(fs, dir, options, Env.of(time))) {
      assertThat(third.get(LsmStoreTest.key(7))).as("written before a clean close").isNotNull();
    }
  }

  @Test
  void aReplayedSegmentIsNeverLeftTornBehindANewerOne() throws IOException {
    for (int seed = 0; seed < 20; seed++) {
      Path sub = dir.resolve("s" + seed);
      java.nio.file.Files.createDirectories(sub);
      FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), sub, FaultInjectionDisk.Syncs.SIMULATED);
      LsmOptions options = LsmStoreTest.small().withSyncMode(WalSyncMode.ALWAYS).withMemtableBytes(1 << 20);
      LsmStore first = LsmStore.open(fs, sub, options, Env.of(time));
      first.put(LsmStoreTest.key(0), LsmStoreTest.value("acked"));
      fs.failNth(FileOp.SYNC, 1, Errno.EIO); // the record is written, its fsync fails: not acknowledged
      try {
        first.put(LsmStoreTest.key(1), LsmStoreTest.value("x".repeat(3000)));
      } catch (IOException expected) {
        // not acknowledged
      }
      fs.clearFaults();
      fs.killProcess();
      try (LsmStore second = LsmStore.open(fs, sub, options, Env.of(time))) {
        second.put(LsmStoreTest.key(2), LsmStoreTest.value("acked after reopen"));
      }
      fs.crash(new Random(new java.util.SplittableRandom(seed).nextLong()), UnsyncedTail.TORN_PREFIX);
      assertThatCode(() -> LsmStore.open(fs, sub, options, Env.of(time)).close())
          .as("seed %d", seed).doesNotThrowAnyException();
    }
  }

  @Test
  void aReadOnlyEngineStillAnswersGetsOfExpiredKeys() throws IOException {
    FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
    io.ringstore.spi.EngineSettings settings = new io.ringstore.spi.EngineSettings("c",
        io.ringstore.spi.EngineSettings.UNBOUNDED, io.ringstore.spi.EngineSettings.UNBOUNDED,
        io.ringstore.spi.EvictionPolicy.NO_EVICTION, Env.of(time, fs), io.ringstore.spi.RemovalListener.NONE,
        java.util.Map.of(LsmStorageEngine.DIRECTORY, dir.toString(), "wal.syncMode", "none"));
    LsmStorageEngine engine = LsmStorageEngine.open(settings);
    long now = time.millis();
    Bytes key = LsmStoreTest.key(1);
    engine.compute(key, (k, cur) -> io.ringstore.spi.StoredRecord.write(cur, io.ringstore.spi.VectorClock.of(java.util.Map.of()),
        "a", 1, Bytes.of(new byte[] {1}), now + 1000, now));
    fs.failFromNth(java.util.EnumSet.of(FileOp.WRITE), 1, Errno.ENOSPC);
    try {
      engine.compute(LsmStoreTest.key(2), (k, cur) -> io.ringstore.spi.StoredRecord.write(cur,
          io.ringstore.spi.VectorClock.of(java.util.Map.of()), "a", 1, Bytes.of(new byte[] {2}), Long.MAX_VALUE, now));
    } catch (RuntimeException expected) {
      // the disk is full
    }
    assertThat(engine.store().failure()).isNotNull();
    time.advance(java.time.Duration.ofSeconds(2));
    assertThatCode(() -> assertThat(engine.get(key)).isNull()).as("reads go on when read-only").doesNotThrowAnyException();
  }
}
