package io.ringstore.storage.lsm.manifest;

import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.WritableFile;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The manifest files of one directory: {@code CURRENT} names the live {@code MANIFEST-<number>}
 * file, which holds a snapshot of the state followed by the edits applied since, each an
 * fsynced, CRC32C-checked record ({@code docs/formats/manifest.md}, {@link ManifestFormat}).
 *
 * <h2>Durability protocol</h2>
 * <ol>
 *   <li><b>An edit</b> is appended to the live file as one record and fsynced; only then is the new
 *       state published and {@link #apply} returns. A crash before the fsync returns leaves the edit
 *       torn, whole or absent; recovery ignores a torn one.
 *   <li><b>A switch to a new file</b> (at {@link #open}, and instead of an append that would take
 *       the live file past {@code manifest.maxFileBytes}, or past twice the snapshot it started
 *       with if that is more): create {@code MANIFEST-<n+1>}, append its header and a snapshot of
 *       the new state ({@link ManifestState#asSnapshotEdit()}), fsync it; create
 *       {@code CURRENT.tmp}, write the new file's name and a newline, fsync it; rename it to
 *       {@code CURRENT}; fsync the directory. The new state is published when the directory fsync
 *       returns, and the old file is deleted afterwards (without a directory fsync: a crash may
 *       bring it back, and the next {@code open} deletes it). {@code CURRENT} therefore never
 *       names a file that is not complete and synced, and it always names one.
 * </ol>
 * Tables an edit adds must be complete and synced (and their directory entries durable) before the
 * engine calls {@link #apply}; files an edit deletes may be removed only after it returned.
 *
 * <h2>Opening</h2>
 * {@link #open} reads {@code CURRENT}, replays every edit of the file it names from
 * {@link ManifestState#empty()} (ignoring a torn last record, see {@link ManifestRecovery}), deletes
 * leftover manifest files and {@code CURRENT.tmp}, then switches to a new file numbered one past
 * every manifest number in the directory. So the recovered state, including an edit whose apply
 * was in flight at a crash and reached the disk, is durable before {@code open} returns, and no
 * file is ever appended to after a crash. Damage is a {@link CorruptionException}: recovery
 * refuses to open rather than return a state no apply produced.
 *
 * <p>A directory without {@code CURRENT} is new, or its first {@code open} was interrupted before
 * {@code CURRENT} became durable. The only manifest file that can then exist is
 * {@code MANIFEST-000001} holding at most the header and the empty snapshot that a first open
 * writes: it is deleted and a fresh, empty manifest created. Any other manifest file without
 * {@code CURRENT} means {@code CURRENT} was lost, and {@code open} refuses with a
 * {@link CorruptionException} naming it. This is right only because the engine creates the
 * manifest before any table or WAL segment: a directory without {@code CURRENT} can hold no
 * table the manifest should know of. The engine must keep it so (open the manifest first on a
 * new directory).
 *
 * <h2>Errors</h2>
 * A failed append, fsync, create, rename or directory fsync leaves the file's tail, or which file
 * {@code CURRENT} names, unknown until a recovery. So the manifest <em>fails</em>: that
 * {@code apply} and every later one throw an {@link IOException} naming the first error, and
 * {@link #state()} stays the last acknowledged state. The edit in flight may or may not survive
 * (a reopen shows the state before it or after it, nothing else); the engine goes read-only and
 * reopens. An edit that does not fit the state ({@link IllegalArgumentException}) or whose record
 * would exceed {@code manifest.maxRecordBytes} ({@link LimitExceededException}) is refused before
 * anything is written, and the manifest stays usable. A failure to delete an obsolete manifest
 * file is logged and otherwise ignored (the next open deletes it).
 *
 * <p>Thread-safety: thread-safe. {@link #apply} calls are serialised by one lock (each holds it
 * through its fsyncs); {@link #state()} reads a volatile reference and never waits.
 */
public final class Manifest implements Closeable {

  private static final System.Logger LOG = System.getLogger(Manifest.class.getName());

  /** The bytes a first open writes to MANIFEST-000001: header and the empty state's snapshot. */
  static final int FRESH_FILE_BYTES = ManifestFormat.HEADER_BYTES + ManifestFormat.RECORD_HEADER_BYTES
      + ManifestState.empty().asSnapshotEdit().encode().length;

  // constant after construction
  private final Disk disk;
  private final Path directory;
  private final ManifestOptions options;

  private final ReentrantLock lock = new ReentrantLock();
  /** The last acknowledged state; written under lock. */
  private volatile ManifestState state;
  private @Nullable WritableFile file; // guarded by lock
  private long fileNumber; // guarded by lock
  private long fileBytes; // guarded by lock
  /** The header and snapshot the live file started with. */
  private long snapshotBytes; // guarded by lock
  private @Nullable IOException failure; // guarded by lock
  private boolean closed; // guarded by lock
  private volatile @Nullable ManifestRecovery recovery; // set once by open, before it returns

  private Manifest(Disk disk, Path directory, ManifestOptions options, ManifestState state) {
    this.disk = disk;
    this.directory = directory;
    this.options = options;
    this.state = state;
  }

  /**
   * Opens the manifest in {@code directory} (creating the directory if need be), creating a fresh,
   * empty one if it has no {@code CURRENT}; recovers the state by replaying the edits of the file
   * {@code CURRENT} names; deletes leftover manifest files {@code CURRENT} does not name and a
   * leftover {@code CURRENT.tmp}; and switches to a new manifest file holding the recovered
   * state's snapshot (see the class comment). The state is durable when this returns.
   *
   * @throws CorruptionException naming the file and offset if {@code CURRENT} is damaged or names
   *     a missing file, if the manifest file is damaged anywhere but a torn last record, or if
   *     manifest files exist without {@code CURRENT} that a first open cannot have left
   * @throws IOException if the disk fails
   */
  public static Manifest open(Disk disk, Path directory, ManifestOptions options) throws IOException {
    disk.mkdirs(directory);
    Path currentPath = directory.resolve(ManifestFormat.CURRENT);
    Path tmpPath = directory.resolve(ManifestFormat.CURRENT_TMP);
    TreeMap<Long, Path> manifests = new TreeMap<>();
    boolean hasCurrent = false;
    boolean hasTmp = false;
    for (Path entry : disk.list(directory)) {
      String name = String.valueOf(entry.getFileName());
      Long number = ManifestFormat.manifestNumber(name);
      if (number != null) {
        manifests.put(number, entry);
      } else if (name.equals(ManifestFormat.CURRENT)) {
        hasCurrent = true;
      } else if (name.equals(ManifestFormat.CURRENT_TMP)) {
        hasTmp = true;
      }
    }

    ManifestState recovered = ManifestState.empty();
    Path recoveredFile = null;
    long recoveredNumber = 0;
    ManifestReader.Replay replay = new ManifestReader.Replay(recovered, 0, -1, 0);
    if (hasCurrent) {
      recoveredNumber = ManifestReader.readCurrent(disk, currentPath);
      recoveredFile = manifests.get(recoveredNumber);
      if (recoveredFile == null) {
        throw new CorruptionException(ManifestFormat.CURRENT, 0, "names " + ManifestFormat.fileName(recoveredNumber)
            + ", which does not exist in " + directory).locatedIn(currentPath.toString(), 0);
      }
      replay = ManifestReader.replay(disk, recoveredFile, recoveredNumber);
      recovered = replay.state();
    } else {
      for (Map.Entry<Long, Path> leftover : manifests.entrySet()) {
        long size = disk.sizeBytes(leftover.getValue());
        if (leftover.getKey() != 1 || size > FRESH_FILE_BYTES) {
          throw new CorruptionException(ManifestFormat.CURRENT, 0, "is missing, but " + leftover.getValue().getFileName()
              + " (" + size + " bytes) exists; an interrupted first open leaves only " + ManifestFormat.fileName(1)
              + " of at most " + FRESH_FILE_BYTES + " bytes, so CURRENT was lost").locatedIn(currentPath.toString(), 0);
        }
      }
    }

    List<Path> deleted = new ArrayList<>();
    for (Map.Entry<Long, Path> leftover : manifests.entrySet()) {
      if (leftover.getKey() != recoveredNumber) {
        disk.delete(leftover.getValue());
        deleted.add(leftover.getValue());
      }
    }
    if (hasTmp) {
      disk.delete(tmpPath);
      deleted.add(tmpPath);
    }

    Manifest manifest = new Manifest(disk, directory, options, recovered);
    long newNumber = manifests.isEmpty() ? 1 : manifests.lastKey() + 1;
    manifest.lock.lock();
    try {
      manifest.switchTo(newNumber, recovered.asSnapshotEdit().encode());
    } finally {
      manifest.lock.unlock();
    }
    if (recoveredFile != null && manifest.deleteObsolete(recoveredFile)) {
      deleted.add(recoveredFile);
    }
    Path current = ManifestFormat.manifestPath(directory, newNumber);
    manifest.recovery = new ManifestRecovery(recoveredFile, replay.edits(), replay.tornTailOffset(),
        replay.tornTailBytes(), deleted, current);
    if (recoveredFile == null) {
      LOG.log(System.Logger.Level.INFO, "manifest in " + directory + ": created " + current.getFileName()
          + (deleted.isEmpty() ? "" : " (deleted the leftovers of an interrupted first open: " + deleted + ")"));
    } else {
      LOG.log(System.Logger.Level.INFO, "manifest in " + directory + ": recovered " + recovered + " from "
          + replay.edits() + " edits of " + recoveredFile.getFileName()
          + (replay.tornTailOffset() >= 0 ? " (ignored a torn tail of " + replay.tornTailBytes() + " bytes)" : "")
          + "; now writing " + current.getFileName());
    }
    return manifest;
  }

  /** The last acknowledged state (the recovered one until the first {@link #apply} returns). Never waits. */
  public ManifestState state() {
    return state;
  }

  /** What {@link #open} found and did. */
  public ManifestRecovery recovery() {
    ManifestRecovery outcome = recovery;
    if (outcome == null) {
      throw new IllegalStateException("manifest in " + directory + " is still opening");
    }
    return outcome;
  }

  /** The live {@code MANIFEST-<number>} file, the one {@code CURRENT} names. */
  public Path currentFile() {
    lock.lock();
    try {
      return ManifestFormat.manifestPath(directory, fileNumber);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes {@code edit} durable and publishes the state after it, which it returns: appends the
   * edit to the live file and fsyncs it, or, when the file is full, switches to a new file holding
   * the new state's snapshot (see the class comment). Serialised with other calls.
   *
   * @throws IllegalArgumentException if the edit does not fit the current state (see
   *     {@link ManifestState#apply}); nothing was written and the manifest stays usable
   * @throws LimitExceededException if the encoded edit is longer than
   *     {@code manifest.maxRecordBytes}; nothing was written and the manifest stays usable
   * @throws IOException if the disk failed, now or at an earlier call, or the manifest is closed;
   *     after the first such failure every call throws (see the class comment)
   */
  public ManifestState apply(VersionEdit edit) throws IOException {
    lock.lock();
    try {
      checkUsable();
      ManifestState next = state.apply(edit);
      byte[] payload = edit.encode();
      checkRecordBound(payload.length, "edit");
      long recordBytes = ManifestFormat.RECORD_HEADER_BYTES + (long) payload.length;
      if (fileBytes + recordBytes > Math.max(options.maxFileBytes(), 2 * snapshotBytes)) {
        byte[] snapshot = next.asSnapshotEdit().encode();
        long nextNumber = fileNumber + 1;
        Path old = ManifestFormat.manifestPath(directory, fileNumber);
        try {
          switchTo(nextNumber, snapshot);
        } catch (IOException | RuntimeException e) {
          throw fail("switch from " + old.getFileName() + " to " + ManifestFormat.fileName(nextNumber), e);
        }
        state = next;
        deleteObsolete(old);
        return next;
      }
      WritableFile live = requireFile();
      byte[] record = ManifestFormat.record(payload);
      try {
        live.append(record);
        live.sync();
      } catch (IOException | RuntimeException e) {
        throw fail("append and fsync of a " + record.length + "-byte edit record at offset " + fileBytes + " of "
            + live.path(), e);
      }
      fileBytes += record.length;
      state = next;
      return next;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the live file; idempotent. Every acknowledged edit is already durable, so nothing is
   * synced. Later {@link #apply} calls throw.
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      WritableFile live = file;
      file = null;
      if (live != null) {
        live.close();
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- internals (lock held)

  /**
   * Writes manifest file {@code number} with {@code snapshot} and makes {@code CURRENT} name it,
   * by the protocol of the class comment; on success it is the live file. On failure the files
   * are left for the next open to clean up.
   */
  private void switchTo(long number, byte[] snapshot) throws IOException {
    Path path = ManifestFormat.manifestPath(directory, number);
    byte[] header = ManifestFormat.header(number);
    byte[] record = ManifestFormat.record(snapshot);
    byte[] first = new byte[header.length + record.length];
    System.arraycopy(header, 0, first, 0, header.length);
    System.arraycopy(record, 0, first, header.length, record.length);
    WritableFile created = disk.create(path);
    try {
      created.append(first);
      created.sync();
      writeCurrent(number);
    } catch (IOException | RuntimeException e) {
      closeAfterFailure(created, e);
      throw e;
    }
    WritableFile old = file;
    file = created;
    fileNumber = number;
    fileBytes = first.length;
    snapshotBytes = first.length;
    if (old != null) {
      try {
        old.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "manifest in " + directory + ": closing the obsolete " + old.path()
            + " failed", e);
      }
    }
  }

  /** CURRENT.tmp: create, write, fsync, close; rename to CURRENT; fsync the directory. */
  private void writeCurrent(long number) throws IOException {
    Path tmp = directory.resolve(ManifestFormat.CURRENT_TMP);
    if (disk.exists(tmp)) {
      disk.delete(tmp); // left by an earlier failed switch; its content is unknown
    }
    WritableFile out = disk.create(tmp);
    try {
      out.append(ManifestFormat.currentContent(number));
      out.sync();
    } catch (IOException | RuntimeException e) {
      closeAfterFailure(out, e);
      throw e;
    }
    out.close();
    disk.rename(tmp, directory.resolve(ManifestFormat.CURRENT));
    disk.syncDirectory(directory);
  }

  /** Deletes a manifest file no longer named by CURRENT; a failure is logged, not fatal. */
  private boolean deleteObsolete(Path obsolete) {
    try {
      disk.delete(obsolete);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "manifest in " + directory + ": deleting the obsolete " + obsolete
          + " failed; the next open deletes it", e);
      return false;
    }
  }

  private void checkRecordBound(int payloadBytes, String what) {
    if (payloadBytes > options.maxRecordBytes()) {
      throw new LimitExceededException("manifest " + what + " of " + payloadBytes
          + " bytes exceeds manifest.maxRecordBytes = " + options.maxRecordBytes() + " bytes; refused before writing",
          "manifest.maxRecordBytes", payloadBytes, options.maxRecordBytes());
    }
  }

  private WritableFile requireFile() throws IOException {
    WritableFile live = file;
    if (live == null) {
      throw new IOException("manifest in " + directory + " has no open file");
    }
    return live;
  }

  private void checkUsable() throws IOException {
    if (closed) {
      throw new IOException("manifest in " + directory + " is closed");
    }
    if (failure != null) {
      throw new IOException("manifest in " + directory + " refuses edits since an earlier error ("
          + failure.getMessage() + "); reopen it, which recovers the last durable state", failure);
    }
  }

  /** Marks the manifest failed by {@code what} and returns the exception to throw. */
  private IOException fail(String what, Throwable cause) {
    IOException error = new IOException("manifest in " + directory + " failed: " + what + ": " + cause.getMessage(),
        cause);
    if (failure == null) {
      failure = error;
      LOG.log(System.Logger.Level.ERROR, error.getMessage() + "; the manifest refuses further edits");
    }
    return error;
  }

  private static void closeAfterFailure(WritableFile file, Throwable failure) {
    try {
      file.close();
    } catch (IOException suppressed) {
      failure.addSuppressed(suppressed);
    }
  }
}
