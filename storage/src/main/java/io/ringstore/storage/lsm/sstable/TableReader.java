package io.ringstore.storage.lsm.sstable;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.ReadableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Reads one table file written in the layout of {@code docs/formats/sstable.md}.
 *
 * <p>{@link #open} reads and checks, once, the footer, the index block, the metaindex block and
 * the filter block it names, and keeps them decoded: the index as arrays of keys and handles, so
 * a lookup is a binary search. Every data block handle is checked at open to lie inside the data
 * region, in file order, without overlap. {@link #get} asks the bloom filter, then finds the one
 * data block that may hold the key, reads it (or takes it from the {@link BlockCache}) and seeks
 * it. A {@link Cursor} walks the entries in key order from a {@link Cursor#seek seek}.
 *
 * <p>Checks: every block read verifies its checksum before it is decoded, and decoding checks the
 * block's structure. Damage is a {@link CorruptionException} placed in the file
 * ({@link CorruptionException#locatedIn}: the file's path and the file offset of the damaged
 * structure), never a wrong value and never another exception. A file too short for a footer, or
 * whose footer is not a table footer (a torn or truncated file), is refused at open.
 *
 * <p>Compressed blocks: each block is decompressed as its trailer's type byte says. A zstd block
 * is checked as {@link BlockDecompressors} describes before anything is allocated for it. A data
 * block, and a zstd block of any kind, may hold at most {@link TableOptions#MAX_BLOCK_CONTENT_BYTES}
 * of contents (the most any {@link TableBuilder} puts in a block); an index, metaindex or filter
 * block stored as is is bounded by the largest Java array, as its stored bytes are. zstd
 * contexts come from the {@link BlockDecompressors} given at open, which the reader shares and
 * does not close, or else from a small pool of the reader's own, freed by {@link #close()}. If the
 * zstd native library cannot be loaded, reading a zstd block throws {@link IllegalStateException}
 * (the table is not damaged; this platform cannot read it).
 *
 * <p>Thread-safety: thread-safe. All reads are positional, decoded structures are immutable, and
 * there is no shared cursor; each {@link Cursor} belongs to one thread. {@link #close()} must not
 * race with reads (a read after it fails with an {@link IOException}).
 */
public final class TableReader implements AutoCloseable {
  /** The metaindex key of the bloom filter, as bytes. */
  private static final byte[] FILTER_KEY = BloomFilter.METAINDEX_KEY.getBytes(StandardCharsets.UTF_8);
  /** Idle zstd contexts kept by a reader opened without a shared {@link BlockDecompressors}. */
  private static final int OWN_IDLE_CONTEXTS = 1;
  /** The bound on the contents of an index, metaindex or filter block: a Java array. */
  private static final int MAX_META_CONTENT_BYTES = (int) BlockHandle.MAX_SIZE_BYTES;

  // constant after construction
  private final ReadableFile file;
  private final String fileName;
  private final long fileId;
  private final @Nullable BlockCache cache;
  private final BlockDecompressors decompressors;
  private final boolean ownsDecompressors;
  private final long sizeBytes;
  private final byte[][] indexKeys;       // last key (or a separator) of each data block, increasing
  private final BlockHandle[] dataHandles; // in file order
  private final @Nullable BloomFilter filter;

  // statistics, thread-safe
  private final LongAdder gets = new LongAdder();
  private final LongAdder filterNegatives = new LongAdder();
  private final LongAdder blockReads = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();

  private TableReader(ReadableFile file, long fileId, @Nullable BlockCache cache, BlockDecompressors decompressors,
      boolean ownsDecompressors, long sizeBytes, byte[][] indexKeys, BlockHandle[] dataHandles,
      @Nullable BloomFilter filter) {
    this.file = file;
    this.fileName = file.path().toString();
    this.fileId = fileId;
    this.cache = cache;
    this.decompressors = decompressors;
    this.ownsDecompressors = ownsDecompressors;
    this.sizeBytes = sizeBytes;
    this.indexKeys = indexKeys;
    this.dataHandles = dataHandles;
    this.filter = filter;
  }

  /** Opens {@code path} without a block cache; see {@link #open(Disk, Path, long, BlockCache)}. */
  public static TableReader open(Disk disk, Path path) throws IOException {
    return open(disk, path, 0, null);
  }

  /**
   * Opens the table at {@code path}, reading and checking its footer, index, metaindex and filter.
   * zstd blocks are read with a small pool of zstd contexts of the reader's own; see
   * {@link #open(Disk, Path, long, BlockCache, BlockDecompressors)} to share one.
   *
   * @param fileId the table's id in {@code cache}: unique among the tables that share the cache
   * @param cache where data blocks are cached, or {@code null} for none
   * @throws CorruptionException naming the file and the offset if any of them is damaged, or the
   *     file is shorter than a footer or does not end in one
   * @throws IOException if the disk fails (the file is then closed)
   */
  public static TableReader open(Disk disk, Path path, long fileId, @Nullable BlockCache cache) throws IOException {
    BlockDecompressors own = new BlockDecompressors(OWN_IDLE_CONTEXTS);
    try {
      return open(disk, path, fileId, cache, own, true);
    } catch (IOException | RuntimeException | Error e) {
      own.close();
      throw e;
    }
  }

  /**
   * {@link #open(Disk, Path, long, BlockCache)}, borrowing zstd contexts from {@code decompressors},
   * which the engine shares among its readers (the reader does not close it).
   */
  public static TableReader open(Disk disk, Path path, long fileId, @Nullable BlockCache cache,
      BlockDecompressors decompressors) throws IOException {
    return open(disk, path, fileId, cache, decompressors, false);
  }

  private static TableReader open(Disk disk, Path path, long fileId, @Nullable BlockCache cache,
      BlockDecompressors decompressors, boolean ownsDecompressors) throws IOException {
    ReadableFile file = disk.openForRead(path);
    try {
      return open(file, fileId, cache, decompressors, ownsDecompressors);
    } catch (IOException | RuntimeException | Error e) {
      try {
        file.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static TableReader open(ReadableFile file, long fileId, @Nullable BlockCache cache,
      BlockDecompressors decompressors, boolean ownsDecompressors) throws IOException {
    String name = file.path().toString();
    long size = file.sizeBytes();
    if (size < Footer.ENCODED_LENGTH) {
      throw new CorruptionException("table", 0, "the file has " + size + " bytes, fewer than its "
          + Footer.ENCODED_LENGTH + "-byte footer (truncated, or not a table)").locatedIn(name, 0);
    }
    long footerAt = size - Footer.ENCODED_LENGTH;
    Footer footer;
    try {
      footer = Footer.decode(read(file, footerAt, Footer.ENCODED_LENGTH));
    } catch (CorruptionException e) {
      throw e.locatedIn(name, footerAt);
    }
    checkInside(footer.indexHandle(), 0, footerAt, "index block handle", name, footerAt);
    checkInside(footer.metaindexHandle(), 0, footerAt, "metaindex block handle", name, footerAt);

    // index: one entry per data block, last key -> handle
    BlockHandle indexHandle = footer.indexHandle();
    Block index = readBlock(file, name, indexHandle, "index block", MAX_META_CONTENT_BYTES, decompressors);
    byte[][] keys = new byte[index.entryCount()][];
    BlockHandle[] handles = new BlockHandle[index.entryCount()];
    Block.Cursor cursor = index.cursor();
    long dataEnd = Math.min(indexHandle.offset(), footer.metaindexHandle().offset());
    long previousEnd = 0;
    int i = 0;
    for (cursor.seekToFirst(); cursor.isValid(); cursor.next(), i++) {
      keys[i] = cursor.key().toByteArray();
      try {
        handles[i] = BlockHandle.decodeExactly(cursor.value().toByteArray(), "index block entry " + i);
      } catch (CorruptionException e) {
        throw e.locatedIn(name, indexHandle.offset());
      }
      checkInside(handles[i], previousEnd, dataEnd, "index block entry " + i, name, indexHandle.offset());
      previousEnd = handles[i].endOffset();
    }

    // metaindex: the filter, if named
    BlockHandle metaindexHandle = footer.metaindexHandle();
    Block metaindex = readBlock(file, name, metaindexHandle, "metaindex block", MAX_META_CONTENT_BYTES,
        decompressors);
    BloomFilter filter = null;
    Block.Cursor meta = metaindex.cursor();
    meta.seek(FILTER_KEY);
    if (meta.isValid() && meta.keyEquals(FILTER_KEY)) {
      BlockHandle filterHandle;
      try {
        filterHandle = BlockHandle.decodeExactly(meta.value().toByteArray(), "metaindex entry " + BloomFilter.METAINDEX_KEY);
      } catch (CorruptionException e) {
        throw e.locatedIn(name, metaindexHandle.offset());
      }
      checkInside(filterHandle, previousEnd, footerAt, "metaindex entry " + BloomFilter.METAINDEX_KEY, name,
          metaindexHandle.offset());
      byte[] contents = readContents(file, name, filterHandle, "filter block", MAX_META_CONTENT_BYTES,
          decompressors);
      try {
        filter = BloomFilter.decode(contents);
      } catch (CorruptionException e) {
        throw e.locatedIn(name, filterHandle.offset());
      }
    }
    return new TableReader(file, fileId, cache, decompressors, ownsDecompressors, size, keys, handles, filter);
  }

  /** The table file's path. */
  public Path path() {
    return file.path();
  }

  /** The file's length, in bytes. */
  public long sizeBytes() {
    return sizeBytes;
  }

  /** The number of data blocks. */
  public int dataBlockCount() {
    return dataHandles.length;
  }

  /** Whether the table has a bloom filter (tables this package writes always do). */
  public boolean hasFilter() {
    return filter != null;
  }

  /**
   * The value stored under {@code key}, or {@code null} if the table has none.
   *
   * @throws CorruptionException naming the file and offset if the data block is damaged
   * @throws UncheckedIOException if the disk fails
   */
  public @Nullable Bytes get(Bytes key) {
    return get(key.unsafeArray());
  }

  /** The value stored under {@code key}, or {@code null}; see {@link #get(Bytes)}. */
  public @Nullable Bytes get(byte[] key) {
    gets.increment();
    if (filter != null && !filter.mayContain(key)) {
      filterNegatives.increment();
      return null;
    }
    int block = blockFor(key);
    if (block < 0) {
      return null;
    }
    return dataBlock(block).get(key);
  }

  /** A new cursor over the table's entries, not yet positioned. */
  public Cursor cursor() {
    return new Cursor();
  }

  /** Counters since open. */
  public Stats stats() {
    return new Stats(gets.sum(), filterNegatives.sum(), blockReads.sum(), cacheHits.sum());
  }

  /**
   * What a reader has done since it was opened.
   *
   * @param gets calls of {@code get}
   * @param filterNegatives gets the bloom filter answered "certainly absent", each a block read saved
   * @param blockReads data blocks read from the file (gets and cursors)
   * @param cacheHits data blocks taken from the block cache instead
   *
   * <p>Thread-safety: immutable.
   */
  public record Stats(long gets, long filterNegatives, long blockReads, long cacheHits) {}

  /** Closes the file, and frees the reader's own zstd contexts if it has any. Idempotent. */
  @Override
  public void close() throws IOException {
    try {
      file.close();
    } finally {
      if (ownsDecompressors) {
        decompressors.close();
      }
    }
  }

  /** The first data block whose index key is at or after {@code key}, or -1 if none is. */
  private int blockFor(byte[] key) {
    int low = 0;
    int high = indexKeys.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (Arrays.compareUnsigned(indexKeys[mid], key) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low < indexKeys.length ? low : -1;
  }

  private Block dataBlock(int index) {
    BlockHandle handle = dataHandles[index];
    if (cache != null) {
      Block cached = cache.get(fileId, handle.offset());
      if (cached != null) {
        cacheHits.increment();
        return cached;
      }
    }
    Block block;
    try {
      block = readBlock(file, fileName, handle, "data block", TableOptions.MAX_BLOCK_CONTENT_BYTES, decompressors);
    } catch (IOException e) {
      throw new UncheckedIOException("reading data block " + index + " at offset " + handle.offset() + " of "
          + fileName, e);
    }
    blockReads.increment();
    if (cache != null) {
      cache.put(fileId, handle.offset(), block);
    }
    return block;
  }

  private static Block readBlock(ReadableFile file, String name, BlockHandle handle, String structure,
      int maxContentBytes, BlockDecompressors decompressors) throws IOException {
    byte[] contents = readContents(file, name, handle, structure, maxContentBytes, decompressors);
    try {
      return Block.decode(contents);
    } catch (CorruptionException e) {
      throw e.locatedIn(name, handle.offset());
    }
  }

  /** The checked, decompressed contents of the block at {@code handle}, at most {@code maxContentBytes}. */
  private static byte[] readContents(ReadableFile file, String name, BlockHandle handle, String structure,
      int maxContentBytes, BlockDecompressors decompressors) throws IOException {
    int length = (int) (handle.sizeBytes() + BlockTrailer.SIZE_BYTES); // fits: BlockHandle bounds the size
    byte[] physical = read(file, handle.offset(), length);
    try {
      return BlockTrailer.open(physical, 0, length, maxContentBytes, structure, decompressors);
    } catch (CorruptionException e) {
      throw e.locatedIn(name, handle.offset());
    }
  }

  private static byte[] read(ReadableFile file, long offset, int length) throws IOException {
    byte[] bytes = new byte[length];
    file.readFully(offset, ByteBuffer.wrap(bytes));
    return bytes;
  }

  /** Checks that the block at {@code handle}, with its trailer, lies in {@code [from, to)}. */
  private static void checkInside(BlockHandle handle, long from, long to, String what, String name, long at) {
    if (handle.offset() < from || handle.endOffset() > to) {
      throw new CorruptionException(what, 0, "block handle (offset " + handle.offset() + ", size "
          + handle.sizeBytes() + ") with its " + BlockTrailer.SIZE_BYTES + "-byte trailer is outside the range ["
          + from + ", " + to + ") where it must lie").locatedIn(name, at);
    }
  }

  /**
   * A position in the table: iteration in key order across data blocks.
   *
   * <p>Thread-safety: not thread-safe; confined to the thread that uses it. Steps that enter a
   * new data block read it and may throw {@link CorruptionException} or
   * {@link UncheckedIOException}; the cursor is then invalid.
   */
  public final class Cursor {
    private int blockIndex = -1;
    private Block.@Nullable Cursor inBlock;

    private Cursor() {}

    /** Whether the cursor is on an entry. */
    public boolean isValid() {
      return inBlock != null && inBlock.isValid();
    }

    /** Moves to the first entry (invalid if the table is empty). */
    public void seekToFirst() {
      enterBlock(0);
      if (inBlock != null) {
        inBlock.seekToFirst();
        skipEmptyBlocks();
      }
    }

    /** Moves to the first entry whose key is at or after {@code target} (invalid if none is). */
    public void seek(Bytes target) {
      seek(target.unsafeArray());
    }

    /** Moves to the first entry whose key is at or after {@code target} (invalid if none is). */
    public void seek(byte[] target) {
      int block = blockFor(target);
      if (block < 0) {
        invalidate();
        return;
      }
      enterBlock(block);
      if (inBlock != null) {
        inBlock.seek(target);
        skipEmptyBlocks();
      }
    }

    /**
     * Moves to the next entry (invalid after the last).
     *
     * @throws NoSuchElementException if the cursor is not on an entry
     */
    public void next() {
      if (!isValid()) {
        throw new NoSuchElementException("the cursor is not on an entry");
      }
      inBlock.next();
      skipEmptyBlocks();
    }

    /** A copy of the current key. */
    public Bytes key() {
      requireValid();
      return inBlock.key();
    }

    /** A copy of the current value. */
    public Bytes value() {
      requireValid();
      return inBlock.value();
    }

    private void requireValid() {
      if (!isValid()) {
        throw new NoSuchElementException("the cursor is not on an entry");
      }
    }

    /** While the block cursor is past its block's end, moves to the first entry of the next block. */
    private void skipEmptyBlocks() {
      while (inBlock != null && !inBlock.isValid()) {
        enterBlock(blockIndex + 1);
        if (inBlock != null) {
          inBlock.seekToFirst();
        }
      }
    }

    private void enterBlock(int index) {
      if (index >= dataHandles.length) {
        invalidate();
        return;
      }
      inBlock = null; // stays invalid if the read fails
      blockIndex = index;
      inBlock = dataBlock(index).cursor();
    }

    private void invalidate() {
      blockIndex = dataHandles.length;
      inBlock = null;
    }
  }
}
