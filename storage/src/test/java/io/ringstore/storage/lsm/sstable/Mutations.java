package io.ringstore.storage.lsm.sstable;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/** Test helpers that damage encodings and run decoders that may only succeed or report corruption. */
final class Mutations {
  private Mutations() {}

  /**
   * Runs {@code decoder}: its result, or empty if it threw {@link CorruptionException}. Any other
   * exception propagates and fails the test.
   */
  static <T> Optional<T> decodeOrCorruption(Supplier<T> decoder) {
    try {
      return Optional.of(decoder.get());
    } catch (CorruptionException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("corruption without a message", e);
      }
      return Optional.empty();
    }
  }

  /** A copy with byte {@code index} XORed with {@code mask} (a non-zero byte). */
  static byte[] flip(byte[] original, int index, int mask) {
    if ((mask & 0xff) == 0) {
      throw new IllegalArgumentException("mask must change the byte");
    }
    byte[] copy = original.clone();
    copy[index] ^= (byte) mask;
    return copy;
  }

  /** The first {@code length} bytes. */
  static byte[] truncate(byte[] original, int length) {
    return Arrays.copyOf(original, length);
  }
}
