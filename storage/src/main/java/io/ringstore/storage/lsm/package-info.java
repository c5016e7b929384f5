/**
 * The {@code lsm} storage engine: a log-structured merge tree that keeps a cache's records on disk.
 * {@link io.ringstore.storage.lsm.LsmStore} is the ordered key-value store (write-ahead log,
 * memtables, tables in levels, manifest, compaction, snapshots and iterators, recovery);
 * {@link io.ringstore.storage.lsm.LsmStorageEngine} puts the engine contract of
 * {@code io.ringstore.spi} on top of it, found by {@link java.util.ServiceLoader} under the name
 * {@code lsm}.
 *
 * <p>This package owns how the pieces of the sub-packages fit together ({@code fs}, {@code wal},
 * {@code memtable}, {@code sstable}, {@code manifest}); the formats and durability protocols of
 * each file belong to those packages. It depends on the JDK and {@code io.ringstore.spi}; it must
 * not import {@code io.ringstore.cluster} or {@code io.ringstore.provider}.
 */
@NullMarked
package io.ringstore.storage.lsm;

import org.jspecify.annotations.NullMarked;
