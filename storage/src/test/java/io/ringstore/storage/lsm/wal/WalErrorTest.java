package io.ringstore.storage.lsm.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.fs.Errno;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.fs.FileOp;
import io.ringstore.storage.lsm.fs.UnsyncedTail;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injected ENOSPC and EIO fail the write with a clear error, fail every later one, and lose
 * nothing acknowledged; reopening recovers.
 */
class WalErrorTest {

  @TempDir Path dir;
  private long seed;
  private Random random;
  private FaultInjectionDisk fs;
  private final WalOptions options = WalOptions.defaults(WalSyncMode.ALWAYS).withSegmentBytes(4096);

  @BeforeEach
  void setUp(TestInfo test) {
    seed = TestSeeds.seed(test);
    random = new Random(seed);
    fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
  }

  private byte[] payload() {
    byte[] bytes = new byte[1 + random.nextInt(300)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Appends until one fails; returns the acknowledged payloads. */
  private List<byte[]> appendUntilFailure(WalWriter writer, String expectedError) {
    List<byte[]> acknowledged = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      byte[] p = payload();
      try {
        writer.append(p);
        acknowledged.add(p);
      } catch (IOException e) {
        assertThat(e).hasMessageContaining(expectedError).hasMessageContaining("injected fault");
        return acknowledged;
      }
    }
    throw new AssertionError("no append failed (seed " + seed + ")");
  }

  private void assertRecoveredHoldsEveryAcknowledged(List<byte[]> acknowledged) throws IOException {
    List<byte[]> recovered = Wals.recover(fs, dir, 1, options).payloads();
    assertThat(recovered.size()).as("seed %d", seed).isBetween(acknowledged.size(), acknowledged.size() + 1);
    for (int i = 0; i < acknowledged.size(); i++) {
      assertThat(recovered.get(i)).as("record %d (seed %d)", i, seed).isEqualTo(acknowledged.get(i));
    }
  }

  @Test
  void diskFullFailsTheWriteAndLosesNothingAcknowledged() throws IOException {
    WalWriter writer = Wals.open(fs, dir, options, 1);
    fs.diskFullAfterBytes(5000 + random.nextInt(5000));
    List<byte[]> acknowledged = appendUntilFailure(writer, "ENOSPC (No space left on device)");
    assertThatThrownBy(() -> writer.append(new byte[1]))
        .hasMessageContaining("refuses writes since an earlier error")
        .hasMessageContaining("reopen it");
    assertThatThrownBy(writer::close).hasMessageContaining("closed without a final fsync");
    fs.crash(random, UnsyncedTail.TORN_PREFIX);
    fs.clearFaults();
    assertRecoveredHoldsEveryAcknowledged(acknowledged);
  }

  @Test
  void diskFullWithoutACrashLeavesAPartialRecordThatRecoveryTruncates() throws IOException {
    WalWriter writer = Wals.open(fs, dir, options, 1);
    fs.diskFullAfterBytes(1000 + random.nextInt(2000));
    List<byte[]> acknowledged = appendUntilFailure(writer, "ENOSPC");
    fs.clearFaults(); // space freed; the process goes on and reopens the log
    assertThatThrownBy(writer::close).isInstanceOf(IOException.class);
    Wals.Recovered recovered = Wals.recover(fs, dir, 1, options);
    assertThat(recovered.payloads()).containsExactlyElementsOf(acknowledged);
    try (WalWriter again = Wals.open(fs, dir, options, recovered.recovery().nextSegmentId())) {
      again.append("after".getBytes());
    }
    assertThat(Wals.recover(fs, dir, 1, options).records()).hasSize(acknowledged.size() + 1);
  }

  @Test
  void anFsyncErrorFailsTheWriteAndLosesNothingAcknowledged() throws IOException {
    WalWriter writer = Wals.open(fs, dir, options, 1);
    fs.failNth(FileOp.SYNC, 1 + random.nextInt(30), random.nextBoolean() ? Errno.EIO : Errno.ENOSPC);
    List<byte[]> acknowledged = appendUntilFailure(writer, "failed: ");
    assertThatThrownBy(() -> writer.append(new byte[1])).hasMessageContaining("refuses writes");
    fs.crash(random, UnsyncedTail.TORN_GARBAGE);
    fs.clearFaults();
    assertRecoveredHoldsEveryAcknowledged(acknowledged);
  }

  @Test
  void aFailedSegmentCreationAtARollFailsTheWrite() throws IOException {
    WalWriter writer = Wals.open(fs, dir, options, 1);
    fs.failNth(FileOp.CREATE, 1, Errno.ENOSPC);
    List<byte[]> acknowledged = appendUntilFailure(writer, "roll: creating segment 2");
    assertThat(acknowledged).isNotEmpty();
    fs.crash(random, UnsyncedTail.DROP);
    fs.clearFaults();
    assertRecoveredHoldsEveryAcknowledged(acknowledged);
  }

  @Test
  void aFailedGroupFsyncFailsEveryWriterWaitingOnIt() throws Exception {
    GatedDisk gated = new GatedDisk(fs);
    WalWriter writer = Wals.open(gated, dir, options, 1);
    writer.append("acknowledged".getBytes());
    int writers = 4;
    fs.failFromNth(java.util.EnumSet.of(FileOp.SYNC), 1, Errno.EIO);
    gated.holdSyncsUntilAppends(writers);
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        results.add(threads.submit(() -> {
          start.await();
          writer.append(payload());
          return null;
        }));
      }
      start.countDown();
      for (Future<?> result : results) {
        assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(IOException.class)
            .hasMessageContaining("EIO");
      }
    } finally {
      threads.shutdownNow();
      assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    fs.crash(random, UnsyncedTail.DROP);
    fs.clearFaults();
    assertThat(Wals.recover(fs, dir, 1, options).payloads()).containsExactly("acknowledged".getBytes());
  }
}
