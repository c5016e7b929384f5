package io.ringstore.storage.lsm.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.fs.CrashOutcome;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.fs.UnsyncedTail;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss while a table is written, or after it is finished with or without the directory
 * sync that makes it live: afterwards the table is gone, or refused at open as corrupt (only if
 * it was never finished), or whole. Never half-readable.
 */
class TableCrashTest {

  private static final int CYCLES = 200;

  @TempDir Path dir;

  @Test
  void aTableIsGoneRefusedOrWholeAfterACrash(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
    int gone = 0;
    int refused = 0;
    int whole = 0;
    int finishedButUnsyncedDirectoryGone = 0;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      TreeMap<Bytes, Bytes> model = TableFixtures.randomMap(random, random.nextInt(300), 60);
      TableOptions options = TableOptions.defaults().withBlockSizeBytes(256 + random.nextInt(1024));
      Path path = dir.resolve(String.format("%06d.sst", cycle));
      boolean syncDirectoryAfterCreate = random.nextInt(3) == 0;
      boolean finish = random.nextBoolean();
      int stopAfter = finish ? model.size() : random.nextInt(model.size() + 1);
      boolean syncDirectoryAfterFinish = finish && random.nextBoolean();
      UnsyncedTail tail = UnsyncedTail.values()[random.nextInt(UnsyncedTail.values().length)];

      TableBuilder builder = TableBuilder.create(fs, path, options);
      if (syncDirectoryAfterCreate) {
        fs.syncDirectory(dir);
      }
      int added = 0;
      for (Map.Entry<Bytes, Bytes> entry : model.entrySet()) {
        if (added++ == stopAfter) {
          break;
        }
        builder.add(entry.getKey(), entry.getValue());
      }
      if (finish) {
        builder.finish();
        if (syncDirectoryAfterFinish) {
          fs.syncDirectory(dir);
        }
      }
      CrashOutcome outcome = fs.crash(random, tail);
      builder.close(); // the handle died with the crash; closing it is a quiet no-op
      String context = "cycle " + cycle + " (seed " + seed + "): finish " + finish + ", directory synced after create "
          + syncDirectoryAfterCreate + " / after finish " + syncDirectoryAfterFinish + ", " + tail + ", " + outcome;

      boolean nameDurable = syncDirectoryAfterCreate || syncDirectoryAfterFinish;
      if (!fs.exists(path)) {
        assertThat(nameDurable).as("a table whose name was made durable vanished: %s", context).isFalse();
        gone++;
        if (finish) {
          finishedButUnsyncedDirectoryGone++;
        }
        continue;
      }
      try (TableReader reader = TableReader.open(fs, path)) {
        assertThat(finish).as("an unfinished table opened: %s", context).isTrue();
        TableFixtures.assertHolds(reader, model, context);
        whole++;
      } catch (CorruptionException e) {
        if (finish) {
          fail("a finished, synced table was refused: " + context, e);
        }
        assertThat(e.file()).as(context).isEqualTo(path.toString());
        refused++;
      }
    }
    System.out.printf("after %d crashes (seed %d): %d tables gone (%d of them finished without a directory sync),"
        + " %d refused at open, %d whole%n", CYCLES, seed, gone, finishedButUnsyncedDirectoryGone, refused, whole);
    assertThat(gone).isPositive();
    assertThat(whole).isPositive();
  }

  @Test
  void theBuilderAppendsWholeBlocksAndSyncsTheFileOnceButNotTheDirectory() throws IOException {
    FaultInjectionDisk fs = new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
    fs.startTrace();
    TreeMap<Bytes, Bytes> example = new TreeMap<>(Map.of(Bytes.utf8("apple"), Bytes.utf8("red"),
        Bytes.utf8("apricot"), Bytes.utf8("orange"), Bytes.utf8("banana"), Bytes.utf8("yellow")));
    TableFixtures.write(fs, dir.resolve("example.sst"), example, TableOptions.defaults().withRestartInterval(2));
    // the worked example of docs/formats/sstable.md: data, filter, metaindex, index, footer
    assertThat(fs.takeTrace()).containsExactly(
        "create example.sst",
        "append example.sst 57",
        "append example.sst 14",
        "append example.sst 36",
        "append example.sst 24",
        "append example.sst 56",
        "sync example.sst @187");
  }
}
