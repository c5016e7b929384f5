package io.ringstore.storage.lsm.manifest;

import io.ringstore.spi.Bytes;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The strict decoder behind {@link VersionEdit#decode}: a bounds-checked cursor over the edit's
 * bytes that checks every field against its bound before it uses it (so no array is sized by a
 * length it has not checked against the bytes that remain) and throws {@link CorruptionException}
 * with structure {@code "manifest edit"} and the offset of the bad field, relative to the start
 * of the edit. Varints must be canonical, as in {@code docs/formats/sstable.md}: at most 5 bytes
 * and below 2^32 for a varint32, at most 10 bytes and below 2^64 for a varint64, and no trailing
 * {@code 00} byte.
 *
 * <p>Thread-safety: not thread-safe; one decode owns it.
 */
final class EditDecoder {
  static final String STRUCTURE = "manifest edit";
  private static final String[] COUNTER_NAMES = {"", "logNumber", "nextFileNumber", "lastSequence"};

  private final byte[] bytes;
  private final int base;
  private final int limit;
  private int position;

  EditDecoder(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.base = offset;
    this.limit = offset + length;
    this.position = offset;
  }

  VersionEdit decode() {
    Long logNumber = null;
    Long nextFileNumber = null;
    Long lastSequence = null;
    List<DeletedFile> deleted = new ArrayList<>();
    List<FileMeta> added = new ArrayList<>();
    int previousTag = 0;
    while (position < limit) {
      int tagAt = relative();
      long tag = readVarint(5, "tag");
      if (tag < VersionEdit.TAG_LOG_NUMBER || tag > VersionEdit.TAG_ADDED_FILE) {
        throw corrupt(tagAt, "unknown tag " + tag + " (this build knows tags 1 to 5: 1 logNumber,"
            + " 2 nextFileNumber, 3 lastSequence, 4 deleted file, 5 added file)");
      }
      if (tag < previousTag) {
        throw corrupt(tagAt, "tag " + tag + " follows tag " + previousTag + "; fields must be in ascending tag order");
      }
      if (tag == previousTag && tag <= VersionEdit.TAG_LAST_SEQUENCE) {
        throw corrupt(tagAt, COUNTER_NAMES[(int) tag] + " (tag " + tag + ") appears twice");
      }
      previousTag = (int) tag;
      switch ((int) tag) {
        case VersionEdit.TAG_LOG_NUMBER -> logNumber = readCounter("logNumber", 0);
        case VersionEdit.TAG_NEXT_FILE_NUMBER -> nextFileNumber = readCounter("nextFileNumber", 1);
        case VersionEdit.TAG_LAST_SEQUENCE -> lastSequence = readCounter("lastSequence", 0);
        case VersionEdit.TAG_DELETED_FILE -> {
          int level = readLevel("deleted file level");
          long number = readCounter("deleted file number", 1);
          deleted.add(new DeletedFile(level, number));
        }
        default -> added.add(readAddedFile(tagAt));
      }
    }
    return new VersionEdit(logNumber, nextFileNumber, lastSequence, added, deleted);
  }

  private FileMeta readAddedFile(int tagAt) {
    int level = readLevel("added file level");
    long number = readCounter("added file number", 1);
    long sizeBytes = readCounter("added file " + number + " sizeBytes", 0);
    long entryCount = readCounter("added file " + number + " entryCount", 0);
    Bytes smallest = readKey("added file " + number + " smallestKey");
    Bytes largest = readKey("added file " + number + " largestKey");
    if (smallest.compareTo(largest) > 0) {
      throw corrupt(tagAt, "added file " + number + ": smallestKey " + smallest + " sorts after largestKey " + largest);
    }
    return new FileMeta(number, level, sizeBytes, entryCount, smallest, largest);
  }

  private int readLevel(String field) {
    int at = relative();
    long level = readVarint(5, field);
    if (level >= ManifestState.MAX_LEVELS) {
      throw corrupt(at, field + " = " + level + " is out of range; need level < " + ManifestState.MAX_LEVELS);
    }
    return (int) level;
  }

  /** A varint64 that must be at least {@code min} and below 2^63. */
  private long readCounter(String field, long min) {
    int at = relative();
    long value = readVarint(10, field);
    if (value < 0) {
      throw corrupt(at, field + " = " + Long.toUnsignedString(value) + " is out of range; need "
          + field + " < 2^63");
    }
    if (value < min) {
      throw corrupt(at, field + " = " + value + " is out of range; need " + field + " >= " + min);
    }
    return value;
  }

  private Bytes readKey(String field) {
    int at = relative();
    long length = readVarint(5, field + " length");
    if (length > FileMeta.MAX_KEY_BYTES) {
      throw corrupt(at, field + " length " + length + " bytes exceeds the manifest's bound of "
          + FileMeta.MAX_KEY_BYTES + " bytes");
    }
    if (length > limit - position) {
      throw corrupt(at, field + " length " + length + " bytes, but only " + (limit - position)
          + " bytes of the edit remain");
    }
    byte[] key = Arrays.copyOfRange(bytes, position, position + (int) length);
    position += (int) length;
    return Bytes.of(key);
  }

  /** A canonical varint of at most {@code maxBytes} bytes (5: a varint32, 10: a varint64). */
  private long readVarint(int maxBytes, String field) {
    int start = relative();
    long result = 0;
    for (int i = 0; ; i++) {
      if (position >= limit) {
        throw corrupt(start, field + ": varint truncated after " + i + " byte" + (i == 1 ? "" : "s")
            + " at the end of the edit");
      }
      int b = bytes[position++] & 0xff;
      if (i == maxBytes - 1 && b > (maxBytes == 5 ? 0x0f : 0x01)) {
        throw corrupt(start, field + ": varint" + (maxBytes == 5 ? 32 : 64) + " overflows (byte " + (i + 1)
            + " is 0x" + Integer.toHexString(b) + ")");
      }
      result |= (long) (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        if (b == 0 && i > 0) {
          throw corrupt(start, field + ": varint is not in its shortest form (" + (i + 1) + " bytes ending in 0x00)");
        }
        return result;
      }
    }
  }

  private int relative() {
    return position - base;
  }

  private static CorruptionException corrupt(int offset, String detail) {
    return new CorruptionException(STRUCTURE, offset, detail);
  }
}
