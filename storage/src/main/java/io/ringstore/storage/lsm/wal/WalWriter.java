package io.ringstore.storage.lsm.wal;

import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.Scheduler;
import io.ringstore.spi.env.WritableFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Appends records to the write-ahead log: one segment file at a time, rolled at
 * {@code wal.segmentBytes}, in the format of {@code docs/formats/wal.md} ({@link WalFormat}).
 *
 * <h2>Group commit (sync mode ALWAYS)</h2>
 * Leader/follower, with no queue and no extra thread. An appender takes the lock, writes its record
 * to the segment (so records are in the file in the order their appends took the lock), notes its
 * sequence number and waits until {@code syncedSeq} reaches it. If no fsync is running, it becomes
 * the leader: it notes the last sequence number written, releases the lock, fsyncs, retakes the lock,
 * publishes the new {@code syncedSeq} and wakes every waiter. While it fsyncs, other appenders write
 * their records and wait on the condition; when it finishes, those not covered elect the next leader
 * among themselves, whose single fsync covers all of them. Waiting is on a {@link Condition}, never
 * a spin or a sleep. The unsynced records are bounded by the number of appending threads (each
 * waits for its own record), so no queue needs a bound.
 *
 * <h2>Other sync modes</h2>
 * {@link WalSyncMode#INTERVAL}: an append returns after its write; a task on the injected
 * {@link Scheduler} runs every {@code wal.syncInterval} and hands an fsync (if anything is unsynced)
 * to the sync executor, since scheduler tasks must not block. {@link WalSyncMode#NONE}: fsync only at
 * a roll, {@link #sync()} and {@link #close()}. See {@link WalSyncMode} for what a power loss may take.
 *
 * <h2>Durability protocol</h2>
 * <ol>
 *   <li>A new segment is created, its header appended and fsynced, and the directory fsynced,
 *       before any record is written to it (so recovery can trust every header it finds behind a
 *       record).
 *   <li>A roll fsyncs the old segment completely before the new one is created, in every mode: only
 *       the last segment can ever have a torn tail.
 *   <li>{@link #deleteSegmentsBefore} deletes and then fsyncs the directory; until that returns a
 *       crash may bring the files back, so recovery takes the first live segment id from the caller.
 * </ol>
 *
 * <h2>Errors</h2>
 * A failed append, fsync, roll or segment creation leaves the file's tail undefined and, for a
 * failed fsync, nothing known durable past the last good one (see {@link Disk}). So the writer
 * <em>fails</em>: that append and every waiting and later one throw an {@link IOException} naming
 * the first error, the segment and the operation; nothing is acknowledged after it. Recovery on
 * reopen truncates whatever partial record it left.
 *
 * <p>Thread-safety: thread-safe; any number of threads may append concurrently.
 */
public final class WalWriter implements Closeable {

  private static final System.Logger LOG = System.getLogger(WalWriter.class.getName());

  // constant after construction
  private final Disk disk;
  private final Path directory;
  private final WalOptions options;
  private final Scheduler scheduler;
  private final Executor syncExecutor;
  private final Object deleteLock = new Object();

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when an fsync ends, the writer fails, or it closes. */
  private final Condition syncEnded = lock.newCondition();
  private @Nullable WritableFile current; // guarded by lock
  private long currentId; // guarded by lock
  private long currentBytes; // guarded by lock
  /** Records written to the file so far (the sequence number of the last one). */
  private long writtenSeq; // guarded by lock
  /** Every record up to this sequence number is durable. */
  private long syncedSeq; // guarded by lock
  private boolean syncing; // guarded by lock
  private @Nullable IOException failure; // guarded by lock
  private boolean closed; // guarded by lock
  private Scheduler.@Nullable Cancellable intervalTask; // guarded by lock

  private WalWriter(Disk disk, Path directory, WalOptions options, Scheduler scheduler, Executor syncExecutor) {
    this.disk = disk;
    this.directory = directory;
    this.options = options;
    this.scheduler = scheduler;
    this.syncExecutor = syncExecutor;
  }

  /**
   * Starts a writer on a new segment {@code segmentId} of {@code directory} (use
   * {@link WalRecovery#nextSegmentId()} after {@link WalReader#recover}); the segment is durable
   * (header synced, directory synced) when this returns.
   *
   * @param scheduler runs the {@link WalSyncMode#INTERVAL} timer (unused in other modes)
   * @param syncExecutor runs the interval fsyncs, which block (a bounded worker pool; tests pass
   *     {@code Runnable::run})
   * @throws java.nio.file.FileAlreadyExistsException if that segment exists
   */
  public static WalWriter open(Disk disk, Path directory, WalOptions options, long segmentId, Scheduler scheduler,
      Executor syncExecutor) throws IOException {
    WalWriter writer = new WalWriter(disk, directory, options, scheduler, syncExecutor);
    writer.lock.lock();
    try {
      writer.current = writer.createSegment(segmentId);
      writer.currentId = segmentId;
      writer.currentBytes = WalFormat.HEADER_BYTES;
      if (options.syncMode() == WalSyncMode.INTERVAL) {
        writer.scheduleTick();
      }
    } finally {
      writer.lock.unlock();
    }
    LOG.log(System.Logger.Level.INFO, "WAL in " + directory + " writing segment " + segmentId + " (sync "
        + options.syncMode() + ")");
    return writer;
  }

  /**
   * Appends one record of type batch with {@code payload} (copied into the record before anything is
   * written). Under {@link WalSyncMode#ALWAYS} it returns once the record is durable; under the other
   * modes once it is written to the operating system.
   *
   * @throws LimitExceededException if the payload is longer than {@code wal.maxRecordBytes}; nothing
   *     was written and the writer stays usable
   * @throws IOException if the writer failed, now or earlier (see the class comment), or is closed
   */
  public void append(byte[] payload) throws IOException {
    if (payload.length > options.maxRecordBytes()) {
      throw new LimitExceededException("WAL record payload of " + payload.length
          + " bytes exceeds wal.maxRecordBytes = " + options.maxRecordBytes() + " bytes; refused before writing",
          "wal.maxRecordBytes", payload.length, options.maxRecordBytes());
    }
    byte[] record = WalFormat.record(WalFormat.TYPE_BATCH, payload);
    lock.lock();
    try {
      checkUsable();
      if (currentBytes > WalFormat.HEADER_BYTES && currentBytes + record.length > options.segmentBytes()) {
        rollLocked();
      }
      WritableFile file = requireCurrent();
      try {
        file.append(record);
      } catch (IOException | RuntimeException e) {
        throw fail("append of a " + record.length + "-byte record at offset " + currentBytes + " of segment "
            + currentId + " (" + file.path() + ")", e);
      }
      currentBytes += record.length;
      long seq = ++writtenSeq;
      if (options.syncMode() == WalSyncMode.ALWAYS) {
        awaitSynced(seq);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Makes every record appended before this call durable (joining an fsync in progress if it covers them). */
  public void sync() throws IOException {
    lock.lock();
    try {
      checkUsable();
      awaitSynced(writtenSeq);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes sure later appends go to a segment newer than every record appended before this call,
   * rolling if the current segment holds any record, and returns that segment's id. The engine
   * calls it when it switches memtables, and later deletes the segments before the returned id
   * once that memtable is flushed.
   */
  public long roll() throws IOException {
    lock.lock();
    try {
      checkUsable();
      if (currentBytes > WalFormat.HEADER_BYTES) {
        rollLocked();
      }
      return currentId;
    } finally {
      lock.unlock();
    }
  }

  /** The id of the segment appends go to now. */
  public long currentSegmentId() {
    lock.lock();
    try {
      return currentId;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Deletes every segment of the directory with an id below {@code segmentId}, then fsyncs the
   * directory. The engine calls it once the memtables those segments fed are flushed.
   *
   * @return how many segments were deleted
   * @throws IllegalArgumentException if {@code segmentId} is past the current segment (which is
   *     still being written)
   */
  public int deleteSegmentsBefore(long segmentId) throws IOException {
    long currentNow = currentSegmentId();
    if (segmentId > currentNow) {
      throw new IllegalArgumentException("cannot delete WAL segments before id " + segmentId
          + ": the current segment is " + currentNow + " and is still being written; need segmentId <= " + currentNow);
    }
    synchronized (deleteLock) {
      int deleted = 0;
      for (Path entry : disk.list(directory)) {
        Long id = WalFormat.segmentId(entry);
        if (id != null && id < segmentId) {
          disk.delete(entry);
          deleted++;
        }
      }
      if (deleted > 0) {
        disk.syncDirectory(directory);
      }
      return deleted;
    }
  }

  /**
   * Fsyncs the current segment (in every sync mode) and closes it; idempotent. A writer that has
   * failed is closed without a sync, and the first close throws an {@link IOException} saying so.
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      Scheduler.Cancellable task = intervalTask;
      if (task != null) {
        task.cancel();
      }
      IOException error = failure == null ? null
          : new IOException("WAL in " + directory + " closed without a final fsync after an earlier error: "
              + failure.getMessage(), failure);
      if (failure == null) {
        try {
          awaitSynced(writtenSeq);
        } catch (IOException e) {
          error = e;
        }
      }
      while (syncing) {
        syncEnded.awaitUninterruptibly();
      }
      closed = true;
      syncEnded.signalAll();
      WritableFile file = current;
      current = null;
      if (file != null) {
        try {
          file.close();
        } catch (IOException e) {
          if (error == null) {
            error = e;
          }
        }
      }
      if (error != null) {
        throw error;
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- internals (lock held)

  /** Waits until record {@code seq} is durable, leading an fsync when none runs. */
  private void awaitSynced(long seq) throws IOException {
    while (syncedSeq < seq) {
      if (failure != null) {
        throw new IOException("WAL in " + directory + " failed before this record was synced: "
            + failure.getMessage(), failure);
      }
      if (closed) {
        throw new IOException("WAL in " + directory + " was closed before this record was synced");
      }
      if (syncing) {
        syncEnded.awaitUninterruptibly(); // bounded by one fsync; the record is written either way
      } else {
        leadSync();
      }
    }
  }

  /** Fsyncs the current segment outside the lock, covering every record written so far. */
  private void leadSync() throws IOException {
    WritableFile file = requireCurrent();
    long target = writtenSeq;
    syncing = true;
    Throwable error = null;
    lock.unlock();
    try {
      file.sync();
    } catch (IOException | RuntimeException e) {
      error = e;
    } finally {
      lock.lock();
      syncing = false;
      syncEnded.signalAll();
    }
    if (error != null) {
      throw fail("fsync of segment " + currentId + " (" + file.path() + ")", error);
    }
    syncedSeq = Math.max(syncedSeq, target);
  }

  /** Syncs and closes the current segment, then starts the next. */
  private void rollLocked() throws IOException {
    while (syncing) {
      syncEnded.awaitUninterruptibly();
    }
    checkUsable();
    WritableFile old = requireCurrent();
    try {
      old.sync();
      syncedSeq = writtenSeq;
      syncEnded.signalAll();
      old.close();
    } catch (IOException | RuntimeException e) {
      throw fail("roll: fsync and close of segment " + currentId + " (" + old.path() + ")", e);
    }
    current = null;
    long next = currentId + 1;
    try {
      current = createSegment(next);
    } catch (IOException | RuntimeException e) {
      throw fail("roll: creating segment " + next, e);
    }
    currentId = next;
    currentBytes = WalFormat.HEADER_BYTES;
    LOG.log(System.Logger.Level.DEBUG, () -> "WAL in " + directory + " rolled to segment " + next);
  }

  /** Creates segment {@code id}: create, header, fsync, directory fsync. */
  private WritableFile createSegment(long id) throws IOException {
    WritableFile file = disk.create(WalFormat.segmentPath(directory, id));
    try {
      file.append(WalFormat.header(id));
      file.sync();
      disk.syncDirectory(directory);
      return file;
    } catch (IOException | RuntimeException e) {
      try {
        file.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private WritableFile requireCurrent() throws IOException {
    WritableFile file = current;
    if (file == null) {
      throw new IOException("WAL in " + directory + " has no open segment");
    }
    return file;
  }

  private void checkUsable() throws IOException {
    if (closed) {
      throw new IOException("WAL in " + directory + " is closed");
    }
    if (failure != null) {
      throw new IOException("WAL in " + directory + " refuses writes since an earlier error ("
          + failure.getMessage() + "); reopen it, which recovers the log", failure);
    }
  }

  /** Marks the writer failed by {@code what} and returns the exception to throw. */
  private IOException fail(String what, Throwable cause) {
    IOException error = new IOException("WAL in " + directory + " failed: " + what + ": " + cause.getMessage(), cause);
    if (failure == null) {
      failure = error;
      LOG.log(System.Logger.Level.ERROR, error.getMessage() + "; the WAL refuses further writes");
    }
    syncEnded.signalAll();
    return error;
  }

  // ---------------------------------------------------------------- interval sync

  private void scheduleTick() {
    intervalTask = scheduler.schedule(() -> syncExecutor.execute(this::intervalSync), options.syncInterval());
  }

  private void intervalSync() {
    lock.lock();
    try {
      if (closed || failure != null) {
        return;
      }
      try {
        awaitSynced(writtenSeq);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.ERROR, "interval fsync of the WAL in " + directory + " failed", e);
        return;
      }
      scheduleTick();
    } finally {
      lock.unlock();
    }
  }
}
