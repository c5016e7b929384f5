package io.ringstore.storage.lsm;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.storage.lsm.wal.WalSyncMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller's interrupt (a cancelled future, an executor shut down now) must not break the store for
 * everyone: file channels close themselves on interrupt, so the disk layer shields them. The
 * caller's interrupt status is kept.
 */
class LsmInterruptTest {

  @TempDir Path dir;
  private final FakeTime time = new FakeTime();

  private LsmStore open() throws IOException {
    // no block cache, so that every read goes to the table file
    return LsmStore.open(new NioDisk(), dir, LsmStoreTest.small().withSyncMode(WalSyncMode.ALWAYS)
        .withBlockCacheBytes(0), Env.of(time));
  }

  @Test
  void anInterruptedReadOrWriteSucceedsKeepsTheInterruptAndBreaksNothing() throws IOException {
    try (LsmStore store = open()) {
      for (int i = 0; i < 500; i++) {
        store.put(LsmStoreTest.key(i), LsmStoreTest.value("v" + i));
      }
      store.compactAll();
      Thread.currentThread().interrupt();
      assertThat(store.get(LsmStoreTest.key(7)).asUtf8()).isEqualTo("v7");
      assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
      assertThat(store.get(LsmStoreTest.key(8)).asUtf8()).isEqualTo("v8");

      Thread.currentThread().interrupt();
      store.put(LsmStoreTest.key(1000), LsmStoreTest.value("written while interrupted"));
      assertThat(Thread.interrupted()).isTrue();
      assertThat(store.failure()).isNull();
      store.put(LsmStoreTest.key(1001), LsmStoreTest.value("after"));
      assertThat(store.get(LsmStoreTest.key(1000)).asUtf8()).isEqualTo("written while interrupted");
    }
    try (LsmStore again = open()) {
      assertThat(again.get(LsmStoreTest.key(1001)).asUtf8()).isEqualTo("after");
    }
  }

  @Test
  void readersInterruptedAgainAndAgainNeverBreakTheTableForOthers() throws Exception {
    try (LsmStore store = open()) {
      for (int i = 0; i < 2000; i++) {
        store.put(LsmStoreTest.key(i), LsmStoreTest.value("v" + i));
      }
      store.compactAll();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> error = new AtomicReference<>();
      Thread reader = new Thread(() -> {
        int i = 0;
        while (!stop.get()) {
          try {
            Thread.interrupted();
            String v = store.get(LsmStoreTest.key(i % 2000)).asUtf8();
            if (!v.equals("v" + (i % 2000))) {
              throw new AssertionError("read " + v + " for key " + (i % 2000));
            }
          } catch (Throwable t) {
            error.compareAndSet(null, t);
            return;
          }
          i++;
        }
      });
      reader.start();
      for (int n = 0; n < 2000 && reader.isAlive(); n++) {
        reader.interrupt();
        assertThat(store.get(LsmStoreTest.key(n)).asUtf8()).isEqualTo("v" + n);
      }
      stop.set(true);
      reader.join();
      assertThat(error.get()).isNull();
    }
  }
}
