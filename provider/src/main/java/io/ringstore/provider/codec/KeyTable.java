package io.ringstore.provider.codec;

import io.ringstore.spi.Bytes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The interned keys of a store-by-reference cache whose keys cannot be encoded by value (they are
 * not {@link java.io.Serializable}): each distinct key (by {@code equals}) gets one id for the life
 * of the table, and the engine stores the id's 9 bytes (tag {@code 0x7e}, then a big-endian
 * counter), so that equal keys always find the same record.
 *
 * <p>Invariants: {@code equals} keys share one id; an id is never reused or reassigned. Ids are not
 * released when their entry goes away (a concurrent operation on the same key could otherwise end
 * up with a second id for it), nor when the cache is cleared (a put racing the clear may store under
 * an id it interned just before); the table is emptied only by {@link #clear()}, when the cache
 * closes. It therefore holds one entry per distinct such key ever written (reads of absent keys
 * intern nothing: {@link #find}); caches with a large, changing population of non-serialisable keys should use keys
 * that serialise, or store by value.
 *
 * <p>Thread-safety: thread-safe.
 *
 * @param <K> the key type
 */
public final class KeyTable<K> {
  static final byte TAG = 0x7e;

  private final ConcurrentHashMap<K, Bytes> ids = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Bytes, K> keys = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();

  /** The bytes of {@code key}'s id, interning it on first use. */
  public Bytes intern(K key) {
    Bytes existing = ids.get(key);
    if (existing != null) {
      return existing;
    }
    return ids.computeIfAbsent(key, k -> {
      long id = nextId.incrementAndGet();
      byte[] bytes = new byte[9];
      bytes[0] = TAG;
      for (int i = 8; i >= 1; i--) {
        bytes[i] = (byte) id;
        id >>>= 8;
      }
      Bytes idBytes = Bytes.of(bytes);
      keys.put(idBytes, k);
      return idBytes;
    });
  }

  /** The bytes of {@code key}'s id if it was interned, else {@code null} (a look-up that interns nothing). */
  public @Nullable Bytes find(K key) {
    return ids.get(key);
  }

  /** Whether {@code bytes} are an interned key's id (rather than a key encoded by value). */
  public static boolean isId(Bytes bytes) {
    return bytes.length() == 9 && bytes.at(0) == TAG;
  }

  /** The key whose id is {@code bytes}, or {@code null} if the table was cleared since. */
  public @Nullable K key(Bytes bytes) {
    return keys.get(bytes);
  }

  /** Forgets every key. */
  public void clear() {
    ids.clear();
    keys.clear();
  }

  /** The number of interned keys. */
  public int size() {
    return ids.size();
  }
}
