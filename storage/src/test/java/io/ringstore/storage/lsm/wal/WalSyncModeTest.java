package io.ringstore.storage.lsm.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.fs.FileOp;
import io.ringstore.storage.lsm.fs.UnsyncedTail;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** What INTERVAL and NONE make durable, and when, on FakeTime. */
class WalSyncModeTest {

  @TempDir Path dir;
  private Random random;
  private FaultInjectionDisk fs;
  private final FakeTime time = new FakeTime();

  @BeforeEach
  void setUp(TestInfo test) {
    random = new Random(TestSeeds.seed(test));
    fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
  }

  @Test
  void intervalSyncsEveryPeriodAndAPowerLossTakesOnlyTheLastInterval() throws IOException {
    WalOptions options = WalOptions.defaults(WalSyncMode.INTERVAL).withSyncInterval(Duration.ofMillis(100));
    WalWriter writer = WalWriter.open(fs, dir, options, 1, time, Runnable::run);
    long syncs = fs.operations(FileOp.SYNC);
    writer.append("a".getBytes());
    writer.append("b".getBytes());
    assertThat(fs.operations(FileOp.SYNC)).as("appends return before any fsync").isEqualTo(syncs);

    time.advance(Duration.ofMillis(99));
    assertThat(fs.operations(FileOp.SYNC)).isEqualTo(syncs);
    time.advance(Duration.ofMillis(1));
    assertThat(fs.operations(FileOp.SYNC)).as("the interval fsync").isEqualTo(syncs + 1);

    time.advance(Duration.ofMillis(100));
    assertThat(fs.operations(FileOp.SYNC)).as("nothing new to sync").isEqualTo(syncs + 1);
    writer.append("c".getBytes()); // acknowledged, within the current interval
    assertThat(time.pendingTasks()).isEqualTo(1);

    fs.crash(random, UnsyncedTail.DROP);
    assertThat(Wals.recover(fs, dir).payloads()).containsExactly("a".getBytes(), "b".getBytes());
  }

  @Test
  void closeCancelsTheIntervalTaskAndSyncs() throws IOException {
    WalOptions options = WalOptions.defaults(WalSyncMode.INTERVAL);
    WalWriter writer = WalWriter.open(fs, dir, options, 1, time, Runnable::run);
    writer.append("a".getBytes());
    writer.close();
    assertThat(time.pendingTasks()).isZero();
    fs.crash(random, UnsyncedTail.DROP);
    assertThat(Wals.recover(fs, dir).payloads()).containsExactly("a".getBytes());
  }

  @Test
  void noneSyncsOnlyAtARollSyncOrClose() throws IOException {
    WalOptions options = WalOptions.defaults(WalSyncMode.NONE);
    WalWriter writer = WalWriter.open(fs, dir, options, 1, time, Runnable::run);
    long syncs = fs.operations(FileOp.SYNC);
    writer.append("a".getBytes());
    writer.roll(); // syncs segment 1 completely, creates segment 2
    writer.append("b".getBytes());
    writer.append("c".getBytes());
    time.advance(Duration.ofHours(1));
    assertThat(fs.operations(FileOp.SYNC)).as("roll: old segment + new header").isEqualTo(syncs + 2);
    assertThat(time.pendingTasks()).isZero();

    fs.crash(random, UnsyncedTail.DROP);
    assertThat(Wals.recover(fs, dir).payloads()).containsExactly("a".getBytes());

    writer = WalWriter.open(fs, dir, options, 3, time, Runnable::run);
    writer.append("d".getBytes());
    writer.sync();
    writer.append("e".getBytes());
    fs.crash(random, UnsyncedTail.DROP);
    assertThat(Wals.recover(fs, dir).payloads()).containsExactly("a".getBytes(), "d".getBytes());
  }
}
