package io.ringstore.provider.codec;

import io.ringstore.spi.Bytes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The values of a store-by-reference cache: each stored value object is held here under a handle,
 * and the engine stores the handle's 9 bytes (tag {@code 0x7f}, then a big-endian counter).
 *
 * <p>Invariants: a handle is issued once and never reused; a handle is held until the cache
 * {@linkplain #release releases} it, which the cache does for the old value of every overwrite,
 * removal, expiry and eviction, and for a new value a write ended up not storing. {@link #clear()}
 * drops every handle (the cache's {@code clear}). A stale handle (released, cleared) reads as
 * {@code null}, which the cache treats as absent.
 *
 * <p>Store-by-reference is allowed only for caches with N = 1: a handle means nothing on another
 * node. Keys are never held here: they are always encoded by value, so that equal keys find the
 * same record.
 *
 * <p>Thread-safety: thread-safe (a {@link ConcurrentHashMap} and an atomic counter).
 *
 * @param <V> the value type
 */
public final class ReferenceTable<V> {
  static final byte TAG = 0x7f;

  private final ConcurrentHashMap<Long, V> values = new ConcurrentHashMap<>();
  private final AtomicLong nextHandle = new AtomicLong();

  /** Holds {@code value} under a new handle and returns the handle's bytes. */
  public Bytes hold(V value) {
    long handle = nextHandle.incrementAndGet();
    values.put(handle, value);
    byte[] bytes = new byte[9];
    bytes[0] = TAG;
    long v = handle;
    for (int i = 8; i >= 1; i--) {
      bytes[i] = (byte) v;
      v >>>= 8;
    }
    return Bytes.of(bytes);
  }

  /** The value held under {@code handle}, or {@code null} if it was released. */
  public @Nullable V get(Bytes handle) {
    return values.get(handleOf(handle));
  }

  /** Lets go of the value under {@code handle}; no effect if it was released already. */
  public void release(Bytes handle) {
    values.remove(handleOf(handle));
  }

  /** Lets go of every value. */
  public void clear() {
    values.clear();
  }

  /** The number of values held. */
  public int size() {
    return values.size();
  }

  private static long handleOf(Bytes handle) {
    byte[] bytes = handle.unsafeArray();
    if (bytes.length != 9 || bytes[0] != TAG) {
      throw new IllegalArgumentException("not a reference handle: " + handle);
    }
    long v = 0;
    for (int i = 1; i < 9; i++) {
      v = (v << 8) | (bytes[i] & 0xff);
    }
    return v;
  }
}
