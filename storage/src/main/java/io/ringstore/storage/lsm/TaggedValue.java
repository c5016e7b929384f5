package io.ringstore.storage.lsm;

import io.ringstore.spi.Bytes;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * How the store keeps a value in its memtables and tables: one tag byte, {@code 1} followed by the
 * value's bytes for a put, or the single byte {@code 0} for a deletion (which hides older versions
 * until compaction drops it at the bottom level). Documented in {@code docs/formats/sstable.md}
 * ("values of the lsm engine").
 *
 * <p>Thread-safety: stateless.
 */
final class TaggedValue {
  static final byte DELETION = 0;
  static final byte PUT = 1;
  private static final byte[] DELETION_BYTES = {DELETION};

  private TaggedValue() {}

  static byte[] deletion() {
    return DELETION_BYTES;
  }

  static byte[] put(byte[] value) {
    byte[] tagged = new byte[value.length + 1];
    tagged[0] = PUT;
    System.arraycopy(value, 0, tagged, 1, value.length);
    return tagged;
  }

  /**
   * Whether {@code tagged} is a deletion.
   *
   * @throws CorruptionException if the tag is unknown or a deletion carries bytes
   */
  static boolean isDeletion(byte[] tagged, String where) {
    if (tagged.length == 0) {
      throw new CorruptionException("value", 0, "empty value in " + where + " (a value has at least its tag byte)");
    }
    if (tagged[0] == DELETION) {
      if (tagged.length != 1) {
        throw new CorruptionException("value", 0, "deletion with " + (tagged.length - 1) + " bytes after its tag in "
            + where);
      }
      return true;
    }
    if (tagged[0] != PUT) {
      throw new CorruptionException("value", 0, "unknown value tag " + (tagged[0] & 0xff) + " in " + where
          + " (known: 0 = deletion, 1 = put)");
    }
    return false;
  }

  /** The value's bytes of a put, or {@code null} for a deletion. */
  static @Nullable Bytes value(byte[] tagged, String where) {
    return isDeletion(tagged, where) ? null : Bytes.of(Arrays.copyOfRange(tagged, 1, tagged.length));
  }
}
