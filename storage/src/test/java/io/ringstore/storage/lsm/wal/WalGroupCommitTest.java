package io.ringstore.storage.lsm.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.fs.Errno;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.fs.FileOp;
import io.ringstore.storage.lsm.fs.UnsyncedTail;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Under ALWAYS, concurrent appenders share fsyncs, and every acknowledged record is durable. */
class WalGroupCommitTest {

  @TempDir Path dir;
  private long seed;
  private FaultInjectionDisk fs;
  private ExecutorService threads;

  @BeforeEach
  void setUp(TestInfo test) {
    seed = TestSeeds.seed(test);
    fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
    threads = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  private static byte[] payload(int thread, int index) {
    return ByteBuffer.allocate(8).putInt(thread).putInt(index).array();
  }

  @Test
  void writersQueuedBehindOneFsyncShareTheNext() throws Exception {
    GatedDisk gated = new GatedDisk(fs);
    int writers = 8;
    int rounds = 20;
    try (WalWriter wal = Wals.open(gated, dir, WalOptions.defaults(WalSyncMode.ALWAYS), 1)) {
      long syncsBefore = fs.operations(FileOp.SYNC);
      for (int round = 0; round < rounds; round++) {
        gated.holdSyncsUntilAppends(writers); // the round's first fsync waits until all 8 records are written
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
          int thread = t;
          int index = round;
          done.add(threads.submit(() -> {
            start.await();
            wal.append(payload(thread, index));
            return null;
          }));
        }
        start.countDown();
        for (Future<?> f : done) {
          f.get(30, TimeUnit.SECONDS);
        }
      }
      long syncs = fs.operations(FileOp.SYNC) - syncsBefore;
      System.out.println(writers * rounds + " writes acknowledged after " + syncs + " fsyncs");
      // per round: the first leader's fsync covers its own record, the next the 7 written meanwhile
      assertThat(syncs).isBetween((long) rounds, 2L * rounds);
    }
    fs.crash(new Random(seed), UnsyncedTail.DROP);
    assertThat(Wals.recover(fs, dir).records()).hasSize(writers * rounds);
  }

  @Test
  void concurrentWritersLoseNoAcknowledgedRecordAndShareFsyncs() throws Exception {
    int writers = 6;
    int perWriter = 300;
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    long syncs;
    WalWriter wal = Wals.open(fs, dir, WalOptions.defaults(WalSyncMode.ALWAYS).withSegmentBytes(8192), 1);
    long syncsBefore = fs.operations(FileOp.SYNC);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      int thread = t;
      done.add(threads.submit(() -> {
        start.await();
        for (int i = 0; i < perWriter; i++) {
          wal.append(payload(thread, i));
          acknowledged.add(thread + ":" + i);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    syncs = fs.operations(FileOp.SYNC) - syncsBefore;
    // power loss without close: only what the fsyncs covered may remain
    fs.crash(new Random(seed), UnsyncedTail.TORN_GARBAGE);
    System.out.println(writers * perWriter + " writes acknowledged after " + syncs
        + " fsyncs (including segment headers and rolls)");
    // each roll takes two fsyncs (the old segment, the new header); every other fsync covers >= 1 record
    Wals.Recovered all = Wals.recover(fs, dir);
    long rolls = all.recovery().segmentIds().size() - 1;
    assertThat(syncs - 2 * rolls).as("record fsyncs (seed %d)", seed).isLessThanOrEqualTo((long) writers * perWriter);

    Map<Integer, Integer> nextPerThread = new HashMap<>();
    List<String> recovered = new ArrayList<>();
    for (WalRecord record : all.records()) {
      ByteBuffer bytes = ByteBuffer.wrap(record.payload().toByteArray());
      int thread = bytes.getInt();
      int index = bytes.getInt();
      assertThat(index).as("thread %d's records in order", thread).isEqualTo(nextPerThread.getOrDefault(thread, 0));
      nextPerThread.put(thread, index + 1);
      recovered.add(thread + ":" + index);
    }
    assertThat(recovered).containsExactlyInAnyOrderElementsOf(acknowledged);
  }

  @Test
  void concurrentWritersFailedByInjectedFaultsLoseNothingAcknowledgedAcrossCrashes() throws Exception {
    Random random = new Random(seed);
    int writers = 4;
    List<String> durable = new ArrayList<>(); // acknowledged in earlier cycles, or recovered
    int counter = 0;
    int failures = 0;
    for (int cycle = 0; cycle < 30; cycle++) {
      String context = "cycle " + cycle + " (seed " + seed + ")";
      WalOptions options = WalOptions.defaults(WalSyncMode.ALWAYS).withSegmentBytes(4096);
      Wals.Recovered recovered = Wals.recover(fs, dir, 1, options);
      List<String> replayed = new ArrayList<>();
      for (WalRecord record : recovered.records()) {
        ByteBuffer bytes = ByteBuffer.wrap(record.payload().toByteArray());
        replayed.add(bytes.getInt() + ":" + bytes.getInt());
      }
      assertThat(replayed).as(context).containsAll(durable);
      assertThat(replayed).as(context).doesNotHaveDuplicates();
      durable = replayed;

      WalWriter wal = Wals.open(fs, dir, options, recovered.recovery().nextSegmentId());
      fs.failOneIn(random.nextBoolean() ? FileOp.SYNC : FileOp.WRITE, 10 + random.nextInt(40), Errno.EIO,
          new Random(random.nextLong()));
      ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      int base = counter;
      counter += 1000;
      for (int t = 0; t < writers; t++) {
        int thread = t;
        done.add(threads.submit(() -> {
          start.await();
          for (int i = 0; i < 100; i++) {
            int index = base + i;
            try {
              wal.append(payload(thread, index));
            } catch (IOException e) {
              assertThat(e).hasMessageContaining("WAL in");
              return null;
            }
            acknowledged.add(thread + ":" + index);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      if (acknowledged.size() < writers * 100) {
        failures++;
      }
      durable.addAll(acknowledged);
      fs.crash(random, UnsyncedTail.values()[random.nextInt(UnsyncedTail.values().length)]);
      fs.clearFaults();
    }
    System.out.println("30 concurrent crash cycles, " + failures + " ended by an injected fault");
    List<String> last = new ArrayList<>();
    for (WalRecord record : Wals.recover(fs, dir).records()) {
      ByteBuffer bytes = ByteBuffer.wrap(record.payload().toByteArray());
      last.add(bytes.getInt() + ":" + bytes.getInt());
    }
    assertThat(last).as("after the last crash (seed %d)", seed).containsAll(durable);
  }
}
