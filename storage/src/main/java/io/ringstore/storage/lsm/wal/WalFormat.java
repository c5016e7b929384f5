package io.ringstore.storage.lsm.wal;

import io.ringstore.storage.lsm.sstable.BlockTrailer;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The WAL segment format, version 1: the constants and the encoders that
 * {@link WalWriter} and {@link WalReader} share. The layout is documented in
 * {@code docs/formats/wal.md}, whose worked example {@code WalFormatDocTest} checks byte for byte.
 *
 * <pre>
 *   header (16 bytes):  magic "RSWL" | version u16 | flags u16 | segment id u64
 *   record:             length u32 | masked crc32c u32 over type and payload | type u8 | payload[length]
 * </pre>
 * All integers are little-endian. Segment files are named {@code <segment id, 20 decimal digits>.wal}.
 *
 * <p>Thread-safety: stateless.
 */
public final class WalFormat {
  /** The first four bytes of every segment: "RSWL". */
  public static final byte[] MAGIC = {'R', 'S', 'W', 'L'};
  /** The only version this build writes and reads. Versions form a linear history. */
  public static final int VERSION = 1;
  /** Header length: magic, version, flags, segment id. */
  public static final int HEADER_BYTES = 16;
  /** Bytes before a record's payload: length, checksum, type. */
  public static final int RECORD_HEADER_BYTES = 9;
  /** Record type 1: a batch, its payload opaque to the WAL. 0 and 2..255 are reserved. */
  public static final int TYPE_BATCH = 1;
  /** Segment file name suffix. */
  public static final String SUFFIX = ".wal";

  private WalFormat() {}

  /** The 16-byte header of segment {@code segmentId}. */
  public static byte[] header(long segmentId) {
    byte[] header = new byte[HEADER_BYTES];
    System.arraycopy(MAGIC, 0, header, 0, 4);
    putU16(header, 4, VERSION);
    putU16(header, 6, 0);
    putU64(header, 8, segmentId);
    return header;
  }

  /** One record, as written: header and payload. */
  public static byte[] record(int type, byte[] payload) {
    byte[] record = new byte[RECORD_HEADER_BYTES + payload.length];
    putU32(record, 0, payload.length);
    putU32(record, 4, BlockTrailer.mask(crc(type, payload, 0, payload.length)));
    record[8] = (byte) type;
    System.arraycopy(payload, 0, record, RECORD_HEADER_BYTES, payload.length);
    return record;
  }

  /**
   * The unmasked CRC32C of the type byte followed by {@code payload[offset, offset+length)}: the
   * record checksum of the WAL and of the manifest, which share this framing.
   */
  public static int crc(int type, byte[] payload, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(type);
    crc.update(payload, offset, length);
    return (int) crc.getValue();
  }

  /** The file name of segment {@code segmentId} in {@code directory}. */
  public static Path segmentPath(Path directory, long segmentId) {
    if (segmentId < 1) {
      throw new IllegalArgumentException("WAL segment id = " + segmentId + "; must be >= 1");
    }
    return directory.resolve(String.format("%020d%s", segmentId, SUFFIX));
  }

  /** The segment id a file name stands for, or null if it is not a segment's name. */
  public static @Nullable Long segmentId(Path file) {
    String name = file.getFileName().toString();
    if (name.length() != 20 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
      return null;
    }
    String digits = name.substring(0, 20);
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return null;
      }
    }
    try {
      long id = Long.parseLong(digits);
      return id >= 1 ? id : null;
    } catch (NumberFormatException e) {
      return null; // above Long.MAX_VALUE: not one of ours
    }
  }

  /** Little-endian, as every integer of the WAL and manifest formats (bounds checked by the caller). */
  public static void putU16(byte[] dst, int offset, int value) {
    dst[offset] = (byte) value;
    dst[offset + 1] = (byte) (value >>> 8);
  }

  /** Little-endian, as every integer of the WAL and manifest formats (bounds checked by the caller). */
  public static void putU32(byte[] dst, int offset, int value) {
    for (int i = 0; i < 4; i++) {
      dst[offset + i] = (byte) (value >>> (8 * i));
    }
  }

  /** Little-endian, as every integer of the WAL and manifest formats (bounds checked by the caller). */
  public static void putU64(byte[] dst, int offset, long value) {
    for (int i = 0; i < 8; i++) {
      dst[offset + i] = (byte) (value >>> (8 * i));
    }
  }

  /** Little-endian, as every integer of the WAL and manifest formats (bounds checked by the caller). */
  public static int getU16(byte[] src, int offset) {
    return (src[offset] & 0xff) | (src[offset + 1] & 0xff) << 8;
  }

  /** Little-endian, as every integer of the WAL and manifest formats (bounds checked by the caller). */
  public static int getU32(byte[] src, int offset) {
    int value = 0;
    for (int i = 3; i >= 0; i--) {
      value = value << 8 | (src[offset + i] & 0xff);
    }
    return value;
  }

  /** Little-endian, as every integer of the WAL and manifest formats (bounds checked by the caller). */
  public static long getU64(byte[] src, int offset) {
    return Integer.toUnsignedLong(getU32(src, offset)) | (long) getU32(src, offset + 4) << 32;
  }
}
