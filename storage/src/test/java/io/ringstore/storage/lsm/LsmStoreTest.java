package io.ringstore.storage.lsm;

import io.ringstore.spi.testkit.TestSeeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.storage.lsm.sstable.TableOptions;
import io.ringstore.storage.lsm.wal.WalSyncMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The store's write and read paths, flushes, compaction, snapshots and reopening, on a real directory. */
class LsmStoreTest {

  @TempDir Path dir;
  private final FakeTime time = new FakeTime();
  private final List<LsmStore> opened = new ArrayList<>();

  /** Small sizes so that a few thousand keys flush and compact many times. */
  static LsmOptions small() {
    return LsmOptions.defaults(WalSyncMode.NONE)
        .withMemtableBytes(16 << 10)
        .withTable(TableOptions.defaults().withBlockSizeBytes(512))
        .withLevel0Triggers(2, 8)
        .withLevelSizes(64 << 10, 4, 16 << 10);
  }

  private LsmStore open(LsmOptions options) throws IOException {
    LsmStore store = LsmStore.open(new NioDisk(), dir, options, Env.of(time));
    opened.add(store);
    return store;
  }

  @AfterEach
  void closeAll() throws IOException {
    for (LsmStore s : opened) {
      s.close();
    }
  }

  static Bytes key(int i) {
    return Bytes.of(String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8));
  }

  static byte[] value(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putGetDeleteInTheMemtable() throws IOException {
    LsmStore store = open(small());
    store.put(key(1), value("one"));
    store.put(key(2), value("two"));
    store.delete(key(2));
    assertThat(store.get(key(1)).asUtf8()).isEqualTo("one");
    assertThat(store.get(key(2))).isNull();
    assertThat(store.get(key(3))).isNull();
  }

  @Test
  void readsFindKeysAcrossFlushesAndCompactions(TestInfo test) throws IOException, InterruptedException {
    SplittableRandom random = new SplittableRandom(TestSeeds.seed(test));
    LsmStore store = open(small());
    TreeMap<Bytes, String> model = new TreeMap<>();
    for (int i = 0; i < 20_000; i++) {
      int k = random.nextInt(3000);
      if (random.nextInt(10) == 0) {
        store.delete(key(k));
        model.remove(key(k));
      } else {
        String v = "v" + i + "-" + "x".repeat(random.nextInt(40));
        store.put(key(k), value(v));
        model.put(key(k), v);
      }
    }
    store.awaitBackgroundWork();
    LsmStats stats = store.stats();
    assertThat(stats.flushes()).isGreaterThan(5);
    assertThat(stats.compactions()).isGreaterThan(0);
    assertThat(stats.tablesPerLevel().get(0)).isLessThan(8);
    for (int k = 0; k < 3000; k++) {
      Bytes v = store.get(key(k));
      assertThat(v == null ? null : v.asUtf8()).as("key %d", k).isEqualTo(model.get(key(k)));
    }
    assertThat(scan(store, null)).isEqualTo(model);
    store.compactAll();
    assertThat(scan(store, null)).isEqualTo(model);
    LsmStats after = store.stats();
    assertThat(after.tablesPerLevel().get(0)).isZero();
    assertThat(after.droppedDeletions()).isGreaterThan(0);
  }

  @Test
  void aSnapshotKeepsItsViewThroughWritesFlushesAndCompactions() throws IOException {
    LsmStore store = open(small());
    for (int i = 0; i < 2000; i++) {
      store.put(key(i), value("old" + i));
    }
    Map<Bytes, String> before = scan(store, null);
    try (LsmSnapshot snapshot = store.snapshot()) {
      for (int i = 0; i < 2000; i++) {
        if (i % 2 == 0) {
          store.delete(key(i));
        } else {
          store.put(key(i), value("new" + i));
        }
      }
      store.compactAll();
      assertThat(scanAt(store, snapshot)).isEqualTo(before);
      Map<Bytes, String> after = scan(store, null);
      assertThat(after).hasSize(1000).containsEntry(key(1), "new1").doesNotContainKey(key(0));
    }
  }

  @Test
  void anIteratorNeverSeesHalfABatch() throws Exception {
    LsmStore store = open(small());
    int keys = 50;
    WriteBatch init = new WriteBatch();
    for (int k = 0; k < keys; k++) {
      init.put(key(k), value("0"));
    }
    store.write(init);
    AtomicReference<Throwable> error = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      try {
        for (int round = 1; round <= 300; round++) {
          WriteBatch b = new WriteBatch();
          for (int k = 0; k < keys; k++) {
            b.put(key(k), value(Integer.toString(round)));
          }
          store.write(b);
        }
      } catch (Throwable t) {
        error.set(t);
      } finally {
        done.countDown();
      }
    });
    writer.start();
    int scans = 0;
    while (done.getCount() > 0 || scans == 0) {
      Map<Bytes, String> seen = scan(store, null);
      assertThat(seen).hasSize(keys);
      assertThat(new java.util.HashSet<>(seen.values())).as("one round per scan").hasSize(1);
      scans++;
    }
    writer.join();
    assertThat(error.get()).isNull();
  }

  @Test
  void seekFindsTheFirstKeyAtOrAfterTheTarget() throws IOException {
    LsmStore store = open(small());
    for (int i = 0; i < 1000; i += 2) {
      store.put(key(i), value("v" + i));
    }
    store.flush();
    for (int i = 1; i < 1000; i += 4) {
      store.put(key(i), value("w" + i));
    }
    try (LsmIterator it = store.iterator(null)) {
      it.seek(key(500));
      assertThat(it.key()).isEqualTo(key(500));
      it.next();
      assertThat(it.key()).isEqualTo(key(501));
      assertThat(it.value().asUtf8()).isEqualTo("w501");
      it.seek(key(998));
      it.next();
      assertThat(it.isValid()).isFalse();
    }
  }

  @Test
  void oversizedKeysValuesAndBatchesAreRefusedAndNothingIsWritten() throws IOException {
    LsmStore store = open(small().withTable(TableOptions.defaults().withMaxKeyBytes(8).withMaxValueBytes(16)));
    assertThatThrownBy(() -> store.put(Bytes.of(new byte[9]), value("v")))
        .isInstanceOf(LimitExceededException.class).hasMessageContaining("table.maxKeyBytes = 8");
    assertThatThrownBy(() -> store.put(key(1).length() > 8 ? Bytes.utf8("k") : key(1), new byte[17]))
        .isInstanceOf(LimitExceededException.class).hasMessageContaining("table.maxValueBytes = 16");
    assertThat(store.get(Bytes.utf8("k"))).isNull();
  }

  @Test
  void writesReturnAfterTheLogAndReopenRecoversTheMemtable() throws IOException {
    LsmStore store = open(small().withSyncMode(WalSyncMode.ALWAYS));
    for (int i = 0; i < 300; i++) {
      store.put(key(i), value("v" + i));
    }
    store.delete(key(7));
    store.close();
    LsmStore again = open(small());
    assertThat(again.get(key(299)).asUtf8()).isEqualTo("v299");
    assertThat(again.get(key(7))).isNull();
    assertThat(scan(again, null)).hasSize(299);
  }

  static TreeMap<Bytes, String> scan(LsmStore store, Bytes from) {
    try (LsmIterator it = store.iterator(null)) {
      return drain(it, from);
    }
  }

  static TreeMap<Bytes, String> scanAt(LsmStore store, LsmSnapshot snapshot) {
    try (LsmIterator it = store.iterator(snapshot)) {
      return drain(it, null);
    }
  }

  private static TreeMap<Bytes, String> drain(LsmIterator it, Bytes from) {
    TreeMap<Bytes, String> out = new TreeMap<>();
    if (from == null) {
      it.seekToFirst();
    } else {
      it.seek(from);
    }
    for (; it.isValid(); it.next()) {
      out.put(it.key(), it.value().asUtf8());
    }
    return out;
  }
}
