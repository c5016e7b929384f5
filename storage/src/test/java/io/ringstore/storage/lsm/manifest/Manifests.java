package io.ringstore.storage.lsm.manifest;

import io.ringstore.spi.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test shortcuts for the manifest: files with text keys, and a generator of random edits that are
 * valid for a given state (flushes to level 0, compactions into the next level, trivial moves,
 * counter bumps, empty edits), as an engine would make them. Thread-safety: stateless.
 */
final class Manifests {

  /** The smallest files the options allow, so that tests switch files often. */
  static final ManifestOptions SMALL_FILES = new ManifestOptions(ManifestOptions.MIN_BYTES, 1 << 20);

  private Manifests() {}

  static FileMeta file(long number, int level, String smallest, String largest) {
    return new FileMeta(number, level, 1000 + number, 10 + number, Bytes.utf8(smallest), Bytes.utf8(largest));
  }

  /** The state after each of {@code edits}, from empty: element i is the state after i edits. */
  static List<ManifestState> prefixStates(List<VersionEdit> edits) {
    List<ManifestState> states = new ArrayList<>();
    ManifestState state = ManifestState.empty();
    states.add(state);
    for (VersionEdit edit : edits) {
      state = state.apply(edit);
      states.add(state);
    }
    return states;
  }

  /** A random edit that {@code state.apply} accepts. */
  static VersionEdit randomEdit(ManifestState state, Random random) {
    int choice = random.nextInt(100);
    VersionEdit edit;
    if (choice < 40) {
      edit = flush(state, random);
    } else if (choice < 70) {
      edit = compaction(state, random);
    } else if (choice < 80) {
      edit = trivialMove(state, random);
    } else if (choice < 95) {
      edit = VersionEdit.empty().withLastSequence(state.lastSequence() + random.nextInt(1000))
          .withLogNumber(state.logNumber() + random.nextInt(2));
    } else {
      edit = VersionEdit.empty();
    }
    state.apply(edit); // the generator's contract: valid for the state
    return edit;
  }

  /** A memtable flush: one new level-0 file, the counters moved on. */
  private static VersionEdit flush(ManifestState state, Random random) {
    long number = state.nextFileNumber() + random.nextInt(2); // sometimes a number was skipped
    int[] range = range(random);
    VersionEdit edit = VersionEdit.empty()
        .withLogNumber(state.logNumber() + 1)
        .withLastSequence(state.lastSequence() + 1 + random.nextInt(500))
        .withAddedFile(randomFile(number, 0, range, random));
    return random.nextInt(4) == 0 ? edit : edit.withNextFileNumber(number + 1);
  }

  /** Some files of level L (or none) deleted, some non-overlapping files added to L+1. */
  private static VersionEdit compaction(ManifestState state, Random random) {
    int level = random.nextInt(ManifestState.MAX_LEVELS - 1);
    List<FileMeta> from = state.level(level);
    List<FileMeta> into = new ArrayList<>(state.level(level + 1));
    VersionEdit edit = VersionEdit.empty();
    for (FileMeta file : from) {
      if (random.nextInt(3) == 0) {
        edit = edit.withDeletedFile(level, file.fileNumber());
      }
    }
    for (FileMeta file : List.copyOf(into)) {
      if (random.nextInt(3) == 0) {
        edit = edit.withDeletedFile(level + 1, file.fileNumber());
        into.remove(file);
      }
    }
    long number = state.nextFileNumber();
    int outputs = random.nextInt(4);
    for (int i = 0; i < outputs; i++) {
      for (int attempt = 0; attempt < 10; attempt++) {
        FileMeta candidate = randomFile(number, level + 1, range(random), random);
        if (into.stream().noneMatch(candidate::overlaps)) {
          into.add(candidate);
          edit = edit.withAddedFile(candidate);
          number++;
          break;
        }
      }
    }
    return edit.withNextFileNumber(number);
  }

  /** One file moved down a level unchanged, if it fits there. */
  private static VersionEdit trivialMove(ManifestState state, Random random) {
    int level = random.nextInt(ManifestState.MAX_LEVELS - 1);
    List<FileMeta> from = state.level(level);
    if (from.isEmpty()) {
      return VersionEdit.empty();
    }
    FileMeta file = from.get(random.nextInt(from.size()));
    if (state.level(level + 1).stream().anyMatch(file::overlaps)) {
      return VersionEdit.empty().withLastSequence(state.lastSequence());
    }
    FileMeta moved = new FileMeta(file.fileNumber(), level + 1, file.sizeBytes(), file.entryCount(),
        file.smallestKey(), file.largestKey());
    return VersionEdit.empty().withDeletedFile(level, file.fileNumber()).withAddedFile(moved);
  }

  private static int[] range(Random random) {
    int a = random.nextInt(100_000);
    int b = a + random.nextInt(random.nextBoolean() ? 50 : 5_000);
    return new int[] {a, b};
  }

  private static FileMeta randomFile(long number, int level, int[] range, Random random) {
    Bytes smallest = key(range[0], random);
    Bytes largest = key(range[1], random);
    if (smallest.compareTo(largest) > 0) {
      Bytes swap = smallest;
      smallest = largest;
      largest = swap;
    }
    return new FileMeta(number, level, random.nextInt(1 << 20), 1 + random.nextInt(10_000), smallest, largest);
  }

  /** Four big-endian bytes of {@code n}, then 0 to 12 random bytes. */
  private static Bytes key(int n, Random random) {
    byte[] key = new byte[4 + random.nextInt(13)];
    random.nextBytes(key);
    ByteBuffer.wrap(key).putInt(n);
    return Bytes.of(key);
  }
}
