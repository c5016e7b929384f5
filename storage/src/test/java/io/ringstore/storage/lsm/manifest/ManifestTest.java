package io.ringstore.storage.lsm.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's life: creation, edits, switches to new files, reopening, leftovers, refused
 * edits, closing, concurrent appliers, and the exact disk operations of its durability protocol.
 */
class ManifestTest {

  @TempDir Path dir;

  private FaultInjectionDisk disk() {
    return new FaultInjectionDisk(new NioDisk(), dir, FaultInjectionDisk.Syncs.SIMULATED);
  }

  private List<String> names() throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private String current() throws IOException {
    return Files.readString(dir.resolve("CURRENT"), StandardCharsets.US_ASCII);
  }

  @Test
  void aFreshDirectoryGetsAnEmptyManifest() throws IOException {
    try (Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults())) {
      assertThat(manifest.state()).isEqualTo(ManifestState.empty());
      assertThat(manifest.state().logNumber()).isZero();
      assertThat(manifest.state().nextFileNumber()).isEqualTo(1);
      assertThat(manifest.state().lastSequence()).isZero();
      assertThat(manifest.currentFile()).isEqualTo(dir.resolve("MANIFEST-000001"));
      ManifestRecovery recovery = manifest.recovery();
      assertThat(recovery.recoveredFile()).isNull();
      assertThat(recovery.editsReplayed()).isZero();
      assertThat(recovery.tornTail()).isFalse();
      assertThat(recovery.deletedFiles()).isEmpty();
      assertThat(recovery.currentFile()).isEqualTo(dir.resolve("MANIFEST-000001"));
    }
    assertThat(names()).containsExactly("CURRENT", "MANIFEST-000001");
    assertThat(current()).isEqualTo("MANIFEST-000001\n");
    assertThat(Files.size(dir.resolve("MANIFEST-000001"))).isEqualTo(Manifest.FRESH_FILE_BYTES).isEqualTo(31);
  }

  @Test
  void aReopenRecoversEveryEditAndStartsANewFile(TestInfo test) throws IOException {
    Random random = new Random(TestSeeds.seed(test));
    ManifestState expected = ManifestState.empty();
    try (Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults())) {
      for (int i = 0; i < 300; i++) {
        VersionEdit edit = Manifests.randomEdit(expected, random);
        expected = expected.apply(edit);
        assertThat(manifest.apply(edit)).isEqualTo(expected);
        assertThat(manifest.state()).isSameAs(manifest.state()).isEqualTo(expected);
      }
      assertThat(manifest.currentFile()).isEqualTo(dir.resolve("MANIFEST-000001")); // 4 MiB: no switch
    }
    assertThat(expected.fileCount()).isPositive();
    try (Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults())) {
      assertThat(manifest.state()).isEqualTo(expected);
      assertThat(manifest.recovery().recoveredFile()).isEqualTo(dir.resolve("MANIFEST-000001"));
      assertThat(manifest.recovery().editsReplayed()).isEqualTo(301);
      assertThat(manifest.recovery().deletedFiles()).containsExactly(dir.resolve("MANIFEST-000001"));
      assertThat(manifest.currentFile()).isEqualTo(dir.resolve("MANIFEST-000002"));
    }
    assertThat(names()).containsExactly("CURRENT", "MANIFEST-000002");
    assertThat(current()).isEqualTo("MANIFEST-000002\n");
    try (Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults())) {
      assertThat(manifest.state()).isEqualTo(expected);
      assertThat(manifest.recovery().editsReplayed()).isEqualTo(1); // the snapshot only
    }
  }

  @Test
  void smallFilesSwitchOftenAndReopenToTheSameState(TestInfo test) throws IOException {
    Random random = new Random(TestSeeds.seed(test));
    ManifestState expected = ManifestState.empty();
    List<Path> files = new ArrayList<>();
    try (Manifest manifest = Manifest.open(disk(), dir, Manifests.SMALL_FILES)) {
      for (int i = 0; i < 1500; i++) {
        VersionEdit edit = Manifests.randomEdit(expected, random);
        expected = expected.apply(edit);
        manifest.apply(edit);
        if (files.isEmpty() || !files.get(files.size() - 1).equals(manifest.currentFile())) {
          files.add(manifest.currentFile());
          assertThat(names()).as("after edit %d", i)
              .containsExactly("CURRENT", manifest.currentFile().getFileName().toString());
        }
      }
      assertThat(files).as("manifest files written").hasSizeGreaterThan(5);
      for (int i = 1; i < files.size(); i++) {
        assertThat(ManifestFormat.manifestNumber(files.get(i))).isEqualTo(ManifestFormat.manifestNumber(files.get(i - 1)) + 1);
      }
    }
    try (Manifest manifest = Manifest.open(disk(), dir, Manifests.SMALL_FILES)) {
      assertThat(manifest.state()).isEqualTo(expected);
    }
  }

  @Test
  void aSwitchKeepsTheFileBelowItsBound() throws IOException {
    try (Manifest manifest = Manifest.open(disk(), dir, Manifests.SMALL_FILES)) {
      ManifestState state = manifest.state();
      long startedWith = Files.size(manifest.currentFile()); // header and snapshot
      int switches = 0;
      for (int i = 0; i < 1000; i++) {
        Path file = manifest.currentFile();
        long before = Files.size(file);
        VersionEdit edit = VersionEdit.empty().withLastSequence((1L << 40) + i)
            .withAddedFile(Manifests.file(1 + i, 0, "a", "b"));
        long bound = Math.max(Manifests.SMALL_FILES.maxFileBytes(), 2 * startedWith);
        state = manifest.apply(edit);
        if (manifest.currentFile().equals(file)) {
          assertThat(Files.size(file)).as("edit %d", i).isEqualTo(before + 9 + edit.encode().length)
              .isLessThanOrEqualTo(bound);
        } else {
          switches++;
          assertThat(before + 9 + edit.encode().length).as("edit %d", i).isGreaterThan(bound);
          startedWith = Files.size(manifest.currentFile());
          assertThat(startedWith).isEqualTo(16 + 9 + state.asSnapshotEdit().encode().length);
          assertThat(Files.exists(file)).isFalse();
        }
      }
      // the snapshot grows with the files: once it passes half of maxFileBytes, twice it is the bound
      assertThat(startedWith).isGreaterThan(Manifests.SMALL_FILES.maxFileBytes() / 2);
      assertThat(switches).isBetween(2, 12);
    }
  }

  @Test
  void theDurabilityProtocolIsExactlyThis() throws IOException {
    FaultInjectionDisk disk = disk();
    disk.startTrace();
    try (Manifest manifest = Manifest.open(disk, dir, Manifests.SMALL_FILES)) {
      assertThat(disk.takeTrace()).containsExactly(
          "mkdirs .",
          "create MANIFEST-000001",
          "append MANIFEST-000001 31",
          "sync MANIFEST-000001 @31",
          "create CURRENT.tmp",
          "append CURRENT.tmp 16",
          "sync CURRENT.tmp @16",
          "rename CURRENT.tmp CURRENT",
          "sync-dir .");
      VersionEdit edit = VersionEdit.empty().withLastSequence(1L << 40); // 9 + 7 bytes
      manifest.apply(edit);
      assertThat(disk.takeTrace()).containsExactly(
          "append MANIFEST-000001 16",
          "sync MANIFEST-000001 @47");
      ManifestState state = manifest.state();
      while (manifest.currentFile().getFileName().toString().equals("MANIFEST-000001")) {
        state = manifest.apply(VersionEdit.empty().withLastSequence(state.lastSequence() + 1));
      }
      List<String> trace = disk.takeTrace();
      List<String> switchOps = trace.subList(trace.size() - 9, trace.size());
      int snapshot = 16 + 9 + state.asSnapshotEdit().encode().length;
      assertThat(switchOps).containsExactly(
          "create MANIFEST-000002",
          "append MANIFEST-000002 " + snapshot,
          "sync MANIFEST-000002 @" + snapshot,
          "create CURRENT.tmp",
          "append CURRENT.tmp 16",
          "sync CURRENT.tmp @16",
          "rename CURRENT.tmp CURRENT",
          "sync-dir .",
          "delete MANIFEST-000001");
      assertThat(trace.get(trace.size() - 10)).as("no append to the old file at the switch").startsWith("sync MANIFEST-000001");
    }
    assertThat(disk.takeTrace()).as("close syncs nothing").isEmpty();

    try (Manifest manifest = Manifest.open(disk, dir, Manifests.SMALL_FILES)) {
      assertThat(disk.takeTrace()).containsExactly(
          "mkdirs .",
          "create MANIFEST-000003",
          "append MANIFEST-000003 " + Files.size(dir.resolve("MANIFEST-000003")),
          "sync MANIFEST-000003 @" + Files.size(dir.resolve("MANIFEST-000003")),
          "create CURRENT.tmp",
          "append CURRENT.tmp 16",
          "sync CURRENT.tmp @16",
          "rename CURRENT.tmp CURRENT",
          "sync-dir .",
          "delete MANIFEST-000002");
      assertThat(manifest.currentFile()).isEqualTo(dir.resolve("MANIFEST-000003"));
    }
  }

  @Test
  void leftoversOfAnInterruptedSwitchAreDeleted() throws IOException {
    VersionEdit edit = VersionEdit.empty().withAddedFile(Manifests.file(4, 0, "a", "b"));
    try (Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults())) {
      manifest.apply(edit);
    }
    Files.write(dir.resolve("MANIFEST-000007"), new byte[] {1, 2, 3}); // a switch that never reached CURRENT
    Files.writeString(dir.resolve("CURRENT.tmp"), "MANIFEST-0000");
    Files.write(dir.resolve("000004.sst"), new byte[10]); // not ours: left alone
    try (Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults())) {
      assertThat(manifest.state()).isEqualTo(ManifestState.empty().apply(edit));
      assertThat(manifest.recovery().deletedFiles()).containsExactlyInAnyOrder(
          dir.resolve("MANIFEST-000007"), dir.resolve("CURRENT.tmp"), dir.resolve("MANIFEST-000001"));
      assertThat(manifest.currentFile()).isEqualTo(dir.resolve("MANIFEST-000008"));
    }
    assertThat(names()).containsExactly("000004.sst", "CURRENT", "MANIFEST-000008");
  }

  @Test
  void anInterruptedFirstOpenStartsAgainFromEmpty() throws IOException {
    try (Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults())) {
      assertThat(manifest.state()).isEqualTo(ManifestState.empty());
    }
    byte[] first = Files.readAllBytes(dir.resolve("MANIFEST-000001"));
    for (int length = 0; length <= first.length; length++) {
      for (Path entry : Files.list(dir).toList()) {
        Files.delete(entry);
      }
      Files.write(dir.resolve("MANIFEST-000001"), Arrays.copyOf(first, length));
      if (length % 2 == 0) {
        Files.writeString(dir.resolve("CURRENT.tmp"), "MANIFEST-000001\n");
      }
      try (Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults())) {
        assertThat(manifest.state()).isEqualTo(ManifestState.empty());
        assertThat(manifest.recovery().recoveredFile()).isNull();
        assertThat(manifest.recovery().deletedFiles()).contains(dir.resolve("MANIFEST-000001"));
        assertThat(manifest.currentFile()).isEqualTo(dir.resolve("MANIFEST-000002"));
      }
      assertThat(names()).containsExactly("CURRENT", "MANIFEST-000002");
    }
  }

  @Test
  void manifestFilesWithoutCurrentThatNoFirstOpenLeavesAreRefused() throws IOException {
    try (Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults())) {
      manifest.apply(VersionEdit.empty().withAddedFile(Manifests.file(4, 0, "a", "b")));
    }
    Files.delete(dir.resolve("CURRENT"));
    assertThatThrownBy(() -> Manifest.open(disk(), dir, ManifestOptions.defaults()))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("CURRENT is corrupt at offset 0 of file " + dir.resolve("CURRENT"))
        .hasMessageContaining("is missing, but MANIFEST-000001 (")
        .hasMessageContaining("so CURRENT was lost");
    assertThat(names()).as("nothing deleted").containsExactly("MANIFEST-000001");

    Files.move(dir.resolve("MANIFEST-000001"), dir.resolve("MANIFEST-000002"));
    Files.write(dir.resolve("MANIFEST-000002"), Arrays.copyOf(Files.readAllBytes(dir.resolve("MANIFEST-000002")), 20));
    assertThatThrownBy(() -> Manifest.open(disk(), dir, ManifestOptions.defaults()))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("is missing, but MANIFEST-000002 (20 bytes) exists");
  }

  @Test
  void aBadEditIsRefusedBeforeWritingAndTheManifestStaysUsable() throws IOException {
    try (Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults())) {
      manifest.apply(VersionEdit.empty().withAddedFile(Manifests.file(4, 1, "a", "m")).withLastSequence(10));
      long size = Files.size(manifest.currentFile());
      ManifestState before = manifest.state();
      assertThatThrownBy(() -> manifest.apply(VersionEdit.empty().withAddedFile(Manifests.file(5, 1, "k", "z"))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlapping files 4");
      assertThatThrownBy(() -> manifest.apply(VersionEdit.empty().withLastSequence(9)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("edit moves lastSequence backwards from 10 to 9");
      assertThatThrownBy(() -> manifest.apply(VersionEdit.empty().withDeletedFile(0, 4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("edit deletes file 4 from level 0, but it is live at level 1");
      assertThat(Files.size(manifest.currentFile())).isEqualTo(size);
      assertThat(manifest.state()).isSameAs(before);
      manifest.apply(VersionEdit.empty().withDeletedFile(1, 4));
      assertThat(manifest.state().fileCount()).isZero();
    }
  }

  @Test
  void anEditLongerThanARecordIsRefusedBeforeWriting() throws IOException {
    ManifestOptions options = new ManifestOptions(1 << 20, 8192);
    try (Manifest manifest = Manifest.open(disk(), dir, options)) {
      long size = Files.size(manifest.currentFile());
      byte[] key = new byte[5000];
      Bytes smallest = Bytes.of(key.clone());
      key[0] = 1;
      FileMeta big = new FileMeta(1, 0, 1, 1, smallest, Bytes.of(key));
      assertThatThrownBy(() -> manifest.apply(VersionEdit.empty().withAddedFile(big)))
          .isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.setting()).isEqualTo("manifest.maxRecordBytes");
            assertThat(e.limit()).isEqualTo(8192);
          })
          .hasMessageContaining("manifest edit of 10009 bytes exceeds manifest.maxRecordBytes = 8192 bytes");
      assertThat(Files.size(manifest.currentFile())).isEqualTo(size);
      manifest.apply(VersionEdit.empty().withLogNumber(3));
      assertThat(manifest.state().logNumber()).isEqualTo(3);
    }
  }

  @Test
  void aClosedManifestRefusesEdits() throws IOException {
    Manifest manifest = Manifest.open(disk(), dir, ManifestOptions.defaults());
    manifest.close();
    manifest.close();
    assertThatThrownBy(() -> manifest.apply(VersionEdit.empty())).isInstanceOf(IOException.class)
        .hasMessage("manifest in " + dir + " is closed");
  }

  @Test
  void concurrentAppliersAreSerialised() throws Exception {
    int threads = 4;
    int perThread = 100;
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Manifest manifest = Manifest.open(disk(), dir, Manifests.SMALL_FILES)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            long number = 1 + thread * perThread + i;
            ManifestState after = manifest.apply(VersionEdit.empty().withAddedFile(Manifests.file(number, 0, "a", "z")));
            assertThat(after.file(number)).isNotNull();
            acknowledged.add(number);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
      assertThat(manifest.state().fileCount()).isEqualTo(threads * perThread);
    } finally {
      pool.shutdownNow();
    }
    try (Manifest manifest = Manifest.open(disk(), dir, Manifests.SMALL_FILES)) {
      List<FileMeta> level0 = manifest.state().level(0);
      assertThat(level0).extracting(FileMeta::fileNumber).containsExactlyInAnyOrderElementsOf(acknowledged);
      assertThat(level0).extracting(FileMeta::fileNumber).isSortedAccordingTo((a, b) -> Long.compare(b, a));
      assertThat(manifest.state().nextFileNumber()).isEqualTo(threads * perThread + 1);
    }
  }

  @Test
  void optionsNameTheSettingTheValueAndTheBound() {
    assertThat(ManifestOptions.defaults()).isEqualTo(new ManifestOptions(4L << 20, 64 << 20));
    assertThatThrownBy(() -> new ManifestOptions(4095, 1 << 20)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("manifest.maxFileBytes = 4095 bytes is out of range; need 4096 <= manifest.maxFileBytes <= 1073741824 bytes");
    assertThatThrownBy(() -> ManifestOptions.defaults().withMaxFileBytes((1L << 30) + 1))
        .hasMessageContaining("manifest.maxFileBytes = 1073741825 bytes is out of range");
    assertThatThrownBy(() -> ManifestOptions.defaults().withMaxRecordBytes(100)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("manifest.maxRecordBytes = 100 bytes is out of range; need 4096 <= manifest.maxRecordBytes <= 1073741824 bytes");
  }

  @Test
  void fileNamesAreSixOrMoreDigits() {
    assertThat(ManifestFormat.fileName(1)).isEqualTo("MANIFEST-000001");
    assertThat(ManifestFormat.fileName(1234567)).isEqualTo("MANIFEST-1234567");
    assertThat(ManifestFormat.manifestNumber("MANIFEST-000001")).isEqualTo(1);
    assertThat(ManifestFormat.manifestNumber("MANIFEST-1234567")).isEqualTo(1234567);
    assertThat(ManifestFormat.manifestNumber("MANIFEST-9223372036854775806")).isEqualTo(Long.MAX_VALUE - 1);
    for (String notOurs : List.of("MANIFEST-00001", "MANIFEST-0000001", "MANIFEST-000000", "MANIFEST-00000a",
        "MANIFEST-9223372036854775807", "MANIFEST-9999999999999999999", "MANIFEST-000001.tmp", "manifest-000001",
        "CURRENT", "MANIFEST-")) {
      assertThat(ManifestFormat.manifestNumber(notOurs)).as(notOurs).isNull();
    }
    assertThatThrownBy(() -> ManifestFormat.fileName(0)).hasMessage("manifest number = 0; must be >= 1");
  }
}
