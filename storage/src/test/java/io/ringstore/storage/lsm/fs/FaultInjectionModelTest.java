package io.ringstore.storage.lsm.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.env.WritableFile;
import io.ringstore.spi.testkit.TestSeeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random sequences of creates, appends, syncs, renames, deletes, directory syncs, process kills
 * and power losses, checked after every power loss against a model written independently of the
 * implementation: names point at inodes; a directory sync snapshots the names; a power loss
 * leaves exactly the snapshot's names, each holding a prefix of its inode's bytes that is at
 * least its synced part (exactly it under {@link UnsyncedTail#DROP}).
 */
class FaultInjectionModelTest {

  private static final List<String> NAMES = List.of("a", "b", "c", "d");
  private static final int SEQUENCES = 60;
  private static final int OPERATIONS = 80;

  @TempDir Path dir;

  /** A file's bytes, independent of its names. */
  private static final class Inode {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    int syncedBytes;
    @Nullable WritableFile handle;

    Inode() {}

    Inode(byte[] durable) {
      data.writeBytes(durable);
      syncedBytes = durable.length;
    }
  }

  @Test
  void everyPowerLossLeavesWhatTheModelSaysIsDurable(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    SplittableRandom seeds = new SplittableRandom(seed);
    for (int sequence = 0; sequence < SEQUENCES; sequence++) {
      long sequenceSeed = seeds.nextLong();
      Path sequenceDir = Files.createDirectories(dir.resolve("sequence-" + sequence));
      try {
        run(sequenceDir, sequenceSeed);
      } catch (AssertionError | IOException | RuntimeException e) {
        throw new AssertionError("sequence " + sequence + " failed (sequence seed " + sequenceSeed + ")", e);
      }
    }
  }

  private void run(Path d, long sequenceSeed) throws IOException {
    Random random = new Random(sequenceSeed);
    FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), d, FaultInjectionDisk.Syncs.SIMULATED);
    Map<String, Inode> live = new HashMap<>();
    Map<String, Inode> durable = new HashMap<>();
    for (int op = 0; op < OPERATIONS; op++) {
      String name = NAMES.get(random.nextInt(NAMES.size()));
      Path path = d.resolve(name);
      Inode inode = live.get(name);
      int kind = random.nextInt(100);
      if (kind < 15) {
        if (inode != null) {
          assertThatThrownBy(() -> fs.create(path)).isInstanceOf(FileAlreadyExistsException.class);
        } else {
          Inode created = new Inode();
          created.handle = fs.create(path);
          live.put(name, created);
        }
      } else if (kind < 45 && inode != null) {
        byte[] chunk = new byte[random.nextInt(120)];
        random.nextBytes(chunk);
        handle(fs, path, inode).append(chunk);
        inode.data.writeBytes(chunk);
      } else if (kind < 60 && inode != null) {
        handle(fs, path, inode).sync();
        inode.syncedBytes = inode.data.size();
      } else if (kind < 70 && inode != null) {
        String to = NAMES.get(random.nextInt(NAMES.size()));
        if (!to.equals(name)) {
          fs.rename(path, d.resolve(to));
          Inode replaced = live.put(to, live.remove(name));
          close(replaced);
        }
      } else if (kind < 80 && inode != null) {
        fs.delete(path);
        close(live.remove(name));
      } else if (kind >= 80 && kind < 92) {
        fs.syncDirectory(d);
        durable = new HashMap<>(live);
      } else if (kind >= 92 && kind < 96) {
        fs.killProcess();
        live.values().forEach(i -> i.handle = null);
      } else if (kind >= 96) {
        live = powerLoss(fs, d, random, durable);
        durable = new HashMap<>(live);
      }
    }
    powerLoss(fs, d, random, durable);
  }

  private static WritableFile handle(FaultInjectionDisk fs, Path path, Inode inode) throws IOException {
    if (inode.handle == null) {
      inode.handle = fs.openForAppend(path);
    }
    return inode.handle;
  }

  private static void close(@Nullable Inode inode) throws IOException {
    if (inode != null && inode.handle != null) {
      inode.handle.close();
      inode.handle = null;
    }
  }

  /** Crashes, checks the directory against the model, and returns the new model (all durable). */
  private static Map<String, Inode> powerLoss(FaultInjectionDisk fs, Path d, Random random,
      Map<String, Inode> durable) throws IOException {
    UnsyncedTail tail = random.nextBoolean() ? UnsyncedTail.DROP : UnsyncedTail.TORN_PREFIX;
    CrashOutcome outcome = fs.crash(random, tail);
    String context = tail + " " + outcome;
    TreeSet<String> names = new TreeSet<>();
    for (Path p : fs.list(d)) {
      names.add(p.getFileName().toString());
    }
    assertThat(names).as(context).isEqualTo(new TreeSet<>(durable.keySet()));
    Map<String, Inode> after = new HashMap<>();
    for (Map.Entry<String, Inode> entry : durable.entrySet()) {
      byte[] all = entry.getValue().data.toByteArray();
      int synced = entry.getValue().syncedBytes;
      byte[] kept = Files.readAllBytes(d.resolve(entry.getKey()));
      String file = entry.getKey() + " in " + context;
      if (tail == UnsyncedTail.DROP) {
        assertThat(kept).as(file).isEqualTo(Arrays.copyOf(all, synced));
      } else {
        assertThat(kept.length).as(file).isBetween(synced, all.length);
        assertThat(kept).as(file).isEqualTo(Arrays.copyOf(all, kept.length));
      }
      after.put(entry.getKey(), new Inode(kept));
    }
    return after;
  }
}
