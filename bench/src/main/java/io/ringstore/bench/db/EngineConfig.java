package io.ringstore.bench.db;

import java.nio.file.Path;

/**
 * How {@link DbBench} opens an engine: the directory and the settings every engine gets alike.
 *
 * @param directory an empty (or missing) directory the engine owns for the whole run
 * @param syncWrites whether every acknowledged write must be on stable storage ({@code fsync}
 *     before {@link Engine#put} returns; group commit lets concurrent writers share one); when
 *     false, writes reach the write-ahead log without waiting for a sync
 * @param memtableBytes the in-memory write buffer per memtable, in bytes
 * @param blockCacheBytes the cache of uncompressed table blocks, in bytes
 * @param bloomBitsPerKey the bloom filter's bits per key in each table
 */
public record EngineConfig(Path directory, boolean syncWrites, long memtableBytes, long blockCacheBytes,
    int bloomBitsPerKey) {

  /** This configuration in another directory with another durability. */
  public EngineConfig with(Path otherDirectory, boolean otherSyncWrites) {
    return new EngineConfig(otherDirectory, otherSyncWrites, memtableBytes, blockCacheBytes, bloomBitsPerKey);
  }
}
