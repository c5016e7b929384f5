package io.ringstore.provider.codec;

import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.Codec;
import java.io.Serializable;
import javax.cache.CacheException;
import javax.cache.configuration.Factory;
import org.jspecify.annotations.Nullable;

/**
 * One cache's conversion of keys and values to the bytes its keyspace stores, with the cache's
 * size bounds.
 *
 * <p>Keys go through the key codec (by value, even in a store-by-reference cache), so equal keys
 * become equal bytes. The one exception: a store-by-reference cache with the built-in codec interns
 * keys that are not {@link Serializable} in a {@link KeyTable}, since such keys have no bytes of
 * their own (JCache allows any key when storing by reference). Values go through the value codec when the cache stores by value, or
 * into a {@link ReferenceTable} when it stores by reference (the size bound does not apply to
 * them then: the engine holds a 9-byte handle).
 *
 * <p>Errors, each thrown before anything is written, so that nothing is left half-written:
 * <ul>
 *   <li>an encoded key longer than {@code maxKeyBytes} or value longer than {@code maxValueBytes}:
 *       {@link IllegalArgumentException} naming the cache, the bound and the size;</li>
 *   <li>a key or value the codec cannot encode (for the built-in codec: not serialisable):
 *       {@link CacheException} naming the cache and the object's class, with the codec's error as
 *       the cause;</li>
 *   <li>stored bytes that cannot be decoded (including classes the deserialisation filter
 *       rejects): {@link CacheException} naming the cache.</li>
 * </ul>
 *
 * <p>Thread-safety: thread-safe if the codecs are (they must be).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EntryCodec<K, V> {
  private final String cacheName;
  private final Codec<K> keyCodec;
  private final Codec<V> valueCodec;
  private final @Nullable ReferenceTable<V> references;
  private final @Nullable KeyTable<K> internedKeys;
  // whether values of the built-in codec's immutable types are remembered on their stored bytes
  private final boolean memoizeValues;
  private final int maxKeyBytes;
  private final int maxValueBytes;

  /**
   * @param cacheName the cache, for messages
   * @param keyCodec encodes keys
   * @param valueCodec encodes values (unused when {@code references} is given)
   * @param references the handle table of a store-by-reference cache, or {@code null} to store by value
   * @param maxKeyBytes the bound on an encoded key
   * @param maxValueBytes the bound on an encoded value
   */
  public EntryCodec(String cacheName, Codec<K> keyCodec, Codec<V> valueCodec, @Nullable ReferenceTable<V> references,
      int maxKeyBytes, int maxValueBytes) {
    this.cacheName = cacheName;
    this.keyCodec = keyCodec;
    this.valueCodec = valueCodec;
    this.references = references;
    this.internedKeys = references != null && keyCodec instanceof TaggedCodec ? new KeyTable<>() : null;
    this.memoizeValues = references == null && valueCodec instanceof TaggedCodec;
    this.maxKeyBytes = maxKeyBytes;
    this.maxValueBytes = maxValueBytes;
  }

  /**
   * The codec of a cache configured by {@code configuration} (already validated): the configured
   * codecs, or the built-in {@link TaggedCodec} with the configured {@link DeserializationFilter}.
   */
  @SuppressWarnings("unchecked")
  public static <K, V> EntryCodec<K, V> of(String cacheName, RingstoreConfiguration<K, V> configuration, ClassLoader classLoader) {
    TaggedCodec tagged = new TaggedCodec(classLoader,
        DeserializationFilter.of(configuration.getDeserializationFilter(), Math.max(configuration.getMaxKeyBytes(), configuration.getMaxValueBytes())));
    Codec<K> keyCodec = create(configuration.getKeyCodecFactory(), (Codec<K>) (Codec<?>) tagged, cacheName, "keyCodec");
    Codec<V> valueCodec = create(configuration.getValueCodecFactory(), (Codec<V>) (Codec<?>) tagged, cacheName, "valueCodec");
    ReferenceTable<V> references = configuration.isStoreByValue() ? null : new ReferenceTable<>();
    return new EntryCodec<>(cacheName, keyCodec, valueCodec, references, configuration.getMaxKeyBytes(), configuration.getMaxValueBytes());
  }

  private static <T> Codec<T> create(@Nullable Factory<? extends Codec<T>> factory, Codec<T> fallback, String cacheName, String setting) {
    if (factory == null) {
      return fallback;
    }
    Codec<T> codec = factory.create();
    if (codec == null) {
      throw new IllegalArgumentException("cache '" + cacheName + "': " + setting + " factory " + factory + " created null");
    }
    return codec;
  }

  /** Whether values are held by reference. */
  public boolean isByReference() {
    return references != null;
  }

  /** The bytes of {@code key}. */
  public Bytes encodeKey(K key) {
    if (internedKeys != null && !(key instanceof Serializable)) {
      return internedKeys.intern(key);
    }
    return encodeKeyBytes(key);
  }

  /**
   * The bytes of {@code key} for a read: as {@link #encodeKey}, but a key that would have to be
   * interned and never was gives {@code null} (it cannot be stored, so the read misses) and is not
   * interned, so reads of absent keys do not grow the table.
   */
  public @Nullable Bytes encodeKeyIfKnown(K key) {
    if (internedKeys != null && !(key instanceof Serializable)) {
      return internedKeys.find(key);
    }
    return encodeKeyBytes(key);
  }

  /** The table of interned keys of a store-by-reference cache, or {@code null} (tests and diagnostics). */
  public @Nullable KeyTable<K> internedKeys() {
    return internedKeys;
  }

  private Bytes encodeKeyBytes(K key) {
    if (keyCodec instanceof TaggedCodec && key instanceof String text) {
      Bytes inline = TaggedCodec.encodeShortAscii(text);
      if (inline != null && inline.length() <= maxKeyBytes) {
        return inline;
      }
    }
    byte[] bytes;
    try {
      bytes = keyCodec.encode(key);
    } catch (RuntimeException e) {
      throw new CacheException("cache '" + cacheName + "': cannot encode a key of class " + key.getClass().getName() + ": " + e.getMessage(), e);
    }
    if (bytes.length > maxKeyBytes) {
      throw new IllegalArgumentException("cache '" + cacheName + "': a key of class " + key.getClass().getName() + " encodes to "
          + bytes.length + " bytes, past the bound maxKeyBytes = " + maxKeyBytes);
    }
    return Bytes.of(bytes);
  }

  /** The key whose bytes are {@code bytes}. */
  public K decodeKey(Bytes bytes) {
    if (internedKeys != null && KeyTable.isId(bytes)) {
      K key = internedKeys.key(bytes);
      if (key == null) {
        throw new CacheException("cache '" + cacheName + "': a stored key's interned id " + bytes + " is not known (the cache was closed)");
      }
      return key;
    }
    try {
      return keyCodec.decode(bytes.unsafeArray());
    } catch (RuntimeException e) {
      throw new CacheException("cache '" + cacheName + "': cannot decode a stored key (" + bytes.length() + " bytes): " + e.getMessage(), e);
    }
  }

  /**
   * The bytes the engine stores for {@code value}: its encoding, or a new handle of a
   * store-by-reference cache (which the caller must {@link #release} if it ends up not stored).
   */
  public Bytes encodeValue(V value) {
    if (references != null) {
      Bytes handle = references.hold(value);
      handle.rememberDecoded(value); // the reference itself: a read of this stored handle needs no table look-up
      return handle;
    }
    byte[] bytes;
    try {
      bytes = valueCodec.encode(value);
    } catch (RuntimeException e) {
      throw new CacheException("cache '" + cacheName + "': cannot serialise a value of class " + value.getClass().getName() + ": "
          + e.getMessage(), e);
    }
    if (bytes.length > maxValueBytes) {
      throw new IllegalArgumentException("cache '" + cacheName + "': a value of class " + value.getClass().getName() + " encodes to "
          + bytes.length + " bytes, past the bound maxValueBytes = " + maxValueBytes);
    }
    Bytes encoded = Bytes.of(bytes);
    if (memoizeValues && Immutables.isImmutable(value.getClass())) {
      // An immutable value: readers of this stored instance may share it instead of decoding a copy.
      encoded.rememberDecoded(value);
    }
    return encoded;
  }

  /** The value stored as {@code bytes}; {@code null} only for a released store-by-reference handle. */
  @SuppressWarnings("unchecked")
  public @Nullable V decodeValue(Bytes bytes) {
    Object known = bytes.decoded();
    if (known != null) {
      return (V) known;
    }
    if (references != null) {
      return references.get(bytes);
    }
    try {
      V value = valueCodec.decode(bytes.unsafeArray());
      if (memoizeValues && Immutables.isImmutable(value.getClass())) {
        bytes.rememberDecoded(value);
      }
      return value;
    } catch (RuntimeException e) {
      throw new CacheException("cache '" + cacheName + "': cannot decode a stored value (" + bytes.length() + " bytes): " + e.getMessage(), e);
    }
  }

  /** Lets go of a store-by-reference handle; no effect when storing by value or for {@code null}. */
  public void release(@Nullable Bytes valueBytes) {
    if (references != null && valueBytes != null) {
      references.release(valueBytes);
    }
  }

  /**
   * Lets go of every store-by-reference value handle (the cache was cleared). Interned key ids are
   * kept: a put racing the clear may still store under an id it interned before, and that id must
   * keep naming its key (see {@link KeyTable}).
   */
  public void clearReferences() {
    if (references != null) {
      references.clear();
    }
  }

  /** Lets go of every value handle and interned key (the cache is closing). */
  public void close() {
    clearReferences();
    if (internedKeys != null) {
      internedKeys.clear();
    }
  }

  /** The handle table, or {@code null} when storing by value (tests and diagnostics). */
  public @Nullable ReferenceTable<V> references() {
    return references;
  }
}
