package io.ringstore.spi.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.DiskLock;
import io.ringstore.spi.env.DiskLockedException;
import io.ringstore.spi.env.ReadableFile;
import io.ringstore.spi.env.WritableFile;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MemoryDisk} honours the {@link Disk} contract, and {@link MemoryDisk#crashClone()} keeps exactly what was synced. */
class MemoryDiskTest extends DiskContract {

  @Override
  protected Disk disk() {
    return disk;
  }

  @Override
  protected Path directory() {
    return dir;
  }


  private final MemoryDisk disk = new MemoryDisk();
  private final Path dir = Path.of("/mem/db").toAbsolutePath();

  MemoryDiskTest() throws IOException {
    disk.mkdirs(dir);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  private static String content(Disk disk, Path file) throws IOException {
    try (ReadableFile in = disk.openForRead(file)) {
      ByteBuffer all = ByteBuffer.allocate((int) in.sizeBytes());
      in.readFully(0, all);
      return new String(all.array(), UTF_8);
    }
  }

  private void write(Path file, String text, boolean sync) throws IOException {
    try (WritableFile out = disk.create(file)) {
      out.append(utf8(text));
      if (sync) {
        out.sync();
      }
    }
  }

  @Test
  void appendedBytesAreReadBackAndAppendAndTruncateContinueTheFile() throws IOException {
    Path file = dir.resolve("000001.log");
    try (WritableFile out = disk.create(file)) {
      out.append(ByteBuffer.wrap(utf8("hello ")));
      out.append(utf8("xxworldxx"), 2, 5);
      assertThat(out.sizeBytes()).isEqualTo(11);
    }
    assertThat(disk.sizeBytes(file)).isEqualTo(11);
    assertThat(content(disk, file)).isEqualTo("hello world");
    try (WritableFile out = disk.openForAppend(file)) {
      assertThat(out.sizeBytes()).isEqualTo(11);
      out.truncate(5);
      out.append(utf8("!"));
      assertThatThrownBy(() -> out.truncate(7)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining("7").hasMessageContaining("6");
    }
    assertThat(content(disk, file)).isEqualTo("hello!");
    try (ReadableFile in = disk.openForRead(file)) {
      assertThat(in.read(6, ByteBuffer.allocate(1))).isEqualTo(-1);
      ByteBuffer two = ByteBuffer.allocate(2);
      assertThat(in.read(4, two)).isEqualTo(2);
      assertThat(new String(two.array(), UTF_8)).isEqualTo("o!");
      assertThatThrownBy(() -> in.readFully(4, ByteBuffer.allocate(8))).isInstanceOf(EOFException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining("ends at 6 bytes");
    }
  }

  @Test
  void errorsNameThePath() throws IOException {
    Path file = dir.resolve("CURRENT");
    write(file, "x", false);
    assertThatThrownBy(() -> disk.create(file)).isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(file.toString());
    assertThatThrownBy(() -> disk.create(dir.resolve("missing/x"))).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> disk.openForRead(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> disk.openForAppend(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> disk.sizeBytes(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> disk.syncDirectory(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("nope");
    WritableFile closed = disk.create(dir.resolve("closed"));
    closed.close();
    closed.close();
    assertThatThrownBy(() -> closed.append(utf8("x"))).isInstanceOf(IOException.class)
        .hasMessageContaining("closed").hasMessageContaining(dir.resolve("closed").toString());
  }

  @Test
  void listIsSortedByNameAndResolvedAgainstTheDirectory() throws IOException {
    for (String name : List.of("b", "c", "a", "B")) {
      write(dir.resolve(name), name, false);
    }
    disk.mkdirs(dir.resolve("d/e"));
    assertThat(disk.list(dir))
        .containsExactly(dir.resolve("B"), dir.resolve("a"), dir.resolve("b"), dir.resolve("c"), dir.resolve("d"));
    assertThat(disk.list(dir.resolve("d"))).containsExactly(dir.resolve("d/e"));
    assertThat(disk.exists(dir.resolve("d/e"))).isTrue();
    assertThatThrownBy(() -> disk.list(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> disk.mkdirs(dir.resolve("a/x"))).isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(dir.resolve("a").toString());
  }

  @Test
  void renameReplacesTheTargetAtomicallyAndRefusesOtherDirectories() throws IOException {
    Path tmp = dir.resolve("CURRENT.tmp");
    Path current = dir.resolve("CURRENT");
    write(current, "old", true);
    write(tmp, "new", true);
    try (ReadableFile oldHandle = disk.openForRead(current)) {
      disk.rename(tmp, current);
      assertThat(disk.exists(tmp)).isFalse();
      assertThat(content(disk, current)).isEqualTo("new");
      ByteBuffer old = ByteBuffer.allocate(3);
      oldHandle.readFully(0, old);
      assertThat(new String(old.array(), UTF_8)).as("a handle keeps the file it opened").isEqualTo("old");
    }
    disk.mkdirs(dir.resolve("sub"));
    assertThatThrownBy(() -> disk.rename(current, dir.resolve("sub/CURRENT")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same directory")
        .hasMessageContaining(current.toString());
    assertThatThrownBy(() -> disk.rename(tmp, current)).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(tmp.toString());
  }

  @Test
  void deleteRemovesTheNameButOpenHandlesKeepWorking() throws IOException {
    Path file = dir.resolve("000002.sst");
    try (WritableFile out = disk.create(file)) {
      disk.delete(file);
      assertThat(disk.exists(file)).isFalse();
      out.append(utf8("unreachable"));
      out.sync();
    }
    assertThatThrownBy(() -> disk.delete(file)).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(file.toString());
    disk.mkdirs(dir.resolve("full/inner"));
    assertThatThrownBy(() -> disk.delete(dir.resolve("full"))).isInstanceOf(DirectoryNotEmptyException.class);
    disk.delete(dir.resolve("full/inner"));
    disk.delete(dir.resolve("full"));
    assertThat(disk.list(dir)).isEmpty();
  }

  @Test
  void crashCloneKeepsFileDataOnlyUpToItsLastSync() throws IOException {
    Path log = dir.resolve("000003.log");
    Path cut = dir.resolve("000004.log");
    try (WritableFile out = disk.create(log); WritableFile second = disk.create(cut)) {
      out.append(utf8("synced"));
      out.sync();
      out.append(utf8(" unsynced"));
      second.append(utf8("abcdef"));
      second.sync();
      second.truncate(2); // not durable until the next sync: the crash keeps all six bytes
      second.append(utf8("XY"));
      disk.syncDirectory(dir);
      MemoryDisk crashed = disk.crashClone();
      assertThat(content(crashed, log)).isEqualTo("synced");
      assertThat(content(crashed, cut)).isEqualTo("abcdef");
      assertThat(content(disk, log)).as("the original goes on").isEqualTo("synced unsynced");
      second.sync();
      assertThat(content(disk.crashClone(), cut)).isEqualTo("abXY");
    }
  }

  @Test
  void crashCloneUndoesDirectoryChangesMadeSinceTheDirectoryWasSynced() throws IOException {
    Path kept = dir.resolve("kept");
    Path deleted = dir.resolve("deleted");
    Path current = dir.resolve("CURRENT");
    write(kept, "kept", true);
    write(deleted, "deleted", true);
    write(current, "v1", true);
    disk.syncDirectory(dir);

    write(dir.resolve("created"), "created", true); // data synced, entry not
    disk.delete(deleted);
    write(dir.resolve("CURRENT.tmp"), "v2", true);
    disk.rename(dir.resolve("CURRENT.tmp"), current);
    disk.mkdirs(dir.resolve("wal"));

    MemoryDisk crashed = disk.crashClone();
    assertThat(crashed.list(dir)).containsExactly(current, deleted, kept, dir.resolve("wal"));
    assertThat(content(crashed, current)).as("the unsynced rename is undone").isEqualTo("v1");
    assertThat(content(crashed, deleted)).as("the unsynced delete is undone").isEqualTo("deleted");
    assertThat(content(crashed, kept)).isEqualTo("kept");

    disk.syncDirectory(dir);
    MemoryDisk synced = disk.crashClone();
    assertThat(synced.list(dir)).containsExactly(current, dir.resolve("created"), kept, dir.resolve("wal"));
    assertThat(content(synced, current)).isEqualTo("v2");
    assertThat(content(synced, dir.resolve("created"))).isEqualTo("created");
  }

  @Test
  void aCrashCloneIsIndependentAndFullySynced() throws IOException {
    Path file = dir.resolve("f");
    write(file, "one", true);
    disk.syncDirectory(dir);
    MemoryDisk crashed = disk.crashClone();
    try (WritableFile out = crashed.openForAppend(file)) {
      out.append(utf8(" two"));
    }
    assertThat(content(disk, file)).isEqualTo("one");
    assertThat(content(crashed, file)).isEqualTo("one two");
    assertThat(content(crashed.crashClone(), file)).as("what the clone started with is durable").isEqualTo("one");
  }

  @Test
  void aLockIsExclusiveUntilClosedAndACrashReleasesIt() throws IOException {
    Path lockFile = dir.resolve("LOCK");
    DiskLock first = disk.lock(lockFile);
    assertThat(first.isHeld()).isTrue();
    assertThat(disk.exists(lockFile)).isTrue();
    assertThatThrownBy(() -> disk.lock(lockFile)).isInstanceOf(DiskLockedException.class)
        .hasMessageContaining(lockFile.toString());
    disk.syncDirectory(dir);
    try (DiskLock afterReboot = disk.crashClone().lock(lockFile)) {
      assertThat(afterReboot.isHeld()).as("a crash clone holds no locks").isTrue();
    }
    first.close();
    first.close();
    assertThat(first.isHeld()).isFalse();
    try (DiskLock second = disk.lock(lockFile)) {
      assertThat(second.isHeld()).isTrue();
    }
    assertThatThrownBy(() -> disk.lock(dir.resolve("missing/LOCK"))).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("missing");
  }
}
