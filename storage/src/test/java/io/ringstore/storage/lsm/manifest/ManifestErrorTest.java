package io.ringstore.storage.lsm.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.fs.Errno;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.fs.FileOp;
import io.ringstore.storage.lsm.fs.InjectedIOException;
import io.ringstore.storage.lsm.fs.UnsyncedTail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Injected ENOSPC and EIO on each kind of disk operation: the apply that meets it throws, every
 * later apply throws naming the first error, {@link Manifest#state()} stays the last acknowledged
 * state, and a reopen (with or without a power loss) recovers the last acknowledged state or the
 * one after the failed edit, nothing else.
 */
class ManifestErrorTest {

  @TempDir Path dir;

  private static FaultInjectionDisk disk(Path root) {
    return new FaultInjectionDisk(new NioDisk(), root, FaultInjectionDisk.Syncs.SIMULATED);
  }

  @ParameterizedTest
  @EnumSource(value = FileOp.class, names = {"WRITE", "SYNC", "CREATE", "RENAME", "SYNC_DIRECTORY"})
  void anErrorFailsTheManifestUntilItIsReopened(FileOp op, TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    for (Errno errno : Errno.values()) {
      for (boolean powerLoss : List.of(false, true)) {
        Path here = dir.resolve(errno + "-" + powerLoss);
        FaultInjectionDisk fs = disk(here);
        String context = op + " " + errno + (powerLoss ? " then power loss" : " then reopen") + " (seed " + seed + ")";
        ManifestState acknowledged;
        ManifestState inFlight = null;
        IOException first = null;
        Manifest manifest = Manifest.open(fs, here, Manifests.SMALL_FILES);
        try {
          for (int i = 0; i < 20; i++) {
            manifest.apply(Manifests.randomEdit(manifest.state(), random));
          }
          acknowledged = manifest.state();
          fs.failNth(op, 1 + random.nextInt(3), errno, path -> true);
          for (int i = 0; i < 2000 && first == null; i++) {
            VersionEdit edit = Manifests.randomEdit(acknowledged, random);
            try {
              acknowledged = manifest.apply(edit);
            } catch (IOException e) {
              first = e;
              inFlight = acknowledged.apply(edit);
            }
          }
          assertThat(first).as("the injected fault fired: %s", context).isNotNull();
          assertThat(first).as(context).hasMessageContaining("injected fault: " + errno)
              .hasMessageContaining("on " + op + " of " + here)
              .hasRootCauseInstanceOf(InjectedIOException.class);
          assertThat(manifest.state()).as(context).isEqualTo(acknowledged);

          fs.clearFaults(); // a healthy disk again: the manifest still refuses, it cannot know what is durable
          String firstMessage = first.getMessage();
          assertThatThrownBy(() -> manifest.apply(VersionEdit.empty())).as(context).isInstanceOf(IOException.class)
              .hasMessageContaining("manifest in " + here + " refuses edits since an earlier error")
              .hasMessageContaining(firstMessage)
              .hasMessageContaining("reopen it");
          VersionEdit valid = VersionEdit.empty().withLogNumber(acknowledged.logNumber() + 1);
          assertThatThrownBy(() -> manifest.apply(valid)).as(context).isInstanceOf(IOException.class);
          assertThat(manifest.state()).as(context).isEqualTo(acknowledged);
        } finally {
          manifest.close();
        }
        if (powerLoss) {
          fs.crash(random, UnsyncedTail.values()[random.nextInt(UnsyncedTail.values().length)]);
        }
        try (Manifest reopened = Manifest.open(fs, here, Manifests.SMALL_FILES)) {
          assertThat(reopened.state().equals(acknowledged) || reopened.state().equals(inFlight))
              .as("%s: reopened to %s; acknowledged %s, in flight %s", context, reopened.state(), acknowledged, inFlight)
              .isTrue();
          reopened.apply(VersionEdit.empty().withLastSequence(reopened.state().lastSequence() + 1));
        }
      }
    }
  }

  @Test
  void aFullDiskTearsTheEditAndTheReopenIgnoresIt(TestInfo test) throws IOException {
    Random random = new Random(TestSeeds.seed(test));
    FaultInjectionDisk fs = disk(dir);
    ManifestState acknowledged;
    try (Manifest manifest = Manifest.open(fs, dir, ManifestOptions.defaults())) {
      for (int i = 0; i < 20; i++) {
        manifest.apply(Manifests.randomEdit(manifest.state(), random));
      }
      acknowledged = manifest.state();
      fs.diskFullAfterBytes(3);
      VersionEdit edit = VersionEdit.empty().withAddedFile(Manifests.file(acknowledged.nextFileNumber(), 0, "a", "b"));
      assertThatThrownBy(() -> manifest.apply(edit)).isInstanceOf(IOException.class)
          .hasMessageContaining("append and fsync of a ")
          .hasMessageContaining("injected fault: ENOSPC (No space left on device) on WRITE")
          .hasMessageContaining("wrote 3 of ");
      assertThat(manifest.state()).isEqualTo(acknowledged);
    }
    fs.clearFaults();
    try (Manifest reopened = Manifest.open(fs, dir, ManifestOptions.defaults())) {
      assertThat(reopened.state()).isEqualTo(acknowledged);
      assertThat(reopened.recovery().tornTail()).isTrue();
      assertThat(reopened.recovery().tornTailBytes()).isEqualTo(3);
    }
  }

  @Test
  void aFailedSyncWhoseBytesReachedTheFileMayShowTheEditAfterAReopen() throws IOException {
    FaultInjectionDisk fs = disk(dir);
    VersionEdit edit = VersionEdit.empty().withAddedFile(Manifests.file(1, 0, "a", "b"));
    try (Manifest manifest = Manifest.open(fs, dir, ManifestOptions.defaults())) {
      fs.failNth(FileOp.SYNC, 1, Errno.EIO);
      assertThatThrownBy(() -> manifest.apply(edit)).isInstanceOf(IOException.class);
    }
    fs.clearFaults();
    try (Manifest reopened = Manifest.open(fs, dir, ManifestOptions.defaults())) {
      // the record is in the file (the process did not die), so recovery finds it and makes it durable
      assertThat(reopened.state()).isEqualTo(ManifestState.empty().apply(edit));
    }
    fs.crash(new Random(1), UnsyncedTail.DROP);
    try (Manifest reopened = Manifest.open(fs, dir, ManifestOptions.defaults())) {
      assertThat(reopened.state()).isEqualTo(ManifestState.empty().apply(edit));
    }
  }

  @Test
  void aFailedDeletionOfTheOldFileIsNotAFailure() throws IOException {
    FaultInjectionDisk fs = disk(dir);
    try (Manifest manifest = Manifest.open(fs, dir, Manifests.SMALL_FILES)) {
      fs.failNth(FileOp.DELETE, 1, Errno.EIO);
      ManifestState state = manifest.state();
      while (manifest.currentFile().getFileName().toString().equals("MANIFEST-000001")) {
        state = manifest.apply(VersionEdit.empty().withLastSequence(state.lastSequence() + 1));
      }
      assertThat(Files.exists(dir.resolve("MANIFEST-000001"))).as("the deletion failed").isTrue();
      state = manifest.apply(VersionEdit.empty().withLastSequence(state.lastSequence() + 1));
      assertThat(manifest.state()).isEqualTo(state);
    }
    try (Manifest reopened = Manifest.open(fs, dir, Manifests.SMALL_FILES)) {
      assertThat(reopened.recovery().deletedFiles()).contains(dir.resolve("MANIFEST-000001"));
    }
    try (var entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString()).sorted()).containsExactly("CURRENT", "MANIFEST-000003");
    }
  }

  @ParameterizedTest
  @EnumSource(value = FileOp.class, names = {"WRITE", "SYNC", "CREATE", "RENAME", "SYNC_DIRECTORY", "DELETE", "READ"})
  void anErrorDuringOpenFailsTheOpenAndTheNextOpenRecovers(FileOp op) throws IOException {
    FaultInjectionDisk fs = disk(dir);
    ManifestState state;
    try (Manifest manifest = Manifest.open(fs, dir, ManifestOptions.defaults())) {
      state = manifest.apply(VersionEdit.empty().withAddedFile(Manifests.file(7, 3, "k", "p")).withLogNumber(4));
    }
    Files.writeString(dir.resolve("CURRENT.tmp"), "junk"); // so that the open has something to delete
    fs.failNth(op, 1, Errno.EIO);
    assertThatThrownBy(() -> Manifest.open(fs, dir, ManifestOptions.defaults())).isInstanceOf(IOException.class)
        .hasMessageContaining("injected fault: EIO (Input/output error) on " + op);
    fs.clearFaults();
    try (Manifest reopened = Manifest.open(fs, dir, ManifestOptions.defaults())) {
      assertThat(reopened.state()).isEqualTo(state);
    }
  }
}
