package io.ringstore.storage.lsm.manifest;

import static io.ringstore.storage.lsm.wal.WalFormat.putU16;
import static io.ringstore.storage.lsm.wal.WalFormat.putU64;

import io.ringstore.storage.lsm.sstable.CorruptionException;
import io.ringstore.storage.lsm.wal.WalFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The manifest's file format, version 1: the constants, file names and encoders that
 * {@link Manifest} and its reader share. Every byte is documented in
 * {@code docs/formats/manifest.md}, whose worked example {@code ManifestFormatDocTest} checks.
 *
 * <pre>
 *   MANIFEST-&lt;number&gt;:
 *     header (16 bytes):  magic "RSMF" | version u16 | flags u16 | manifest number u64
 *     record:             length u32 | masked crc32c u32 over type and payload | type u8 | payload[length]
 *     (the payload of a type-1 record is one {@link VersionEdit}; the first record rebuilds the
 *      whole state from empty)
 *   CURRENT:              "MANIFEST-&lt;number&gt;\n" in ASCII
 * </pre>
 * All fixed-width integers are little-endian. The record framing is the WAL's
 * ({@code docs/formats/wal.md}) with another magic number.
 *
 * <p>Thread-safety: stateless.
 */
public final class ManifestFormat {
  /** The first four bytes of every manifest file: "RSMF". */
  public static final byte[] MAGIC = {'R', 'S', 'M', 'F'};
  /** The only version this build writes and reads. Versions form a linear history. */
  public static final int VERSION = 1;
  /** Header length: magic, version, flags, manifest number. */
  public static final int HEADER_BYTES = 16;
  /** Bytes before a record's payload: length, checksum, type. */
  public static final int RECORD_HEADER_BYTES = 9;
  /** Record type 1: a {@link VersionEdit}. 0 and 2..255 are reserved. */
  public static final int TYPE_EDIT = 1;
  /** The name of the file that names the live manifest file. */
  public static final String CURRENT = "CURRENT";
  /** The name {@code CURRENT} is written under before it is renamed into place. */
  public static final String CURRENT_TMP = "CURRENT.tmp";
  /** The prefix of manifest file names; the number follows. */
  public static final String PREFIX = "MANIFEST-";
  /** The fewest digits of the number in a manifest file name (shorter numbers are zero-padded). */
  public static final int MIN_DIGITS = 6;
  /** The most digits: {@link Long#MAX_VALUE} has 19. */
  public static final int MAX_DIGITS = 19;
  /** The longest valid {@code CURRENT}: the prefix, 19 digits and the newline. */
  public static final int MAX_CURRENT_BYTES = PREFIX.length() + MAX_DIGITS + 1;

  private ManifestFormat() {}

  /** The 16-byte header of manifest file {@code number}. */
  public static byte[] header(long number) {
    byte[] header = new byte[HEADER_BYTES];
    System.arraycopy(MAGIC, 0, header, 0, 4);
    putU16(header, 4, VERSION);
    putU16(header, 6, 0);
    putU64(header, 8, number);
    return header;
  }

  /** One edit record, as written: the WAL's record framing with type {@link #TYPE_EDIT}. */
  public static byte[] record(byte[] payload) {
    return WalFormat.record(TYPE_EDIT, payload);
  }

  /** The unmasked CRC32C of a record's type byte and payload, as {@link WalFormat#crc} computes it. */
  static int crc(int type, byte[] payload, int offset, int length) {
    return WalFormat.crc(type, payload, offset, length);
  }

  /** The file name of manifest {@code number}: {@code MANIFEST-} and the number, at least 6 digits. */
  public static String fileName(long number) {
    if (number < 1) {
      throw new IllegalArgumentException("manifest number = " + number + "; must be >= 1");
    }
    return String.format("%s%06d", PREFIX, number);
  }

  /** The path of manifest {@code number} in {@code directory}. */
  public static Path manifestPath(Path directory, long number) {
    return directory.resolve(fileName(number));
  }

  /**
   * The number a manifest file name stands for, or null if it is not exactly what
   * {@link #fileName} writes (the prefix, then at least 6 digits, zero-padded to 6 and no further,
   * a value from 1 to {@link Long#MAX_VALUE} - 1, so that a next number exists).
   */
  public static @Nullable Long manifestNumber(String name) {
    if (!name.startsWith(PREFIX)) {
      return null;
    }
    String digits = name.substring(PREFIX.length());
    if (digits.length() < MIN_DIGITS || digits.length() > MAX_DIGITS) {
      return null;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return null;
      }
    }
    if (digits.length() > MIN_DIGITS && digits.charAt(0) == '0') {
      return null; // padded past 6 digits: not a name we write
    }
    try {
      long number = Long.parseLong(digits);
      return number >= 1 && number < Long.MAX_VALUE ? number : null;
    } catch (NumberFormatException e) {
      return null; // above Long.MAX_VALUE
    }
  }

  /** The number of a manifest file's path, or null; see {@link #manifestNumber(String)}. */
  public static @Nullable Long manifestNumber(Path file) {
    Path name = file.getFileName();
    return name == null ? null : manifestNumber(name.toString());
  }

  /** What {@code CURRENT} holds when it names manifest {@code number}: the file name and a newline, in ASCII. */
  public static byte[] currentContent(long number) {
    return (fileName(number) + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The manifest number {@code CURRENT}'s bytes name.
   *
   * @throws CorruptionException (structure {@code "CURRENT"}, offsets in {@code content}) unless the
   *     bytes are exactly what {@link #currentContent} writes for some number
   */
  public static long parseCurrent(byte[] content) {
    if (content.length == 0) {
      throw new CorruptionException(CURRENT, 0, "the file is empty; it must hold a manifest file name and a newline");
    }
    if (content.length > MAX_CURRENT_BYTES) {
      throw new CorruptionException(CURRENT, 0, "the file is " + content.length
          + " bytes; a manifest file name and a newline take at most " + MAX_CURRENT_BYTES + " bytes");
    }
    if (content[content.length - 1] != '\n') {
      throw new CorruptionException(CURRENT, content.length - 1, String.format(
          "the last byte is 0x%02x, not the newline 0x0a that ends a complete CURRENT", content[content.length - 1]));
    }
    for (int i = 0; i < content.length - 1; i++) {
      if (content[i] < 0x21 || content[i] > 0x7e) {
        throw new CorruptionException(CURRENT, i, String.format(
            "byte 0x%02x is not a printable ASCII character of a manifest file name", content[i]));
      }
    }
    String name = new String(content, 0, content.length - 1, StandardCharsets.US_ASCII);
    Long number = manifestNumber(name);
    if (number == null) {
      throw new CorruptionException(CURRENT, 0, "\"" + name + "\" is not a manifest file name ("
          + PREFIX + " and a number of " + MIN_DIGITS + " to " + MAX_DIGITS + " digits, zero-padded to "
          + MIN_DIGITS + ", from 1)");
    }
    return number;
  }

}
