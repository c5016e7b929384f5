package io.ringstore.storage.lsm.memtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class MemtableTest {

  private static Bytes key(String text) {
    return Bytes.utf8(text);
  }

  private static byte[] value(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Memtable.Entry entry) {
    return entry.isDeletion() ? "<deleted>" : new String(entry.value(), StandardCharsets.UTF_8);
  }

  @Test
  void aReadSeesTheNewestVersionAtOrBelowItsSnapshot() {
    Memtable m = new Memtable();
    m.add(key("k"), 1, value("one"));
    m.add(key("k"), 3, value("three"));
    m.add(key("k"), 5, null);
    assertThat(m.get(key("k"), 0)).isNull();
    assertThat(text(m.get(key("k"), 1))).isEqualTo("one");
    assertThat(text(m.get(key("k"), 4))).isEqualTo("three");
    assertThat(m.get(key("k"), 5).isDeletion()).isTrue();
    assertThat(m.get(key("j"), 9)).isNull();
    assertThat(m.get(key("ka"), 9)).as("a longer key is another key").isNull();
  }

  @Test
  void keysAreInUnsignedByteOrderAndEachAppearsOnce() {
    Memtable m = new Memtable();
    m.add(Bytes.of(new byte[] {(byte) 0x80}), 1, value("high"));
    m.add(Bytes.of(new byte[] {0x01}), 2, value("low"));
    m.add(Bytes.of(new byte[] {0x01}), 3, value("low again"));
    List<String> seen = new ArrayList<>();
    m.iterator(null, 10).forEachRemaining(e -> seen.add(text(e)));
    assertThat(seen).containsExactly("low again", "high");
    List<String> atTwo = new ArrayList<>();
    m.iterator(null, 2).forEachRemaining(e -> atTwo.add(text(e)));
    assertThat(atTwo).containsExactly("low", "high");
  }

  @Test
  void aFrozenMemtableTakesNoWritesAndASequenceIsUsedOnce() {
    Memtable m = new Memtable();
    m.add(key("k"), 1, value("v"));
    assertThatThrownBy(() -> m.add(key("k"), 1, value("w"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sequence 1 is already used");
    m.freeze();
    assertThat(m.isFrozen()).isTrue();
    assertThatThrownBy(() -> m.add(key("k"), 2, value("w"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("frozen");
    assertThat(m.versions()).isEqualTo(1);
    assertThat(m.approximateBytes()).isEqualTo(1 + 1 + Memtable.ENTRY_OVERHEAD_BYTES);
  }

  /** Against a model (a TreeMap of key -> versions): reads and scans at random snapshots agree. */
  @Property(tries = 50)
  void agreesWithAModel(@ForAll long seed) {
    System.out.println("MemtableTest.agreesWithAModel seed = " + seed);
    Random random = new Random(seed);
    Memtable m = new Memtable();
    TreeMap<Bytes, TreeMap<Long, byte[]>> model = new TreeMap<>();
    long sequence = 0;
    for (int i = 0; i < 300; i++) {
      byte[] k = new byte[1 + random.nextInt(3)];
      random.nextBytes(k);
      Bytes key = Bytes.of(k);
      byte[] v = random.nextInt(5) == 0 ? null : value("v" + i);
      m.add(key, ++sequence, v);
      model.computeIfAbsent(key, ignored -> new TreeMap<>()).put(sequence, v == null ? new byte[0] : v);
    }
    for (int probe = 0; probe < 100; probe++) {
      long snapshot = random.nextInt((int) sequence + 1);
      for (Map.Entry<Bytes, TreeMap<Long, byte[]>> e : model.entrySet()) {
        Map.Entry<Long, byte[]> expected = e.getValue().floorEntry(snapshot);
        Memtable.Entry actual = m.get(e.getKey(), snapshot);
        if (expected == null) {
          assertThat(actual).isNull();
        } else {
          assertThat(actual.sequence()).isEqualTo(expected.getKey());
        }
      }
      Bytes from = model.isEmpty() || random.nextBoolean() ? null : model.keySet().toArray(new Bytes[0])[random.nextInt(model.size())];
      List<Long> scanned = new ArrayList<>();
      m.iterator(from, snapshot).forEachRemaining(entry -> scanned.add(entry.sequence()));
      List<Long> expected = new ArrayList<>();
      (from == null ? model : model.tailMap(from, true)).values().forEach(versions -> {
        Map.Entry<Long, byte[]> visible = versions.floorEntry(snapshot);
        if (visible != null) {
          expected.add(visible.getKey());
        }
      });
      assertThat(scanned).isEqualTo(expected);
    }
  }

  @Test
  void concurrentWritersAndReadersSeeEveryCompletedWrite() throws Exception {
    Memtable m = new Memtable();
    AtomicLong sequence = new AtomicLong();
    int threads = 4;
    int perThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            long s = sequence.incrementAndGet();
            Bytes k = key("t" + id + "-" + i);
            m.add(k, s, value("v"));
            assertThat(m.get(k, Long.MAX_VALUE)).isNotNull();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(m.versions()).isEqualTo(threads * perThread);
    int scanned = 0;
    for (Iterator<Memtable.Entry> it = m.iterator(null, Long.MAX_VALUE); it.hasNext(); it.next()) {
      scanned++;
    }
    assertThat(scanned).isEqualTo(threads * perThread);
  }
}
