package io.ringstore.bench.db;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.storage.lsm.LsmIterator;
import io.ringstore.storage.lsm.LsmOptions;
import io.ringstore.storage.lsm.LsmStore;
import io.ringstore.storage.lsm.sstable.TableOptions;
import io.ringstore.storage.lsm.wal.WalSyncMode;
import java.io.IOException;
import java.util.Locale;

/**
 * Ringstore's {@code lsm} storage engine ({@link LsmStore}) on the real disk ({@link NioDisk}),
 * at {@link LsmOptions#defaults()} except for what every engine in the comparison gets alike:
 * memtable and block cache bytes and bloom filter bits per key (10 by default, also the engine's
 * default) from the {@link EngineConfig}, and the write-ahead log's sync
 * mode, {@link WalSyncMode#ALWAYS} when {@link EngineConfig#syncWrites()} (an fsync, shared by
 * group commit, before each put returns) and {@link WalSyncMode#NONE} otherwise. The sync mode is
 * a property of the store, not of a write, so {@link DbBench} opens a fresh store in a fresh
 * directory for {@code fillsync}; it does the same for RocksDB so both are compared alike.
 *
 * <p>API choices: {@link #get} takes the value as the {@link Bytes} the store returns, already a
 * Java object, and does not copy it again (RocksDB's {@code get(key, buffer)} makes its one copy
 * out of native memory inside the call); {@link #seek} opens a new iterator per seek, as the
 * RocksDB adapter does, and takes each key and value as the store returns them.
 *
 * <p>Thread-safety: thread-safe ({@link LsmStore} is).
 */
public final class RingstoreEngine implements Engine {
  // constant after construction
  private final LsmStore store;
  private final String description;

  /** Opens (creating) a store in {@code config.directory()}. */
  public RingstoreEngine(EngineConfig config) throws IOException {
    LsmOptions defaults = LsmOptions.defaults();
    TableOptions table = defaults.table();
    LsmOptions options = defaults
        .withSyncMode(config.syncWrites() ? WalSyncMode.ALWAYS : WalSyncMode.NONE)
        .withMemtableBytes(config.memtableBytes())
        .withBlockCacheBytes(config.blockCacheBytes())
        .withTable(new TableOptions(table.blockSizeBytes(), table.restartInterval(), config.bloomBitsPerKey(),
            table.maxKeyBytes(), table.maxValueBytes()));
    store = LsmStore.open(new NioDisk(), config.directory(), options, Env.system());
    description = String.format(Locale.ROOT,
        "ringstore lsm %s: bloom %d bits/key, block cache %d MiB, memtable %d MiB, wal sync %s, other options at defaults",
        version(), config.bloomBitsPerKey(), config.blockCacheBytes() >> 20, config.memtableBytes() >> 20,
        config.syncWrites() ? "ALWAYS" : "NONE");
  }

  private static String version() {
    String v = LsmStore.class.getPackage().getImplementationVersion();
    return v == null ? "(version not in the jar manifest)" : v;
  }

  @Override
  public void put(byte[] key, byte[] value) throws IOException {
    store.put(Bytes.of(key), value);
  }

  @Override
  public int get(byte[] key, byte[] valueBuffer) throws IOException {
    Bytes v = store.get(Bytes.of(key));
    return v == null ? -1 : v.length();
  }

  @Override
  public int seek(byte[] from, int count, byte[] keyBuffer, byte[] valueBuffer) throws IOException {
    try (LsmIterator it = store.iterator(null)) {
      it.seek(Bytes.of(from));
      int read = 0;
      while (read < count && it.isValid()) {
        it.key();
        it.value();
        read++;
        it.next();
      }
      return read;
    }
  }

  @Override
  public void compactAll() throws IOException {
    store.flush();
    store.compactAll();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
