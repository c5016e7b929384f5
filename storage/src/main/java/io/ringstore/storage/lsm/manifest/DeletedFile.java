package io.ringstore.storage.lsm.manifest;

/**
 * A table leaving a level: deleted after a compaction, or moved to another level (a deletion and
 * an addition of the same file number in one {@link VersionEdit}).
 *
 * @param level the level the file is live in, {@code 0 <= level < }{@link ManifestState#MAX_LEVELS}
 * @param fileNumber the file's number, from 1
 *
 * <p>Invariants: as the parameters say (checked at construction). Thread-safety: immutable.
 */
public record DeletedFile(int level, long fileNumber) {

  /** Checks the invariants. */
  public DeletedFile {
    if (level < 0 || level >= ManifestState.MAX_LEVELS) {
      throw new IllegalArgumentException("deleted file " + fileNumber + ": level = " + level
          + " is out of range; need 0 <= level < " + ManifestState.MAX_LEVELS);
    }
    if (fileNumber < 1) {
      throw new IllegalArgumentException("deleted file number = " + fileNumber + "; must be >= 1");
    }
  }
}
