package io.ringstore.storage.lsm.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.env.DiskLock;
import io.ringstore.spi.env.DiskLockedException;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.env.ReadableFile;
import io.ringstore.spi.env.WritableFile;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.fs.CrashOutcome.FileTail;
import io.ringstore.storage.lsm.fs.CrashOutcome.UndoneChange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** What a simulated power loss keeps and undoes. */
class FaultInjectionCrashTest {

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

  /** A file whose name and content are durable: created, written, synced, directory synced. */
  private Path durableFile(String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    try (WritableFile out = fs.create(file)) {
      out.append(content);
      out.sync();
    }
    fs.syncDirectory(dir);
    return file;
  }

  @Test
  void crashDropsExactlyTheUnsyncedBytes() throws IOException {
    byte[] synced = bytes(100);
    Path file = dir.resolve("000001.log");
    WritableFile out = fs.create(file);
    fs.syncDirectory(dir);
    out.append(synced);
    out.sync();
    out.append(bytes(50));

    CrashOutcome outcome = fs.crash(random, UnsyncedTail.DROP);

    assertThat(Files.readAllBytes(file)).isEqualTo(synced);
    assertThat(outcome.crashNumber()).isEqualTo(1);
    assertThat(outcome.files()).containsExactly(new FileTail(file, 150, 100, 100, 0));
    assertThat(outcome.undone()).isEmpty();
  }

  @Test
  void filesPresentBeforeWrappingAreDurableAndUntouched() throws IOException {
    Path old = dir.resolve("old.sst");
    byte[] content = bytes(300);
    Files.write(old, content);
    fs = new FaultInjectionDisk(new NioDisk(), dir);
    try (WritableFile out = fs.openForAppend(old)) {
      out.append(bytes(10)); // unsynced: dropped, the 300 old bytes stay
    }
    fs.crash(random, UnsyncedTail.DROP);
    assertThat(Files.readAllBytes(old)).isEqualTo(content);
  }

  @Test
  void tornTailsArePrefixesOfWhatWasWrittenAndKeepEverySyncedByte() throws IOException {
    SplittableRandom seeds = new SplittableRandom(seed);
    boolean sawDrop = false;
    boolean sawTorn = false;
    for (int run = 0; run < 100; run++) {
      long runSeed = seeds.nextLong();
      Path runDir = dir.resolve("run" + run);
      Files.createDirectories(runDir);
      FaultInjectionDisk runFs = new FaultInjectionDisk(new NioDisk(), runDir, FaultInjectionDisk.Syncs.SIMULATED);
      Random r = new Random(runSeed);
      Map<Path, ByteArrayOutputStream> written = new HashMap<>();
      Map<Path, Integer> synced = new HashMap<>();
      Map<Path, WritableFile> open = new HashMap<>();
      for (int f = 0; f < 3; f++) {
        Path file = runDir.resolve("f" + f);
        open.put(file, runFs.create(file));
        written.put(file, new ByteArrayOutputStream());
        synced.put(file, 0);
      }
      runFs.syncDirectory(runDir);
      for (int op = 0; op < 40; op++) {
        Path file = runDir.resolve("f" + r.nextInt(3));
        if (r.nextInt(4) == 0) {
          open.get(file).sync();
          synced.put(file, written.get(file).size());
        } else {
          byte[] chunk = new byte[r.nextInt(200)];
          r.nextBytes(chunk);
          open.get(file).append(chunk);
          written.get(file).writeBytes(chunk);
        }
      }
      CrashOutcome outcome = runFs.crash(r, UnsyncedTail.TORN_PREFIX);
      for (FileTail tail : outcome.files()) {
        byte[] all = written.get(tail.path()).toByteArray();
        byte[] kept = Files.readAllBytes(tail.path());
        String where = "run " + run + " (run seed " + runSeed + "), " + tail;
        assertThat(kept.length).as(where).isEqualTo(tail.keptBytes())
            .isBetween(synced.get(tail.path()), all.length);
        assertThat(kept).as(where).isEqualTo(Arrays.copyOf(all, kept.length));
        assertThat(tail.durableBytes()).as(where).isEqualTo(synced.get(tail.path()).longValue());
        if (tail.writtenBytes() > tail.durableBytes()) {
          sawDrop |= tail.keptBytes() == tail.durableBytes();
          sawTorn |= tail.keptBytes() > tail.durableBytes();
        }
      }
    }
    assertThat(sawDrop).as("some crash dropped a whole unsynced tail").isTrue();
    assertThat(sawTorn).as("some crash kept a torn prefix").isTrue();
  }

  @Test
  void garbageTailsLeaveSyncedBytesIntact() throws IOException {
    SplittableRandom seeds = new SplittableRandom(seed);
    boolean sawGarbage = false;
    for (int run = 0; run < 40; run++) {
      Path runDir = dir.resolve("run" + run);
      Files.createDirectories(runDir);
      FaultInjectionDisk runFs = new FaultInjectionDisk(new NioDisk(), runDir, FaultInjectionDisk.Syncs.SIMULATED);
      Random r = new Random(seeds.nextLong());
      byte[] synced = new byte[1 + r.nextInt(2000)];
      byte[] unsynced = new byte[1 + r.nextInt(2000)];
      r.nextBytes(synced);
      r.nextBytes(unsynced);
      Path file = runDir.resolve("wal");
      try (WritableFile out = runFs.create(file)) {
        runFs.syncDirectory(runDir);
        out.append(synced);
        out.sync();
        out.append(unsynced);
      }
      FileTail tail = runFs.crash(r, UnsyncedTail.TORN_GARBAGE).files().get(0);
      byte[] kept = Files.readAllBytes(file);
      assertThat(kept.length).isEqualTo(tail.keptBytes()).isBetween(synced.length, synced.length + unsynced.length);
      assertThat(Arrays.copyOf(kept, synced.length)).isEqualTo(synced);
      long clean = tail.keptBytes() - tail.garbledBytes();
      assertThat(Arrays.copyOfRange(kept, synced.length, (int) clean))
          .isEqualTo(Arrays.copyOf(unsynced, (int) clean - synced.length));
      assertThat(tail.garbledBytes()).isBetween(0L, 512L);
      sawGarbage |= tail.garbledBytes() > 0;
    }
    assertThat(sawGarbage).isTrue();
  }

  @Test
  void theSameSeedGivesTheSameCrash() throws IOException {
    List<CrashOutcome> outcomes = new java.util.ArrayList<>();
    for (String run : List.of("a", "b")) {
      Path runDir = dir.resolve(run);
      Files.createDirectories(runDir);
      FaultInjectionDisk runFs = new FaultInjectionDisk(new NioDisk(), runDir, FaultInjectionDisk.Syncs.SIMULATED);
      Random content = new Random(seed);
      for (int f = 0; f < 5; f++) {
        try (WritableFile out = runFs.create(runDir.resolve("f" + f))) {
          byte[] chunk = new byte[500];
          content.nextBytes(chunk);
          out.append(chunk, 0, 100);
          out.sync();
          out.append(chunk, 100, 400);
        }
      }
      runFs.syncDirectory(runDir);
      CrashOutcome outcome = runFs.crash(new Random(seed));
      outcomes.add(outcome);
    }
    assertThat(outcomes.get(0).files()).extracting(FileTail::keptBytes)
        .isEqualTo(outcomes.get(1).files().stream().map(FileTail::keptBytes).toList());
  }

  @Test
  void syncedDataAndADirectorySyncedRenameSurvive() throws IOException {
    byte[] content = bytes(40);
    Path tmp = dir.resolve("CURRENT.tmp");
    Path current = dir.resolve("CURRENT");
    try (WritableFile out = fs.create(tmp)) {
      out.append(content);
      out.sync();
    }
    fs.rename(tmp, current);
    fs.syncDirectory(dir);

    CrashOutcome outcome = fs.crash(random);

    assertThat(Files.readAllBytes(current)).isEqualTo(content);
    assertThat(Files.exists(tmp)).isFalse();
    assertThat(outcome.undone()).isEmpty();
  }

  @Test
  void anUnsyncedRenameIsUndoneAndTheReplacedFileComesBack() throws IOException {
    byte[] old = bytes(30);
    byte[] next = bytes(40);
    Path current = durableFile("CURRENT", old);
    Path tmp = durableFile("CURRENT.tmp", next);
    fs.rename(tmp, current);
    assertThat(Files.readAllBytes(current)).isEqualTo(next);

    CrashOutcome outcome = fs.crash(random);

    assertThat(Files.readAllBytes(current)).isEqualTo(old);
    assertThat(Files.readAllBytes(tmp)).isEqualTo(next);
    assertThat(outcome.undone()).containsExactly(new UndoneChange(FileOp.RENAME, tmp, current));
  }

  @Test
  void anUnsyncedCreationIsUndoneEvenIfItsDataWasSynced() throws IOException {
    Path file = dir.resolve("000007.sst");
    try (WritableFile out = fs.create(file)) {
      out.append(bytes(100));
      out.sync();
    }
    CrashOutcome outcome = fs.crash(random);
    assertThat(Files.exists(file)).isFalse();
    assertThat(outcome.undone()).containsExactly(new UndoneChange(FileOp.CREATE, file, null));
  }

  @Test
  void anUnsyncedDeletionIsUndoneWithTheSyncedContent() throws IOException {
    byte[] synced = bytes(64);
    Path file = durableFile("000003.log", synced);
    try (WritableFile out = fs.openForAppend(file)) {
      out.append(bytes(10)); // never synced: not restored
    }
    fs.delete(file);
    assertThat(Files.exists(file)).isFalse();

    CrashOutcome outcome = fs.crash(random);

    assertThat(Files.readAllBytes(file)).isEqualTo(synced);
    assertThat(outcome.undone()).containsExactly(new UndoneChange(FileOp.DELETE, file, null));
  }

  @Test
  void aDirectorySyncMakesADeletionStick() throws IOException {
    Path file = durableFile("000003.log", bytes(64));
    fs.delete(file);
    fs.syncDirectory(dir);
    fs.crash(random);
    assertThat(Files.exists(file)).isFalse();
  }

  @Test
  void onlyChangesAfterTheLastDirectorySyncAreUndoneNewestFirst() throws IOException {
    byte[] v1 = bytes(20);
    byte[] v2 = bytes(25);
    Path kept = durableFile("a", bytes(5));
    Path x = durableFile("x", v1);
    fs.delete(x);
    try (WritableFile out = fs.create(x)) { // same name, new file
      out.append(v2);
      out.sync();
    }
    Path gone = dir.resolve("b");
    fs.create(gone).close();

    CrashOutcome outcome = fs.crash(random);

    assertThat(Files.exists(kept)).isTrue();
    assertThat(Files.exists(gone)).isFalse();
    assertThat(Files.readAllBytes(x)).isEqualTo(v1);
    assertThat(outcome.undone()).containsExactly(
        new UndoneChange(FileOp.CREATE, gone, null),
        new UndoneChange(FileOp.CREATE, x, null),
        new UndoneChange(FileOp.DELETE, x, null));
  }

  @Test
  void directoriesAreTrackedSeparately() throws IOException {
    Path sub = dir.resolve("wal");
    fs.mkdirs(sub);
    Path inSub = sub.resolve("000001.log");
    fs.create(inSub).close();
    fs.syncDirectory(sub);
    Path inRoot = dir.resolve("MANIFEST-000002");
    fs.create(inRoot).close();
    fs.crash(random);
    assertThat(Files.exists(inSub)).isTrue();
    assertThat(Files.exists(inRoot)).isFalse();
  }

  @Test
  void handlesFromBeforeTheCrashAreDeadAndTheFileSystemStartsFresh() throws IOException {
    Path file = durableFile("wal", bytes(10));
    WritableFile stale = fs.openForAppend(file);
    ReadableFile staleReader = fs.openForRead(file);
    fs.crash(random);

    assertThatThrownBy(() -> stale.append(bytes(1))).isInstanceOf(DiskCrashedException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("crash #1");
    assertThatThrownBy(stale::sync).isInstanceOf(DiskCrashedException.class);
    assertThatThrownBy(() -> staleReader.read(0, java.nio.ByteBuffer.allocate(1)))
        .isInstanceOf(DiskCrashedException.class);
    stale.close();
    staleReader.close();

    try (WritableFile fresh = fs.openForAppend(file)) {
      fresh.append(bytes(5));
      fresh.sync();
    }
    Path created = dir.resolve("new");
    fs.create(created).close();
    assertThat(Files.size(file)).isEqualTo(15);
    assertThat(fs.crash(random).undone()).containsExactly(new UndoneChange(FileOp.CREATE, created, null));
    assertThat(Files.size(file)).isEqualTo(15);
    assertThat(fs.crashes()).isEqualTo(2);
  }

  @Test
  void aProcessKillKeepsUnsyncedBytesUntilAPowerLoss() throws IOException {
    byte[] synced = bytes(30);
    Path file = durableFile("wal", synced);
    WritableFile out = fs.openForAppend(file);
    out.append(bytes(20));
    assertThat(fs.killProcess()).isEqualTo(1);
    assertThatThrownBy(() -> out.append(bytes(1))).isInstanceOf(DiskCrashedException.class);
    assertThat(Files.size(file)).isEqualTo(50);
    Path created = dir.resolve("unsynced-name");
    fs.create(created).close();

    fs.crash(random, UnsyncedTail.DROP);

    assertThat(Files.readAllBytes(file)).isEqualTo(synced);
    assertThat(Files.exists(created)).isFalse();
  }

  @Test
  void aProcessKillOrPowerLossReleasesTheDeadProcessesLocks() throws IOException {
    Path lockFile = dir.resolve("LOCK");
    DiskLock first = fs.lock(lockFile);
    assertThat(first.isHeld()).isTrue();
    assertThatThrownBy(() -> fs.lock(lockFile)).isInstanceOf(DiskLockedException.class)
        .hasMessageContaining(lockFile.toString());
    fs.killProcess();
    assertThat(first.isHeld()).as("released with the killed process").isFalse();
    DiskLock second = fs.lock(lockFile);
    assertThat(second.isHeld()).isTrue();
    first.close(); // a dead handle's close is a quiet no-op, and must not release the new lock
    assertThat(second.isHeld()).isTrue();
    assertThatThrownBy(() -> fs.lock(lockFile)).isInstanceOf(DiskLockedException.class);
    fs.crash(random, UnsyncedTail.DROP);
    assertThat(second.isHeld()).as("released at the power loss").isFalse();
    try (DiskLock third = fs.lock(lockFile)) {
      assertThat(third.isHeld()).isTrue();
    }
    try (DiskLock fourth = fs.lock(lockFile)) {
      assertThat(fourth.isHeld()).as("closing a live lock releases it").isTrue();
    }
  }

  @Test
  void aFailedSyncCapsWhatLaterSyncsCanMakeDurable() throws IOException {
    byte[] synced = bytes(100);
    Path file = durableFile("wal", synced);
    try (WritableFile out = fs.openForAppend(file)) {
      out.append(bytes(50));
      fs.failNth(FileOp.SYNC, 1, Errno.EIO);
      assertThatThrownBy(out::sync).isInstanceOf(InjectedIOException.class);
      out.sync(); // reports success, as Linux does after dropping the failed pages
      out.append(bytes(10));
      out.sync();
    }
    CrashOutcome outcome = fs.crash(random, UnsyncedTail.DROP);
    assertThat(Files.readAllBytes(file)).isEqualTo(synced);
    assertThat(outcome.files()).containsExactly(new FileTail(file, 160, 100, 100, 0));
  }

  @Test
  void truncateLowersTheDurableSize() throws IOException {
    byte[] content = bytes(100);
    Path file = durableFile("wal", content);
    try (WritableFile out = fs.openForAppend(file)) {
      out.truncate(40);
      out.append(bytes(30));
    }
    fs.crash(random, UnsyncedTail.DROP);
    assertThat(Files.readAllBytes(file)).isEqualTo(Arrays.copyOf(content, 40));
  }

  @Test
  void theTraceRecordsADurabilityProtocol() throws IOException {
    fs.mkdirs(dir.resolve("wal"));
    fs.startTrace();
    Path tmp = dir.resolve("CURRENT.tmp");
    try (WritableFile out = fs.create(tmp)) {
      out.append(bytes(16));
      out.sync();
    }
    fs.rename(tmp, dir.resolve("CURRENT"));
    fs.syncDirectory(dir);
    try (WritableFile log = fs.create(dir.resolve("wal/000001.log"))) {
      log.append(bytes(5));
      log.truncate(3);
    }
    fs.delete(dir.resolve("wal/000001.log"));
    assertThat(fs.takeTrace()).containsExactly(
        "create CURRENT.tmp", "append CURRENT.tmp 16", "sync CURRENT.tmp @16",
        "rename CURRENT.tmp CURRENT", "sync-dir .",
        "create wal/000001.log", "append wal/000001.log 5", "truncate wal/000001.log 3",
        "delete wal/000001.log");
    assertThat(fs.takeTrace()).isEmpty();
  }

  @Test
  void pathsOutsideTheRootAreRefused() {
    assertThatThrownBy(() -> fs.create(dir.resolveSibling("elsewhere")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the fault-injection root");
    assertThatThrownBy(() -> fs.create(dir.resolve("../escape")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
