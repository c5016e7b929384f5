package io.ringstore.storage.lsm.sstable;

import io.ringstore.spi.Bytes;
import java.util.Arrays;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * The reader of a block's contents in the format {@link BlockBuilder} writes (after
 * {@link BlockTrailer#open} has checked and decompressed them): ordered iteration, and seek to
 * the first key at or after a target by binary search over the restart points and a linear scan
 * from the one found. See {@code docs/formats/sstable.md}.
 *
 * <p>Every entry is checked once, when the block is decoded: the restart count fits the block,
 * restart points land on entries in order with the first at offset 0, an entry at a restart point
 * shares no key bytes, no entry shares more bytes than the previous key has, every length stays
 * inside the block, and keys strictly increase in unsigned byte order. A block that fails any
 * check is refused with a {@link CorruptionException}; one that passes can be iterated and sought
 * without further checks and without any exception. A block comes from disk once and is then
 * read many times (through the block cache), so one pass up front costs little.
 *
 * <p>Invariant: the contents array is never modified (decoding takes ownership of it).
 *
 * <p>Thread-safety: immutable and thread-safe. Each thread reads through its own {@link Cursor}.
 */
public final class Block {
  private static final String STRUCTURE = "block";

  // constant after construction
  private final byte[] contents;
  private final int base;        // array index of the first entry
  private final int entriesEnd;  // array index just past the last entry, where restart offsets start
  private final int restartCount;
  private final int entryCount;
  private final int sizeBytes;

  private Block(byte[] contents, int base, int entriesEnd, int restartCount, int entryCount, int sizeBytes) {
    this.contents = contents;
    this.base = base;
    this.entriesEnd = entriesEnd;
    this.restartCount = restartCount;
    this.entryCount = entryCount;
    this.sizeBytes = sizeBytes;
  }

  /** Decodes and checks all of {@code contents}; see {@link #decode(byte[], int, int)}. */
  public static Block decode(byte[] contents) {
    return decode(contents, 0, contents.length);
  }

  /**
   * Decodes and checks the block in {@code contents[offset .. offset+length)}, taking ownership of
   * the array (the caller must not change that range afterwards).
   *
   * @throws CorruptionException naming the check that failed and the offset (relative to
   *     {@code offset}) of the item that failed it
   */
  public static Block decode(byte[] contents, int offset, int length) {
    ByteReader whole = new ByteReader(contents, offset, length, STRUCTURE);
    if (length < 4) {
      throw whole.corrupt(0, "a block needs at least 4 bytes (its restart count) but has " + length);
    }
    long restarts = Integer.toUnsignedLong(Varints.getFixed32(contents, offset + length - 4));
    long maxRestarts = (length - 4) / 4;
    if (restarts > maxRestarts) {
      throw whole.corrupt(length - 4, "restart count " + restarts + " needs " + 4 * restarts
          + " bytes of restart offsets but only " + (length - 4) + " bytes precede it");
    }
    int entriesLength = (int) (length - 4 - 4 * restarts);
    int restartsAt = offset + entriesLength;
    if (restarts == 0 && entriesLength != 0) {
      throw whole.corrupt(length - 4, "restart count is 0 but " + entriesLength + " bytes of entries precede it");
    }
    ByteReader entries = new ByteReader(contents, offset, entriesLength, STRUCTURE);
    byte[] previous = new byte[32];
    int previousLength = 0;
    int nextRestart = 0;
    int entry = 0;
    while (entries.remaining() > 0) {
      int start = entries.position();
      int restartOffset = nextRestart < restarts ? Varints.getFixed32(contents, restartsAt + 4 * nextRestart) : -1;
      if (nextRestart < restarts && Integer.compareUnsigned(restartOffset, start) < 0) {
        throw whole.corrupt(entriesLength + 4 * nextRestart, "restart point " + nextRestart + " at offset "
            + Integer.toUnsignedString(restartOffset) + " is not the start of an entry");
      }
      boolean atRestart = restartOffset == start;
      if (entry == 0 && !atRestart) {
        throw whole.corrupt(entriesLength, "restart point 0 is at offset "
            + Integer.toUnsignedString(restartOffset) + ", not at the first entry (offset 0)");
      }
      int shared;
      int unshared;
      int valueLength;
      try { // field names get the entry number only on failure, so a valid block builds no strings
        shared = entries.readVarint32AtMost(previousLength, "shared key length");
        unshared = entries.readVarint32AtMost(entries.remaining(), "unshared key length");
        valueLength = entries.readVarint32AtMost(entries.remaining(), "value length");
        entries.require((long) unshared + valueLength, "key and value");
      } catch (CorruptionException e) {
        throw whole.corrupt((int) e.offset(), "entry " + entry + " " + e.detail());
      }
      if (atRestart && shared != 0) {
        throw whole.corrupt(start, "entry " + entry + " is restart point " + nextRestart
            + " but shares " + shared + " key bytes with the previous entry");
      }
      int keyAt = entries.arrayIndex();
      if (entry > 0 && Arrays.compareUnsigned(contents, keyAt, keyAt + unshared, previous, shared, previousLength) <= 0) {
        throw whole.corrupt(start, "entry " + entry + " key is not greater than the previous key");
      }
      if (shared + unshared > previous.length) {
        previous = Arrays.copyOf(previous, Math.max(shared + unshared, 2 * previous.length));
      }
      System.arraycopy(contents, keyAt, previous, shared, unshared);
      previousLength = shared + unshared;
      entries.skip((long) unshared + valueLength, "key and value"); // checked above
      if (atRestart) {
        nextRestart++;
      }
      entry++;
    }
    if (nextRestart < restarts) {
      throw whole.corrupt(entriesLength + 4 * nextRestart, "restart point " + nextRestart + " at offset "
          + Integer.toUnsignedString(Varints.getFixed32(contents, restartsAt + 4 * nextRestart))
          + " is not the start of an entry");
    }
    return new Block(contents, offset, restartsAt, (int) restarts, entry, length);
  }

  /** The number of entries. */
  public int entryCount() {
    return entryCount;
  }

  /** The number of restart points. */
  public int restartCount() {
    return restartCount;
  }

  /** The length of the decoded contents, in bytes. */
  public int sizeBytes() {
    return sizeBytes;
  }

  /** A new cursor, not yet positioned ({@link Cursor#isValid()} is false until a seek). */
  public Cursor cursor() {
    return new Cursor();
  }

  /** The value stored under exactly {@code key}, or {@code null}. */
  public @Nullable Bytes get(Bytes key) {
    return get(key.unsafeArray());
  }

  /** The value stored under exactly {@code key}, or {@code null}. */
  public @Nullable Bytes get(byte[] key) {
    Cursor cursor = cursor();
    cursor.seek(key);
    return cursor.isValid() && cursor.keyEquals(key) ? cursor.value() : null;
  }

  private int restartOffset(int index) {
    return base + Varints.getFixed32(contents, entriesEnd + 4 * index);
  }

  /**
   * A position in the block. Seeks and steps never fail: the block was checked when decoded.
   *
   * <p>Thread-safety: not thread-safe; confined to the thread that uses it.
   */
  public final class Cursor {
    private byte[] key = new byte[32];
    private int keyLength;
    private int valueAt;
    private int valueLength;
    private int nextEntry = entriesEnd; // array index of the entry after the current one
    private boolean valid;
    private int scan;                   // read position of varint()

    private Cursor() {}

    /** Whether the cursor is on an entry. */
    public boolean isValid() {
      return valid;
    }

    /** Moves to the first entry (invalid if the block is empty). */
    public void seekToFirst() {
      nextEntry = base;
      keyLength = 0;
      step();
    }

    /** Moves to the first entry whose key is at or after {@code target} (invalid if none is). */
    public void seek(Bytes target) {
      seek(target.unsafeArray());
    }

    /** Moves to the first entry whose key is at or after {@code target} (invalid if none is). */
    public void seek(byte[] target) {
      if (restartCount == 0) {
        valid = false;
        return;
      }
      // the last restart point whose key is before the target; restart 0 if none is
      int low = 0;
      int high = restartCount - 1;
      while (low < high) {
        int mid = (low + high + 1) >>> 1;
        if (compareRestartKey(mid, target) < 0) {
          low = mid;
        } else {
          high = mid - 1;
        }
      }
      nextEntry = restartOffset(low);
      keyLength = 0;
      step();
      while (valid && Arrays.compareUnsigned(key, 0, keyLength, target, 0, target.length) < 0) {
        step();
      }
    }

    /**
     * Moves to the next entry (invalid after the last).
     *
     * @throws NoSuchElementException if the cursor is not on an entry
     */
    public void next() {
      if (!valid) {
        throw new NoSuchElementException("the cursor is not on an entry");
      }
      step();
    }

    /** A copy of the current key. */
    public Bytes key() {
      requireValid();
      return Bytes.of(Arrays.copyOf(key, keyLength));
    }

    /** A copy of the current value. */
    public Bytes value() {
      requireValid();
      return Bytes.of(Arrays.copyOfRange(contents, valueAt, valueAt + valueLength));
    }

    /** Whether the current key equals {@code other}, without copying it. */
    public boolean keyEquals(byte[] other) {
      requireValid();
      return Arrays.equals(key, 0, keyLength, other, 0, other.length);
    }

    private void requireValid() {
      if (!valid) {
        throw new NoSuchElementException("the cursor is not on an entry");
      }
    }

    private void step() {
      if (nextEntry >= entriesEnd) {
        valid = false;
        nextEntry = entriesEnd;
        return;
      }
      scan = nextEntry;
      int shared = varint();
      int unshared = varint();
      int length = varint();
      if (shared + unshared > key.length) {
        key = Arrays.copyOf(key, Math.max(shared + unshared, 2 * key.length));
      }
      System.arraycopy(contents, scan, key, shared, unshared);
      keyLength = shared + unshared;
      valueAt = scan + unshared;
      valueLength = length;
      nextEntry = valueAt + length;
      valid = true;
    }

    private int compareRestartKey(int index, byte[] target) {
      scan = restartOffset(index);
      varint(); // shared: 0 at every restart point
      int unshared = varint();
      varint(); // value length
      return Arrays.compareUnsigned(contents, scan, scan + unshared, target, 0, target.length);
    }

    /** A varint32 at {@code scan} that decoding already checked. */
    private int varint() {
      int result = 0;
      for (int shift = 0; ; shift += 7) {
        int b = contents[scan++];
        result |= (b & 0x7f) << shift;
        if (b >= 0) {
          return result;
        }
      }
    }
  }
}
