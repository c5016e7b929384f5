package io.ringstore.storage.lsm.manifest;

import io.ringstore.spi.Bytes;

/**
 * One live table file, as the manifest describes it: enough to pick files for a read or a
 * compaction without opening them.
 *
 * @param fileNumber the table's file number, from 1 (the engine names the file after it)
 * @param level the level the table lives in, {@code 0 <= level < }{@link ManifestState#MAX_LEVELS}
 * @param sizeBytes the file's length in bytes, {@code >= 0}
 * @param entryCount the entries in the table, {@code >= 0}
 * @param smallestKey the table's first key, inclusive (tables are never empty)
 * @param largestKey the table's last key, inclusive; {@code smallestKey <= largestKey} in
 *     {@link Bytes#compareTo} order
 *
 * <p>Invariants: as the parameters say, and each key is at most {@link #MAX_KEY_BYTES} long;
 * checked at construction (an {@link IllegalArgumentException} names the field, the value and the
 * bound). Thread-safety: immutable.
 */
public record FileMeta(long fileNumber, int level, long sizeBytes, long entryCount, Bytes smallestKey,
    Bytes largestKey) {

  /**
   * The longest key a manifest records: 16 MiB, the upper bound of {@code table.maxKeyBytes}, so
   * that every key a table may hold can be described. Part of the format: a decoder refuses longer.
   */
  public static final int MAX_KEY_BYTES = 16 << 20;

  /** Checks the invariants. */
  public FileMeta {
    if (fileNumber < 1) {
      throw new IllegalArgumentException("file number = " + fileNumber + "; must be >= 1");
    }
    if (level < 0 || level >= ManifestState.MAX_LEVELS) {
      throw new IllegalArgumentException("file " + fileNumber + ": level = " + level
          + " is out of range; need 0 <= level < " + ManifestState.MAX_LEVELS);
    }
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("file " + fileNumber + ": sizeBytes = " + sizeBytes + "; must be >= 0");
    }
    if (entryCount < 0) {
      throw new IllegalArgumentException("file " + fileNumber + ": entryCount = " + entryCount + "; must be >= 0");
    }
    if (smallestKey == null || largestKey == null) {
      throw new IllegalArgumentException("file " + fileNumber + ": smallestKey and largestKey must be set"
          + " (a table is never empty)");
    }
    checkKeyLength(fileNumber, "smallestKey", smallestKey);
    checkKeyLength(fileNumber, "largestKey", largestKey);
    if (smallestKey.compareTo(largestKey) > 0) {
      throw new IllegalArgumentException("file " + fileNumber + ": smallestKey " + smallestKey
          + " sorts after largestKey " + largestKey);
    }
  }

  private static void checkKeyLength(long fileNumber, String field, Bytes key) {
    if (key.length() > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("file " + fileNumber + ": " + field + " of " + key.length()
          + " bytes is longer than the manifest's bound of " + MAX_KEY_BYTES + " bytes");
    }
  }

  /** Whether this file's key range shares a key with {@code [smallest, largest]}. */
  public boolean overlaps(Bytes smallest, Bytes largest) {
    return smallestKey.compareTo(largest) <= 0 && smallest.compareTo(largestKey) <= 0;
  }

  /** Whether this file's key range shares a key with {@code other}'s. */
  public boolean overlaps(FileMeta other) {
    return overlaps(other.smallestKey, other.largestKey);
  }
}
