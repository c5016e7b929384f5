package io.ringstore.storage.lsm.manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the manifest records at one moment: the live table files of levels {@code 0 ..}
 * {@link #MAX_LEVELS}{@code - 1} and the engine's three counters. A new state comes only from
 * {@link #apply(VersionEdit)}; the {@link Manifest} publishes each one through a single reference,
 * so readers never lock.
 *
 * <p>Invariants:
 * <ul>
 *   <li>every live file number appears once, in one level, and is below {@link #nextFileNumber()};
 *   <li>level 0 is sorted by file number, newest (largest number) first; its files may overlap;
 *   <li>each level {@code >= 1} is sorted by {@link FileMeta#smallestKey()} and its files do not
 *       overlap: each file's largest key sorts before the next file's smallest key;
 *   <li>the counters only grow: {@code logNumber >= 0}, {@code nextFileNumber >= 1},
 *       {@code lastSequence >= 0}.
 * </ul>
 *
 * <p>{@link #apply} throws {@link IllegalArgumentException} for an edit that would break them: the
 * engine built a wrong edit, a bug, and nothing is written. Manifest recovery turns the same
 * failure, met while replaying a file, into a {@code CorruptionException} naming the file and the
 * record's offset.
 *
 * <p>Equality is by content (counters and every level's files in order). Thread-safety: immutable.
 */
public final class ManifestState {
  /** The number of levels: 0 to 6. */
  public static final int MAX_LEVELS = 7;

  private static final ManifestState EMPTY = new ManifestState(0, 1, 0, emptyLevels(), Map.of());

  private static final Comparator<FileMeta> NEWEST_FIRST =
      Comparator.comparingLong(FileMeta::fileNumber).reversed();
  private static final Comparator<FileMeta> BY_SMALLEST_KEY =
      Comparator.comparing(FileMeta::smallestKey).thenComparing(FileMeta::largestKey);

  // constant after construction
  private final long logNumber;
  private final long nextFileNumber;
  private final long lastSequence;
  /** MAX_LEVELS immutable lists, in the invariants' order. */
  private final List<List<FileMeta>> levels;
  /** Every live file by number (unmodifiable). */
  private final Map<Long, FileMeta> files;

  private ManifestState(long logNumber, long nextFileNumber, long lastSequence, List<List<FileMeta>> levels,
      Map<Long, FileMeta> files) {
    this.logNumber = logNumber;
    this.nextFileNumber = nextFileNumber;
    this.lastSequence = lastSequence;
    this.levels = levels;
    this.files = files;
  }

  private static List<List<FileMeta>> emptyLevels() {
    List<List<FileMeta>> levels = new ArrayList<>();
    for (int i = 0; i < MAX_LEVELS; i++) {
      levels.add(List.of());
    }
    return List.copyOf(levels);
  }

  /** The state of a new engine: no file, logNumber 0, nextFileNumber 1, lastSequence 0. */
  public static ManifestState empty() {
    return EMPTY;
  }

  /**
   * The first WAL segment id not yet covered by tables: recovery replays the segments at or above
   * it, and the engine may delete the ones below.
   */
  public long logNumber() {
    return logNumber;
  }

  /** The next number for a new table file; above every live file's number. */
  public long nextFileNumber() {
    return nextFileNumber;
  }

  /** The highest write sequence number covered by tables. */
  public long lastSequence() {
    return lastSequence;
  }

  /** {@value #MAX_LEVELS}. */
  public int levelCount() {
    return MAX_LEVELS;
  }

  /**
   * The live files of {@code level}, in the order of the class invariants (immutable).
   *
   * @throws IllegalArgumentException if {@code level} is outside {@code [0, MAX_LEVELS)}
   */
  public List<FileMeta> level(int level) {
    checkLevel(level);
    return levels.get(level);
  }

  /** The sum of {@link FileMeta#sizeBytes()} over the files of {@code level}. */
  public long levelSizeBytes(int level) {
    long total = 0;
    for (FileMeta file : level(level)) {
      total += file.sizeBytes();
    }
    return total;
  }

  /** The live file numbered {@code fileNumber}, or null if none is live. */
  public @Nullable FileMeta file(long fileNumber) {
    return files.get(fileNumber);
  }

  /** How many files are live, over all levels. */
  public int fileCount() {
    return files.size();
  }

  /**
   * The state after {@code edit}: counters set where the edit sets them, then its deletions, then
   * its additions. {@code nextFileNumber} is raised, if need be, to one past every file the edit
   * adds (so a file number is never handed out twice, even if the engine forgot to set it).
   *
   * @throws IllegalArgumentException naming the file or counter, the values and the rule, if the
   *     edit moves a counter backwards, deletes a file that is not live at the level it names, adds
   *     a file number that is live (or added twice), adds a file to a level {@code >= 1} that
   *     overlaps another file there, or adds file number {@link Long#MAX_VALUE} (which leaves no next
   *     number)
   */
  public ManifestState apply(VersionEdit edit) {
    long newLog = counter("logNumber", logNumber, edit.logNumber());
    long newNext = counter("nextFileNumber", nextFileNumber, edit.nextFileNumber());
    long newSequence = counter("lastSequence", lastSequence, edit.lastSequence());
    if (edit.deletedFiles().isEmpty() && edit.addedFiles().isEmpty()) {
      if (newLog == logNumber && newNext == nextFileNumber && newSequence == lastSequence) {
        return this;
      }
      return new ManifestState(newLog, newNext, newSequence, levels, files);
    }
    Map<Long, FileMeta> live = new HashMap<>(files);
    List<List<FileMeta>> changed = new ArrayList<>(levels);
    boolean[] touched = new boolean[MAX_LEVELS];
    for (DeletedFile deleted : edit.deletedFiles()) {
      FileMeta file = live.get(deleted.fileNumber());
      if (file == null || file.level() != deleted.level()) {
        throw new IllegalArgumentException("edit deletes file " + deleted.fileNumber() + " from level "
            + deleted.level() + ", but " + (file == null ? "no file of that number is live"
                : "it is live at level " + file.level()));
      }
      live.remove(deleted.fileNumber());
      mutable(changed, touched, deleted.level()).remove(file);
    }
    for (FileMeta added : edit.addedFiles()) {
      FileMeta present = live.get(added.fileNumber());
      if (present != null) {
        throw new IllegalArgumentException("edit adds file " + added.fileNumber() + " to level " + added.level()
            + ", but a file of that number is already live at level " + present.level());
      }
      if (added.fileNumber() == Long.MAX_VALUE) {
        throw new IllegalArgumentException("edit adds file number " + Long.MAX_VALUE
            + ", which leaves no next file number; need fileNumber < " + Long.MAX_VALUE);
      }
      live.put(added.fileNumber(), added);
      mutable(changed, touched, added.level()).add(added);
      newNext = Math.max(newNext, added.fileNumber() + 1);
    }
    for (int level = 0; level < MAX_LEVELS; level++) {
      if (touched[level]) {
        List<FileMeta> files = changed.get(level);
        if (level == 0) {
          files.sort(NEWEST_FIRST);
        } else {
          files.sort(BY_SMALLEST_KEY);
          checkDisjoint(level, files);
        }
        changed.set(level, List.copyOf(files));
      }
    }
    return new ManifestState(newLog, newNext, newSequence, List.copyOf(changed), Collections.unmodifiableMap(live));
  }

  /** One edit that rebuilds this state when applied to {@link #empty()}: every counter, every file. */
  public VersionEdit asSnapshotEdit() {
    List<FileMeta> all = new ArrayList<>(files.size());
    for (List<FileMeta> level : levels) {
      all.addAll(level);
    }
    return new VersionEdit(logNumber, nextFileNumber, lastSequence, all, List.of());
  }

  private static List<FileMeta> mutable(List<List<FileMeta>> levels, boolean[] touched, int level) {
    if (!touched[level]) {
      levels.set(level, new ArrayList<>(levels.get(level)));
      touched[level] = true;
    }
    return levels.get(level);
  }

  private static long counter(String name, long current, @Nullable Long edited) {
    if (edited == null) {
      return current;
    }
    if (edited < current) {
      throw new IllegalArgumentException("edit moves " + name + " backwards from " + current + " to " + edited
          + "; counters only grow");
    }
    return edited;
  }

  private static void checkDisjoint(int level, List<FileMeta> sorted) {
    for (int i = 1; i < sorted.size(); i++) {
      FileMeta before = sorted.get(i - 1);
      FileMeta after = sorted.get(i);
      if (before.largestKey().compareTo(after.smallestKey()) >= 0) {
        throw new IllegalArgumentException("level " + level + " would hold overlapping files " + before.fileNumber()
            + " [" + before.smallestKey() + ", " + before.largestKey() + "] and " + after.fileNumber() + " ["
            + after.smallestKey() + ", " + after.largestKey() + "]; files of a level >= 1 must not overlap");
      }
    }
  }

  private static void checkLevel(int level) {
    if (level < 0 || level >= MAX_LEVELS) {
      throw new IllegalArgumentException("level = " + level + " is out of range; need 0 <= level < " + MAX_LEVELS);
    }
  }

  @Override
  public boolean equals(Object other) {
    return this == other || (other instanceof ManifestState that && logNumber == that.logNumber
        && nextFileNumber == that.nextFileNumber && lastSequence == that.lastSequence && levels.equals(that.levels));
  }

  @Override
  public int hashCode() {
    return Long.hashCode(logNumber) * 31 * 31 * 31 + Long.hashCode(nextFileNumber) * 31 * 31
        + Long.hashCode(lastSequence) * 31 + levels.hashCode();
  }

  /** Counters and the number of files per level; never keys. */
  @Override
  public String toString() {
    StringBuilder perLevel = new StringBuilder();
    for (int i = 0; i < MAX_LEVELS; i++) {
      perLevel.append(i == 0 ? "" : ", ").append(levels.get(i).size());
    }
    return "ManifestState[logNumber=" + logNumber + ", nextFileNumber=" + nextFileNumber + ", lastSequence="
        + lastSequence + ", files per level=[" + perLevel + "]]";
  }
}
