package io.ringstore.spi.env;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The real {@link Disk}, on {@link FileChannel} and {@link Files}.
 *
 * <p>File sync is {@link FileChannel#force force(false)}, which is {@code fdatasync(2)} on Linux:
 * it writes the data and the file size (the metadata needed to read the data back), not the
 * modification time. Directory sync opens the directory with {@code FileChannel.open(dir, READ)}
 * and calls {@code force(true)}, which is {@code fsync(2)} on the directory descriptor; strace
 * shows exactly that on Linux, where it is what makes a creation, rename or unlink durable.
 *
 * <p>Platform caveats: on Windows a directory cannot be opened as a channel (and NTFS journals
 * its metadata), so directory sync is a no-op there; on macOS {@code fsync} does not flush the
 * drive's write cache ({@code F_FULLFSYNC} is not reachable from Java), so durability there is
 * weaker than this class's contract; tmpfs ignores fsync altogether. The crash guarantees are
 * tested on Linux (ext4/xfs) only.
 *
 * <p>Rename uses {@link StandardCopyOption#ATOMIC_MOVE}, which is {@code rename(2)} on POSIX and
 * replaces an existing target atomically.
 *
 * <p>{@link #lock} is {@link FileChannel#tryLock()}: an advisory {@code fcntl} lock on Linux,
 * released by the kernel when the process dies. The JVM keeps its own table of held locks, so a
 * second lock of the same file in this JVM ({@link OverlappingFileLockException}) is refused as
 * one held by another process is.
 *
 * <p>Thread-safety: stateless and thread-safe; its handles are thread-safe.
 */
public final class NioDisk implements Disk {

  /** Windows cannot open a directory as a channel; see the class comment. */
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  /** Creates the file system; it has no state, so one instance can serve a whole JVM. */
  public NioDisk() {}

  @Override
  public WritableFile create(Path path) throws IOException {
    return writable("create", path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  @Override
  public WritableFile openForAppend(Path path) throws IOException {
    return writable("open for append", path, StandardOpenOption.WRITE);
  }

  private static WritableFile writable(String action, Path path, StandardOpenOption... options) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, options);
    } catch (IOException e) {
      throw withPath(action, path, e);
    }
    try {
      return new NioWritableFile(path, channel, channel.size());
    } catch (IOException e) {
      channel.close();
      throw withPath(action, path, e);
    }
  }

  @Override
  public ReadableFile openForRead(Path path) throws IOException {
    try {
      return new NioReadableFile(path, FileChannel.open(path, StandardOpenOption.READ));
    } catch (IOException e) {
      throw withPath("open for read", path, e);
    }
  }

  @Override
  public List<Path> list(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      List<Path> sorted = new ArrayList<>(entries.toList());
      sorted.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
      return sorted;
    } catch (IOException e) {
      throw withPath("list", directory, e);
    }
  }

  @Override
  public void rename(Path source, Path target) throws IOException {
    Disk.requireSameDirectory(source, target);
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw withPath("rename to " + target + " of", source, e);
    }
  }

  @Override
  public void delete(Path path) throws IOException {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw withPath("delete", path, e);
    }
  }

  @Override
  public void mkdirs(Path directory) throws IOException {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw withPath("create directory", directory, e);
    }
  }

  @Override
  public void syncDirectory(Path directory) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(directory, StandardOpenOption.READ);
    } catch (IOException e) {
      if (WINDOWS && Files.isDirectory(directory)) {
        return; // see the class comment: not possible, and NTFS journals directory changes
      }
      throw withPath("open directory for sync", directory, e);
    }
    try (channel) {
      channel.force(true);
    } catch (IOException e) {
      throw withPath("sync directory", directory, e);
    }
  }

  @Override
  public boolean exists(Path path) {
    return Files.exists(path);
  }

  @Override
  public long sizeBytes(Path path) throws IOException {
    try {
      return Files.size(path);
    } catch (IOException e) {
      throw withPath("size of", path, e);
    }
  }

  @Override
  public DiskLock lock(Path lockFile) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw withPath("open lock file", lockFile, e);
    }
    boolean interrupted = Thread.interrupted(); // an interrupt must not close the channel under tryLock
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel, e);
      throw withPath("lock", lockFile, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (lock == null) {
      DiskLockedException locked = new DiskLockedException(lockFile);
      closeQuietly(channel, locked);
      throw locked;
    }
    return new NioDiskLock(lockFile, channel, lock);
  }

  private static void closeQuietly(FileChannel channel, IOException failure) {
    try {
      channel.close();
    } catch (IOException suppressed) {
      failure.addSuppressed(suppressed);
    }
  }

  /**
   * {@code failure} if it already names the path (every {@link FileSystemException} does),
   * otherwise a plain {@link IOException} that says what was being done to which path, with
   * {@code failure} as its cause.
   */
  static IOException withPath(String action, Path path, IOException failure) {
    if (failure instanceof FileSystemException) {
      return failure;
    }
    return new IOException(action + " " + path + " failed: " + failure, failure);
  }

  /** One call on a channel. */
  private interface ChannelCall<T> {
    T call(FileChannel channel) throws IOException;
  }

  /**
   * A channel that an interrupt cannot break. A {@link FileChannel} closes itself for every user
   * when a thread blocked in it is interrupted ({@link ClosedByInterruptException}), which would
   * make a table unreadable or the log unwritable for the whole store because one caller was
   * cancelled. So each call runs with the caller's interrupt status cleared (restored afterwards),
   * and if another thread's interrupt closes the channel during a call, the file is reopened and
   * the call retried (for as long as interrupts keep closing it: each retry is a fresh attempt at
   * the same work). Positional reads and writes at a known offset, and fsync, are safe to repeat.
   */
  private static final class SturdyChannel {
    private final Path path;
    private final StandardOpenOption[] reopenOptions;
    private volatile FileChannel channel;
    private volatile boolean closed;

    SturdyChannel(Path path, FileChannel channel, StandardOpenOption... reopenOptions) {
      this.path = path;
      this.channel = channel;
      this.reopenOptions = reopenOptions;
    }

    <T> T run(ChannelCall<T> call) throws IOException {
      boolean interrupted = Thread.interrupted();
      try {
        while (true) {
          FileChannel current = channel;
          try {
            return call.call(current);
          } catch (ClosedChannelException e) { // closed by an interrupt (ours or another thread's), or by close()
            if (closed) {
              throw e;
            }
            interrupted |= Thread.interrupted();
            reopen(current);
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private synchronized void reopen(FileChannel broken) throws IOException {
      if (channel == broken && !closed) {
        channel = FileChannel.open(path, reopenOptions);
      }
    }

    synchronized void close() throws IOException {
      closed = true;
      channel.close();
    }
  }

  /** Positional writes at a tracked end offset; appends serialised by the monitor. */
  private static final class NioWritableFile implements WritableFile {
    private final Path path;
    private final SturdyChannel channel;
    private long sizeBytes; // guarded by this
    private volatile boolean closed;

    NioWritableFile(Path path, FileChannel channel, long sizeBytes) {
      this.path = path;
      this.channel = new SturdyChannel(path, channel, StandardOpenOption.WRITE);
      this.sizeBytes = sizeBytes;
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public synchronized void append(ByteBuffer source) throws IOException {
      requireOpen();
      try {
        while (source.hasRemaining()) {
          // a retry after an interrupt rewrites the same bytes at the same offset: the failed
          // call may have written (and advanced the buffer past) part of them
          int start = source.position();
          long at = sizeBytes;
          sizeBytes += channel.run(c -> c.write(source.position(start), at));
        }
      } catch (IOException e) {
        throw withPath("append to", path, e);
      }
    }

    @Override
    public void sync() throws IOException {
      requireOpen();
      try {
        channel.run(c -> {
          c.force(false);
          return null;
        });
      } catch (IOException e) {
        throw withPath("sync", path, e);
      }
    }

    @Override
    public synchronized void truncate(long newSizeBytes) throws IOException {
      requireOpen();
      if (newSizeBytes < 0 || newSizeBytes > sizeBytes) {
        throw new IllegalArgumentException("truncate " + path + " to " + newSizeBytes
            + " bytes: must be between 0 and the current size " + sizeBytes + " bytes");
      }
      try {
        channel.run(c -> c.truncate(newSizeBytes));
      } catch (IOException e) {
        throw withPath("truncate", path, e);
      }
      sizeBytes = newSizeBytes;
    }

    @Override
    public synchronized long sizeBytes() {
      return sizeBytes;
    }

    @Override
    public void close() throws IOException {
      closed = true;
      try {
        channel.close();
      } catch (IOException e) {
        throw withPath("close", path, e);
      }
    }

    private void requireOpen() throws IOException {
      if (closed) {
        throw new IOException(path + ": the file handle is closed");
      }
    }
  }

  /** A held {@link FileLock} and its channel; closing the channel releases the lock. */
  private static final class NioDiskLock implements DiskLock {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    NioDiskLock(Path path, FileChannel channel, FileLock lock) {
      this.path = path;
      this.channel = channel;
      this.lock = lock;
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public boolean isHeld() {
      return lock.isValid();
    }

    @Override
    public synchronized void close() throws IOException {
      if (!channel.isOpen()) {
        return;
      }
      try {
        channel.close(); // releases the lock
      } catch (IOException e) {
        throw withPath("unlock", path, e);
      }
    }

    @Override
    public String toString() {
      return "lock on " + path + (isHeld() ? "" : " (released)");
    }
  }

  /** Positional reads on a shared channel (FileChannel's positional reads are concurrent). */
  private static final class NioReadableFile implements ReadableFile {
    private final Path path;
    private final SturdyChannel channel;
    private volatile boolean closed;

    NioReadableFile(Path path, FileChannel channel) {
      this.path = path;
      this.channel = new SturdyChannel(path, channel, StandardOpenOption.READ);
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public int read(long positionBytes, ByteBuffer destination) throws IOException {
      requireOpen();
      try {
        // a retry after an interrupt reads into the same part of the buffer again
        int start = destination.position();
        return channel.run(c -> c.read(destination.position(start), positionBytes));
      } catch (IOException e) {
        throw withPath("read at offset " + positionBytes + " of", path, e);
      }
    }

    @Override
    public long sizeBytes() throws IOException {
      requireOpen();
      try {
        return channel.run(FileChannel::size);
      } catch (IOException e) {
        throw withPath("size of", path, e);
      }
    }

    @Override
    public void close() throws IOException {
      closed = true;
      try {
        channel.close();
      } catch (IOException e) {
        throw withPath("close", path, e);
      }
    }

    private void requireOpen() throws IOException {
      if (closed) {
        throw new IOException(path + ": the file handle is closed");
      }
    }
  }
}
