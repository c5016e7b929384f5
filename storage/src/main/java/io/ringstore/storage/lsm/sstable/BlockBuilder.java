package io.ringstore.storage.lsm.sstable;

import io.ringstore.spi.Bytes;
import java.util.Arrays;

/**
 * Builds the contents of one block: sorted entries with prefix-compressed keys and a restart point
 * every {@code restartInterval} entries, as LevelDB's {@code block_builder.cc} does. Data blocks,
 * index blocks and the metaindex block all use this format. See {@code docs/formats/sstable.md}.
 *
 * <pre>
 *   entry    := shared varint32 | unshared varint32 | valueLength varint32
 *               | key[shared ..] (unshared bytes) | value (valueLength bytes)
 *   contents := entry* | restart offset u32le * restartCount | restartCount u32le
 * </pre>
 *
 * <p>An entry's key is the first {@code shared} bytes of the previous key followed by its own
 * {@code unshared} bytes. An entry at a restart point shares nothing, so a reader can start
 * decoding there; restart offsets point at those entries, the first at offset 0. An empty block
 * has no restart points and is the four bytes {@code 00 00 00 00}.
 *
 * <p>Invariants: keys strictly increase in unsigned byte order (the order of
 * {@link Bytes#compareTo}); {@link #add} refuses any other key with an
 * {@link IllegalArgumentException}. {@link #finish()} returns the contents and leaves the builder
 * empty for the next block.
 *
 * <p>Thread-safety: not thread-safe; one writer fills one builder.
 */
public final class BlockBuilder {
  /** Entries between restart points unless configured: LevelDB's default. */
  public static final int DEFAULT_RESTART_INTERVAL = 16;

  // constant after construction
  private final int restartInterval;

  // mutable, single writer
  private final ByteSink entries = new ByteSink(4096);
  private int[] restarts = new int[16];
  private int restartCount;
  private int sinceRestart;
  private int entryCount;
  private byte[] lastKey = new byte[32];
  private int lastKeyLength;

  /** A builder with a restart point every {@value #DEFAULT_RESTART_INTERVAL} entries. */
  public BlockBuilder() {
    this(DEFAULT_RESTART_INTERVAL);
  }

  /**
   * A builder with a restart point every {@code restartInterval} entries. A smaller interval makes
   * seeks faster and the block larger; 1 turns prefix compression off.
   *
   * @throws IllegalArgumentException if {@code restartInterval < 1}
   */
  public BlockBuilder(int restartInterval) {
    if (restartInterval < 1) {
      throw new IllegalArgumentException("block restartInterval = " + restartInterval
          + " is out of range; need restartInterval >= 1 (entries)");
    }
    this.restartInterval = restartInterval;
  }

  /** The configured restart interval, in entries. */
  public int restartInterval() {
    return restartInterval;
  }

  /** The entries added since the last {@link #finish()}. */
  public int entryCount() {
    return entryCount;
  }

  public boolean isEmpty() {
    return entryCount == 0;
  }

  /** The length {@link #finish()} would return now, in bytes. */
  public int sizeBytes() {
    return entries.size() + 4 * restartCount + 4;
  }

  /** Adds an entry; see {@link #add(byte[], byte[])}. */
  public void add(Bytes key, Bytes value) {
    add(key.unsafeArray(), value.unsafeArray());
  }

  /**
   * Appends {@code key -> value}. The arrays are copied; the caller may reuse them.
   *
   * @throws IllegalArgumentException if {@code key} is not greater than the previous key
   */
  public void add(byte[] key, byte[] value) {
    if (entryCount > 0 && Arrays.compareUnsigned(key, 0, key.length, lastKey, 0, lastKeyLength) <= 0) {
      throw new IllegalArgumentException("block keys must strictly increase: key #" + entryCount
          + " (" + key.length + " bytes) is not greater than key #" + (entryCount - 1)
          + " (" + lastKeyLength + " bytes) in unsigned byte order");
    }
    int shared = 0;
    if (entryCount == 0 || sinceRestart == restartInterval) {
      if (restartCount == restarts.length) {
        restarts = Arrays.copyOf(restarts, restartCount * 2);
      }
      restarts[restartCount++] = entries.size();
      sinceRestart = 0;
    } else {
      int common = Arrays.mismatch(key, 0, key.length, lastKey, 0, lastKeyLength);
      shared = common < 0 ? Math.min(key.length, lastKeyLength) : common;
    }
    int unshared = key.length - shared;
    entries.writeVarint32(shared);
    entries.writeVarint32(unshared);
    entries.writeVarint32(value.length);
    entries.write(key, shared, unshared);
    entries.write(value);
    if (key.length > lastKey.length) {
      lastKey = Arrays.copyOf(lastKey, Math.max(key.length, 2 * lastKey.length));
    }
    System.arraycopy(key, shared, lastKey, shared, unshared);
    lastKeyLength = key.length;
    sinceRestart++;
    entryCount++;
  }

  /** The finished contents (entries, restart offsets, restart count); the builder is then empty. */
  public byte[] finish() {
    byte[] out = new byte[sizeBytes()];
    System.arraycopy(entries.array(), 0, out, 0, entries.size());
    int at = entries.size();
    for (int i = 0; i < restartCount; i++, at += 4) {
      Varints.putFixed32(out, at, restarts[i]);
    }
    Varints.putFixed32(out, at, restartCount);
    entries.reset();
    restartCount = 0;
    sinceRestart = 0;
    entryCount = 0;
    lastKeyLength = 0;
    return out;
  }
}
