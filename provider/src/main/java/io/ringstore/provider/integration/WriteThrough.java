package io.ringstore.provider.integration;

import java.util.Collection;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * A cache's {@link CacheWriter} with the spec's exception rule: anything the writer throws reaches
 * the caller as a {@link CacheWriterException} (wrapped unless it already is one).
 *
 * <p>Partial failure of the bulk calls follows the spec: the writer removes from the collection it
 * is given every entry (or key) it wrote (or deleted); when it throws, what is left in the
 * collection was not written, and the cache must not apply those entries.
 *
 * <p>Thread-safety: as thread-safe as the writer.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class WriteThrough<K, V> {
  private final CacheWriter<K, V> writer;

  /** Wraps {@code writer}. */
  @SuppressWarnings("unchecked")
  public WriteThrough(CacheWriter<? super K, ? super V> writer) {
    // A writer of supertypes of K and V accepts every K and V it is given here.
    this.writer = (CacheWriter<K, V>) writer;
  }

  /** The writer. */
  public CacheWriter<K, V> writer() {
    return writer;
  }

  /** Writes one entry. */
  public void write(K key, V value) {
    try {
      writer.write(new WriterEntry<>(key, value));
    } catch (CacheWriterException e) {
      throw e;
    } catch (Exception e) {
      throw wrap("write an entry", e);
    }
  }

  /** Deletes one key. */
  public void delete(K key) {
    try {
      writer.delete(key);
    } catch (CacheWriterException e) {
      throw e;
    } catch (Exception e) {
      throw wrap("delete a key", e);
    }
  }

  /**
   * Writes {@code entries}; the writer removes the ones it wrote.
   *
   * @throws CacheWriterException if the writer failed; {@code entries} then holds those not written
   */
  public void writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
    try {
      writer.writeAll(entries);
    } catch (CacheWriterException e) {
      throw e;
    } catch (Exception e) {
      throw wrap("write entries", e);
    }
  }

  /**
   * Deletes {@code keys}; the writer removes the ones it deleted.
   *
   * @throws CacheWriterException if the writer failed; {@code keys} then holds those not deleted
   */
  public void deleteAll(Collection<?> keys) {
    try {
      writer.deleteAll(keys);
    } catch (CacheWriterException e) {
      throw e;
    } catch (Exception e) {
      throw wrap("delete keys", e);
    }
  }

  private CacheWriterException wrap(String what, Exception e) {
    return new CacheWriterException("CacheWriter " + writer.getClass().getName() + " failed to " + what + ": " + e, e);
  }
}
