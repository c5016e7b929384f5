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
import io.ringstore.storage.lsm.fs.Disk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
  static final int ITERATOR_CHUNK = 256;
  private static final int STRIPES = 1024;

  private final EngineSettings settings;
  private final LsmStore store;
  private final @Nullable FileChannel lockChannel;
  private final @Nullable FileLock lock;
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final LongAdder expirations = new LongAdder();
  private volatile boolean closed;

  private LsmStorageEngine(EngineSettings settings, LsmStore store, @Nullable FileChannel lockChannel,
      @Nullable FileLock lock) {
    this.settings = settings;
    this.store = store;
    this.lockChannel = lockChannel;
    this.lock = lock;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /**
   * Opens the engine on the real file system, holding an exclusive lock on {@code LOCK} in its
   * directory so that no second engine (in this JVM or another process) opens the same directory.
   *
   * @throws IllegalArgumentException naming the setting if an option is missing, unknown or out of
   *     range, or a bound is set
   * @throws RingstoreException if the directory is locked by another engine, or opening fails
   */
  public static LsmStorageEngine open(EngineSettings settings) {
    Path directory = directoryOf(settings);
    LsmOptions options = optionsOf(settings);
    FileChannel channel = null;
    FileLock lock = null;
    try {
      Files.createDirectories(directory);
      channel = FileChannel.open(directory.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new RingstoreException("cache '" + settings.cacheName() + "': the lsm directory " + directory
            + " is in use by another open cache (in this or another process); close it first or use another"
            + " directory");
      }
      LsmStore store = LsmStore.open(new io.ringstore.storage.lsm.fs.NioDisk(), directory, options, settings.env(),
          LsmStorageEngine::expiryOf);
      return new LsmStorageEngine(settings, store, channel, lock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close(); // releases the lock
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

  /**
   * Opens the engine over {@code disk} (a fault-injecting one in tests), without a directory lock.
   *
   * @throws IOException if the store cannot be opened
   */
  public static LsmStorageEngine open(EngineSettings settings, Disk disk) throws IOException {
    LsmStore store = LsmStore.open(disk, directoryOf(settings), optionsOf(settings), settings.env(),
        LsmStorageEngine::expiryOf);
    return new LsmStorageEngine(settings, store, null, null);
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
    if (closed) {
      return;
    }
    closed = true;
    try {
      store.close();
    } catch (IOException e) {
      throw failure("closing", e);
    } finally {
      if (lockChannel != null) {
        try {
          if (lock != null) {
            lock.release();
          }
          lockChannel.close();
        } catch (IOException e) {
          // the lock goes with the channel; nothing else to do
        }
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
    if (closed) {
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
