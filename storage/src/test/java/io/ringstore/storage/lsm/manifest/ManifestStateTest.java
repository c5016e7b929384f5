package io.ringstore.storage.lsm.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.testkit.TestSeeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The rules of {@link ManifestState#apply}: each refusal with its message, the order of levels, moves,
 * snapshots, and random edits (valid and not) checked against a plain model.
 */
class ManifestStateTest {

  private static FileMeta file(long number, int level, String smallest, String largest) {
    return Manifests.file(number, level, smallest, largest);
  }

  @Test
  void theEmptyState() {
    ManifestState empty = ManifestState.empty();
    assertThat(empty.logNumber()).isZero();
    assertThat(empty.nextFileNumber()).isEqualTo(1);
    assertThat(empty.lastSequence()).isZero();
    assertThat(empty.levelCount()).isEqualTo(ManifestState.MAX_LEVELS).isEqualTo(7);
    for (int level = 0; level < 7; level++) {
      assertThat(empty.level(level)).isEmpty();
    }
    assertThat(empty.fileCount()).isZero();
    assertThatThrownBy(() -> empty.level(7)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("level = 7 is out of range; need 0 <= level < 7");
    assertThatThrownBy(() -> empty.level(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(empty.apply(VersionEdit.empty())).isSameAs(empty);
    assertThat(empty.asSnapshotEdit()).isEqualTo(new VersionEdit(0L, 1L, 0L, List.of(), List.of()));
    assertThat(empty).hasToString("ManifestState[logNumber=0, nextFileNumber=1, lastSequence=0, files per level=[0, 0, 0, 0, 0, 0, 0]]");
  }

  @Test
  void levelZeroIsNewestFirstAndOtherLevelsAreByKey() {
    ManifestState state = ManifestState.empty()
        .apply(VersionEdit.empty().withAddedFile(file(4, 0, "a", "z")).withAddedFile(file(9, 0, "c", "d")))
        .apply(VersionEdit.empty().withAddedFile(file(6, 0, "b", "q")))
        .apply(VersionEdit.empty().withAddedFile(file(7, 2, "m", "p")).withAddedFile(file(5, 2, "a", "c"))
            .withAddedFile(file(8, 2, "x", "y")));
    assertThat(state.level(0)).extracting(FileMeta::fileNumber).containsExactly(9L, 6L, 4L);
    assertThat(state.level(2)).extracting(FileMeta::fileNumber).containsExactly(5L, 7L, 8L);
    assertThat(state.levelSizeBytes(2)).isEqualTo(1005 + 1007 + 1008);
    assertThat(state.file(7)).isEqualTo(file(7, 2, "m", "p"));
    assertThat(state.file(70)).isNull();
    assertThat(state.fileCount()).isEqualTo(6);
    assertThat(state.nextFileNumber()).as("raised past every added file").isEqualTo(10);
    assertThatThrownBy(() -> state.level(2).add(file(1, 2, "a", "b"))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anEditMovesAFileBetweenLevels() {
    ManifestState state = ManifestState.empty().apply(VersionEdit.empty().withAddedFile(file(3, 0, "a", "c")));
    ManifestState moved = state.apply(VersionEdit.empty().withDeletedFile(0, 3).withAddedFile(file(3, 1, "a", "c")));
    assertThat(moved.level(0)).isEmpty();
    assertThat(moved.level(1)).containsExactly(file(3, 1, "a", "c"));
    assertThat(state.level(0)).as("the old state is unchanged").hasSize(1);
  }

  @Test
  void countersOnlyGrow() {
    ManifestState state = ManifestState.empty()
        .apply(VersionEdit.empty().withLogNumber(5).withNextFileNumber(10).withLastSequence(100));
    assertThat(state.apply(VersionEdit.empty().withLogNumber(5).withNextFileNumber(10).withLastSequence(100)))
        .isEqualTo(state);
    assertThatThrownBy(() -> state.apply(VersionEdit.empty().withLogNumber(4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("edit moves logNumber backwards from 5 to 4; counters only grow");
    assertThatThrownBy(() -> state.apply(VersionEdit.empty().withNextFileNumber(9)))
        .hasMessage("edit moves nextFileNumber backwards from 10 to 9; counters only grow");
    assertThatThrownBy(() -> state.apply(VersionEdit.empty().withLastSequence(99)))
        .hasMessage("edit moves lastSequence backwards from 100 to 99; counters only grow");
    ManifestState raised = state.apply(VersionEdit.empty().withNextFileNumber(12).withAddedFile(file(30, 0, "a", "b")));
    assertThat(raised.nextFileNumber()).isEqualTo(31);
    ManifestState kept = state.apply(VersionEdit.empty().withNextFileNumber(50).withAddedFile(file(30, 0, "a", "b")));
    assertThat(kept.nextFileNumber()).isEqualTo(50);
  }

  @Test
  void editsThatBreakTheInvariantsAreRefused() {
    ManifestState state = ManifestState.empty()
        .apply(VersionEdit.empty().withAddedFile(file(3, 0, "a", "z")).withAddedFile(file(4, 1, "c", "f"))
            .withAddedFile(file(5, 1, "k", "m")));
    assertThatThrownBy(() -> state.apply(VersionEdit.empty().withDeletedFile(0, 7)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("edit deletes file 7 from level 0, but no file of that number is live");
    assertThatThrownBy(() -> state.apply(VersionEdit.empty().withDeletedFile(2, 4)))
        .hasMessage("edit deletes file 4 from level 2, but it is live at level 1");
    assertThatThrownBy(() -> state.apply(VersionEdit.empty().withDeletedFile(0, 3).withDeletedFile(0, 3)))
        .hasMessage("edit deletes file 3 from level 0, but no file of that number is live");
    assertThatThrownBy(() -> state.apply(VersionEdit.empty().withAddedFile(file(4, 3, "a", "b"))))
        .hasMessage("edit adds file 4 to level 3, but a file of that number is already live at level 1");
    assertThatThrownBy(() -> state.apply(VersionEdit.empty().withAddedFile(file(8, 2, "a", "b"))
            .withAddedFile(file(8, 3, "a", "b"))))
        .hasMessage("edit adds file 8 to level 3, but a file of that number is already live at level 2");
    assertThatThrownBy(() -> state.apply(VersionEdit.empty().withAddedFile(file(8, 1, "f", "g"))))
        .hasMessage("level 1 would hold overlapping files 4 [Bytes[1]0x63, Bytes[1]0x66] and 8 [Bytes[1]0x66, Bytes[1]0x67];"
            + " files of a level >= 1 must not overlap");
    assertThatThrownBy(() -> state.apply(VersionEdit.empty().withAddedFile(file(8, 1, "g", "j"))
            .withAddedFile(file(9, 1, "h", "i"))))
        .hasMessageContaining("level 1 would hold overlapping files 8");
    assertThatThrownBy(() -> state.apply(VersionEdit.empty()
            .withAddedFile(new FileMeta(Long.MAX_VALUE, 0, 1, 1, Bytes.utf8("a"), Bytes.utf8("a")))))
        .hasMessageContaining("which leaves no next file number");
    // what fits: touching a neighbour's range only from outside, and replacing a file in the same edit
    ManifestState fits = state.apply(VersionEdit.empty().withAddedFile(file(8, 1, "f\0", "j"))
        .withDeletedFile(1, 5).withAddedFile(file(9, 1, "k", "n")));
    assertThat(fits.level(1)).extracting(FileMeta::fileNumber).containsExactly(4L, 8L, 9L);
    assertThat(fits.level(0)).extracting(FileMeta::fileNumber).containsExactly(3L);
  }

  @Test
  void aSnapshotRebuildsTheState(TestInfo test) {
    Random random = new Random(TestSeeds.seed(test));
    ManifestState state = ManifestState.empty();
    for (int i = 0; i < 500; i++) {
      state = state.apply(Manifests.randomEdit(state, random));
      if (i % 25 == 0) {
        VersionEdit snapshot = state.asSnapshotEdit();
        assertThat(ManifestState.empty().apply(snapshot)).isEqualTo(state).hasSameHashCodeAs(state);
        byte[] bytes = snapshot.encode();
        assertThat(VersionEdit.decode(bytes, 0, bytes.length, "snapshot", 0)).isEqualTo(snapshot);
        assertThat(snapshot.deletedFiles()).isEmpty();
        assertThat(snapshot.addedFiles()).hasSize(state.fileCount());
      }
    }
    assertThat(state.fileCount()).isPositive();
  }

  /** Random edits, valid or not, against a model that knows the rules in the plainest way. */
  @Test
  void randomEditsMatchAPlainModel(TestInfo test) {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    ManifestState state = ManifestState.empty();
    Model model = new Model();
    int refused = 0;
    for (int i = 0; i < 3000; i++) {
      VersionEdit edit = wildEdit(state, random);
      String context = "edit " + i + " " + edit + " (seed " + seed + ")";
      String problem = model.problemWith(edit);
      if (problem != null) {
        ManifestState before = state;
        assertThatThrownBy(() -> before.apply(edit)).as(context).isInstanceOf(IllegalArgumentException.class);
        refused++;
        continue;
      }
      state = state.apply(edit);
      model.apply(edit);
      assertThat(state.logNumber()).as(context).isEqualTo(model.logNumber);
      assertThat(state.nextFileNumber()).as(context).isEqualTo(model.nextFileNumber);
      assertThat(state.lastSequence()).as(context).isEqualTo(model.lastSequence);
      for (int level = 0; level < ManifestState.MAX_LEVELS; level++) {
        assertThat(state.level(level)).as("level %d after %s", level, context).containsExactlyElementsOf(model.level(level));
      }
    }
    System.out.println(refused + " of 3000 random edits refused");
    assertThat(refused).isBetween(300, 2700);
  }

  /** An edit that may or may not fit: keys from a small alphabet so that ranges often overlap. */
  private static VersionEdit wildEdit(ManifestState state, Random random) {
    VersionEdit edit = VersionEdit.empty();
    if (random.nextInt(4) == 0) {
      edit = edit.withLogNumber(Math.max(0, state.logNumber() + random.nextInt(4) - 1));
    }
    if (random.nextInt(4) == 0) {
      edit = edit.withLastSequence(Math.max(0, state.lastSequence() + random.nextInt(20) - 2));
    }
    if (random.nextInt(4) == 0) {
      edit = edit.withNextFileNumber(Math.max(1, state.nextFileNumber() + random.nextInt(4) - 1));
    }
    int deletions = random.nextInt(3);
    for (int i = 0; i < deletions; i++) {
      List<FileMeta> live = new ArrayList<>();
      for (int level = 0; level < ManifestState.MAX_LEVELS; level++) {
        live.addAll(state.level(level));
      }
      if (!live.isEmpty() && random.nextInt(5) > 0) {
        FileMeta victim = live.get(random.nextInt(live.size()));
        edit = edit.withDeletedFile(random.nextInt(8) == 0 ? random.nextInt(7) : victim.level(), victim.fileNumber());
      } else {
        edit = edit.withDeletedFile(random.nextInt(7), 1 + random.nextInt(60));
      }
    }
    int additions = random.nextInt(3);
    for (int i = 0; i < additions; i++) {
      char a = (char) ('a' + random.nextInt(20));
      char b = (char) (a + random.nextInt(3));
      long number = random.nextInt(6) == 0 ? 1 + random.nextInt(60) : state.nextFileNumber() + i;
      edit = edit.withAddedFile(orderedFile(number, random, a, b));
    }
    return edit;
  }

  private static FileMeta orderedFile(long number, Random random, char a, char b) {
    String smallest = a + "" + random.nextInt(10);
    String largest = b + "" + random.nextInt(10);
    if (smallest.compareTo(largest) > 0) {
      String swap = smallest;
      smallest = largest;
      largest = swap;
    }
    return file(number, random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(6), smallest, largest);
  }

  /** The rules, stated as plainly as possible. Not thread-safe. */
  private static final class Model {
    long logNumber;
    long nextFileNumber = 1;
    long lastSequence;
    final Map<Long, FileMeta> files = new HashMap<>();

    String problemWith(VersionEdit edit) {
      if (edit.logNumber() != null && edit.logNumber() < logNumber
          || edit.nextFileNumber() != null && edit.nextFileNumber() < nextFileNumber
          || edit.lastSequence() != null && edit.lastSequence() < lastSequence) {
        return "counter backwards";
      }
      Map<Long, FileMeta> after = new HashMap<>(files);
      for (DeletedFile deleted : edit.deletedFiles()) {
        FileMeta live = after.remove(deleted.fileNumber());
        if (live == null || live.level() != deleted.level()) {
          return "deletes a file not live there";
        }
      }
      for (FileMeta added : edit.addedFiles()) {
        if (after.put(added.fileNumber(), added) != null) {
          return "adds a live number";
        }
      }
      for (FileMeta x : after.values()) {
        for (FileMeta y : after.values()) {
          if (x != y && x.level() > 0 && x.level() == y.level() && x.overlaps(y)) {
            return "overlap";
          }
        }
      }
      return null;
    }

    void apply(VersionEdit edit) {
      if (edit.logNumber() != null) {
        logNumber = edit.logNumber();
      }
      if (edit.nextFileNumber() != null) {
        nextFileNumber = edit.nextFileNumber();
      }
      if (edit.lastSequence() != null) {
        lastSequence = edit.lastSequence();
      }
      edit.deletedFiles().forEach(d -> files.remove(d.fileNumber()));
      for (FileMeta added : edit.addedFiles()) {
        files.put(added.fileNumber(), added);
        nextFileNumber = Math.max(nextFileNumber, added.fileNumber() + 1);
      }
    }

    List<FileMeta> level(int level) {
      return files.values().stream().filter(f -> f.level() == level)
          .sorted(level == 0 ? Comparator.comparingLong(FileMeta::fileNumber).reversed()
              : Comparator.comparing(FileMeta::smallestKey))
          .toList();
    }
  }
}
