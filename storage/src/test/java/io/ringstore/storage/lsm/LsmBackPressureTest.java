package io.ringstore.storage.lsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.env.WritableFile;
import io.ringstore.spi.testkit.FakeTime;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers wait (a write stall) when flushes or compactions fall behind, instead of memory or
 * level 0 growing without bound; they go on once the background work catches up.
 */
class LsmBackPressureTest {

  @TempDir Path dir;
  private final FakeTime time = new FakeTime();

  /** A disk whose table creations, on threads the predicate picks, wait until opened. */
  static final class GateDisk extends ForwardingDisk {
    private final Predicate<Thread> held;
    private volatile CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger waiting = new AtomicInteger();

    GateDisk(Predicate<Thread> held) {
      super(new NioDisk());
      this.held = held;
    }

    void open() {
      gate.countDown();
    }

    @Override
    public WritableFile create(Path path) throws IOException {
      if (path.getFileName().toString().endsWith(".sst") && held.test(Thread.currentThread())) {
        waiting.incrementAndGet();
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        } finally {
          waiting.decrementAndGet();
        }
      }
      return delegate.create(path);
    }
  }

  private static Thread writeInBackground(LsmStore store, int count, AtomicReference<Throwable> error,
      AtomicInteger written) {
    Thread t = new Thread(() -> {
      try {
        for (int i = 0; i < count; i++) {
          store.put(LsmStoreTest.key(i), new byte[200]);
          written.incrementAndGet();
        }
      } catch (Throwable e) {
        error.set(e);
      }
    }, "writer");
    t.start();
    return t;
  }

  @Test
  void writersWaitWhileTheFrozenMemtablesAreAtTheirBound() throws Exception {
    GateDisk disk = new GateDisk(t -> t.getName().startsWith("ringstore-lsm-flush"));
    LsmOptions options = LsmStoreTest.small().withMemtableBytes(8 << 10).withMaxImmutableMemtables(1);
    try (LsmStore store = LsmStore.open(disk, dir, options, Env.of(time)); AutoCloseable gate = disk::open) {
      AtomicReference<Throwable> error = new AtomicReference<>();
      AtomicInteger written = new AtomicInteger();
      Thread writer = writeInBackground(store, 500, error, written);
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.getState() == Thread.State.WAITING
          && disk.waiting.get() == 1 && store.stats().writeStalls() > 0);
      LsmStats stalled = store.stats();
      assertThat(stalled.immutableMemtables()).isEqualTo(1);
      assertThat(stalled.memtableBytes()).isGreaterThanOrEqualTo(8 << 10);
      int before = written.get();
      assertThat(before).isLessThan(500);
      disk.open();
      writer.join(30_000);
      assertThat(error.get()).isNull();
      assertThat(written.get()).isEqualTo(500);
      assertThat(store.get(LsmStoreTest.key(499))).isNotNull();
    }
  }

  @Test
  void writersWaitWhileLevel0IsAtItsStopTrigger() throws Exception {
    GateDisk disk = new GateDisk(t -> t.getName().startsWith("ringstore-lsm-compaction"));
    LsmOptions options = LsmStoreTest.small().withMemtableBytes(8 << 10).withLevel0Triggers(2, 4);
    try (LsmStore store = LsmStore.open(disk, dir, options, Env.of(time)); AutoCloseable gate = disk::open) {
      AtomicReference<Throwable> error = new AtomicReference<>();
      AtomicInteger written = new AtomicInteger();
      Thread writer = writeInBackground(store, 2000, error, written);
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.getState() == Thread.State.WAITING
          && disk.waiting.get() == 1 && store.stats().tablesPerLevel().get(0) >= 4 && store.stats().writeStalls() > 0);
      // the frozen memtables (at most memtable.maxImmutable) still flush after the stall begins
      await().atMost(Duration.ofSeconds(30)).until(() -> store.stats().immutableMemtables() == 0);
      assertThat(store.stats().tablesPerLevel().get(0)).isBetween(4, 4 + options.maxImmutableMemtables());
      assertThat(writer.getState()).isEqualTo(Thread.State.WAITING);
      disk.open();
      writer.join(60_000);
      assertThat(error.get()).isNull();
      assertThat(written.get()).isEqualTo(2000);
      for (int i = 0; i < 2000; i += 97) {
        assertThat(store.get(LsmStoreTest.key(i))).isNotNull();
      }
    }
  }
}
