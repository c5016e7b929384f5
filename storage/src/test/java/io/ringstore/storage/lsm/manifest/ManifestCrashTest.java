package io.ringstore.storage.lsm.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.TestSeeds;
import io.ringstore.storage.lsm.fs.CrashOutcome;
import io.ringstore.storage.lsm.fs.Errno;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import io.ringstore.storage.lsm.fs.FileOp;
import io.ringstore.storage.lsm.fs.UnsyncedTail;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss and kill -9 at every point of the manifest's protocol: after a reopen, which never
 * fails, the state is the one after the last {@link Manifest#apply} that returned, or, for an apply
 * that was in flight (it threw, or the process died inside it), the one before or after it. Never
 * another state.
 */
class ManifestCrashTest {

  private static final int CYCLES = 150;

  @TempDir Path dir;

  /**
   * Every disk operation of a workload (a first open, edits with several file switches, a reopen,
   * more edits) in turn is the first that fails, as if the process died there; then power is lost
   * (or the process is killed) and the manifest reopened.
   */
  @Test
  void aCrashAtEveryOperationKeepsEveryAcknowledgedEdit(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    List<VersionEdit> edits = churn(60, new Random(seed));
    List<ManifestState> states = Manifests.prefixStates(edits);
    int reopenAt = 30;

    FaultInjectionDisk clean = disk(dir.resolve("clean"));
    clean.startTrace();
    Workload cleanRun = run(clean, dir.resolve("clean"), edits, reopenAt);
    assertThat(cleanRun.acknowledged).isEqualTo(edits.size());
    List<String> operations = clean.takeTrace().stream().filter(line -> !line.startsWith("mkdirs")).toList();
    long counted = 0;
    for (FileOp op : EnumSet.complementOf(EnumSet.of(FileOp.READ))) {
      counted += clean.operations(op);
    }
    assertThat(operations).as("traced operations").hasSize((int) counted);
    assertThat(operations.stream().filter(line -> line.startsWith("create MANIFEST")).count())
        .as("manifest files written").isGreaterThanOrEqualTo(5);

    Random random = new Random(seed);
    Map<String, Integer> pointsByKind = new TreeMap<>();
    for (int k = 1; k <= operations.size() + 1; k++) {
      Path here = dir.resolve("k" + k);
      FaultInjectionDisk fs = disk(here);
      fs.failFromNth(EnumSet.complementOf(EnumSet.of(FileOp.READ)), k, Errno.EIO);
      Workload run = run(fs, here, edits, reopenAt);
      boolean kill = k % 4 == 0;
      UnsyncedTail tail = UnsyncedTail.values()[k % UnsyncedTail.values().length];
      String outcome = kill ? "kill -9 #" + fs.killProcess() : fs.crash(random, tail).toString();
      fs.clearFaults();
      String point = k <= operations.size() ? operations.get(k - 1) : "after the workload";
      pointsByKind.merge(point.replaceAll(" [@0-9].*|-[0-9]+", ""), 1, Integer::sum);
      String context = "failing from operation " + k + " (" + point + "), " + (kill ? "kill" : tail) + ", " + outcome
          + " (seed " + seed + ")";

      try (Manifest manifest = Manifest.open(fs, here, Manifests.SMALL_FILES)) {
        assertRecovered(manifest.state(), states, run.acknowledged, run.inFlight, context);
      }
    }
    System.out.println("crash points by operation: " + pointsByKind);
    assertThat(pointsByKind).containsKeys("append MANIFEST", "sync MANIFEST", "create MANIFEST", "create CURRENT.tmp",
        "append CURRENT.tmp", "sync CURRENT.tmp", "rename CURRENT.tmp CURRENT", "sync-dir .", "delete MANIFEST");
  }

  /**
   * Many cycles of: reopen, random edits (with injected EIO/ENOSPC, kill points and a full disk),
   * power loss or kill -9, on small files so that switches are frequent.
   */
  @Test
  void randomCrashesKeepEveryAcknowledgedEdit(TestInfo test) throws IOException {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    FaultInjectionDisk fs = disk(dir);
    ManifestState acknowledged = ManifestState.empty();
    ManifestState inFlight = null;
    int failedApplies = 0;
    int failedOpens = 0;
    int inFlightSurvived = 0;
    int tornTails = 0;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      String context = "cycle " + cycle + " (seed " + seed + ")";
      boolean faultyOpen = random.nextInt(8) == 0;
      if (faultyOpen) {
        injectFaults(fs, random);
      }
      Manifest manifest;
      try {
        manifest = Manifest.open(fs, dir, Manifests.SMALL_FILES);
      } catch (IOException e) {
        assertThat(faultyOpen).as("an open without injected faults failed: %s: %s", context, e).isTrue();
        assertThat(e).as(context).hasMessageContaining("injected fault");
        failedOpens++;
        fs.crash(random, randomTail(random));
        fs.clearFaults();
        continue;
      }
      ManifestState recovered = manifest.state();
      if (inFlight != null && recovered.equals(inFlight) && !inFlight.equals(acknowledged)) {
        inFlightSurvived++;
      }
      assertThat(inFlight != null && recovered.equals(inFlight) || recovered.equals(acknowledged))
          .as("%s: recovered %s, acknowledged %s, in flight %s", context, recovered, acknowledged, inFlight).isTrue();
      if (manifest.recovery().tornTail()) {
        tornTails++;
      }
      acknowledged = recovered;
      inFlight = null;

      if (!faultyOpen) {
        injectFaults(fs, random);
      }
      int operations = random.nextInt(80);
      for (int op = 0; op < operations; op++) {
        VersionEdit edit = Manifests.randomEdit(acknowledged, random);
        ManifestState next = acknowledged.apply(edit);
        try {
          assertThat(manifest.apply(edit)).as(context).isEqualTo(next);
          acknowledged = next;
        } catch (IOException e) {
          assertThat(e).as(context).hasMessageContaining("injected fault");
          inFlight = next;
          failedApplies++;
          break;
        }
      }
      if (random.nextBoolean()) {
        manifest.close();
      }
      if (random.nextInt(4) == 0) {
        fs.killProcess();
      } else {
        CrashOutcome outcome = fs.crash(random, randomTail(random));
        if (cycle < 3) {
          System.out.println(context + ": " + outcome);
        }
      }
      fs.clearFaults();
      manifest.close(); // its handles died with the process: a quiet no-op
    }
    try (Manifest manifest = Manifest.open(fs, dir, Manifests.SMALL_FILES)) {
      assertThat(inFlight != null && manifest.state().equals(inFlight) || manifest.state().equals(acknowledged))
          .as("final reopen (seed %d)", seed).isTrue();
    }
    System.out.println(CYCLES + " cycles: " + failedApplies + " applies and " + failedOpens
        + " opens failed by injected faults, " + inFlightSurvived + " in-flight edits survived, " + tornTails
        + " torn tails ignored; final " + acknowledged);
    assertThat(failedApplies).as("applies failed (seed %d)", seed).isPositive();
  }

  private static void assertRecovered(ManifestState recovered, List<ManifestState> states, int acknowledged,
      boolean inFlight, String context) {
    ManifestState before = states.get(acknowledged);
    if (inFlight) {
      ManifestState after = states.get(acknowledged + 1);
      assertThat(recovered.equals(before) || recovered.equals(after))
          .as("%s: recovered %s; acknowledged %d edits: %s; in flight: %s", context, recovered, acknowledged, before, after)
          .isTrue();
    } else {
      assertThat(recovered).as("%s: acknowledged %d edits", context, acknowledged).isEqualTo(before);
    }
  }

  /** What a workload run got acknowledged before its first error. */
  private record Workload(int acknowledged, boolean inFlight) {}

  /** Opens, applies {@code edits[0, reopenAt)}, closes, reopens, applies the rest; stops at the first error. */
  private static Workload run(FaultInjectionDisk fs, Path dir, List<VersionEdit> edits, int reopenAt) {
    int acknowledged = 0;
    boolean applying = false;
    try {
      try (Manifest manifest = Manifest.open(fs, dir, Manifests.SMALL_FILES)) {
        for (int i = 0; i < reopenAt; i++) {
          applying = true;
          manifest.apply(edits.get(i));
          applying = false;
          acknowledged++;
        }
      }
      try (Manifest manifest = Manifest.open(fs, dir, Manifests.SMALL_FILES)) {
        for (int i = reopenAt; i < edits.size(); i++) {
          applying = true;
          manifest.apply(edits.get(i));
          applying = false;
          acknowledged++;
        }
      }
    } catch (IOException e) {
      assertThat(e).hasMessageContaining("injected fault");
    }
    return new Workload(acknowledged, applying);
  }

  /**
   * Edits of an engine that flushes tables with long keys and compacts level 0 into one level-1
   * table every third flush: a few hundred bytes an edit and a small state, so that 4 KiB files
   * switch every dozen edits.
   */
  private static List<VersionEdit> churn(int count, Random random) {
    List<VersionEdit> edits = new ArrayList<>();
    ManifestState state = ManifestState.empty();
    for (int i = 0; i < count; i++) {
      VersionEdit edit;
      long number = state.nextFileNumber();
      if (state.level(0).size() < 3) {
        edit = VersionEdit.empty().withLogNumber(state.logNumber() + 1).withLastSequence(state.lastSequence() + 100)
            .withNextFileNumber(number + 1).withAddedFile(new FileMeta(number, 0, 4096, 100, longKey(random, 'a'),
                longKey(random, 'z')));
      } else {
        edit = VersionEdit.empty().withNextFileNumber(number + 1);
        for (FileMeta file : state.level(0)) {
          edit = edit.withDeletedFile(0, file.fileNumber());
        }
        for (FileMeta file : state.level(1)) {
          edit = edit.withDeletedFile(1, file.fileNumber());
        }
        edit = edit.withAddedFile(new FileMeta(number, 1, 3 * 4096, 300, longKey(random, 'a'), longKey(random, 'z')));
      }
      edits.add(edit);
      state = state.apply(edit);
    }
    return edits;
  }

  private static Bytes longKey(Random random, char first) {
    byte[] key = new byte[150];
    random.nextBytes(key);
    key[0] = (byte) first;
    return Bytes.of(key);
  }

  private static FaultInjectionDisk disk(Path root) {
    return new FaultInjectionDisk(new NioDisk(), root, FaultInjectionDisk.Syncs.SIMULATED);
  }

  private static UnsyncedTail randomTail(Random random) {
    return UnsyncedTail.values()[random.nextInt(UnsyncedTail.values().length)];
  }

  private static void injectFaults(FaultInjectionDisk fs, Random random) {
    Errno errno = random.nextBoolean() ? Errno.EIO : Errno.ENOSPC;
    switch (random.nextInt(7)) {
      case 0 -> fs.failOneIn(FileOp.WRITE, 20, errno, random);
      case 1 -> fs.failOneIn(FileOp.SYNC, 15, errno, random);
      case 2 -> fs.failFromNth(EnumSet.complementOf(EnumSet.of(FileOp.READ)), 1 + random.nextInt(120), errno);
      case 3 -> fs.diskFullAfterBytes(random.nextInt(20_000));
      case 4 -> fs.failOneIn(random.nextBoolean() ? FileOp.CREATE : FileOp.SYNC_DIRECTORY, 3, errno, random);
      case 5 -> fs.failOneIn(FileOp.RENAME, 2, errno, random);
      default -> { } // no fault: the crash alone
    }
  }
}
