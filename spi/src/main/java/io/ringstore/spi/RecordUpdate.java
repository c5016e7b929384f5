package io.ringstore.spi;

import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A read-modify-write of one key, run by {@link StorageEngine#compute} atomically with respect to
 * every other operation on that key.
 *
 * <p>It is a {@link BiFunction} of key and current record with the same contract, so that an
 * engine built on a {@link java.util.concurrent.ConcurrentMap} can hand it to
 * {@code ConcurrentMap.compute} as it is, without wrapping it in another object per write.
 */
@FunctionalInterface
public interface RecordUpdate extends BiFunction<Bytes, @Nullable StoredRecord, @Nullable StoredRecord> {

  /**
   * The record that replaces {@code current}.
   *
   * @param key the key
   * @param current the stored record, or {@code null}; it may be expired (check
   *     {@link StoredRecord#isExpiredAt}), since the caller may need to report the expiry
   * @return the new record; {@code current} itself to leave the key as it is; {@code null} to
   *     remove the key
   */
  @Override
  @Nullable StoredRecord apply(Bytes key, @Nullable StoredRecord current);
}
