/**
 * The SSTable codecs of the {@code lsm} engine: data blocks with prefix-compressed keys and
 * restart points ({@link io.ringstore.storage.lsm.sstable.BlockBuilder},
 * {@link io.ringstore.storage.lsm.sstable.Block}), the per-block trailer with compression type and
 * CRC32C ({@link io.ringstore.storage.lsm.sstable.BlockTrailer}), the table's bloom filter
 * ({@link io.ringstore.storage.lsm.sstable.BloomFilterBuilder},
 * {@link io.ringstore.storage.lsm.sstable.BloomFilter}), block handles, the footer, and varints.
 * The byte layout is documented in {@code docs/formats/sstable.md}; a test checks that document's
 * worked example against these classes.
 *
 * <p>On top of the codecs, the table files themselves: {@link
 * io.ringstore.storage.lsm.sstable.TableBuilder} writes one through a {@link
 * io.ringstore.spi.env.Disk}, {@link io.ringstore.storage.lsm.sstable.TableReader} reads it
 * (bloom filter, index, one data block per point read, cursors for scans), and {@link
 * io.ringstore.storage.lsm.sstable.BlockCache} keeps decoded data blocks within a byte bound. Data
 * blocks may be zstd-compressed ({@link io.ringstore.storage.lsm.sstable.BlockCompression}); readers
 * share a pool of decompression contexts ({@link io.ringstore.storage.lsm.sstable.BlockDecompressors}).
 *
 * <p>This package owns the SSTable byte formats and the table files. It depends on {@code
 * io.ringstore.spi} (for {@link io.ringstore.spi.Bytes} and {@link
 * io.ringstore.spi.RingstoreException}), {@code io.ringstore.spi.env} (for its files), zstd-jni
 * ({@code com.github.luben.zstd}) and the JDK only;
 * it must not import {@code io.ringstore.cluster}, {@code io.ringstore.provider},
 * {@code javax.cache}, or the engine layers that build on it ({@code io.ringstore.storage.lsm}
 * itself and its write-ahead log, memtable, compaction and manifest packages).
 *
 * <p>Every decoder here refuses malformed input with a {@link
 * io.ringstore.storage.lsm.sstable.CorruptionException} naming the structure, the offset and what was
 * wrong, and with no other exception: no out-of-bounds read, no allocation sized by an unchecked
 * length, and no value made up from bytes that fail a check.
 *
 * <p>Thread-safety: builders are not thread-safe (one writer each); decoded readers
 * ({@code Block}, {@code BloomFilter}, {@code BlockHandle}, {@code Footer}) are immutable and
 * thread-safe, and a {@code Block.Cursor} belongs to one thread.
 */
@NullMarked
package io.ringstore.storage.lsm.sstable;

import org.jspecify.annotations.NullMarked;
