package io.ringstore.storage.lsm.sstable;

import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The 5-byte trailer that follows every block on disk (data, index, metaindex and filter blocks
 * alike), and the sealing and opening of a block with it. See {@code docs/formats/sstable.md}.
 *
 * <pre>
 *   stored bytes   n bytes   the block's contents, compressed as the type byte says
 *   type           1 byte    {@link BlockCompression#code()}
 *   checksum       4 bytes   little-endian, masked CRC32C of the stored bytes and the type byte
 * </pre>
 *
 * <p>A {@link BlockHandle}'s size is {@code n}: it does not count the trailer, so a reader reads
 * {@code size + }{@value #SIZE_BYTES} bytes at the handle's offset.
 *
 * <p>The checksum is masked as LevelDB masks it: rotated right by 15 bits, plus
 * {@code 0xa282ead8}. A CRC computed over bytes that contain their own CRC is prone to
 * degenerate results, and stored values (which users choose) can contain CRCs; masking breaks that
 * link at the cost of two instructions. The checksum is verified before anything else is read, so
 * a single flipped, dropped or added byte anywhere in a block is always reported as a mismatch
 * (CRC32C detects every error burst of up to 32 bits) and never decoded.
 *
 * <p>Thread-safety: stateless.
 */
public final class BlockTrailer {
  /** Trailer length: type byte and checksum. */
  public static final int SIZE_BYTES = 5;

  private static final int MASK_DELTA = 0xa282ead8;

  private BlockTrailer() {}

  /** Masks a CRC for storage. */
  public static int mask(int crc) {
    return Integer.rotateRight(crc, 15) + MASK_DELTA;
  }

  /** Undoes {@link #mask(int)}. */
  public static int unmask(int masked) {
    return Integer.rotateLeft(masked - MASK_DELTA, 15);
  }

  /** The unmasked CRC32C of {@code bytes[offset .. offset+length)} followed by the type byte. */
  static int crc32c(byte[] bytes, int offset, int length, int type) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    crc.update(type);
    return (int) crc.getValue();
  }

  /**
   * The block as written to disk: {@code contents} compressed with {@code compression}, then the
   * trailer. The handle of the written block has size {@code result.length - SIZE_BYTES}. The
   * compression is used even if it does not make the block smaller, and zstd runs at level
   * {@value TableOptions#DEFAULT_ZSTD_LEVEL} with a context made for the call; the table builder
   * seals its data blocks through a reused context instead, and may store them as is.
   *
   * @throws IllegalStateException if {@code compression} is zstd and its native library cannot be
   *     loaded
   */
  public static byte[] seal(byte[] contents, BlockCompression compression) {
    byte[] stored = compression.compress(contents, 0, contents.length);
    byte[] physical = new byte[stored.length + SIZE_BYTES];
    System.arraycopy(stored, 0, physical, 0, stored.length);
    physical[stored.length] = (byte) compression.code();
    Varints.putFixed32(physical, stored.length + 1, mask(crc32c(stored, 0, stored.length, compression.code())));
    return physical;
  }

  /**
   * Checks and opens a block read from disk: {@code physical[offset .. offset+length)} holds the
   * stored bytes and the trailer. Returns the contents, decompressed, in a fresh array.
   *
   * @param maxContentBytes the largest contents the caller accepts after decompression
   * @param structure what the block is, for errors (e.g. {@code "data block"})
   * @throws CorruptionException if the range is shorter than a trailer, the checksum does not match
   *     (the message gives both), the type byte is unknown, or decompression fails or passes the
   *     limit (see {@link BlockDecompressors} for the checks of a zstd frame); offsets are relative
   *     to {@code offset}
   * @throws IllegalStateException if the block is zstd and the zstd native library cannot be loaded
   */
  public static byte[] open(byte[] physical, int offset, int length, int maxContentBytes, String structure) {
    return open(physical, offset, length, maxContentBytes, structure, null);
  }

  /**
   * {@link #open(byte[], int, int, int, String)}, borrowing zstd contexts from {@code contexts}
   * (or making one for the call if it is {@code null}).
   *
   * @throws IllegalStateException if the block is zstd and the zstd native library cannot be loaded
   */
  static byte[] open(byte[] physical, int offset, int length, int maxContentBytes, String structure,
      @Nullable BlockDecompressors contexts) {
    if (offset < 0 || length < 0 || length > physical.length - offset) {
      throw new IllegalArgumentException("range [" + offset + ", " + offset + " + " + length
          + ") is outside an array of " + physical.length + " bytes");
    }
    if (length < SIZE_BYTES) {
      throw new CorruptionException(structure, 0, "a block needs at least " + SIZE_BYTES
          + " bytes (its trailer) but has " + length);
    }
    int storedLength = length - SIZE_BYTES;
    int type = physical[offset + storedLength] & 0xff;
    int storedCrc = unmask(Varints.getFixed32(physical, offset + storedLength + 1));
    int actualCrc = crc32c(physical, offset, storedLength, type);
    if (storedCrc != actualCrc) {
      throw new CorruptionException(structure, 0, String.format(
          "block checksum mismatch over %d bytes: stored crc32c 0x%08x, computed 0x%08x",
          storedLength + 1, storedCrc, actualCrc));
    }
    BlockCompression compression = BlockCompression.ofCode(type, structure, storedLength);
    return compression.decompress(physical, offset, storedLength, maxContentBytes, structure, contexts);
  }
}
