package io.ringstore.storage.lsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.storage.lsm.fs.Errno;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.fs.FileOp;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import io.ringstore.storage.lsm.wal.WalSyncMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and I/O errors make the store read-only with a clear error, lose nothing
 * acknowledged, and a reopen after the condition clears recovers; damaged files give a
 * {@link CorruptionException} naming the file and offset, never a wrong value.
 */
class LsmFaultTest {

  @TempDir Path dir;
  private final FakeTime time = new FakeTime();

  private static LsmOptions options() {
    return LsmStoreTest.small().withSyncMode(WalSyncMode.ALWAYS);
  }

  private LsmStore open(FaultInjectionDisk fs) throws IOException {
    return LsmStore.open(fs, dir, options(), Env.of(time));
  }

  /** Writes until the disk refuses, then checks the store is read-only and everything acknowledged is readable. */
  private Map<Bytes, String> writeUntilRefused(LsmStore store) {
    Map<Bytes, String> acked = new HashMap<>();
    Throwable refused = null;
    for (int i = 0; i < 100_000 && refused == null; i++) {
      String value = "value-" + i + "-" + "y".repeat(i % 80);
      try {
        store.put(LsmStoreTest.key(i % 3000), LsmStoreTest.value(value));
        acked.put(LsmStoreTest.key(i % 3000), value);
      } catch (IOException | RuntimeException e) {
        refused = e;
      }
    }
    assertThat(refused).as("the disk never filled").isNotNull();
    assertThatThrownBy(() -> store.put(LsmStoreTest.key(1), LsmStoreTest.value("after")))
        .isInstanceOf(StoreFailedException.class)
        .hasMessageContaining("is read-only after an error")
        .hasMessageContaining(dir.toString());
    for (Map.Entry<Bytes, String> e : acked.entrySet()) {
      Bytes v = store.get(e.getKey());
      assertThat(v == null ? null : v.asUtf8()).isEqualTo(e.getValue());
    }
    return acked;
  }

  @Test
  void aFullDiskMakesTheStoreReadOnlyAndAReopenRecoversEverythingAcknowledged() throws IOException {
    FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
    Map<Bytes, String> acked;
    try (LsmStore store = open(fs)) {
      fs.diskFullAfterBytes(300 << 10);
      acked = writeUntilRefused(store);
      assertThat(store.failure()).isNotNull();
    } catch (IOException ignored) {
      acked = null; // close may report the failure again
    }
    if (acked == null) {
      return;
    }
    fs.clearFaults();
    try (LsmStore again = open(fs)) {
      for (Map.Entry<Bytes, String> e : acked.entrySet()) {
        assertThat(again.get(e.getKey()).asUtf8()).isEqualTo(e.getValue());
      }
      again.put(LsmStoreTest.key(1), LsmStoreTest.value("writable again"));
      assertThat(again.get(LsmStoreTest.key(1)).asUtf8()).isEqualTo("writable again");
    }
  }

  @Test
  void failedFsyncsOfTablesAndTheManifestMakeTheStoreReadOnlyAndLoseNothing() throws IOException {
    for (FileOp op : List.of(FileOp.SYNC, FileOp.SYNC_DIRECTORY, FileOp.CREATE, FileOp.RENAME)) {
      Path sub = dir.resolve(op.name());
      java.nio.file.Files.createDirectories(sub);
      FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), sub, FaultInjectionDisk.Syncs.SIMULATED);
      Map<Bytes, String> acked = new HashMap<>();
      LsmStore store = LsmStore.open(fs, sub, options(), Env.of(time));
      fs.failFromNth(java.util.EnumSet.of(op), 3, Errno.EIO);
      for (int i = 0; i < 5000 && store.failure() == null; i++) {
        try {
          store.put(LsmStoreTest.key(i % 2000), LsmStoreTest.value("v" + i));
          acked.put(LsmStoreTest.key(i % 2000), "v" + i);
        } catch (IOException | RuntimeException e) {
          break;
        }
      }
      if (op == FileOp.RENAME) { // the store renames only when the manifest rolls: nothing fails
        assertThat(store.failure()).isNull();
      } else {
        assertThat(store.failure()).as("after failing %s", op).isNotNull();
      }
      try {
        store.close();
      } catch (IOException | RuntimeException expected) {
        // reports the failure
      }
      fs.crash(new java.util.Random(op.ordinal()));
      fs.clearFaults();
      try (LsmStore again = LsmStore.open(fs, sub, options(), Env.of(time))) {
        for (Map.Entry<Bytes, String> e : acked.entrySet()) {
          assertThat(again.get(e.getKey())).as("key %s after failing %s", e.getKey(), op).isNotNull();
          assertThat(again.get(e.getKey()).asUtf8()).isEqualTo(e.getValue());
        }
      }
    }
  }

  private Path onlyTable() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> tables = files.filter(p -> p.getFileName().toString().endsWith(".sst")).toList();
      assertThat(tables).hasSize(1);
      return tables.get(0);
    }
  }

  private void fillAndCompact() throws IOException {
    try (LsmStore store = LsmStore.open(new NioDisk(), dir, options(), Env.of(time))) {
      for (int i = 0; i < 300; i++) {
        store.put(LsmStoreTest.key(i), LsmStoreTest.value("value " + i));
      }
      store.compactAll();
    }
  }

  @Test
  void aDamagedDataBlockIsRefusedNamingTheFileAndOffsetNeverServed() throws IOException {
    fillAndCompact();
    Path table = onlyTable();
    byte[] bytes = Files.readAllBytes(table);
    bytes[40] ^= 0x10; // inside the first data block
    Files.write(table, bytes);
    try (LsmStore store = LsmStore.open(new NioDisk(), dir, options(), Env.of(time))) {
      assertThatThrownBy(() -> store.get(LsmStoreTest.key(0)))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining(table.toString())
          .hasMessageContaining("offset 0");
      // keys in other blocks are still served, with their exact values
      assertThat(store.get(LsmStoreTest.key(299)).asUtf8()).isEqualTo("value 299");
    }
  }

  @Test
  void aDamagedFooterOrIndexRefusesTheOpenNamingTheFile() throws IOException {
    fillAndCompact();
    Path table = onlyTable();
    byte[] good = Files.readAllBytes(table);
    for (int back : new int[] {1, 20, 60}) {
      byte[] bytes = good.clone();
      bytes[bytes.length - back] ^= 0x01;
      Files.write(table, bytes);
      assertThatThrownBy(() -> LsmStore.open(new NioDisk(), dir, options(), Env.of(time)))
          .as("byte %d from the end flipped", back)
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining(table.toString());
    }
    Files.write(table, good);
    try (LsmStore store = LsmStore.open(new NioDisk(), dir, options(), Env.of(time))) {
      assertThat(store.get(LsmStoreTest.key(7)).asUtf8()).isEqualTo("value 7");
    }
  }

  @Test
  void aMissingTableIsRefusedNamingIt() throws IOException {
    fillAndCompact();
    Path table = onlyTable();
    Files.delete(table);
    assertThatThrownBy(() -> LsmStore.open(new NioDisk(), dir, options(), Env.of(time)))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining(table.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void aDamagedLogRecordBeforeTheTailRefusesTheOpenNamingTheSegment() throws IOException {
    try (LsmStore store = LsmStore.open(new NioDisk(), dir, options(), Env.of(time))) {
      for (int i = 0; i < 20; i++) {
        store.put(LsmStoreTest.key(i), LsmStoreTest.value("value " + i));
      }
    }
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().reduce((a, b) -> b)
          .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segment);
    bytes[40] ^= 0x01; // inside the first record's payload
    Files.write(segment, bytes);
    assertThatThrownBy(() -> LsmStore.open(new NioDisk(), dir, options(), Env.of(time)))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining(segment.toString());
  }
}
