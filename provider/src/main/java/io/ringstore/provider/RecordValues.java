package io.ringstore.provider;

import io.ringstore.provider.codec.EntryCodec;
import io.ringstore.provider.management.CacheStatistics;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.SiblingResolver;
import io.ringstore.spi.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a stored record means to the cache: its value, decoded, with concurrent siblings resolved
 * by the cache's {@link SiblingResolver} (every sibling the resolution discards is counted), and
 * the release of a store-by-reference record's handles.
 *
 * <p>A record with one sibling (the only case on a single node) costs one decode and nothing else.
 *
 * <p>Thread-safety: thread-safe if the resolver is (it must be).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class RecordValues<K, V> {
  private final EntryCodec<K, V> codec;
  private final SiblingResolver<V> resolver;
  private final CacheStatistics statistics;

  RecordValues(EntryCodec<K, V> codec, SiblingResolver<V> resolver, CacheStatistics statistics) {
    this.codec = codec;
    this.resolver = resolver;
    this.statistics = statistics;
  }

  /** The value a record holds, its siblings resolved; null for a delete or a released handle. */
  @Nullable V valueOf(StoredRecord record) {
    if (!record.hasSiblings()) {
      return soleValueOf(record);
    }
    V resolved = resolver.resolve(versions(record));
    statistics.recordDiscardedSiblings(record.siblings().size() - 1);
    return resolved;
  }

  /**
   * The one value of a record without siblings; null for a delete or a released handle. A value
   * the codec may share (an immutable one) is remembered on the record, so the next read of the
   * same record returns it without going to the value's bytes.
   */
  @SuppressWarnings("unchecked")
  @Nullable V soleValueOf(StoredRecord record) {
    Object known = record.decoded();
    if (known != null) {
      return (V) known;
    }
    Bytes bytes = record.soleValue();
    if (bytes == null) {
      return null;
    }
    V value = codec.decodeValue(bytes);
    Object shareable = bytes.decoded(); // set by the codec only for what may be shared
    if (shareable != null) {
      record.rememberDecoded(shareable);
    }
    return value;
  }

  /** Every sibling of {@code record}, decoded. */
  List<SiblingResolver.Version<V>> versions(StoredRecord record) {
    List<SiblingResolver.Version<V>> versions = new ArrayList<>(record.siblings().size());
    for (Sibling sibling : record.siblings()) {
      Bytes value = sibling.value();
      versions.add(new SiblingResolver.Version<>(value == null ? null : codec.decodeValue(value), sibling.timestamp(),
          sibling.dot().actor()));
    }
    return versions;
  }

  /** Lets go of the store-by-reference handles of {@code record}'s values (no effect when storing by value). */
  void release(@Nullable StoredRecord record) {
    if (record != null && codec.isByReference()) {
      if (!record.hasSiblings()) {
        codec.release(record.soleValue());
        return;
      }
      for (Sibling sibling : record.siblings()) {
        codec.release(sibling.value());
      }
    }
  }
}
