/**
 * The manifest of the {@code lsm} engine: which table files are live, at which level, with which
 * key ranges, and the engine's counters (the first WAL segment still needed, the next file number,
 * the last sequence number covered by tables).
 *
 * <p>The state is an immutable {@link io.ringstore.storage.lsm.manifest.ManifestState}, changed
 * only by applying a {@link io.ringstore.storage.lsm.manifest.VersionEdit} (LevelDB's
 * {@code VersionEdit}). {@link io.ringstore.storage.lsm.manifest.Manifest} makes edits durable: it
 * appends each one, as a CRC32C-checked record, to the live {@code MANIFEST-<number>} file, which a
 * small {@code CURRENT} file names, and switches to a new manifest file atomically (write the new
 * file, fsync, write {@code CURRENT.tmp}, fsync, rename it to {@code CURRENT}, fsync the directory).
 * Every byte is documented in {@code docs/formats/manifest.md}
 * ({@link io.ringstore.storage.lsm.manifest.ManifestFormat}).
 *
 * <p>This package owns the manifest's bytes, its state rules and its durability protocol, nothing
 * else: it never opens a table or a WAL segment, and keys are opaque bytes ordered as
 * {@link io.ringstore.spi.Bytes#compareTo} orders them. Every file operation goes through
 * {@link io.ringstore.spi.env.Disk}. It depends on the JDK, {@code io.ringstore.spi} (with
 * {@code io.ringstore.spi.env}) and, for {@code CorruptionException}, the CRC mask and
 * varints, on {@code io.ringstore.storage.lsm.sstable}; it must not import the WAL, memtable or
 * compaction packages, the engine facade ({@code io.ringstore.storage.lsm}),
 * {@code io.ringstore.cluster} or {@code io.ringstore.provider}.
 */
@NullMarked
package io.ringstore.storage.lsm.manifest;

import org.jspecify.annotations.NullMarked;
