package io.ringstore.provider.codec;

import io.ringstore.spi.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * A small direct-mapped memo that spares the hot path repeated encoding of the same keys, for the
 * immutable types of the built-in codec ({@link String}, {@link Long}, {@link Integer}) only: slot
 * by the key's {@code hashCode}; a hit needs an {@code equals} key in the slot and returns the
 * bytes encoded for it earlier (equal keys of these types always encode to equal bytes, so this
 * changes nothing but the cost). Decoded values are remembered on the stored bytes themselves
 * ({@link Bytes#rememberDecoded}), not here.
 *
 * <p>Invariants and bounds: {@value #SLOTS} slots; an entry is an immutable pair replaced as a
 * whole, so a reader sees either the old or the new pair, never a mix. The memo keeps up to
 * {@value #SLOTS} keys reachable after the cache dropped them, and no more.
 *
 * <p>Thread-safety: thread-safe without locks: slots are written and read racily, and every entry
 * has only final fields (safe publication through a data race, JLS 17.5).
 */
final class CodecMemo {
  /** Slots per memo (a power of two). */
  static final int SLOTS = 4096;
  private static final int MASK = SLOTS - 1;

  private final KeyEntry[] keys = new KeyEntry[SLOTS];

  /** Whether objects of this exact class are immutable and encode deterministically (also: may be shared as decoded values). */
  static boolean memoizable(Class<?> type) {
    return type == String.class || type == Long.class || type == Integer.class;
  }

  /** The bytes earlier encoded for a key equal to {@code key}, or null. */
  @Nullable Bytes encodedKey(Object key, int hash) {
    KeyEntry entry = keys[spread(hash) & MASK];
    return entry != null && (entry.key == key || entry.key.equals(key)) ? entry.bytes : null;
  }

  void rememberKey(Object key, int hash, Bytes bytes) {
    keys[spread(hash) & MASK] = new KeyEntry(key, bytes);
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  private static final class KeyEntry {
    final Object key;
    final Bytes bytes;

    KeyEntry(Object key, Bytes bytes) {
      this.key = key;
      this.bytes = bytes;
    }
  }
}
