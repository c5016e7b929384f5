package io.ringstore.storage.lsm.sstable;

import java.util.zip.CRC32C;

/**
 * The fixed-length end of a table file: where the metaindex and index blocks are, the format
 * version and a magic number, with a checksum of its own. See {@code docs/formats/sstable.md}.
 *
 * <pre>
 *   offset  size  field
 *    0      40    metaindex handle, index handle (varints), zero padding to 40 bytes
 *   40       4    format version, u32 little-endian
 *   44       4    masked CRC32C of bytes 0..43, u32 little-endian
 *   48       8    magic 89 52 53 53 54 0d 0a 1a ("\x89RSST\r\n\x1a")
 * </pre>
 *
 * <p>The magic borrows PNG's trick: the high-bit first byte catches 7-bit transfers, CR LF catches
 * line-ending translation and 0x1a stops a DOS {@code type}. Decoding checks, in order, the
 * length, the magic, the version (a reader refuses a version it does not know, naming it, as the
 * layout after the magic belongs to the version), the checksum, the handles and the padding. Every
 * byte is covered by the magic or the checksum, so a flipped footer byte is always reported.
 *
 * <p>Versions form a linear history: 1 is this layout with the block, trailer and bloom filter
 * formats of this package.
 *
 * <p>Thread-safety: immutable.
 */
public record Footer(BlockHandle metaindexHandle, BlockHandle indexHandle, int formatVersion) {
  /** The encoded length, in bytes. */
  public static final int ENCODED_LENGTH = 56;
  /** The version this code writes and the only one it reads. */
  public static final int CURRENT_FORMAT_VERSION = 1;
  /** The magic number, as the little-endian u64 of its bytes {@code 89 52 53 53 54 0d 0a 1a}. */
  public static final long MAGIC = 0x1a0a0d5453535289L;

  private static final int HANDLES_LENGTH = 2 * BlockHandle.MAX_ENCODED_LENGTH;
  private static final int VERSION_AT = HANDLES_LENGTH;
  private static final int CHECKSUM_AT = VERSION_AT + 4;
  private static final int MAGIC_AT = CHECKSUM_AT + 4;
  private static final String STRUCTURE = "footer";

  /**
   * @throws IllegalArgumentException if {@code formatVersion < 1}
   */
  public Footer {
    if (formatVersion < 1) {
      throw new IllegalArgumentException("footer formatVersion = " + formatVersion + " is out of range; need >= 1");
    }
  }

  /** A footer of the {@linkplain #CURRENT_FORMAT_VERSION current version}. */
  public Footer(BlockHandle metaindexHandle, BlockHandle indexHandle) {
    this(metaindexHandle, indexHandle, CURRENT_FORMAT_VERSION);
  }

  /** The {@value #ENCODED_LENGTH} bytes of this footer. */
  public byte[] encode() {
    byte[] out = new byte[ENCODED_LENGTH];
    indexHandle.encodeTo(out, metaindexHandle.encodeTo(out, 0));
    Varints.putFixed32(out, VERSION_AT, formatVersion);
    Varints.putFixed32(out, CHECKSUM_AT, BlockTrailer.mask(checksum(out, 0)));
    Varints.putFixed64(out, MAGIC_AT, MAGIC);
    return out;
  }

  /** Decodes all of {@code src}; see {@link #decode(byte[], int, int)}. */
  public static Footer decode(byte[] src) {
    return decode(src, 0, src.length);
  }

  /**
   * Decodes the footer in {@code src[offset .. offset+length)}.
   *
   * @throws CorruptionException if the length is not {@value #ENCODED_LENGTH}, the magic or the
   *     checksum is wrong, the version is not one this reader knows, a handle is malformed or the
   *     padding is not zero; offsets are relative to {@code offset}
   */
  public static Footer decode(byte[] src, int offset, int length) {
    ByteReader reader = new ByteReader(src, offset, length, STRUCTURE);
    if (length != ENCODED_LENGTH) {
      throw reader.corrupt(0, "a footer is " + ENCODED_LENGTH + " bytes but " + length + " were given");
    }
    long magic = Varints.getFixed64(src, offset + MAGIC_AT);
    if (magic != MAGIC) {
      throw reader.corrupt(MAGIC_AT, String.format(
          "bad magic number 0x%016x, expected 0x%016x (not a Ringstore table, or its end is missing)", magic, MAGIC));
    }
    int version = Varints.getFixed32(src, offset + VERSION_AT);
    if (version != CURRENT_FORMAT_VERSION) {
      throw reader.corrupt(VERSION_AT, "unsupported format version " + Integer.toUnsignedString(version)
          + "; this reader knows version " + CURRENT_FORMAT_VERSION);
    }
    int stored = BlockTrailer.unmask(Varints.getFixed32(src, offset + CHECKSUM_AT));
    int actual = checksum(src, offset);
    if (stored != actual) {
      throw reader.corrupt(CHECKSUM_AT, String.format(
          "footer checksum mismatch: stored crc32c 0x%08x, computed 0x%08x", stored, actual));
    }
    ByteReader handles = new ByteReader(src, offset, HANDLES_LENGTH, STRUCTURE);
    BlockHandle metaindex = BlockHandle.read(handles);
    BlockHandle index = BlockHandle.read(handles);
    while (handles.remaining() > 0) {
      int at = handles.position();
      int padding = handles.readUnsignedByte("padding");
      if (padding != 0) {
        throw reader.corrupt(at, String.format("padding byte is 0x%02x, expected 0x00", padding));
      }
    }
    return new Footer(metaindex, index, version);
  }

  /** The unmasked CRC32C of the 44 bytes before the checksum field. */
  private static int checksum(byte[] footer, int offset) {
    CRC32C crc = new CRC32C();
    crc.update(footer, offset, CHECKSUM_AT);
    return (int) crc.getValue();
  }
}
