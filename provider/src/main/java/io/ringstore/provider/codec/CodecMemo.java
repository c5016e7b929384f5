package io.ringstore.provider.codec;

import io.ringstore.spi.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * Small direct-mapped memos that spare the hot path repeated encoding of the same keys and
 * repeated decoding of the same stored values, for the immutable types of the built-in codec
 * ({@link String}, {@link Long}, {@link Integer}) only.
 *
 * <ul>
 *   <li>Keys: slot by the key's {@code hashCode}; a hit needs an {@code equals} key in the slot and
 *       returns the bytes encoded for it earlier (equal keys of these types always encode to equal
 *       bytes, so this changes nothing but the cost).</li>
 *   <li>Values: slot by the identity of the stored bytes object; a hit needs the very same bytes
 *       object (a record is immutable, and every write stores a new one) and returns the object
 *       decoded from it earlier. Handing the same immutable object to several readers is
 *       indistinguishable from handing each a fresh copy, so store-by-value semantics hold.</li>
 * </ul>
 *
 * <p>Invariants and bounds: {@value #SLOTS} slots each; an entry is an immutable pair replaced as
 * a whole, so a reader sees either the old or the new pair, never a mix. The memos keep up to
 * {@value #SLOTS} keys and values reachable after the cache dropped them, and no more.
 *
 * <p>Thread-safety: thread-safe without locks: slots are written and read racily, and every entry
 * has only final fields (safe publication through a data race, JLS 17.5).
 */
final class CodecMemo {
  /** Slots per memo (a power of two). */
  static final int SLOTS = 4096;
  private static final int MASK = SLOTS - 1;

  private final KeyEntry[] keys = new KeyEntry[SLOTS];
  private final ValueEntry[] values = new ValueEntry[SLOTS];

  /** Whether objects of this exact class are immutable and encode deterministically. */
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

  /** The object earlier decoded from this very {@code stored} bytes object, or null. */
  @Nullable Object decodedValue(Bytes stored) {
    ValueEntry entry = values[spread(System.identityHashCode(stored)) & MASK];
    return entry != null && entry.stored == stored ? entry.value : null;
  }

  void rememberValue(Bytes stored, Object value) {
    values[spread(System.identityHashCode(stored)) & MASK] = new ValueEntry(stored, value);
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

  private static final class ValueEntry {
    final Bytes stored;
    final Object value;

    ValueEntry(Bytes stored, Object value) {
      this.stored = stored;
      this.value = value;
    }
  }
}
