package io.ringstore.storage.lsm.manifest;

import io.ringstore.storage.lsm.sstable.CorruptionException;
import io.ringstore.storage.lsm.sstable.Varints;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A change to the {@link ManifestState}, as LevelDB's {@code VersionEdit}: counters to raise, files
 * leaving a level, files joining one. {@link ManifestState#apply} applies the deletions first, then
 * the additions, so one edit can move a file between levels.
 *
 * <p>Encoding ({@code docs/formats/manifest.md}, "Edit"): a run of tagged fields, each a varint32
 * tag followed by its value, in ascending tag order: {@code 1} logNumber, {@code 2}
 * nextFileNumber, {@code 3} lastSequence (each a varint64, at most once), then {@code 4} one per
 * deleted file (level varint32, number varint64), then {@code 5} one per added file (level,
 * number, size, entry count, smallest key, largest key; keys as a varint32 length and the bytes).
 * Null counters and empty lists are left out, so {@link #empty()} encodes to no bytes.
 * {@link #decode} is strict: an unknown tag, fields out of order, a repeated counter, a value out
 * of its bound or a non-canonical varint is a {@link CorruptionException}. So an edit has exactly
 * one encoding: {@code decode(encode(e)).equals(e)} and {@code decode(b).encode()} is {@code b}.
 *
 * @param logNumber the new {@link ManifestState#logNumber()}, or null for unchanged; {@code >= 0}
 * @param nextFileNumber the new {@link ManifestState#nextFileNumber()}, or null; {@code >= 1}
 * @param lastSequence the new {@link ManifestState#lastSequence()}, or null; {@code >= 0}
 * @param addedFiles the files joining a level, in encoding order
 * @param deletedFiles the files leaving a level, in encoding order
 *
 * <p>Invariants: as the parameters say (checked at construction); the lists are immutable copies.
 * Whether an edit fits a state is {@link ManifestState#apply}'s business. Thread-safety: immutable.
 */
public record VersionEdit(@Nullable Long logNumber, @Nullable Long nextFileNumber, @Nullable Long lastSequence,
    List<FileMeta> addedFiles, List<DeletedFile> deletedFiles) {

  /** Tag of {@link #logNumber()}. */
  static final int TAG_LOG_NUMBER = 1;
  /** Tag of {@link #nextFileNumber()}. */
  static final int TAG_NEXT_FILE_NUMBER = 2;
  /** Tag of {@link #lastSequence()}. */
  static final int TAG_LAST_SEQUENCE = 3;
  /** Tag of one {@link DeletedFile}. */
  static final int TAG_DELETED_FILE = 4;
  /** Tag of one added {@link FileMeta}. */
  static final int TAG_ADDED_FILE = 5;

  private static final VersionEdit EMPTY = new VersionEdit(null, null, null, List.of(), List.of());

  /** Checks the counters and copies the lists. */
  public VersionEdit {
    if (logNumber != null && logNumber < 0) {
      throw new IllegalArgumentException("logNumber = " + logNumber + "; must be >= 0");
    }
    if (nextFileNumber != null && nextFileNumber < 1) {
      throw new IllegalArgumentException("nextFileNumber = " + nextFileNumber + "; must be >= 1");
    }
    if (lastSequence != null && lastSequence < 0) {
      throw new IllegalArgumentException("lastSequence = " + lastSequence + "; must be >= 0");
    }
    addedFiles = List.copyOf(addedFiles);
    deletedFiles = List.copyOf(deletedFiles);
  }

  /** The edit that changes nothing: every counter null, no file. */
  public static VersionEdit empty() {
    return EMPTY;
  }

  /** Whether this edit changes nothing. */
  public boolean isEmpty() {
    return logNumber == null && nextFileNumber == null && lastSequence == null && addedFiles.isEmpty()
        && deletedFiles.isEmpty();
  }

  /** A copy that sets {@link #logNumber()}. */
  public VersionEdit withLogNumber(long number) {
    return new VersionEdit(number, nextFileNumber, lastSequence, addedFiles, deletedFiles);
  }

  /** A copy that sets {@link #nextFileNumber()}. */
  public VersionEdit withNextFileNumber(long number) {
    return new VersionEdit(logNumber, number, lastSequence, addedFiles, deletedFiles);
  }

  /** A copy that sets {@link #lastSequence()}. */
  public VersionEdit withLastSequence(long sequence) {
    return new VersionEdit(logNumber, nextFileNumber, sequence, addedFiles, deletedFiles);
  }

  /** A copy that also adds {@code file} (after the files it already adds). */
  public VersionEdit withAddedFile(FileMeta file) {
    List<FileMeta> added = new ArrayList<>(addedFiles);
    added.add(file);
    return new VersionEdit(logNumber, nextFileNumber, lastSequence, added, deletedFiles);
  }

  /** A copy that also deletes file {@code fileNumber} from {@code level}. */
  public VersionEdit withDeletedFile(int level, long fileNumber) {
    List<DeletedFile> deleted = new ArrayList<>(deletedFiles);
    deleted.add(new DeletedFile(level, fileNumber));
    return new VersionEdit(logNumber, nextFileNumber, lastSequence, addedFiles, deleted);
  }

  /** The edit's bytes, as the class comment lays them out (the payload of one manifest record). */
  public byte[] encode() {
    int size = 0;
    if (logNumber != null) {
      size += 1 + Varints.sizeOfLong(logNumber);
    }
    if (nextFileNumber != null) {
      size += 1 + Varints.sizeOfLong(nextFileNumber);
    }
    if (lastSequence != null) {
      size += 1 + Varints.sizeOfLong(lastSequence);
    }
    for (DeletedFile file : deletedFiles) {
      size += 1 + Varints.sizeOfInt(file.level()) + Varints.sizeOfLong(file.fileNumber());
    }
    for (FileMeta file : addedFiles) {
      long fileSize = 1L + Varints.sizeOfInt(file.level()) + Varints.sizeOfLong(file.fileNumber())
          + Varints.sizeOfLong(file.sizeBytes()) + Varints.sizeOfLong(file.entryCount())
          + Varints.sizeOfInt(file.smallestKey().length()) + file.smallestKey().length()
          + Varints.sizeOfInt(file.largestKey().length()) + file.largestKey().length();
      if (size + fileSize > Integer.MAX_VALUE - 64) {
        throw new IllegalArgumentException("edit of " + (deletedFiles.size() + addedFiles.size())
            + " files encodes to more than " + (Integer.MAX_VALUE - 64) + " bytes, the largest array");
      }
      size += (int) fileSize;
    }
    byte[] out = new byte[size];
    int at = 0;
    if (logNumber != null) {
      at = Varints.putInt(out, at, TAG_LOG_NUMBER);
      at = Varints.putLong(out, at, logNumber);
    }
    if (nextFileNumber != null) {
      at = Varints.putInt(out, at, TAG_NEXT_FILE_NUMBER);
      at = Varints.putLong(out, at, nextFileNumber);
    }
    if (lastSequence != null) {
      at = Varints.putInt(out, at, TAG_LAST_SEQUENCE);
      at = Varints.putLong(out, at, lastSequence);
    }
    for (DeletedFile file : deletedFiles) {
      at = Varints.putInt(out, at, TAG_DELETED_FILE);
      at = Varints.putInt(out, at, file.level());
      at = Varints.putLong(out, at, file.fileNumber());
    }
    for (FileMeta file : addedFiles) {
      at = Varints.putInt(out, at, TAG_ADDED_FILE);
      at = Varints.putInt(out, at, file.level());
      at = Varints.putLong(out, at, file.fileNumber());
      at = Varints.putLong(out, at, file.sizeBytes());
      at = Varints.putLong(out, at, file.entryCount());
      at = putKey(out, at, file.smallestKey().unsafeArray());
      at = putKey(out, at, file.largestKey().unsafeArray());
    }
    if (at != size) {
      throw new IllegalStateException("encoded " + at + " bytes of an edit sized at " + size);
    }
    return out;
  }

  private static int putKey(byte[] out, int at, byte[] key) {
    int after = Varints.putInt(out, at, key.length);
    System.arraycopy(key, 0, out, after, key.length);
    return after + key.length;
  }

  /**
   * Decodes the edit in {@code bytes[offset, offset+length)}, strictly (see the class comment).
   *
   * @param fileForMessages the file the bytes come from, named by a {@link CorruptionException}
   * @param offsetForMessages the file offset of {@code bytes[offset]}: a corruption's
   *     {@link CorruptionException#offset()} is the file offset of the bad field
   * @throws CorruptionException (structure {@code "manifest edit"}) if the bytes are not exactly
   *     one valid edit; never another exception for any content
   * @throws IllegalArgumentException if the range is outside {@code bytes}
   */
  public static VersionEdit decode(byte[] bytes, int offset, int length, String fileForMessages,
      long offsetForMessages) {
    if (offset < 0 || length < 0 || length > bytes.length - offset) {
      throw new IllegalArgumentException("range [" + offset + ", " + offset + " + " + length
          + ") is outside an array of " + bytes.length + " bytes");
    }
    try {
      return new EditDecoder(bytes, offset, length).decode();
    } catch (CorruptionException e) {
      throw e.locatedIn(fileForMessages, offsetForMessages);
    }
  }
}
