package io.ringstore.storage.lsm;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.Env;
import io.ringstore.storage.lsm.manifest.DeletedFile;
import io.ringstore.storage.lsm.manifest.FileMeta;
import io.ringstore.storage.lsm.manifest.Manifest;
import io.ringstore.storage.lsm.manifest.ManifestState;
import io.ringstore.storage.lsm.manifest.VersionEdit;
import io.ringstore.storage.lsm.memtable.Memtable;
import io.ringstore.storage.lsm.sstable.BlockCache;
import io.ringstore.storage.lsm.sstable.BlockDecompressors;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import io.ringstore.storage.lsm.sstable.TableBuilder;
import io.ringstore.storage.lsm.sstable.TableReader;
import io.ringstore.storage.lsm.sstable.TableSummary;
import io.ringstore.storage.lsm.wal.WalReader;
import io.ringstore.storage.lsm.wal.WalRecovery;
import io.ringstore.storage.lsm.wal.WalWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A persistent, ordered key-value store: the log-structured merge tree under the {@code lsm}
 * storage engine. Keys and values are opaque bytes.
 *
 * <h2>Write path</h2>
 * A write (a {@link WriteBatch}, or one put or delete) gets consecutive sequence numbers, is
 * appended to the write-ahead log as one record (made durable before the call returns under
 * {@code wal.syncMode = always}; many writers share one fsync), then added to the active memtable.
 * When the memtable passes {@code memtable.bytes} it is frozen, the log rolls to a new segment and
 * a new memtable takes writes while a background thread flushes the frozen one to a level-0 table;
 * the manifest then records the table and the first log segment still needed, and older segments
 * are deleted. If {@code memtable.maxImmutable} frozen memtables are waiting, or level 0 holds
 * {@code compaction.level0StopWrites} tables, writers wait (a write stall) instead of memory or read
 * cost growing without bound.
 *
 * <h2>Read path</h2>
 * A point read looks in the active memtable, the frozen ones, level 0's tables newest first (each
 * behind its bloom filter), then the one table of each deeper level whose key range holds the key.
 * The newest version wins; a deletion hides older ones. {@link #snapshot()} and {@link #iterator}
 * give a consistent view for range scans: every write acknowledged before, none begun after, and
 * of a batch all or nothing.
 *
 * <h2>Compaction</h2>
 * Leveled, on one background thread: when level 0 reaches {@code compaction.level0Trigger} tables
 * they are merged with the overlapping tables of level 1; when a deeper level passes its target
 * size ({@code compaction.level1Bytes} times {@code compaction.levelMultiplier} per level), one of
 * its tables (round robin by key) is merged with the overlapping tables of the next level.
 * Compaction keeps only the newest version of each key, drops deletions and expired values (see
 * {@link ValueExpiry}) where no deeper level holds the key, and turns an expired value above the
 * bottom into a deletion so that an older version cannot come back. Snapshots need no older
 * versions: they keep reading the table files they started with, which are deleted only when the
 * last snapshot on them closes.
 *
 * <h2>Recovery</h2>
 * {@link #open} reads the manifest, opens every live table (a missing or damaged one is refused with
 * a {@link CorruptionException} naming it), deletes table files the manifest does not name (left by
 * a crashed flush or compaction), replays the log segments the manifest still needs into a memtable
 * (truncating a torn tail), writes that memtable to a level-0 table and deletes those segments (what
 * was replayed may have been only in the page cache of a killed process, or behind a failed fsync,
 * so it is made durable before anything newer is written), and starts a new segment.
 *
 * <h2>Errors</h2>
 * A read of a damaged block throws {@link CorruptionException} naming the file and offset, never
 * wrong data. An I/O error in the log, a flush, a compaction or the manifest makes the store
 * read-only: later writes throw {@link StoreFailedException} naming the first error; nothing
 * acknowledged is lost, and reopening recovers.
 *
 * <p>Thread-safety: thread-safe. Any number of threads may read and write.
 */
public final class LsmStore implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(LsmStore.class.getName());
  private static final Pattern TABLE_NAME = Pattern.compile("(\\d{6,19})\\.sst");
  /** How much compaction output a compaction writes between checks for close. */
  private static final int CLOSE_CHECK_ENTRIES = 4096;

  // constant after open
  private final Disk disk;
  private final Path directory;
  private final LsmOptions options;
  private final Env env;
  private final ValueExpiry expiry;
  private final @Nullable BlockCache blockCache;
  private final BlockDecompressors decompressors;
  private final Manifest manifest;
  private final WalWriter wal;
  private final ExecutorService walSyncs;
  private final ThreadPoolExecutor flusher;
  private final ThreadPoolExecutor compactor;

  /** Writers hold the read lock from sequence assignment to memtable insert; a memtable switch takes the write lock. */
  private final ReentrantReadWriteLock switchLock = new ReentrantReadWriteLock();
  /** Guards the view, the flush queue and the stall condition. */
  private final ReentrantLock stateLock = new ReentrantLock();
  private final Condition stateChanged = stateLock.newCondition();
  /** Serialises manifest edits with the counters they record. */
  private final ReentrantLock editLock = new ReentrantLock();
  /** One compaction at a time: the background one or {@link #compactAll()}'s. */
  private final ReentrantLock compactionLock = new ReentrantLock();

  private volatile ReadView view;
  private final Deque<Frozen> frozen = new ArrayDeque<>(); // guarded by stateLock; newest first
  private final AtomicLong nextFileNumber;
  private final @Nullable Bytes[] compactPointers = new Bytes[ManifestState.MAX_LEVELS]; // guarded by compactionLock
  private boolean compacting; // guarded by stateLock
  private volatile boolean closed;
  private volatile @Nullable Throwable failure;

  // sequence numbers
  private final Object sequenceLock = new Object();
  private long lastSequence; // guarded by sequenceLock
  private final TreeSet<Long> inFlight = new TreeSet<>(); // guarded by sequenceLock: first sequences of writes under way

  // statistics
  private final LongAdder flushes = new LongAdder();
  private final LongAdder compactions = new LongAdder();
  private final LongAdder compactionBytesRead = new LongAdder();
  private final LongAdder compactionBytesWritten = new LongAdder();
  private final LongAdder flushBytesWritten = new LongAdder();
  private final LongAdder writeStalls = new LongAdder();
  private final LongAdder droppedDeletions = new LongAdder();
  private final LongAdder droppedExpired = new LongAdder();
  private final LongAdder droppedOverwritten = new LongAdder();

  /** A frozen memtable and the first log segment written after it. */
  private record Frozen(Memtable memtable, long nextLogNumber, long lastSequence) {}

  private LsmStore(Disk disk, Path directory, LsmOptions options, Env env, ValueExpiry expiry, Manifest manifest,
      ReadView view, long lastSequence, WalWriter wal, ExecutorService walSyncs, @Nullable BlockCache blockCache,
      BlockDecompressors decompressors) {
    this.disk = disk;
    this.directory = directory;
    this.options = options;
    this.env = env;
    this.expiry = expiry;
    this.manifest = manifest;
    this.view = view;
    this.lastSequence = lastSequence;
    this.wal = wal;
    this.walSyncs = walSyncs;
    this.blockCache = blockCache;
    this.decompressors = decompressors;
    this.nextFileNumber = new AtomicLong(manifest.state().nextFileNumber());
    this.flusher = background("flush");
    this.compactor = background("compaction");
  }

  /** Opens the store in {@code directory} whose values never expire; see {@link #open(Disk, Path, LsmOptions, Env, ValueExpiry)}. */
  public static LsmStore open(Disk disk, Path directory, LsmOptions options, Env env) throws IOException {
    return open(disk, directory, options, env, ValueExpiry.NEVER);
  }

  /**
   * Opens (creating if needed) the store in {@code directory} and recovers it as the class comment
   * says.
   *
   * @param disk every file operation goes through it
   * @param env time (expiry at compaction) and the log's sync timer
   * @param expiry when values expire, for compaction
   * @throws CorruptionException naming the file and offset if the manifest, a live table or a log
   *     segment before its torn tail is damaged, or a live table is missing
   * @throws IOException if the disk fails
   */
  public static LsmStore open(Disk disk, Path directory, LsmOptions options, Env env, ValueExpiry expiry)
      throws IOException {
    requireNonNull(disk, "disk");
    requireNonNull(options, "options");
    requireNonNull(env, "env");
    requireNonNull(expiry, "expiry");
    Path dir = directory.toAbsolutePath().normalize();
    boolean existed = disk.exists(dir);
    disk.mkdirs(dir);
    if (!existed && dir.getParent() != null) {
      disk.syncDirectory(dir.getParent()); // the new directory's entry survives a power loss
    }
    Manifest manifest = Manifest.open(disk, dir, options.manifest());
    List<Table> opened = new ArrayList<>();
    BlockCache cache = options.blockCacheBytes() == 0 ? null : new BlockCache(options.blockCacheBytes());
    BlockDecompressors decompressors = BlockDecompressors.perProcessor();
    ExecutorService walSyncs = null;
    try {
      ManifestState state = manifest.state();
      Table.Obsolete[] deleter = new Table.Obsolete[1];
      Table.Obsolete lateBound = t -> deleter[0].release(t);
      List<List<Table>> levels = new ArrayList<>();
      java.util.Set<Long> live = new java.util.HashSet<>();
      for (int level = 0; level < state.levelCount(); level++) {
        List<Table> tables = new ArrayList<>();
        for (FileMeta meta : state.level(level)) {
          Table t = openTable(disk, dir, manifest.currentFile(), meta, cache, decompressors, lateBound);
          opened.add(t);
          tables.add(t);
          live.add(meta.fileNumber());
        }
        levels.add(tables);
      }
      int strays = 0;
      for (Path entry : disk.list(dir)) {
        Matcher m = TABLE_NAME.matcher(entry.getFileName().toString());
        if (m.matches() && !live.contains(Long.parseLong(m.group(1)))) {
          disk.delete(entry);
          strays++;
        }
      }
      if (strays > 0) {
        disk.syncDirectory(dir);
        LOG.log(System.Logger.Level.INFO, "LSM store " + dir + ": deleted " + strays
            + " table file(s) the manifest does not name (left by an interrupted flush or compaction)");
      }
      Memtable memtable = new Memtable();
      long[] maxSequence = {state.lastSequence()};
      WalRecovery recovery = WalReader.recover(disk, dir, state.logNumber(), options.wal().maxRecordBytes(), r -> {
        WriteBatch.Decoded batch;
        try {
          batch = WriteBatch.decode(r.payload());
        } catch (CorruptionException e) {
          throw e.locatedIn(dir.resolve(String.valueOf(r.segmentId())) + " (log segment " + r.segmentId() + ")",
              r.offsetBytes());
        }
        long sequence = batch.firstSequence();
        for (WriteBatch.Op op : batch.ops()) {
          if (sequence > state.lastSequence()) { // older ones are in tables already
            memtable.add(op.key(), sequence, op.value() == null ? TaggedValue.deletion() : TaggedValue.put(op.value()));
          }
          maxSequence[0] = Math.max(maxSequence[0], sequence);
          sequence++;
        }
      });
      Memtable active = memtable;
      if (!recovery.segmentIds().isEmpty()) {
        // What was replayed may be only in the page cache (a process killed before its fsync, or
        // an fsync that failed). Write it to a table now, durably, and drop the old segments, so
        // that no segment but the newest ever exists, and a torn record can only be a torn tail.
        Table flushed = flushRecovered(disk, dir, options, manifest, memtable, recovery.nextSegmentId(),
            maxSequence[0], cache, decompressors, lateBound);
        if (flushed != null) {
          opened.add(flushed);
          List<Table> level0 = new ArrayList<>();
          level0.add(flushed);
          level0.addAll(levels.get(0));
          levels.set(0, level0);
        }
        active = new Memtable();
      }
      walSyncs = java.util.concurrent.Executors.newSingleThreadExecutor(daemon("wal-sync", dir));
      WalWriter wal = WalWriter.open(disk, dir, options.wal(), recovery.nextSegmentId(), env.scheduler(), walSyncs);
      ReadView view = new ReadView(active, List.of(), levels);
      LsmStore store = new LsmStore(disk, dir, options, env, expiry, manifest, view, maxSequence[0], wal, walSyncs,
          cache, decompressors);
      deleter[0] = store::deleteObsolete;
      LOG.log(System.Logger.Level.INFO, "LSM store " + dir + " open: " + opened.size() + " table(s), "
          + recovery.records() + " log record(s) replayed from segment(s) " + recovery.segmentIds()
          + (recovery.truncatedBytes() > 0 ? ", torn log tail of " + recovery.truncatedBytes() + " bytes truncated" : "")
          + ", last sequence " + maxSequence[0]);
      store.scheduleCompaction();
      return store;
    } catch (IOException | RuntimeException | Error e) {
      for (Table t : opened) {
        closeQuietly(t.reader, e);
      }
      closeQuietly(manifest, e);
      decompressors.close();
      if (walSyncs != null) {
        walSyncs.shutdownNow();
      }
      throw e;
    }
  }

  /**
   * Writes the memtable recovered from the log to a level-0 table (if it holds anything), records
   * it in the manifest with {@code nextLogNumber} as the first segment still needed, and deletes
   * the older segments. Runs in {@link #open}, before a new segment exists.
   */
  private static @Nullable Table flushRecovered(Disk disk, Path dir, LsmOptions options, Manifest manifest,
      Memtable memtable, long nextLogNumber, long lastSequence, @Nullable BlockCache cache,
      BlockDecompressors decompressors, Table.Obsolete onObsolete) throws IOException {
    ManifestState state = manifest.state();
    FileMeta meta = null;
    if (!memtable.isEmpty()) {
      long number = state.nextFileNumber();
      Path path = tablePath(dir, number);
      TableSummary summary = writeTable(disk, path, options, memtable);
      disk.syncDirectory(dir);
      meta = new FileMeta(number, 0, summary.sizeBytes(), summary.entryCount(), summary.smallestKey(),
          summary.largestKey());
    }
    manifest.apply(new VersionEdit(nextLogNumber, meta == null ? null : meta.fileNumber() + 1,
        Math.max(lastSequence, state.lastSequence()), meta == null ? List.of() : List.of(meta), List.of()));
    int deleted = 0;
    for (Path entry : disk.list(dir)) {
      Long id = io.ringstore.storage.lsm.wal.WalFormat.segmentId(entry);
      if (id != null && id < nextLogNumber) {
        disk.delete(entry);
        deleted++;
      }
    }
    if (deleted > 0) {
      disk.syncDirectory(dir);
    }
    if (meta == null) {
      return null;
    }
    return new Table(meta, TableReader.open(disk, tablePath(dir, meta.fileNumber()), meta.fileNumber(), cache,
        decompressors), onObsolete);
  }

  /**
   * Writes the newest version of every key of {@code memtable} to a new table at {@code path} and
   * syncs it (not its directory); a failed table is deleted.
   */
  private static TableSummary writeTable(Disk disk, Path path, LsmOptions options, Memtable memtable)
      throws IOException {
    TableBuilder builder = TableBuilder.create(disk, path, options.table());
    try {
      var it = memtable.iterator(null, Long.MAX_VALUE);
      while (it.hasNext()) {
        Memtable.Entry e = it.next();
        builder.add(e.key().unsafeArray(), e.value());
      }
      return builder.finish();
    } catch (IOException | RuntimeException | Error e) {
      runQuietly(builder::abandon, e);
      throw e;
    }
  }

  private static Table openTable(Disk disk, Path dir, Path manifestFile, FileMeta meta, @Nullable BlockCache cache,
      BlockDecompressors decompressors, Table.Obsolete onObsolete) throws IOException {
    Path path = tablePath(dir, meta.fileNumber());
    try {
      return new Table(meta, TableReader.open(disk, path, meta.fileNumber(), cache, decompressors), onObsolete);
    } catch (NoSuchFileException e) {
      throw new CorruptionException("manifest", 0, "it names table " + meta.fileNumber() + " of level " + meta.level()
          + " but " + path + " does not exist").locatedIn(manifestFile.toString(), 0);
    }
  }

  static Path tablePath(Path dir, long number) {
    return dir.resolve(String.format("%06d.sst", number));
  }

  // ------------------------------------------------------------------------------------ writes

  /** Puts {@code value} under {@code key}; see {@link #write}. */
  public void put(Bytes key, byte[] value) throws IOException {
    write(new WriteBatch().put(key, value));
  }

  /** Deletes {@code key}; see {@link #write}. */
  public void delete(Bytes key) throws IOException {
    write(new WriteBatch().delete(key));
  }

  /**
   * Applies {@code batch} atomically. Returns once it is in the log (durable under
   * {@code wal.syncMode = always}) and visible to reads.
   *
   * @throws LimitExceededException if a key is longer than {@code table.maxKeyBytes}, a value
   *     longer than {@code table.maxValueBytes}, or the batch longer than {@code wal.maxRecordBytes};
   *     nothing of it was written
   * @throws StoreFailedException if the store is read-only after an earlier I/O error
   * @throws IOException if the log append fails (the store is then read-only)
   * @throws IllegalStateException if the store is closed
   */
  public void write(WriteBatch batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    checkLimits(batch);
    makeRoomForWrite();
    ReentrantReadWriteLock.ReadLock lock = switchLock.readLock();
    lock.lock();
    try {
      checkWritable();
      Memtable memtable = view.active();
      int count = batch.size();
      long first;
      synchronized (sequenceLock) {
        first = lastSequence + 1;
        lastSequence += count;
        inFlight.add(first);
      }
      try {
        try {
          wal.append(batch.encode(first));
        } catch (IOException e) {
          fail(e);
          throw e;
        }
        long sequence = first;
        for (WriteBatch.Op op : batch.ops()) {
          memtable.add(op.key(), sequence++, op.value() == null ? TaggedValue.deletion() : TaggedValue.put(op.value()));
        }
      } finally {
        synchronized (sequenceLock) {
          inFlight.remove(first);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void checkLimits(WriteBatch batch) {
    int maxKey = options.table().maxKeyBytes();
    int maxValue = options.table().maxValueBytes();
    for (WriteBatch.Op op : batch.ops()) {
      if (op.key().length() > maxKey) {
        throw new LimitExceededException("LSM store " + directory + ": key of " + op.key().length()
            + " bytes exceeds table.maxKeyBytes = " + maxKey + " bytes", "table.maxKeyBytes", op.key().length(), maxKey);
      }
      if (op.value() != null && op.value().length > maxValue) {
        throw new LimitExceededException("LSM store " + directory + ": value of " + op.value().length
            + " bytes exceeds table.maxValueBytes = " + maxValue + " bytes", "table.maxValueBytes", op.value().length,
            maxValue);
      }
    }
    if (batch.maxPayloadBytes() > options.wal().maxRecordBytes()) {
      long exact = batch.encode(1).length;
      if (exact > options.wal().maxRecordBytes()) {
        throw new LimitExceededException("LSM store " + directory + ": write batch of " + batch.size()
            + " operations encodes to " + exact + " bytes, more than wal.maxRecordBytes = "
            + options.wal().maxRecordBytes() + " bytes", "wal.maxRecordBytes", exact, options.wal().maxRecordBytes());
      }
    }
  }

  /** Switches to a new memtable when the active one is full; waits while flushes or compaction are behind. */
  private void makeRoomForWrite() throws IOException {
    boolean stalled = false;
    while (true) {
      checkWritable();
      ReadView v = view;
      boolean full = v.active().approximateBytes() >= options.memtableBytes();
      boolean level0Full = v.levels().get(0).size() >= options.level0StopWritesTrigger();
      if (!full && !level0Full) {
        return;
      }
      if (level0Full || v.immutables().size() >= options.maxImmutableMemtables()) {
        if (!stalled) {
          stalled = true;
          writeStalls.increment();
        }
        stateLock.lock();
        try {
          scheduleFlush();
          scheduleCompaction();
          while (view == v && failure == null && !closed) {
            stateChanged.await();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for a flush or compaction of " + directory);
        } finally {
          stateLock.unlock();
        }
        continue;
      }
      switchMemtable(v.active());
    }
  }

  /** Freezes {@code full} (if it is still the active memtable) and rolls the log. */
  private void switchMemtable(Memtable full) throws IOException {
    switchLock.writeLock().lock();
    try {
      stateLock.lock();
      try {
        ReadView v = view;
        if (v.active() != full || full.isEmpty()) {
          return;
        }
        checkWritable();
        long nextLog;
        try {
          nextLog = wal.roll();
        } catch (IOException e) {
          fail(e);
          throw e;
        }
        full.freeze();
        long through;
        synchronized (sequenceLock) {
          through = lastSequence; // no writer is inside (write lock): every sequence up to here is in full
        }
        frozen.addFirst(new Frozen(full, nextLog, through));
        List<Memtable> immutables = new ArrayList<>();
        immutables.add(full);
        immutables.addAll(v.immutables());
        publish(new ReadView(new Memtable(), immutables, v.levels()));
      } finally {
        stateLock.unlock();
      }
    } finally {
      switchLock.writeLock().unlock();
    }
    scheduleFlush();
  }

  // ------------------------------------------------------------------------------------ reads

  /**
   * The newest value of {@code key}, or {@code null} if it has none (never written, or deleted).
   *
   * @throws CorruptionException naming the file and offset if a block it needs is damaged
   * @throws UncheckedIOException if the disk fails
   * @throws IllegalStateException if the store is closed
   */
  public @Nullable Bytes get(Bytes key) {
    byte[] tagged = getTagged(key);
    return tagged == null ? null : TaggedValue.value(tagged, "store " + directory);
  }

  /** The newest tagged value of {@code key} (a deletion included), or {@code null} if none. */
  byte @Nullable [] getTagged(Bytes key) {
    while (true) {
      checkOpen();
      ReadView v = view;
      try {
        return getIn(v, key);
      } catch (RuntimeException e) {
        if (!hasClosedTable(v)) {
          throw e;
        }
        // a compaction replaced a table under this read: read the newer view
      }
    }
  }

  private static boolean hasClosedTable(ReadView v) {
    for (Table t : v.tables()) {
      if (t.isClosed()) {
        return true;
      }
    }
    return false;
  }

  private static byte @Nullable [] getIn(ReadView v, Bytes key) {
    Memtable.Entry e = v.active().get(key, Long.MAX_VALUE);
    if (e != null) {
      return e.value();
    }
    for (Memtable m : v.immutables()) {
      e = m.get(key, Long.MAX_VALUE);
      if (e != null) {
        return e.value();
      }
    }
    for (Table t : v.levels().get(0)) {
      if (t.covers(key)) {
        Bytes found = t.reader.get(key);
        if (found != null) {
          return found.unsafeArray();
        }
      }
    }
    for (int level = 1; level < v.levels().size(); level++) {
      List<Table> tables = v.levels().get(level);
      int low = 0;
      int high = tables.size();
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (tables.get(mid).largest().compareTo(key) < 0) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      if (low < tables.size() && tables.get(low).covers(key)) {
        Bytes found = tables.get(low).reader.get(key);
        if (found != null) {
          return found.unsafeArray();
        }
      }
    }
    return null;
  }

  /**
   * A consistent view of the store now; see {@link LsmSnapshot}. Close it when done.
   *
   * @throws IllegalStateException if the store is closed
   */
  public LsmSnapshot snapshot() {
    while (true) {
      checkOpen();
      // the view first: every table in it holds only writes with sequences at or below any
      // sequence read afterwards (a memtable is switched under the write lock, with no writer
      // inside), so the tables cannot show a write that began after the snapshot
      ReadView v = view;
      long sequence;
      synchronized (sequenceLock) {
        sequence = inFlight.isEmpty() ? lastSequence : inFlight.first() - 1;
      }
      List<Table> pinned = new ArrayList<>();
      boolean all = true;
      for (Table t : v.tables()) {
        if (t.tryAcquire()) {
          pinned.add(t);
        } else {
          all = false;
          break;
        }
      }
      if (all) {
        return new LsmSnapshot(v, sequence, pinned);
      }
      for (Table t : pinned) {
        t.release();
      }
    }
  }

  /**
   * An iterator over the live keys at {@code snapshot}, or at a snapshot of its own taken now if
   * {@code null} (released when the iterator is closed). Not positioned: call
   * {@link LsmIterator#seekToFirst()} or {@link LsmIterator#seek}.
   */
  public LsmIterator iterator(@Nullable LsmSnapshot snapshot) {
    if (snapshot != null) {
      if (snapshot.isClosed()) {
        throw new IllegalStateException("the snapshot is closed");
      }
      return new LsmIterator(snapshot, false);
    }
    return new LsmIterator(snapshot(), true);
  }

  // ------------------------------------------------------------------------------------ flush

  /**
   * Freezes the active memtable (if it holds anything) and waits until every frozen memtable is
   * flushed to a table.
   *
   * @throws StoreFailedException if a flush failed (now or earlier)
   */
  public void flush() throws IOException {
    checkWritable();
    Memtable mine = view.active();
    switchMemtable(mine);
    stateLock.lock();
    try {
      // wait for this memtable and the older frozen ones, not for those frozen after this call
      List<Memtable> waitFor = new ArrayList<>();
      for (Frozen f : frozen) {
        waitFor.add(f.memtable());
      }
      while (failure == null && !closed && stillFrozen(waitFor)) {
        scheduleFlush();
        stateChanged.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the flush of " + directory);
    } finally {
      stateLock.unlock();
    }
    checkWritable();
  }

  private boolean stillFrozen(List<Memtable> memtables) { // under stateLock
    for (Frozen f : frozen) {
      for (Memtable m : memtables) {
        if (f.memtable() == m) {
          return true;
        }
      }
    }
    return false;
  }

  private void scheduleFlush() {
    if (!closed) {
      flusher.execute(this::flushPending);
    }
  }

  private void flushPending() {
    while (!closed && failure == null) {
      Frozen oldest;
      stateLock.lock();
      try {
        oldest = frozen.peekLast();
      } finally {
        stateLock.unlock();
      }
      if (oldest == null) {
        return;
      }
      try {
        flushOne(oldest);
      } catch (Throwable t) {
        fail(t);
        return;
      }
    }
  }

  private void flushOne(Frozen f) throws IOException {
    long number = nextFileNumber.getAndIncrement();
    Path path = tablePath(directory, number);
    TableSummary summary = writeTable(disk, path, options, f.memtable());
    Table table = null;
    editLock.lock();
    try {
      disk.syncDirectory(directory);
      List<FileMeta> added = List.of();
      FileMeta meta = null;
      if (summary.entryCount() > 0) {
        meta = new FileMeta(number, 0, summary.sizeBytes(), summary.entryCount(), summary.smallestKey(),
            summary.largestKey());
        added = List.of(meta);
        table = new Table(meta, TableReader.open(disk, path, number, blockCache, decompressors), this::deleteObsolete);
      } else {
        disk.delete(path);
      }
      manifest.apply(new VersionEdit(f.nextLogNumber(), nextFileNumber.get(),
          Math.max(f.lastSequence(), manifest.state().lastSequence()), added, List.of()));
      stateLock.lock();
      try {
        frozen.removeLast();
        ReadView v = view;
        List<Memtable> immutables = new ArrayList<>(v.immutables());
        immutables.remove(f.memtable());
        List<List<Table>> levels = new ArrayList<>(v.levels());
        if (table != null) {
          List<Table> level0 = new ArrayList<>();
          level0.add(table);
          level0.addAll(v.levels().get(0));
          levels.set(0, level0);
        }
        publish(new ReadView(v.active(), immutables, levels));
      } finally {
        stateLock.unlock();
      }
    } catch (IOException | RuntimeException | Error e) {
      if (table != null) {
        closeQuietly(table.reader, e);
      }
      throw e;
    } finally {
      editLock.unlock();
    }
    flushes.increment();
    flushBytesWritten.add(summary.sizeBytes());
    try {
      wal.deleteSegmentsBefore(f.nextLogNumber());
    } catch (IOException e) {
      // the manifest no longer needs them: a later flush or the next open deletes them
      LOG.log(System.Logger.Level.WARNING, "LSM store " + directory + ": could not delete log segments before "
          + f.nextLogNumber() + " (they are deleted later): " + e);
    }
    scheduleCompaction();
  }

  // ------------------------------------------------------------------------------------ compaction

  /** The inputs of one compaction: tables of {@code level} merged with the overlapping ones of {@code level + 1}. */
  private record Pick(int level, List<Table> upper, List<Table> lower, boolean bottommost) {}

  private void scheduleCompaction() {
    if (!closed) {
      compactor.execute(() -> compactWhileNeeded(false));
    }
  }

  /**
   * Compacts every level into the deepest one that holds data, and waits for it: afterwards
   * deletions and expired values are gone from disk (unless an open snapshot still pins old
   * tables). Meant for tests, benchmarks and operators; normal operation compacts by itself.
   */
  public void compactAll() throws IOException {
    flush();
    compactWhileNeeded(true);
    checkWritable();
  }

  /** Waits until no flush is pending and no compaction is needed or running. For tests. */
  void awaitBackgroundWork() throws InterruptedException {
    stateLock.lock();
    try {
      while (failure == null && !closed && (!frozen.isEmpty() || compacting || pick(view, false, false) != null)) {
        scheduleFlush();
        scheduleCompaction();
        stateChanged.await(10, TimeUnit.MILLISECONDS);
      }
    } finally {
      stateLock.unlock();
    }
  }

  private void compactWhileNeeded(boolean force) {
    compactionLock.lock();
    try {
      compactWhileNeededLocked(force);
    } finally {
      compactionLock.unlock();
    }
  }

  private void compactWhileNeededLocked(boolean force) {
    while (!closed && failure == null) {
      Pick p;
      stateLock.lock();
      try {
        p = pick(view, force, true);
        compacting = p != null;
      } finally {
        stateLock.unlock();
      }
      if (p == null) {
        signalAll();
        return;
      }
      try {
        compact(p);
      } catch (Throwable t) {
        if (!closed) {
          fail(t);
        }
        return;
      } finally {
        stateLock.lock();
        try {
          compacting = false;
          stateChanged.signalAll();
        } finally {
          stateLock.unlock();
        }
      }
    }
  }

  /** What to compact next, or {@code null}; {@code advance} moves the round-robin pointer (compaction thread only). */
  private @Nullable Pick pick(ReadView v, boolean force, boolean advance) {
    List<List<Table>> levels = v.levels();
    int deepest = 0;
    for (int level = 0; level < levels.size(); level++) {
      if (!levels.get(level).isEmpty()) {
        deepest = level;
      }
    }
    List<Table> level0 = levels.get(0);
    if (level0.size() >= options.level0CompactionTrigger() || (force && !level0.isEmpty())) {
      return pickRange(v, 0, level0);
    }
    int best = -1;
    double bestScore = 1.0;
    for (int level = 1; level < levels.size() - 1; level++) {
      double score = (double) v.levelBytes(level) / options.targetBytes(level);
      if (score >= bestScore && !levels.get(level).isEmpty()) {
        best = level;
        bestScore = score;
      }
    }
    if (best < 0 && force) {
      for (int level = 1; level < deepest; level++) {
        if (!levels.get(level).isEmpty()) {
          return pickRange(v, level, levels.get(level));
        }
      }
      return null;
    }
    if (best < 0) {
      return null;
    }
    List<Table> tables = levels.get(best);
    Bytes pointer = compactPointers[best];
    Table chosen = tables.get(0);
    if (pointer != null) {
      for (Table t : tables) {
        if (t.smallest().compareTo(pointer) > 0) {
          chosen = t;
          break;
        }
      }
    }
    if (advance) {
      compactPointers[best] = chosen.largest();
    }
    return pickRange(v, best, List.of(chosen));
  }

  private static Pick pickRange(ReadView v, int level, List<Table> upper) {
    Bytes from = upper.get(0).smallest();
    Bytes to = upper.get(0).largest();
    for (Table t : upper) {
      from = t.smallest().compareTo(from) < 0 ? t.smallest() : from;
      to = t.largest().compareTo(to) > 0 ? t.largest() : to;
    }
    List<Table> lower = new ArrayList<>();
    for (Table t : v.levels().get(level + 1)) {
      if (t.overlaps(from, to)) {
        lower.add(t);
      }
    }
    if (!lower.isEmpty()) { // the merged range may now reach further
      from = lower.get(0).smallest().compareTo(from) < 0 ? lower.get(0).smallest() : from;
      Bytes last = lower.get(lower.size() - 1).largest();
      to = last.compareTo(to) > 0 ? last : to;
    }
    boolean bottommost = true;
    for (int deeper = level + 2; deeper < v.levels().size() && bottommost; deeper++) {
      for (Table t : v.levels().get(deeper)) {
        if (t.overlaps(from, to)) {
          bottommost = false;
          break;
        }
      }
    }
    return new Pick(level, List.copyOf(upper), List.copyOf(lower), bottommost);
  }

  private void compact(Pick p) throws IOException {
    int outputLevel = p.level() + 1;
    List<Source> sources = new ArrayList<>();
    long bytesRead = 0;
    for (Table t : p.upper()) {
      sources.add(new Source.OfTable(t)); // level 0: newest first; deeper: one table
      bytesRead += t.meta.sizeBytes();
    }
    if (!p.lower().isEmpty()) {
      sources.add(new Source.OfLevel(p.lower()));
      for (Table t : p.lower()) {
        bytesRead += t.meta.sizeBytes();
      }
    }
    long overwritten = 0;
    for (Table t : p.upper()) {
      overwritten += t.meta.entryCount();
    }
    for (Table t : p.lower()) {
      overwritten += t.meta.entryCount();
    }
    long nowMillis = env.clock().millis();
    Source merged = new Source.Merged(sources);
    List<TableSummary> outputs = new ArrayList<>();
    List<Long> numbers = new ArrayList<>();
    TableBuilder builder = null;
    long written = 0;
    long entries = 0;
    try {
      for (merged.seekToFirst(); merged.isValid(); merged.next()) {
        entries++;
        if ((entries % CLOSE_CHECK_ENTRIES) == 0 && closed) {
          throw new IllegalStateException("store closed during compaction");
        }
        byte[] tagged = merged.taggedValue();
        byte[] out = tagged;
        if (TaggedValue.isDeletion(tagged, "compaction of level " + p.level())) {
          if (p.bottommost()) {
            droppedDeletions.increment();
            continue;
          }
        } else if (expiry.expiresAtMillis(tagged, 1, tagged.length - 1) <= nowMillis) {
          droppedExpired.increment();
          if (p.bottommost()) {
            continue;
          }
          out = TaggedValue.deletion();
        }
        if (builder == null) {
          long number = nextFileNumber.getAndIncrement();
          numbers.add(number);
          builder = TableBuilder.create(disk, tablePath(directory, number), options.table());
        }
        builder.add(merged.key().unsafeArray(), out);
        written++;
        if (builder.writtenBytes() >= options.targetFileBytes()) {
          outputs.add(builder.finish());
          builder = null;
        }
      }
      if (builder != null) {
        outputs.add(builder.finish());
        builder = null;
      }
    } catch (IOException | RuntimeException | Error e) {
      if (builder != null) {
        runQuietly(builder::abandon, e);
      }
      for (TableSummary s : outputs) {
        runQuietly(() -> disk.delete(s.path()), e);
      }
      throw e;
    }
    droppedOverwritten.add(Math.max(0, overwritten - entries));
    List<FileMeta> added = new ArrayList<>();
    List<Table> newTables = new ArrayList<>();
    editLock.lock();
    try {
      disk.syncDirectory(directory);
      for (int i = 0; i < outputs.size(); i++) {
        TableSummary s = outputs.get(i);
        FileMeta meta = new FileMeta(numbers.get(i), outputLevel, s.sizeBytes(), s.entryCount(), s.smallestKey(),
            s.largestKey());
        added.add(meta);
        newTables.add(new Table(meta, TableReader.open(disk, s.path(), meta.fileNumber(), blockCache, decompressors),
            this::deleteObsolete));
      }
      List<DeletedFile> deleted = new ArrayList<>();
      for (Table t : p.upper()) {
        deleted.add(new DeletedFile(p.level(), t.number()));
      }
      for (Table t : p.lower()) {
        deleted.add(new DeletedFile(outputLevel, t.number()));
      }
      manifest.apply(new VersionEdit(null, nextFileNumber.get(), null, added, deleted));
      stateLock.lock();
      try {
        ReadView v = view;
        List<List<Table>> levels = new ArrayList<>(v.levels());
        List<Table> upper = new ArrayList<>(levels.get(p.level()));
        upper.removeAll(p.upper());
        levels.set(p.level(), upper);
        List<Table> lower = new ArrayList<>(levels.get(outputLevel));
        lower.removeAll(p.lower());
        lower.addAll(newTables);
        lower.sort(Comparator.comparing(Table::smallest));
        levels.set(outputLevel, lower);
        publish(new ReadView(v.active(), v.immutables(), levels));
      } finally {
        stateLock.unlock();
      }
    } catch (IOException | RuntimeException | Error e) {
      for (Table t : newTables) {
        closeQuietly(t.reader, e);
      }
      throw e;
    } finally {
      editLock.unlock();
    }
    long bytesWritten = 0;
    for (TableSummary s : outputs) {
      bytesWritten += s.sizeBytes();
    }
    compactions.increment();
    compactionBytesRead.add(bytesRead);
    compactionBytesWritten.add(bytesWritten);
    long writtenEntries = written;
    LOG.log(System.Logger.Level.DEBUG, () -> "LSM store " + directory + ": compacted " + p.upper().size()
        + " table(s) of level " + p.level() + " with " + p.lower().size() + " of level " + outputLevel + " into "
        + outputs.size() + " table(s) (" + writtenEntries + " entries)");
    for (Table t : p.upper()) {
      t.release();
    }
    for (Table t : p.lower()) {
      t.release();
    }
  }

  /** Closes a table nothing reads any more and deletes its file (no longer in the manifest). */
  private void deleteObsolete(Table table) {
    try {
      table.reader.close();
      if (blockCache != null) {
        blockCache.evictFile(table.number());
      }
      if (!closed) {
        disk.delete(table.reader.path());
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "LSM store " + directory + ": could not delete obsolete "
          + table.reader.path() + " (it is deleted at the next open): " + e);
    }
  }

  // ------------------------------------------------------------------------------------ state

  /** The store's counters now. */
  public LsmStats stats() {
    ReadView v = view;
    List<Integer> counts = new ArrayList<>();
    List<Long> bytes = new ArrayList<>();
    for (int level = 0; level < v.levels().size(); level++) {
      counts.add(v.levels().get(level).size());
      bytes.add(v.levelBytes(level));
    }
    return new LsmStats(v.active().approximateBytes(), v.immutables().size(), counts, bytes, flushes.sum(),
        compactions.sum(), compactionBytesRead.sum(), compactionBytesWritten.sum(), flushBytesWritten.sum(),
        writeStalls.sum(), droppedDeletions.sum(), droppedExpired.sum(), droppedOverwritten.sum());
  }

  /** The directory the store lives in. */
  public Path directory() {
    return directory;
  }

  /** The settings the store was opened with. */
  public LsmOptions options() {
    return options;
  }

  /** The first error that made the store read-only, or {@code null} if it is writable. */
  public @Nullable Throwable failure() {
    return failure;
  }

  /**
   * Stops the background threads (a flush under way finishes; a compaction under way is given up),
   * syncs and closes the log, and closes every table. Unflushed memtables need nothing: their
   * writes are in the log. Idempotent.
   */
  @Override
  public void close() throws IOException {
    stateLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      stateChanged.signalAll();
    } finally {
      stateLock.unlock();
    }
    flusher.shutdown();
    compactor.shutdown();
    try {
      flusher.awaitTermination(1, TimeUnit.MINUTES);
      compactor.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    IOException first = null;
    try {
      wal.close();
    } catch (IOException e) {
      first = e;
    }
    walSyncs.shutdown();
    try {
      manifest.close();
    } catch (IOException e) {
      first = first == null ? e : first;
    }
    for (Table t : view.tables()) {
      try {
        t.reader.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    decompressors.close();
    if (first != null && failure == null) {
      throw first;
    }
  }

  private void publish(ReadView next) {
    view = next;
    stateChanged.signalAll();
  }

  private void signalAll() {
    stateLock.lock();
    try {
      stateChanged.signalAll();
    } finally {
      stateLock.unlock();
    }
  }

  private void fail(Throwable cause) {
    stateLock.lock();
    try {
      if (failure == null) {
        failure = cause;
        LOG.log(System.Logger.Level.ERROR, "LSM store " + directory + " is read-only after an error; fix the cause"
            + " and reopen it", cause);
      }
      stateChanged.signalAll();
    } finally {
      stateLock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("LSM store " + directory + " is closed");
    }
  }

  private void checkWritable() {
    checkOpen();
    Throwable f = failure;
    if (f != null) {
      throw new StoreFailedException("LSM store " + directory + " is read-only after an error: " + f
          + "; fix the cause and reopen it (every acknowledged write is recovered)", f);
    }
  }

  private ThreadPoolExecutor background(String role) {
    // one thread per role; at most one run waits behind the running one, since a run does all the work it finds
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1), daemon(role, directory),
        new ThreadPoolExecutor.DiscardPolicy());
  }

  private static java.util.concurrent.ThreadFactory daemon(String role, Path dir) {
    return r -> {
      Thread t = new Thread(r, "ringstore-lsm-" + role + " " + dir.getFileName());
      t.setDaemon(true);
      return t;
    };
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void closeQuietly(AutoCloseable closeable, Throwable primary) {
    try {
      closeable.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
    }
  }

  private static void runQuietly(IoAction action, Throwable primary) {
    try {
      action.run();
    } catch (IOException | RuntimeException e) {
      primary.addSuppressed(e);
    }
  }
}
