package io.ringstore.bench.db;

import java.io.IOException;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * RocksDB through {@code rocksdbjni}, configured as the issue asks and otherwise left at
 * RocksDB's defaults: zstd for every level ({@code CompressionType.ZSTD_COMPRESSION}), a
 * block-based table with a full bloom filter of {@link EngineConfig#bloomBitsPerKey()} bits per
 * key and an LRU block cache of {@link EngineConfig#blockCacheBytes()}, a write buffer of
 * {@link EngineConfig#memtableBytes()} (two of them, RocksDB's default), leveled compaction,
 * 4 KiB blocks, 2 background jobs; {@code WriteOptions.sync} per {@link EngineConfig#syncWrites()};
 * default {@code ReadOptions}.
 *
 * <p>API choices, each the cheapest {@code rocksdbjni} offers for the operation so that RocksDB
 * is not charged for Java garbage it need not make: {@link #get} reads into the caller's buffer
 * ({@code get(ReadOptions, byte[], byte[])}) rather than allocating a value array;
 * {@link #seek} opens a new iterator per seek, as db_bench's {@code seekrandom} does, and copies
 * each key and value into the caller's buffers ({@code key(byte[])}, {@code value(byte[])}).
 *
 * <p>Thread-safety: thread-safe (RocksDB's handles are); the option objects are read-only after
 * opening.
 */
public final class RocksDbEngine implements Engine {
  // constant after construction; closed in reverse order
  private final LRUCache blockCache;
  private final BloomFilter bloomFilter;
  private final Options options;
  private final WriteOptions writeOptions;
  private final ReadOptions readOptions;
  private final RocksDB db;
  private final String description;

  /** Opens (creating) a database in {@code config.directory()}. */
  public RocksDbEngine(EngineConfig config) throws IOException {
    RocksDB.loadLibrary();
    blockCache = new LRUCache(config.blockCacheBytes());
    bloomFilter = new BloomFilter(config.bloomBitsPerKey(), false);
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockCache(blockCache)
        .setFilterPolicy(bloomFilter);
    options = new Options()
        .setCreateIfMissing(true)
        .setErrorIfExists(true)
        .setCompressionType(CompressionType.ZSTD_COMPRESSION)
        .setWriteBufferSize(config.memtableBytes())
        .setTableFormatConfig(table);
    writeOptions = new WriteOptions().setSync(config.syncWrites());
    readOptions = new ReadOptions();
    try {
      db = RocksDB.open(options, config.directory().toString());
    } catch (RocksDBException e) {
      readOptions.close();
      writeOptions.close();
      options.close();
      bloomFilter.close();
      blockCache.close();
      throw new IOException("RocksDB failed to open " + config.directory() + ": " + e.getMessage(), e);
    }
    description = String.format(java.util.Locale.ROOT,
        "rocksdbjni %s: zstd, bloom %d bits/key, block cache %d MiB, write buffer %d MiB, sync %s",
        version(), config.bloomBitsPerKey(), config.blockCacheBytes() >> 20, config.memtableBytes() >> 20,
        config.syncWrites());
  }

  private static String version() {
    RocksDB.Version v = RocksDB.rocksdbVersion();
    return v.getMajor() + "." + v.getMinor() + "." + v.getPatch();
  }

  @Override
  public void put(byte[] key, byte[] value) throws IOException {
    try {
      db.put(writeOptions, key, value);
    } catch (RocksDBException e) {
      throw new IOException("RocksDB put failed: " + e.getMessage(), e);
    }
  }

  @Override
  public int get(byte[] key, byte[] valueBuffer) throws IOException {
    try {
      int n = db.get(readOptions, key, valueBuffer);
      return n == RocksDB.NOT_FOUND ? -1 : n;
    } catch (RocksDBException e) {
      throw new IOException("RocksDB get failed: " + e.getMessage(), e);
    }
  }

  @Override
  public int seek(byte[] from, int count, byte[] keyBuffer, byte[] valueBuffer) throws IOException {
    try (RocksIterator it = db.newIterator(readOptions)) {
      it.seek(from);
      int read = 0;
      while (read < count && it.isValid()) {
        it.key(keyBuffer);
        it.value(valueBuffer);
        read++;
        it.next();
      }
      it.status();
      return read;
    } catch (RocksDBException e) {
      throw new IOException("RocksDB seek failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void compactAll() throws IOException {
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush);
      db.compactRange();
    } catch (RocksDBException e) {
      throw new IOException("RocksDB flush and compactRange failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() throws IOException {
    try {
      db.closeE();
    } catch (RocksDBException e) {
      throw new IOException("RocksDB close failed: " + e.getMessage(), e);
    } finally {
      readOptions.close();
      writeOptions.close();
      options.close();
      bloomFilter.close();
      blockCache.close();
    }
  }
}
