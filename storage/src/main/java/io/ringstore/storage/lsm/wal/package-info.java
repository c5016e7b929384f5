/**
 * The write-ahead log of the {@code lsm} engine: segment files of length-prefixed, CRC32C-checked
 * records ({@link io.ringstore.storage.lsm.wal.WalFormat}, documented byte by byte in
 * {@code docs/formats/wal.md}), the writer with its three sync modes and group commit
 * ({@link io.ringstore.storage.lsm.wal.WalWriter}), and recovery, which replays the segments in id
 * order and truncates a torn tail ({@link io.ringstore.storage.lsm.wal.WalReader}).
 *
 * <p>This package owns the WAL's bytes and its durability protocol, nothing else: record payloads
 * are opaque here (the engine encodes its write batches into them). Every file operation goes
 * through {@link io.ringstore.spi.env.Disk}; time comes from an injected
 * {@link io.ringstore.spi.env.Scheduler}. It depends on the JDK, {@code io.ringstore.spi} (with
 * {@code io.ringstore.spi.env}) and, for {@code CorruptionException} and the CRC mask, on
 * {@code io.ringstore.storage.lsm.sstable}; it must not import the memtable, compaction or manifest
 * packages, the engine facade, {@code io.ringstore.cluster} or {@code io.ringstore.provider}.
 */
@NullMarked
package io.ringstore.storage.lsm.wal;

import org.jspecify.annotations.NullMarked;
