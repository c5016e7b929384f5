package io.ringstore.storage.lsm;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.MalformedRecordException;
import io.ringstore.spi.RecordCodec;
import io.ringstore.spi.RecordUpdate;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.RingstoreException;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.DiskLock;
import io.ringstore.spi.env.DiskLockedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The {@code lsm} storage engine: a cache's records kept in an {@link LsmStore}, so that they
 * survive a restart and a crash (and, under {@code wal.syncMode = always}, a power loss). Values
 * are records encoded by {@link RecordCodec}; keys are the cache's key bytes.
 *
 * <p>Options ({@link EngineSettings#options()}): {@code directory} (required: the cache's own
 * directory, created if missing) and every option of {@link LsmOptions#parse}. The engine does not
 * evict: it is a store of record, so a bound ({@code maxEntries} or {@code maxBytes}) is refused.
 *
 * <p>{@link #compute} is atomic per key by a lock stripe over the key's hash: it reads the current
 * record, applies the update and writes the result (one log record) before the next compute of
 * that key starts. Expired records are never returned: {@link #get} and the iterator delete one
 * they meet and report it as {@link RemovalCause#EXPIRED}; compaction drops the others. A
 * {@code compute} is handed an expired record as it is, as the memory engine does.
 *
 * <p>Costs: {@link #stats()} and {@link #clear()} walk every key (they are rare operations); the
 * iterator reads in chunks of {@value #ITERATOR_CHUNK} entries, each at a fresh snapshot, so an
 * abandoned iterator pins no table files.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class LsmStorageEngine implements StorageEngine {

  /** The option naming the engine's directory. */
  public static final String DIRECTORY = "directory";
  /** The lock file in the engine's directory, held while the engine is open. */
  static final String LOCK_FILE = "LOCK";
  static final int ITERATOR_CHUNK = 256;
  private static final int STRIPES = 1024;
  private static final System.Logger LOG = System.getLogger(LsmStorageEngine.class.getName());

  private final EngineSettings settings;
  private final LsmStore store;
  private final DiskLock lock;
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final LongAdder expirations = new LongAdder();
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private LsmStorageEngine(EngineSettings settings, LsmStore store, DiskLock lock) {
    this.settings = settings;
    this.store = store;
    this.lock = lock;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /**
   * Opens the engine on its environment's disk ({@code settings.env().disk()}: the real file
   * system in production), holding an exclusive lock on {@code LOCK} in its directory so that no
   * second engine (in this JVM or another process) opens the same directory.
   *
   * @throws IllegalArgumentException naming the setting if an option is missing, unknown or out of
   *     range, or a bound is set
   * @throws RingstoreException if the directory is locked by another engine, or opening fails
   */
  public static LsmStorageEngine open(EngineSettings settings) {
    Path directory = directoryOf(settings);
    LsmOptions options = optionsOf(settings);
    Disk disk = settings.env().disk();
    DiskLock lock = null;
    try {
      disk.mkdirs(directory);
      try {
        lock = disk.lock(directory.resolve(LOCK_FILE));
      } catch (DiskLockedException e) {
        throw new RingstoreException("cache '" + settings.cacheName() + "': the lsm directory " + directory
            + " is in use by another open cache (in this or another process); close it first or use another"
            + " directory", e);
      }
      LsmStore store = LsmStore.open(disk, directory, options, settings.env(), LsmStorageEngine::expiryOf);
      return new LsmStorageEngine(settings, store, lock);
    } catch (IOException | RuntimeException e) {
      if (lock != null) {
        try {
          lock.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof RingstoreException r) {
        throw r;
      }
      if (e instanceof IllegalArgumentException i) {
        throw i;
      }
      throw new RingstoreException("cache '" + settings.cacheName() + "': cannot open the lsm store in " + directory
          + ": " + e.getMessage(), e);
    }
  }

  private static Path directoryOf(EngineSettings settings) {
    String dir = settings.options().get(DIRECTORY);
    if (dir == null || dir.isBlank()) {
      throw new IllegalArgumentException("cache '" + settings.cacheName() + "': the lsm engine needs the option '"
          + DIRECTORY + "' (the directory the cache's files live in)");
    }
    if (settings.isBounded()) {
      throw new IllegalArgumentException("cache '" + settings.cacheName() + "': the lsm engine is a store of record and"
          + " does not evict, so maxEntries and maxBytes must be unbounded (got maxEntries = "
          + (settings.maxEntries() == EngineSettings.UNBOUNDED ? "unbounded" : settings.maxEntries()) + ", maxBytes = "
          + (settings.maxBytes() == EngineSettings.UNBOUNDED ? "unbounded" : settings.maxBytes())
          + "); use the memory engine for a bounded cache");
    }
    return Path.of(dir);
  }

  private static LsmOptions optionsOf(EngineSettings settings) {
    Map<String, String> rest = new HashMap<>(settings.options());
    rest.remove(DIRECTORY);
    try {
      return LsmOptions.parse(rest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cache '" + settings.cacheName() + "': " + e.getMessage(), e);
    }
  }

  /** Compaction's view of a record's expiry; a value it cannot decode is kept. */
  static long expiryOf(byte[] value, int offset, int length) {
    try {
      return RecordCodec.decode(value, offset, length).expiresAtMillis();
    } catch (MalformedRecordException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The store under the engine (for tests and for the node's range scans). */
  public LsmStore store() {
    return store;
  }

  @Override
  public EngineSettings settings() {
    return settings;
  }

  @Override
  public @Nullable StoredRecord get(Bytes key) {
    checkOpen();
    StoredRecord record = read(key);
    if (record != null && record.hasExpiry() && record.isExpiredAt(settings.env().clock().millis())) {
      expire(key, record);
      return null;
    }
    return record;
  }

  private @Nullable StoredRecord read(Bytes key) {
    byte[] tagged = store.getTagged(key);
    if (tagged == null || TaggedValue.isDeletion(tagged, "store " + store.directory())) {
      return null;
    }
    return decode(key, tagged);
  }

  private StoredRecord decode(Bytes key, byte[] tagged) {
    try {
      return RecordCodec.decode(tagged, 1, tagged.length - 1);
    } catch (MalformedRecordException e) {
      throw new RingstoreException("cache '" + settings.cacheName() + "': the record stored under key " + key
          + " in " + store.directory() + " is malformed: " + e.getMessage(), e);
    }
  }

  /**
   * Deletes {@code record} if {@code key} still holds it, and reports it as expired. On a read-only
   * store (after an I/O error) the record stays on disk, unreported: the read still answers
   * "absent", and compaction or a later read removes it once the store is writable again.
   */
  private void expire(Bytes key, StoredRecord record) {
    ReentrantLock stripe = stripe(key);
    stripe.lock();
    try {
      StoredRecord now = read(key);
      if (now == null || !now.equals(record) || store.failure() != null) {
        return;
      }
      store.delete(key);
    } catch (IOException | StoreFailedException e) {
      return; // the store just became read-only; the read's answer stands
    } finally {
      stripe.unlock();
    }
    expirations.increment();
    settings.removalListener().onRemoval(key, record, RemovalCause.EXPIRED);
  }

  @Override
  public @Nullable StoredRecord compute(Bytes key, RecordUpdate update) {
    checkOpen();
    ReentrantLock stripe = stripe(key);
    stripe.lock();
    try {
      StoredRecord current = read(key);
      StoredRecord next = update.apply(key, current);
      if (next == current) {
        return next;
      }
      if (next == null) {
        store.delete(key);
      } else {
        store.put(key, RecordCodec.encode(next));
      }
      return next;
    } catch (IOException e) {
      throw failure("writing key " + key, e);
    } finally {
      stripe.unlock();
    }
  }

  @Override
  public Iterator<EngineEntry> iterator() {
    checkOpen();
    return new ChunkedIterator();
  }

  @Override
  public void clear() {
    checkOpen();
    Bytes from = null;
    while (true) {
      WriteBatch batch = new WriteBatch();
      Bytes last = null;
      try (LsmIterator it = store.iterator(null)) {
        if (from == null) {
          it.seekToFirst();
        } else {
          it.seek(from);
        }
        for (; it.isValid() && batch.size() < ITERATOR_CHUNK; it.next()) {
          batch.delete(it.key());
          last = it.key();
        }
      }
      if (batch.isEmpty()) {
        return;
      }
      try {
        store.write(batch);
      } catch (IOException e) {
        throw failure("clearing", e);
      }
      from = last;
    }
  }

  @Override
  public EngineStats stats() {
    checkOpen();
    long entries = 0;
    long bytes = 0;
    try (LsmIterator it = store.iterator(null)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        entries++;
        byte[] tagged = it.taggedValue();
        bytes += decode(it.key(), tagged).weightBytes(it.key().length());
      }
    }
    return new EngineStats(entries, bytes, 0, expirations.sum());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      store.close();
    } catch (IOException e) {
      throw failure("closing", e);
    } finally {
      try {
        lock.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cache '" + settings.cacheName() + "': releasing the lock "
            + lock.path() + " failed; it goes when the process exits", e);
      }
    }
  }

  private ReentrantLock stripe(Bytes key) {
    int h = key.hashCode();
    return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
  }

  private RingstoreException failure(String what, IOException e) {
    return new RingstoreException("cache '" + settings.cacheName() + "': " + what + " in " + store.directory()
        + " failed: " + e.getMessage(), e);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("cache '" + settings.cacheName() + "': the lsm engine is closed");
    }
  }

  /** Reads a chunk at a time, each at a fresh snapshot that is released before the chunk is handed out. */
  private final class ChunkedIterator implements Iterator<EngineEntry> {
    private final ArrayDeque<EngineEntry> chunk = new ArrayDeque<>();
    private @Nullable Bytes resumeAfter;
    private boolean exhausted;

    @Override
    public boolean hasNext() {
      while (chunk.isEmpty() && !exhausted) {
        fill();
      }
      return !chunk.isEmpty();
    }

    @Override
    public EngineEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return chunk.poll();
    }

    private void fill() {
      checkOpen();
      long now = settings.env().clock().millis();
      int read = 0;
      Map<Bytes, StoredRecord> expired = new HashMap<>();
      try (LsmIterator it = store.iterator(null)) {
        if (resumeAfter == null) {
          it.seekToFirst();
        } else {
          it.seek(resumeAfter);
          if (it.isValid() && it.key().equals(resumeAfter)) {
            it.next();
          }
        }
        for (; it.isValid() && read < ITERATOR_CHUNK; it.next(), read++) {
          Bytes key = it.key();
          StoredRecord record = decode(key, it.taggedValue());
          resumeAfter = key;
          if (record.hasExpiry() && record.isExpiredAt(now)) {
            expired.put(key, record);
          } else {
            chunk.add(new EngineEntry(key, record));
          }
        }
        if (!it.isValid()) {
          exhausted = true;
        }
      } catch (UncheckedIOException e) {
        throw failure("iterating", e.getCause());
      }
      for (Map.Entry<Bytes, StoredRecord> e : expired.entrySet()) {
        expire(e.getKey(), e.getValue());
      }
    }
  }
}
