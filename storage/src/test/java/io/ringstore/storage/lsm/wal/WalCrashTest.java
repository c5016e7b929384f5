package io.ringstore.storage.lsm.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.fs.CrashOutcome;
import io.ringstore.storage.lsm.fs.Errno;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.fs.FileOp;
import io.ringstore.storage.lsm.fs.UnsyncedTail;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many cycles of: recover, write (with injected EIO/ENOSPC, kill points, rolls and deletions of
 * flushed segments), lose power. After each, recovery opens without error and replays exactly a
 * prefix of what was written that holds every record made durable: under ALWAYS every acknowledged
 * record; under NONE every record acknowledged before a {@code sync()} or {@code roll()} returned.
 */
class WalCrashTest {

  private static final int CYCLES = 300;

  @TempDir Path dir;

  @Test
  void noDurableRecordIsLostAcrossCrashes(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
    List<byte[]> written = new ArrayList<>(); // what recovery may replay, in order, from logStart
    int durable = 0; // how many of them must be replayed
    long logStart = 1;
    long counter = 0;
    int tornTails = 0;
    int failedWriters = 0;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      String context = "cycle " + cycle + " (seed " + seed + ")";
      WalSyncMode mode = random.nextInt(10) < 7 ? WalSyncMode.ALWAYS : WalSyncMode.NONE;
      WalOptions options = WalOptions.defaults(mode).withSegmentBytes(4096).withMaxRecordBytes(2048);

      Wals.Recovered recovered = Wals.recover(fs, dir, logStart, options);
      List<byte[]> replayed = recovered.payloads();
      assertThat(replayed.size()).as("records replayed in %s", context).isBetween(durable, written.size());
      for (int i = 0; i < replayed.size(); i++) {
        assertThat(replayed.get(i)).as("record %d in %s", i, context).isEqualTo(written.get(i));
      }
      if (recovered.recovery().truncatedBytes() > 0) {
        tornTails++;
      }
      written = new ArrayList<>(replayed); // recovered records are durable now
      durable = written.size();

      injectFaults(fs, random);
      WalWriter writer = null;
      try {
        writer = WalWriter.open(fs, dir, options, recovered.recovery().nextSegmentId(), new FakeTime(),
            Runnable::run);
        int operations = random.nextInt(60);
        for (int op = 0; op < operations; op++) {
          int choice = random.nextInt(100);
          if (choice < 85) {
            byte[] payload = new byte[8 + random.nextInt(random.nextBoolean() ? 40 : 1500)];
            random.nextBytes(payload);
            ByteBuffer.wrap(payload).putLong(counter++);
            written.add(payload); // it may be in the file even if the append fails
            writer.append(payload);
            if (mode == WalSyncMode.ALWAYS) {
              durable = written.size();
            }
          } else if (choice < 92) {
            writer.sync();
            durable = written.size();
          } else {
            // a memtable flush: roll, note the first needed segment (the manifest), delete older ones
            long first = writer.roll();
            logStart = first;
            written.clear();
            durable = 0;
            writer.deleteSegmentsBefore(first);
          }
        }
      } catch (IOException e) {
        failedWriters++;
        assertThat(e.getMessage()).as(context).contains("injected fault");
      }
      if (random.nextInt(10) == 0 && writer != null) {
        fs.clearFaults();
        try {
          writer.close(); // a clean shutdown: everything written is durable
          durable = written.size();
        } catch (IOException e) {
          // a writer that failed earlier closes without syncing
        }
      }
      UnsyncedTail tail = UnsyncedTail.values()[random.nextInt(UnsyncedTail.values().length)];
      CrashOutcome outcome = fs.crash(random, tail);
      fs.clearFaults();
      if (cycle < 3) {
        System.out.println(context + ": " + tail + " " + outcome);
      }
    }
    System.out.println(CYCLES + " crash cycles: " + tornTails + " torn tails truncated, " + failedWriters
        + " writers failed by injected faults");
    assertThat(tornTails).as("torn tails seen (seed %d)", seed).isPositive();
    assertThat(failedWriters).as("writers failed (seed %d)", seed).isPositive();
  }

  private static void injectFaults(FaultInjectionDisk fs, Random random) {
    Errno errno = random.nextBoolean() ? Errno.EIO : Errno.ENOSPC;
    switch (random.nextInt(6)) {
      case 0 -> fs.failOneIn(FileOp.WRITE, 20, errno, random);
      case 1 -> fs.failOneIn(FileOp.SYNC, 15, errno, random);
      case 2 -> fs.failFromNth(EnumSet.allOf(FileOp.class), 1 + random.nextInt(80), errno); // a kill point
      case 3 -> fs.diskFullAfterBytes(random.nextInt(20_000));
      case 4 -> fs.failOneIn(random.nextBoolean() ? FileOp.CREATE : FileOp.SYNC_DIRECTORY, 3, errno, random);
      default -> { } // no fault: the crash alone
    }
  }
}
