package io.ringstore.storage.lsm.fs;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one simulated power loss did, for tests to assert on and to print beside their seed.
 *
 * <p>Thread-safety: immutable.
 *
 * @param crashNumber 1-based count of crashes and process kills of this file system
 * @param files every file written since the previous crash that still had a name, in path order,
 *     with what was kept of it (before directory changes were undone, so under its name then)
 * @param undone the directory changes that were not followed by a directory sync, in the order
 *     they were undone (per directory, newest first)
 */
public record CrashOutcome(long crashNumber, List<FileTail> files, List<UndoneChange> undone) {

  /** Copies the lists. */
  public CrashOutcome {
    files = List.copyOf(files);
    undone = List.copyOf(undone);
  }

  /**
   * One file's tail after the crash.
   *
   * @param path the file's name at the moment of the crash
   * @param writtenBytes its length before the crash
   * @param durableBytes the bytes that had to survive (its size at the last successful sync, or
   *     less after a failed sync; see {@link FaultInjectionDisk})
   * @param keptBytes its length after the crash: {@code durableBytes <= keptBytes <= writtenBytes}
   * @param garbledBytes how many bytes at the end of the kept unsynced part were replaced with
   *     random bytes ({@link UnsyncedTail#TORN_GARBAGE}), else 0
   */
  public record FileTail(Path path, long writtenBytes, long durableBytes, long keptBytes, long garbledBytes) {}

  /**
   * A creation, rename or deletion undone because its directory was not synced after it.
   *
   * @param op {@link FileOp#CREATE}, {@link FileOp#RENAME} or {@link FileOp#DELETE}
   * @param path the created or deleted file, or the rename's source
   * @param target the rename's target, else null
   */
  public record UndoneChange(FileOp op, Path path, @Nullable Path target) {}
}
