package io.ringstore.storage.lsm.sstable;

import com.github.luben.zstd.ZstdCompressCtx;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.WritableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Writes one table file, laid out exactly as {@code docs/formats/sstable.md} says: data blocks,
 * the filter block, the metaindex block, the index block and the footer, every block followed by
 * its {@linkplain BlockTrailer trailer}.
 *
 * <p>Entries are added in strictly increasing unsigned key order. A data block is cut (sealed and
 * appended to the file) as soon as its contents reach {@link TableOptions#blockSizeBytes()}, so a
 * block is written whole in one append and the builder holds at most one block in memory, plus
 * the index entries and 8 bytes of bloom hash per key. The index key of a block is its last key
 * (the format allows a shorter separator; this writer does not use one).
 *
 * <p>Compression ({@link TableOptions#compression()}): each data block is compressed as one zstd
 * frame through a context made once per builder, and stored compressed only when that saves
 * more than an eighth of it, else as is; the filter, metaindex and index blocks are stored as is. If
 * the zstd native library cannot be loaded, {@link #create} with {@code table.compression = zstd}
 * fails before it creates the file, with an {@link IllegalStateException} naming the setting and
 * the cause; it never falls back to writing uncompressed tables silently.
 *
 * <p>Durability: {@link #finish()} writes the footer and syncs the file. It does not sync the
 * directory: the caller does that (or renames, then syncs) when it makes the table live, and until
 * then a crash may leave no file, or a file without its footer, which {@link TableReader#open}
 * refuses.
 *
 * <p>Errors: a key or value past its bound, or a key out of order, is refused with an
 * {@link IllegalArgumentException} before anything is written, and the builder stays usable. An
 * {@link IOException} from the disk leaves the file's tail undefined: the builder is then failed,
 * and the caller must {@link #abandon()} it. {@link #finish()}, {@link #abandon()} and
 * {@link #close()} each free the zstd context.
 *
 * <p>Thread-safety: not thread-safe; one writer fills one builder.
 */
public final class TableBuilder implements AutoCloseable {

  private enum State { OPEN, FINISHED, FAILED, CLOSED }

  // constant after construction
  private final Disk disk;
  private final WritableFile file;
  private final TableOptions options;
  private final BlockCompressor compressor;

  // mutable, single writer
  private final BlockBuilder data;
  private final BlockBuilder index = new BlockBuilder(1);
  private final BloomFilterBuilder bloom;
  private State state = State.OPEN;
  private long offsetBytes;
  private long entryCount;
  private int dataBlockCount;
  private byte @Nullable [] firstKey;
  private byte[] lastKey = new byte[0];

  private TableBuilder(Disk disk, WritableFile file, TableOptions options, BlockCompressor compressor) {
    this.disk = disk;
    this.file = file;
    this.options = options;
    this.compressor = compressor;
    this.data = new BlockBuilder(options.restartInterval());
    this.bloom = new BloomFilterBuilder(options.bloomBitsPerKey());
  }

  /**
   * Creates {@code path} (which must not exist) and a builder that writes the table into it.
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code path} exists
   * @throws IllegalStateException if {@code table.compression = zstd} and the zstd native library
   *     cannot be loaded on this platform (naming the setting and the cause); no file is created
   */
  public static TableBuilder create(Disk disk, Path path, TableOptions options) throws IOException {
    return create(disk, path, options, ZstdCompressCtx::new);
  }

  /**
   * {@link #create(Disk, Path, TableOptions)} with the zstd contexts from {@code zstdContexts}:
   * the seam through which tests play a platform without the native library.
   */
  static TableBuilder create(Disk disk, Path path, TableOptions options, Supplier<ZstdCompressCtx> zstdContexts)
      throws IOException {
    BlockCompressor compressor = new BlockCompressor(options, zstdContexts);
    try {
      return new TableBuilder(disk, disk.create(path), options, compressor);
    } catch (IOException | RuntimeException | Error e) {
      compressor.close();
      throw e;
    }
  }

  /** The file being written. */
  public Path path() {
    return file.path();
  }

  /** The entries added so far. */
  public long entryCount() {
    return entryCount;
  }

  /** The bytes written to the file so far (whole blocks only). */
  public long writtenBytes() {
    return offsetBytes;
  }

  /** Adds an entry; see {@link #add(byte[], byte[])}. */
  public void add(Bytes key, Bytes value) throws IOException {
    add(key.unsafeArray(), value.unsafeArray());
  }

  /**
   * Adds {@code key -> value}; the arrays are copied. May write a data block.
   *
   * @throws IllegalArgumentException if the key or value is longer than its bound, or the key is
   *     not greater than the previous key (naming both); nothing is added then
   * @throws IllegalStateException if the builder is finished, failed or closed
   * @throws IOException if writing a block fails; the builder is then failed
   */
  public void add(byte[] key, byte[] value) throws IOException {
    requireOpen();
    if (key.length > options.maxKeyBytes()) {
      throw new IllegalArgumentException("table " + file.path() + ": key of " + key.length
          + " bytes exceeds table.maxKeyBytes = " + options.maxKeyBytes() + " bytes");
    }
    if (value.length > options.maxValueBytes()) {
      throw new IllegalArgumentException("table " + file.path() + ": value of " + value.length
          + " bytes (key " + Bytes.copyOf(key) + ") exceeds table.maxValueBytes = " + options.maxValueBytes()
          + " bytes");
    }
    if (entryCount > 0 && Arrays.compareUnsigned(key, lastKey) <= 0) {
      throw new IllegalArgumentException("table " + file.path() + ": keys must strictly increase in unsigned byte"
          + " order, but key #" + entryCount + " " + Bytes.copyOf(key) + " is not greater than key #"
          + (entryCount - 1) + " " + Bytes.copyOf(lastKey));
    }
    data.add(key, value);
    bloom.add(key);
    lastKey = key.clone();
    if (firstKey == null) {
      firstKey = lastKey;
    }
    entryCount++;
    if (data.sizeBytes() >= options.blockSizeBytes()) {
      writeDataBlock();
    }
  }

  /**
   * Writes what is left (the last data block, the filter, metaindex and index blocks, the footer),
   * syncs the file and closes it. The directory is not synced (see the class comment).
   *
   * @throws IllegalStateException if the builder is finished, failed or closed
   * @throws IOException if a write or the sync fails; the builder is then failed
   */
  public TableSummary finish() throws IOException {
    requireOpen();
    try {
      if (!data.isEmpty()) {
        writeDataBlock();
      }
      BlockHandle filter = writeBlock(bloom.finish());
      BlockBuilder metaindex = new BlockBuilder();
      metaindex.add(BloomFilter.METAINDEX_KEY.getBytes(StandardCharsets.UTF_8), filter.encode());
      BlockHandle metaindexHandle = writeBlock(metaindex.finish());
      BlockHandle indexHandle = writeBlock(index.finish());
      append(new Footer(metaindexHandle, indexHandle).encode());
      file.sync();
      file.close();
    } catch (IOException | RuntimeException e) {
      state = State.FAILED;
      throw e;
    } finally {
      compressor.close();
    }
    state = State.FINISHED;
    return new TableSummary(file.path(), entryCount, dataBlockCount, offsetBytes,
        firstKey == null ? null : Bytes.of(firstKey), entryCount == 0 ? null : Bytes.of(lastKey));
  }

  /**
   * Gives up on the table: closes the file and deletes it if it exists (the deletion is not made
   * durable; a crash may bring back a partial file, which {@link TableReader#open} refuses).
   * Idempotent; a finished table is not deleted.
   */
  public void abandon() throws IOException {
    if (state == State.FINISHED) {
      return;
    }
    state = State.CLOSED;
    compressor.close();
    file.close();
    if (disk.exists(file.path())) {
      disk.delete(file.path());
    }
  }

  /** Closes the file without finishing or deleting it. Idempotent. */
  @Override
  public void close() throws IOException {
    if (state == State.OPEN || state == State.FAILED) {
      state = State.CLOSED;
    }
    compressor.close();
    file.close();
  }

  private void requireOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("table " + file.path() + " is " + state.name().toLowerCase(Locale.ROOT)
          + "; no more entries can be added");
    }
  }

  private void writeDataBlock() throws IOException {
    BlockHandle handle;
    try {
      int length = compressor.seal(data.finish());
      handle = new BlockHandle(offsetBytes, length - BlockTrailer.SIZE_BYTES);
      file.append(compressor.buffer(), 0, length);
      offsetBytes += length;
    } catch (IOException | RuntimeException e) {
      state = State.FAILED;
      throw e;
    }
    index.add(lastKey, handle.encode());
    dataBlockCount++;
  }

  /** Writes a filter, metaindex or index block, stored as is. */
  private BlockHandle writeBlock(byte[] contents) throws IOException {
    byte[] physical = BlockTrailer.seal(contents, BlockCompression.NONE);
    BlockHandle handle = new BlockHandle(offsetBytes, physical.length - BlockTrailer.SIZE_BYTES);
    append(physical);
    return handle;
  }

  private void append(byte[] bytes) throws IOException {
    file.append(bytes);
    offsetBytes += bytes.length;
  }
}
