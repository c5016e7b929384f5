package io.ringstore.spi.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The real {@link Disk}: round trips, errors that name the path, sorted listing, atomic rename, locks. */
class NioDiskTest extends io.ringstore.spi.testkit.DiskContract {

  @Override
  protected Disk disk() {
    return fs;
  }

  @Override
  protected Path directory() {
    return dir;
  }


  @TempDir Path dir;
  private final NioDisk fs = new NioDisk();
  private Random random;

  /** {@code -Dringstore.seed} if given, else a fresh one; printed so a failure can be replayed. */
  @BeforeEach
  void seed(TestInfo test) {
    String property = System.getProperty("ringstore.seed");
    long seed = property != null ? Long.parseLong(property) : new SplittableRandom().nextLong();
    System.out.println("NioDiskTest." + test.getDisplayName() + ": seed = " + seed
        + " (rerun with -Dringstore.seed=" + seed + ")");
    random = new Random(seed);
  }

  private byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  @Test
  void appendedBytesAreReadBackAtTheirPositions() throws IOException {
    Path file = dir.resolve("000001.log");
    byte[] first = bytes(1000);
    byte[] second = bytes(300);
    try (WritableFile out = fs.create(file)) {
      out.append(ByteBuffer.wrap(first));
      out.append(second, 100, 200);
      out.sync();
      assertThat(out.sizeBytes()).isEqualTo(1200);
    }
    assertThat(fs.sizeBytes(file)).isEqualTo(1200);
    try (ReadableFile in = fs.openForRead(file)) {
      assertThat(in.sizeBytes()).isEqualTo(1200);
      ByteBuffer head = ByteBuffer.allocate(1000);
      in.readFully(0, head);
      assertThat(head.array()).isEqualTo(first);
      ByteBuffer tail = ByteBuffer.allocate(200);
      in.readFully(1000, tail);
      assertThat(tail.array()).isEqualTo(Arrays.copyOfRange(second, 100, 300));
      assertThat(in.read(1200, ByteBuffer.allocate(1))).isEqualTo(-1);
    }
  }

  @Test
  void createRefusesAnExistingFileAndNamesIt() throws IOException {
    Path file = dir.resolve("CURRENT");
    fs.create(file).close();
    assertThatThrownBy(() -> fs.create(file))
        .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining(file.toString());
    assertThatThrownBy(() -> fs.create(dir.resolve("missing/x")))
        .isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing");
  }

  @Test
  void openForAppendContinuesAfterTheLastByteAndTruncateCutsTheTail() throws IOException {
    Path file = dir.resolve("wal.log");
    byte[] a = bytes(100);
    byte[] b = bytes(50);
    try (WritableFile out = fs.create(file)) {
      out.append(a);
    }
    try (WritableFile out = fs.openForAppend(file)) {
      assertThat(out.sizeBytes()).isEqualTo(100);
      out.truncate(60);
      out.append(b);
      out.sync();
      assertThat(out.sizeBytes()).isEqualTo(110);
      assertThatThrownBy(() -> out.truncate(111))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("111").hasMessageContaining("110");
    }
    byte[] expected = new byte[110];
    System.arraycopy(a, 0, expected, 0, 60);
    System.arraycopy(b, 0, expected, 60, 50);
    assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    assertThatThrownBy(() -> fs.openForAppend(dir.resolve("nope")))
        .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope");
  }

  @Test
  void listIsSortedByName() throws IOException {
    for (String name : List.of("b", "c", "a")) {
      fs.create(dir.resolve(name)).close();
    }
    fs.mkdirs(dir.resolve("d"));
    assertThat(fs.list(dir)).containsExactly(dir.resolve("a"), dir.resolve("b"), dir.resolve("c"), dir.resolve("d"));
    assertThatThrownBy(() -> fs.list(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void renameReplacesTheTargetAndRefusesOtherDirectories() throws IOException {
    Path tmp = dir.resolve("CURRENT.tmp");
    Path current = dir.resolve("CURRENT");
    byte[] next = bytes(20);
    Files.write(current, bytes(10));
    Files.write(tmp, next);
    fs.rename(tmp, current);
    assertThat(fs.exists(tmp)).isFalse();
    assertThat(Files.readAllBytes(current)).isEqualTo(next);

    fs.mkdirs(dir.resolve("sub"));
    assertThatThrownBy(() -> fs.rename(current, dir.resolve("sub/CURRENT")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same directory")
        .hasMessageContaining(current.toString());
    assertThatThrownBy(() -> fs.rename(tmp, current)).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(tmp.toString());
  }

  @Test
  void deleteRemovesAndNamesAMissingFile() throws IOException {
    Path file = dir.resolve("000002.sst");
    fs.create(file).close();
    assertThat(fs.exists(file)).isTrue();
    fs.delete(file);
    assertThat(fs.exists(file)).isFalse();
    assertThatThrownBy(() -> fs.delete(file)).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void directoriesAreCreatedAndSynced() throws IOException {
    Path nested = dir.resolve("a/b/c");
    fs.mkdirs(nested);
    fs.mkdirs(nested);
    fs.create(nested.resolve("f")).close();
    fs.syncDirectory(nested);
    fs.syncDirectory(dir);
    assertThat(Files.isDirectory(nested)).isTrue();
    assertThatThrownBy(() -> fs.syncDirectory(dir.resolve("missing")))
        .isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing");
  }

  @Test
  void readFullyPastTheEndNamesPathOffsetAndSize() throws IOException {
    Path file = dir.resolve("short");
    Files.write(file, bytes(10));
    try (ReadableFile in = fs.openForRead(file)) {
      assertThatThrownBy(() -> in.readFully(4, ByteBuffer.allocate(8)))
          .isInstanceOf(EOFException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining("8 bytes at offset 4")
          .hasMessageContaining("ends at 10 bytes");
    }
  }

  @Test
  void closedHandlesRefuseAndCloseIsIdempotent() throws IOException {
    Path file = dir.resolve("f");
    WritableFile out = fs.create(file);
    out.close();
    out.close();
    assertThatThrownBy(() -> out.append(bytes(1))).isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("closed");
    ReadableFile in = fs.openForRead(file);
    in.close();
    in.close();
    assertThatThrownBy(() -> in.read(0, ByteBuffer.allocate(1))).isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aLockIsExclusiveUntilClosedAndNamesThePath() throws IOException {
    Path lockFile = dir.resolve("LOCK");
    try (DiskLock first = fs.lock(lockFile)) {
      assertThat(first.isHeld()).isTrue();
      assertThat(first.path()).isEqualTo(lockFile);
      assertThat(Files.exists(lockFile)).as("the lock file is created").isTrue();
      assertThatThrownBy(() -> fs.lock(lockFile)).as("a second lock in this JVM, even on the same disk")
          .isInstanceOf(DiskLockedException.class).hasMessageContaining(lockFile.toString());
      assertThatThrownBy(() -> new NioDisk().lock(lockFile)).isInstanceOf(DiskLockedException.class);
      first.close();
      assertThat(first.isHeld()).isFalse();
      try (DiskLock second = fs.lock(lockFile)) {
        assertThat(second.isHeld()).isTrue();
      }
    }
    assertThat(Files.exists(lockFile)).as("unlocking keeps the file").isTrue();
    assertThatThrownBy(() -> fs.lock(dir.resolve("missing/LOCK"))).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("missing");
  }

  @Test
  void anInterruptedThreadCanStillLock() throws IOException {
    Thread.currentThread().interrupt();
    try (DiskLock lock = fs.lock(dir.resolve("LOCK"))) {
      assertThat(lock.isHeld()).isTrue();
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
