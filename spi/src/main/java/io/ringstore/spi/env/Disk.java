package io.ringstore.spi.env;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The few file operations an LSM engine needs, and nothing else: append-only files, positional
 * reads, directory listing, same-directory atomic rename, delete, directory creation, the two
 * kinds of fsync (a file's data, and a directory's entries), and an exclusive lock file.
 *
 * <p>The durability contract every implementation honours and every caller must respect (it is
 * exactly what {@code io.ringstore.storage.lsm.fs.FaultInjectionDisk} and
 * {@code io.ringstore.spi.testkit.MemoryDisk#crashClone()} simulate):
 * <ol>
 *   <li>Bytes appended to a file survive a power loss only once a later {@link WritableFile#sync()}
 *       of that file has returned normally. Until then any suffix of them may be lost, and a
 *       crash may keep a torn prefix of them.
 *   <li>A creation ({@link #create}), {@link #rename} or {@link #delete} survives a power loss only
 *       once a later {@link #syncDirectory} of the directory holding the name has returned
 *       normally. Until then a crash may undo it: a created file vanishes, a renamed file is back
 *       under its old name (and a file it replaced is back too), a deleted file reappears.
 *   <li>Syncing a file does not make its directory entry durable, and syncing a directory does
 *       not make any file's data durable: a new file needs both.
 *   <li>A sync that failed made nothing durable, and callers must not assume a retry does either
 *       (on Linux the failed pages may have been dropped). Treat it as fatal for that file.
 * </ol>
 *
 * <p>Paths are {@link java.nio.file.Path}s of the default file system. Errors are
 * {@link IOException}s whose message names the path: the {@link java.nio.file.FileSystemException}
 * subclasses for the usual cases ({@link java.nio.file.NoSuchFileException},
 * {@link java.nio.file.FileAlreadyExistsException}), {@link DiskLockedException} for a lock held
 * elsewhere, and in tests the fault injector's {@code InjectedIOException} for injected faults and
 * {@code DiskCrashedException} for a handle that outlived a simulated crash.
 *
 * <p>Named {@code Disk} (LevelDB calls it {@code Env}) so as not to clash with
 * {@link java.nio.file.FileSystem}. It lives beside {@link Clock}, {@link Ticker} and
 * {@link Scheduler} and comes with them in an {@link Env}: production code uses
 * {@link Env#system()}'s {@link NioDisk}, tests an in-memory or fault-injecting one.
 *
 * <p>Thread-safety: implementations are thread-safe, and so are the handles they return.
 */
public interface Disk {

  /**
   * Creates a new, empty file and opens it for appending.
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code path} exists (LSM files have fresh
   *     names; a leftover from a crashed attempt must be deleted first)
   * @throws java.nio.file.NoSuchFileException if the parent directory does not exist
   */
  WritableFile create(Path path) throws IOException;

  /**
   * Opens an existing file for appending after its last byte (for example to continue a log
   * after recovery has truncated its torn tail).
   *
   * @throws java.nio.file.NoSuchFileException if {@code path} does not exist
   */
  WritableFile openForAppend(Path path) throws IOException;

  /**
   * Opens an existing file for positional reads.
   *
   * @throws java.nio.file.NoSuchFileException if {@code path} does not exist
   */
  ReadableFile openForRead(Path path) throws IOException;

  /**
   * The entries of {@code directory} (files and subdirectories), as paths resolved against it,
   * sorted by name.
   *
   * @throws java.nio.file.NoSuchFileException if the directory does not exist
   */
  List<Path> list(Path directory) throws IOException;

  /**
   * Atomically renames {@code source} to {@code target}, replacing {@code target} if it exists:
   * a reader sees either the old or the new file under {@code target}, never neither. Durable once
   * the directory is synced.
   *
   * @throws IllegalArgumentException if the two paths are not in the same directory (only a
   *     same-directory rename is atomic and made durable by one directory sync)
   * @throws java.nio.file.NoSuchFileException if {@code source} does not exist
   */
  void rename(Path source, Path target) throws IOException;

  /**
   * Deletes a file. Durable once its directory is synced. A handle still open on the file keeps
   * working (POSIX semantics), but nothing it writes is reachable by name.
   *
   * @throws java.nio.file.NoSuchFileException if {@code path} does not exist
   */
  void delete(Path path) throws IOException;

  /**
   * Creates {@code directory} and any missing parents; does nothing if it exists. Callers that
   * need the new directory to survive a power loss sync its parent.
   */
  void mkdirs(Path directory) throws IOException;

  /**
   * Makes every creation, rename and deletion of an entry of {@code directory} that completed
   * before this call durable (fsync of the directory).
   */
  void syncDirectory(Path directory) throws IOException;

  /** Whether a file or directory exists at {@code path}. */
  boolean exists(Path path) throws IOException;

  /**
   * The current length of the file in bytes, including bytes appended but not yet synced.
   *
   * @throws java.nio.file.NoSuchFileException if {@code path} does not exist
   */
  long sizeBytes(Path path) throws IOException;

  /**
   * Takes an exclusive lock on {@code lockFile}, creating the file (empty) if it does not exist,
   * so that no second store opens the same directory: a LevelDB-style {@code LOCK} file. It does
   * not wait: if another process holds the lock, or another handle in this JVM does (even one from
   * this same disk), it fails at once. The lock lasts until the returned handle is closed, or the
   * process dies (the operating system releases a dead process's locks; the file itself stays).
   *
   * <p>The lock only excludes other users of {@code lock}; it does not stop anyone reading or
   * writing files. The lock file's creation is an ordinary creation: it needs a directory sync to
   * be durable, which nothing requires (a missing lock file is simply created again).
   *
   * @throws DiskLockedException naming the path if the lock is held elsewhere
   * @throws java.nio.file.NoSuchFileException if the parent directory does not exist
   */
  DiskLock lock(Path lockFile) throws IOException;

  /**
   * Checks that {@code source} and {@code target} name entries of the same directory, as
   * {@link #rename} requires.
   *
   * @throws IllegalArgumentException naming both paths if they do not
   */
  static void requireSameDirectory(Path source, Path target) {
    Path from = source.toAbsolutePath().normalize().getParent();
    Path to = target.toAbsolutePath().normalize().getParent();
    if (from == null || !from.equals(to)) {
      throw new IllegalArgumentException("rename " + source + " -> " + target
          + ": source and target must be in the same directory (got " + from + " and " + to + ")");
    }
  }
}
