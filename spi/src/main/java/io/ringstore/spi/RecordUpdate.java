package io.ringstore.spi;

import org.jspecify.annotations.Nullable;

/**
 * A read-modify-write of one key, run by {@link StorageEngine#compute} atomically with respect to
 * every other operation on that key.
 */
@FunctionalInterface
public interface RecordUpdate {

  /**
   * The record that replaces {@code current}.
   *
   * @param key the key
   * @param current the stored record, or {@code null}; it may be expired (check
   *     {@link StoredRecord#isExpiredAt}), since the caller may need to report the expiry
   * @return the new record; {@code current} itself to leave the key as it is; {@code null} to
   *     remove the key
   */
  @Nullable StoredRecord apply(Bytes key, @Nullable StoredRecord current);
}
