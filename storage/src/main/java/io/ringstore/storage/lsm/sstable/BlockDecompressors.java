package io.ringstore.storage.lsm.sstable;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * Reusable zstd decompression contexts for {@link TableReader}s, and the checks every zstd block
 * passes before and after it is decompressed.
 *
 * <p>Why a pool: a zstd-jni context holds native memory and is costly to make (making one per
 * block nearly triples the cost of decompressing a 4 KiB block); a context per thread, as zstd-jni
 * suggests, would never be freed when its thread ends (contexts have no cleaner) and would mean
 * one per virtual thread; and a static pool would be state shared by every engine in the JVM. So
 * a reader borrows a context for one block and gives it back. A pool keeps at most
 * {@code maxIdleContexts}; a borrower that finds none makes one, and a context given back to a
 * full or closed pool is freed. An engine shares one pool among all its readers (pass it to
 * {@link TableReader#open(io.ringstore.spi.env.Disk, java.nio.file.Path, long, BlockCache,
 * BlockDecompressors)}); a reader opened without one has a small pool of its own.
 *
 * <p>The checks, in order, each a {@link CorruptionException} at offset 0 of the block: the stored
 * bytes start with the zstd frame magic {@code 28 b5 2f fd} (so no skippable frame and no frame of
 * a pre-1.0 format); the frame header is well formed and records the content size; that size is
 * at most the caller's limit, at most {@link TableOptions#MAX_BLOCK_CONTENT_BYTES} (the largest
 * block a table builder writes, whatever the block) and at most {@value #MAX_EXPANSION} times the
 * stored size (each zstd block takes at least 4 bytes and yields at most 128 KiB, so no frame a
 * zstd encoder writes expands further, and a short forged header cannot make the reader allocate
 * much); the frame takes exactly the stored bytes. Only then is the declared size allocated, and
 * the frame must decompress without error to exactly that size. Errors from zstd-jni
 * ({@link ZstdException}) become corruption; nothing else is caught.
 *
 * <p>Invariants: at most {@code maxIdleContexts} idle contexts; none after {@link #close()}.
 * Thread-safety: thread-safe; a context is used by one thread at a time.
 */
public final class BlockDecompressors implements AutoCloseable {
  /** The largest number of idle contexts a pool may be asked to keep. */
  public static final int MAX_IDLE_CONTEXTS = 1024;

  /** The zstd frame magic number, {@code 28 b5 2f fd} little-endian (RFC 8878, 3.1.1). */
  static final int ZSTD_MAGIC = 0xFD2FB528;

  /**
   * How many times its stored size a zstd frame may declare: a zstd block yields at most 128 KiB
   * (RFC 8878, Block_Maximum_Size) and takes at least 4 bytes (an RLE block: a 3-byte header and
   * the byte to repeat), and the frame header takes some more.
   */
  static final long MAX_EXPANSION = (128 << 10) / 4;

  /** What {@code ZSTD_getFrameContentSize} returns for a frame that does not record its size. */
  private static final long CONTENT_SIZE_UNKNOWN = -1;

  // constant after construction
  private final int maxIdleContexts;

  private final Object lock = new Object();
  private final ArrayDeque<ZstdDecompressCtx> idle = new ArrayDeque<>(); // guarded by lock
  private boolean closed;                                                 // guarded by lock
  private long contextsMade;                                              // guarded by lock

  /**
   * A pool that keeps up to {@code maxIdleContexts} contexts between uses (no context is made
   * until a zstd block is read).
   *
   * @throws IllegalArgumentException if {@code maxIdleContexts} is outside 0 to
   *     {@value #MAX_IDLE_CONTEXTS}
   */
  public BlockDecompressors(int maxIdleContexts) {
    if (maxIdleContexts < 0 || maxIdleContexts > MAX_IDLE_CONTEXTS) {
      throw new IllegalArgumentException("zstd maxIdleContexts = " + maxIdleContexts
          + " is out of range; need 0 <= maxIdleContexts <= " + MAX_IDLE_CONTEXTS);
    }
    this.maxIdleContexts = maxIdleContexts;
  }

  /** A pool that keeps one idle context per available processor, for an engine's readers to share. */
  public static BlockDecompressors perProcessor() {
    return new BlockDecompressors(Math.min(MAX_IDLE_CONTEXTS, Runtime.getRuntime().availableProcessors()));
  }

  /** Contexts made so far (a measure of reuse). */
  public long contextsMade() {
    synchronized (lock) {
      return contextsMade;
    }
  }

  /** Contexts waiting to be borrowed. */
  public int idleContexts() {
    synchronized (lock) {
      return idle.size();
    }
  }

  /** Frees the idle contexts; contexts in use are freed when they are given back. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      for (ZstdDecompressCtx context : idle) {
        context.close();
      }
      idle.clear();
    }
  }

  /**
   * Checks and decompresses the zstd frame in {@code stored[offset .. offset+length)}: see the
   * class comment.
   *
   * @param pool where to borrow a context, or {@code null} to make one for this call
   * @throws CorruptionException (at offset 0 of {@code structure}) if any check fails
   * @throws IllegalStateException if the zstd native library cannot be loaded
   */
  static byte[] decompressZstd(@Nullable BlockDecompressors pool, byte[] stored, int offset, int length,
      int maxContentBytes, String structure) {
    if (length < 4 || Varints.getFixed32(stored, offset) != ZSTD_MAGIC) {
      throw new CorruptionException(structure, 0, length < 4
          ? "a zstd block needs at least the 4-byte frame magic but has " + length + " bytes"
          : String.format("a zstd block must be one zstd frame, but its magic number is 0x%08x, not 0x%08x",
              Varints.getFixed32(stored, offset), ZSTD_MAGIC));
    }
    long declared;
    try {
      declared = Zstd.getFrameContentSize(stored, offset, length);
    } catch (LinkageError e) {
      throw BlockCompressor.nativeUnavailable("cannot read " + structure + " stored with zstd", e, "");
    }
    if (declared == CONTENT_SIZE_UNKNOWN) {
      throw new CorruptionException(structure, 0, "the zstd frame does not record its content size");
    }
    if (declared < 0) {
      throw new CorruptionException(structure, 0, "the zstd frame header is malformed (" + length
          + " stored bytes)");
    }
    int limit = Math.min(maxContentBytes, TableOptions.MAX_BLOCK_CONTENT_BYTES);
    if (declared > limit) {
      throw new CorruptionException(structure, 0, "the zstd frame declares " + declared
          + " bytes of contents, above the limit of " + limit + " bytes");
    }
    if (declared > MAX_EXPANSION * length) {
      throw new CorruptionException(structure, 0, "the zstd frame declares " + declared + " bytes of contents, more"
          + " than its " + length + " stored bytes can hold (at most " + MAX_EXPANSION + " times as many)");
    }
    long frameBytes;
    try {
      frameBytes = Zstd.findFrameCompressedSize(stored, offset, length);
    } catch (ZstdException e) {
      throw new CorruptionException(structure, 0, "the zstd frame is malformed: " + e.getMessage()
          + " (zstd error " + e.getErrorCode() + ")");
    }
    if (frameBytes != length) {
      throw new CorruptionException(structure, 0, "the zstd frame takes " + frameBytes + " of the block's " + length
          + " stored bytes; a zstd block is exactly one frame");
    }
    byte[] contents = new byte[(int) declared];
    int produced;
    ZstdDecompressCtx context = pool == null ? newContext(structure) : pool.borrow(structure);
    try {
      produced = context.decompressByteArray(contents, 0, contents.length, stored, offset, length);
    } catch (ZstdException e) {
      throw new CorruptionException(structure, 0, "the zstd frame does not decompress: " + e.getMessage()
          + " (zstd error " + e.getErrorCode() + ")");
    } finally {
      if (pool == null) {
        context.close();
      } else {
        pool.giveBack(context);
      }
    }
    if (produced != declared) {
      throw new CorruptionException(structure, 0, "the zstd frame decompresses to " + produced
          + " bytes but declares " + declared);
    }
    return contents;
  }

  private ZstdDecompressCtx borrow(String structure) {
    synchronized (lock) {
      ZstdDecompressCtx context = idle.pollLast();
      if (context != null) {
        return context;
      }
    }
    ZstdDecompressCtx context = newContext(structure);
    synchronized (lock) {
      contextsMade++;
    }
    return context;
  }

  private void giveBack(ZstdDecompressCtx context) {
    synchronized (lock) {
      if (!closed && idle.size() < maxIdleContexts) {
        idle.addLast(context);
        return;
      }
    }
    context.close();
  }

  private static ZstdDecompressCtx newContext(String structure) {
    try {
      return new ZstdDecompressCtx();
    } catch (LinkageError e) { // UnsatisfiedLinkError, or NoClassDefFoundError after a failed first load
      throw BlockCompressor.nativeUnavailable("cannot read " + structure + " stored with zstd", e, "");
    }
  }
}
