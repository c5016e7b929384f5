package io.ringstore.storage.lsm.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.env.ReadableFile;
import io.ringstore.spi.env.WritableFile;
import io.ringstore.spi.testkit.TestSeeds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Injected ENOSPC and EIO: which operation fails, with what message, and that it changed nothing. */
class FaultInjectionErrorTest {

  @TempDir Path dir;
  private FaultInjectionDisk fs;
  private long seed;
  private Random random;

  @BeforeEach
  void setUp(TestInfo test) {
    seed = TestSeeds.seed(test);
    random = new Random(seed);
    fs = new FaultInjectionDisk(new NioDisk(), dir);
  }

  private byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  @Test
  void theNthSyncFailsOnceWithAnInjectedEio() throws IOException {
    Path file = dir.resolve("000001.log");
    fs.failNth(FileOp.SYNC, 3, Errno.EIO);
    try (WritableFile out = fs.create(file)) {
      out.append(bytes(10));
      out.sync();
      out.sync();
      assertThatThrownBy(out::sync)
          .isInstanceOfSatisfying(InjectedIOException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.EIO);
            assertThat(e.op()).isEqualTo(FileOp.SYNC);
            assertThat(e.path()).isEqualTo(file);
          })
          .hasMessageContaining("injected").hasMessageContaining("EIO")
          .hasMessageContaining("Input/output error").hasMessageContaining(file.toString())
          .hasMessageContaining("SYNC #3");
      out.sync();
    }
    assertThat(fs.injectedFaults()).isEqualTo(1);
    assertThat(fs.operations(FileOp.SYNC)).isEqualTo(4);
  }

  @Test
  void aFailedCreateCreatesNothing() throws IOException {
    Path file = dir.resolve("000002.sst");
    fs.failNth(FileOp.CREATE, 1, Errno.ENOSPC);
    assertThatThrownBy(() -> fs.create(file)).isInstanceOf(InjectedIOException.class)
        .hasMessageContaining("ENOSPC").hasMessageContaining("No space left on device");
    assertThat(Files.exists(file)).isFalse();
    fs.create(file).close();
    assertThat(Files.exists(file)).isTrue();
  }

  @Test
  void aFailedRenameRenamesNothing() throws IOException {
    Path tmp = dir.resolve("CURRENT.tmp");
    Path current = dir.resolve("CURRENT");
    fs.create(tmp).close();
    fs.failNth(FileOp.RENAME, 1, Errno.EIO);
    assertThatThrownBy(() -> fs.rename(tmp, current)).isInstanceOf(InjectedIOException.class);
    assertThat(Files.exists(tmp)).isTrue();
    assertThat(Files.exists(current)).isFalse();
    fs.rename(tmp, current);
    assertThat(Files.exists(current)).isTrue();
  }

  @Test
  void aFailedDeleteDeletesNothing() throws IOException {
    Path file = dir.resolve("000003.sst");
    fs.create(file).close();
    fs.failNth(FileOp.DELETE, 1, Errno.EIO);
    assertThatThrownBy(() -> fs.delete(file)).isInstanceOf(InjectedIOException.class);
    assertThat(Files.exists(file)).isTrue();
  }

  @Test
  void theNthWriteFailsAndWritesNothing() throws IOException {
    Path file = dir.resolve("000004.log");
    byte[] first = bytes(10);
    fs.failNth(FileOp.WRITE, 2, Errno.ENOSPC);
    try (WritableFile out = fs.create(file)) {
      out.append(first);
      ByteBuffer second = ByteBuffer.wrap(bytes(10));
      assertThatThrownBy(() -> out.append(second)).isInstanceOf(InjectedIOException.class);
      assertThat(second.remaining()).isEqualTo(10);
      assertThat(out.sizeBytes()).isEqualTo(10);
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(first);
  }

  @Test
  void aFailedDirectorySyncLeavesChangesUnsynced() throws IOException {
    Path file = dir.resolve("MANIFEST-000001");
    fs.create(file).close();
    fs.failNth(FileOp.SYNC_DIRECTORY, 1, Errno.EIO);
    assertThatThrownBy(() -> fs.syncDirectory(dir)).isInstanceOf(InjectedIOException.class);
    fs.crash(random);
    assertThat(Files.exists(file)).isFalse();
  }

  @Test
  void theNthReadFails() throws IOException {
    Path file = dir.resolve("000005.sst");
    Files.write(file, bytes(10));
    fs.failNth(FileOp.READ, 2, Errno.EIO);
    try (ReadableFile in = fs.openForRead(file)) {
      in.readFully(0, ByteBuffer.allocate(10));
      assertThatThrownBy(() -> in.readFully(0, ByteBuffer.allocate(10))).isInstanceOf(InjectedIOException.class)
          .hasMessageContaining("READ");
      in.readFully(0, ByteBuffer.allocate(10));
    }
  }

  @Test
  void oneInKIsRepeatableForASeed() throws IOException {
    List<List<Integer>> failures = new ArrayList<>();
    for (String run : List.of("a", "b")) {
      Path runDir = dir.resolve(run);
      Files.createDirectories(runDir);
      FaultInjectionDisk runFs = new FaultInjectionDisk(new NioDisk(), runDir);
      runFs.failOneIn(FileOp.WRITE, 10, Errno.EIO, new Random(seed));
      List<Integer> failed = new ArrayList<>();
      try (WritableFile out = runFs.create(runDir.resolve("log"))) {
        for (int i = 0; i < 2000; i++) {
          try {
            out.append(new byte[] {(byte) i});
          } catch (InjectedIOException e) {
            failed.add(i);
          }
        }
        assertThat(out.sizeBytes()).isEqualTo(2000 - failed.size());
      }
      assertThat(runFs.injectedFaults()).isEqualTo(failed.size());
      failures.add(failed);
    }
    assertThat(failures.get(0)).isEqualTo(failures.get(1));
    assertThat(failures.get(0).size()).as("failures of 2000 writes at 1 in 10").isBetween(120, 280);
  }

  @Test
  void failFromNthFailsThatOperationAndEveryLaterOne() throws IOException {
    Path file = dir.resolve("wal");
    WritableFile out = fs.create(file);
    fs.failFromNth(EnumSet.of(FileOp.WRITE, FileOp.SYNC, FileOp.CREATE), 3, Errno.EIO);
    out.append(bytes(1));
    out.sync();
    assertThatThrownBy(() -> out.append(bytes(1))).isInstanceOf(InjectedIOException.class)
        .hasMessageContaining("from #3");
    assertThatThrownBy(out::sync).isInstanceOf(InjectedIOException.class);
    assertThatThrownBy(() -> fs.create(dir.resolve("other"))).isInstanceOf(InjectedIOException.class);
    fs.syncDirectory(dir); // not a kind the rule counts
    fs.clearFaults();
    out.append(bytes(1));
    out.close();
  }

  @Test
  void aPathFilterLimitsARule() throws IOException {
    fs.failNth(FileOp.SYNC, 1, Errno.EIO, p -> p.getFileName().toString().endsWith(".log"));
    try (WritableFile sst = fs.create(dir.resolve("000001.sst"));
        WritableFile log = fs.create(dir.resolve("000002.log"))) {
      sst.sync();
      assertThatThrownBy(log::sync).isInstanceOf(InjectedIOException.class).hasMessageContaining("000002.log");
      log.sync();
    }
  }

  @Test
  void aFullDiskWritesWhatFitsThenRefusesUntilCleared() throws IOException {
    Path file = dir.resolve("wal");
    byte[] first = bytes(60);
    byte[] second = bytes(60);
    fs.diskFullAfterBytes(100);
    try (WritableFile out = fs.create(file)) {
      out.append(first);
      ByteBuffer source = ByteBuffer.wrap(second);
      assertThatThrownBy(() -> out.append(source))
          .isInstanceOfSatisfying(InjectedIOException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOSPC))
          .hasMessageContaining("disk full after 100 bytes").hasMessageContaining("wrote 40 of 60 bytes");
      assertThat(source.position()).isEqualTo(40);
      assertThat(out.sizeBytes()).isEqualTo(100);
      assertThatThrownBy(() -> out.append(bytes(1))).isInstanceOf(InjectedIOException.class)
          .hasMessageContaining("wrote 0 of 1 bytes");
      out.sync(); // syncing what is there still works
      fs.clearFaults();
      out.append(bytes(5));
      assertThat(out.sizeBytes()).isEqualTo(105);
    }
    byte[] onDisk = Files.readAllBytes(file);
    assertThat(java.util.Arrays.copyOf(onDisk, 60)).isEqualTo(first);
    assertThat(java.util.Arrays.copyOfRange(onDisk, 60, 100)).isEqualTo(java.util.Arrays.copyOf(second, 40));
    assertThat(fs.injectedFaults()).isEqualTo(2);
  }

  @Test
  void badRuleArgumentsAreRefusedWithTheirValue() {
    assertThatThrownBy(() -> fs.failNth(FileOp.SYNC, 0, Errno.EIO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n = 0");
    assertThatThrownBy(() -> fs.failOneIn(FileOp.SYNC, 0, Errno.EIO, random))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k = 0");
    assertThatThrownBy(() -> fs.diskFullAfterBytes(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }
}
