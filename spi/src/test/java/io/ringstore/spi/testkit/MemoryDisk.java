package io.ringstore.spi.testkit;

import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.DiskLock;
import io.ringstore.spi.env.DiskLockedException;
import io.ringstore.spi.env.ReadableFile;
import io.ringstore.spi.env.WritableFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Disk} in memory, for fast tests and for power-loss tests: files are byte arrays,
 * directories are maps from names to entries, and {@link #crashClone()} returns the disk a power
 * cut at this moment would leave behind, as Pebble's {@code vfs.MemFS.CrashClone} does.
 *
 * <h2>What a crash keeps</h2>
 * Each file remembers its content at its last {@link WritableFile#sync()}; each directory remembers
 * its entries at its last {@link #syncDirectory}. {@link #crashClone()} starts from every root and
 * keeps exactly the entries each directory had when it was last synced, each file with the content
 * it had when it was last synced. So, following the {@link Disk} contract: appended bytes survive
 * only once their file was synced, a truncate only once the file was synced after it, and a
 * creation, rename or deletion only once its directory was synced after it (an unsynced rename is
 * undone, and a file it replaced is back with its synced content; an unsynced delete is undone).
 * Simplifications (as in the storage module's {@code FaultInjectionDisk}): a directory made by
 * {@link #mkdirs} is durable at once, and a crash keeps no torn prefix of unsynced bytes (it drops
 * them all). Syncs never fail.
 *
 * <h2>Paths</h2>
 * Paths are made absolute and normalised (against the working directory, as the real file system
 * would), then looked up one name at a time from their root; every root exists and is empty at
 * first. {@link #list} returns entries sorted by name, resolved against the directory as given. A
 * handle keeps working after its file is deleted or renamed (POSIX semantics). Errors are the
 * {@link FileSystemException}s {@link io.ringstore.spi.env.NioDisk} gives, naming the path.
 * A file holds at most {@value #MAX_FILE_BYTES} bytes.
 *
 * <h2>Locks</h2>
 * {@link #lock} locks the file's entry (its inode, so a renamed lock file stays locked): a second
 * lock of it fails with {@link DiskLockedException} until the first handle is closed. A crash clone
 * starts with no locks held, as after a reboot.
 *
 * <p>Thread-safety: thread-safe. Every operation, on the disk or on a handle, runs under one
 * monitor, so operations are atomic and linearisable (and not concurrent: this is a test double).
 */
public final class MemoryDisk implements Disk {

  /** The most bytes one file can hold (a Java array's practical limit). */
  public static final int MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

  private final Object monitor = new Object();
  private final Map<Path, Dir> roots = new HashMap<>(); // guarded by monitor
  private final Set<FileNode> locked = Collections.newSetFromMap(new IdentityHashMap<>()); // guarded by monitor

  /** An empty disk: every root exists and holds nothing. */
  public MemoryDisk() {}

  // ---------------------------------------------------------------- the Disk operations

  @Override
  public WritableFile create(Path path) throws IOException {
    Path file = absolute(path);
    synchronized (monitor) {
      Dir parent = parentOf(file, path);
      String name = nameOf(file, path);
      if (parent.children.containsKey(name)) {
        throw new FileAlreadyExistsException(path.toString());
      }
      FileNode node = new FileNode();
      parent.children.put(name, node);
      return new MemoryWritableFile(path, node);
    }
  }

  @Override
  public WritableFile openForAppend(Path path) throws IOException {
    synchronized (monitor) {
      return new MemoryWritableFile(path, existingFile(path));
    }
  }

  @Override
  public ReadableFile openForRead(Path path) throws IOException {
    synchronized (monitor) {
      return new MemoryReadableFile(path, existingFile(path));
    }
  }

  @Override
  public List<Path> list(Path directory) throws IOException {
    synchronized (monitor) {
      Node node = lookup(absolute(directory));
      if (node == null) {
        throw new NoSuchFileException(directory.toString());
      }
      if (!(node instanceof Dir dir)) {
        throw new NotDirectoryException(directory.toString());
      }
      List<Path> entries = new ArrayList<>(dir.children.size());
      for (String name : dir.children.keySet()) { // a TreeMap: sorted by name
        entries.add(directory.resolve(name));
      }
      return entries;
    }
  }

  @Override
  public void rename(Path source, Path target) throws IOException {
    Disk.requireSameDirectory(source, target);
    Path from = absolute(source);
    Path to = absolute(target);
    synchronized (monitor) {
      Dir parent = parentOf(from, source);
      String fromName = nameOf(from, source);
      String toName = nameOf(to, target);
      Node moved = parent.children.get(fromName);
      if (moved == null) {
        throw new NoSuchFileException(source.toString(), target.toString(), "rename: the source does not exist");
      }
      if (fromName.equals(toName)) {
        return;
      }
      Node replaced = parent.children.get(toName);
      if (replaced instanceof Dir dir && (moved instanceof FileNode || !dir.children.isEmpty())) {
        throw new FileSystemException(source.toString(), target.toString(),
            "rename: the target is a directory" + (dir.children.isEmpty() ? "" : " and not empty"));
      }
      if (replaced instanceof FileNode && moved instanceof Dir) {
        throw new FileSystemException(source.toString(), target.toString(),
            "rename: the source is a directory and the target a file");
      }
      parent.children.remove(fromName);
      parent.children.put(toName, moved);
    }
  }

  @Override
  public void delete(Path path) throws IOException {
    Path file = absolute(path);
    synchronized (monitor) {
      Dir parent = parentOf(file, path);
      String name = nameOf(file, path);
      Node node = parent.children.get(name);
      if (node == null) {
        throw new NoSuchFileException(path.toString());
      }
      if (node instanceof Dir dir && !dir.children.isEmpty()) {
        throw new DirectoryNotEmptyException(path.toString());
      }
      parent.children.remove(name);
    }
  }

  /** Creates the missing directories; each is durable at once (see the class comment). */
  @Override
  public void mkdirs(Path directory) throws IOException {
    Path dir = absolute(directory);
    synchronized (monitor) {
      Dir current = root(dir);
      Path walked = dir.getRoot();
      for (Path name : dir) {
        walked = walked == null ? name : walked.resolve(name);
        String key = name.toString();
        Node next = current.children.get(key);
        if (next == null) {
          Dir created = new Dir();
          current.children.put(key, created);
          current.synced.put(key, created);
          next = created;
        }
        if (!(next instanceof Dir nextDir)) {
          throw new FileAlreadyExistsException(walked.toString(), null,
              "create directory " + directory + ": this entry exists and is a file");
        }
        current = nextDir;
      }
    }
  }

  @Override
  public void syncDirectory(Path directory) throws IOException {
    synchronized (monitor) {
      Node node = lookup(absolute(directory));
      if (node == null) {
        throw new NoSuchFileException(directory.toString());
      }
      if (!(node instanceof Dir dir)) {
        throw new NotDirectoryException(directory.toString());
      }
      dir.synced = new TreeMap<>(dir.children);
    }
  }

  @Override
  public boolean exists(Path path) {
    synchronized (monitor) {
      return lookup(absolute(path)) != null;
    }
  }

  /** A file's length; 0 for a directory. */
  @Override
  public long sizeBytes(Path path) throws IOException {
    synchronized (monitor) {
      Node node = lookup(absolute(path));
      if (node == null) {
        throw new NoSuchFileException(path.toString());
      }
      return node instanceof FileNode file ? file.length : 0;
    }
  }

  @Override
  public DiskLock lock(Path lockFile) throws IOException {
    Path file = absolute(lockFile);
    synchronized (monitor) {
      Dir parent = parentOf(file, lockFile);
      String name = nameOf(file, lockFile);
      Node node = parent.children.get(name);
      if (node == null) {
        node = new FileNode();
        parent.children.put(name, node);
      }
      if (!(node instanceof FileNode target)) {
        throw new FileSystemException(lockFile.toString(), null, "lock: this is a directory");
      }
      if (!locked.add(target)) {
        throw new DiskLockedException(lockFile);
      }
      return new MemoryDiskLock(lockFile, target);
    }
  }

  // ---------------------------------------------------------------- crash

  /**
   * A new, independent disk holding what a power cut at this moment would keep: every entry each
   * directory had at its last sync, each file with its content at its last sync (see the class
   * comment). This disk, and its open handles, go on unchanged; the clone has no open handles and
   * no locks.
   */
  public MemoryDisk crashClone() {
    MemoryDisk clone = new MemoryDisk();
    synchronized (monitor) {
      for (Map.Entry<Path, Dir> root : roots.entrySet()) {
        clone.roots.put(root.getKey(), durableCopy(root.getValue()));
      }
    }
    return clone;
  }

  /** The synced entries of {@code dir}, recursively, as a fresh, fully synced tree. Caller holds monitor. */
  private static Dir durableCopy(Dir dir) {
    Dir copy = new Dir();
    for (Map.Entry<String, Node> entry : dir.synced.entrySet()) {
      Node child;
      if (entry.getValue() instanceof Dir sub) {
        child = durableCopy(sub);
      } else {
        FileNode file = (FileNode) entry.getValue();
        FileNode durable = new FileNode();
        durable.data = file.durableContent();
        durable.length = durable.data.length;
        durable.syncedLength = durable.length;
        child = durable;
      }
      copy.children.put(entry.getKey(), child);
      copy.synced.put(entry.getKey(), child);
    }
    return copy;
  }

  @Override
  public String toString() {
    synchronized (monitor) {
      return "MemoryDisk" + roots.keySet();
    }
  }

  // ---------------------------------------------------------------- lookup

  private static Path absolute(Path path) {
    return path.toAbsolutePath().normalize();
  }

  /** The root directory of {@code path}, created on first use. Caller holds monitor. */
  private Dir root(Path absolute) {
    Path root = absolute.getRoot();
    if (root == null) {
      throw new IllegalArgumentException("path " + absolute + " has no root");
    }
    return roots.computeIfAbsent(root, r -> new Dir());
  }

  /** The entry at {@code absolute}, or null. Caller holds monitor. */
  private @Nullable Node lookup(Path absolute) {
    Node current = root(absolute);
    for (Path name : absolute) {
      if (!(current instanceof Dir dir)) {
        return null;
      }
      current = dir.children.get(name.toString());
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  /** The directory holding {@code absolute} ({@code asGiven} for messages). Caller holds monitor. */
  private Dir parentOf(Path absolute, Path asGiven) throws IOException {
    Path parent = absolute.getParent();
    if (parent == null) {
      throw new FileSystemException(asGiven.toString(), null, "a root has no parent directory");
    }
    Node node = lookup(parent);
    if (node == null) {
      throw new NoSuchFileException(asGiven.toString(), null, "the parent directory " + parent + " does not exist");
    }
    if (!(node instanceof Dir dir)) {
      throw new NotDirectoryException(parent.toString());
    }
    return dir;
  }

  private static String nameOf(Path absolute, Path asGiven) throws IOException {
    Path name = absolute.getFileName();
    if (name == null) {
      throw new FileSystemException(asGiven.toString(), null, "a root has no name");
    }
    return name.toString();
  }

  /** The file at {@code path}. Caller holds monitor. */
  private FileNode existingFile(Path path) throws IOException {
    Node node = lookup(absolute(path));
    if (node == null) {
      throw new NoSuchFileException(path.toString());
    }
    if (!(node instanceof FileNode file)) {
      throw new FileSystemException(path.toString(), null, "is a directory");
    }
    return file;
  }

  // ---------------------------------------------------------------- the tree

  /** An entry of a directory. */
  private abstract static sealed class Node permits Dir, FileNode {}

  /** A directory: its entries now, and at its last sync. Guarded by the disk's monitor. */
  private static final class Dir extends Node {
    final TreeMap<String, Node> children = new TreeMap<>();
    /** The entries at the last {@link #syncDirectory}; what a crash keeps. */
    TreeMap<String, Node> synced = new TreeMap<>();
  }

  /**
   * A file's bytes. Invariants: {@code length <= data.length}; what a crash keeps is
   * {@code syncedSnapshot} if set (a truncate below the synced length happened since the last sync,
   * so the bytes it cut may be overwritten), else the first {@code syncedLength} bytes of
   * {@code data}, which appends never overwrite. Guarded by the disk's monitor.
   */
  private static final class FileNode extends Node {
    byte[] data = new byte[0];
    int length;
    int syncedLength;
    byte @Nullable [] syncedSnapshot;

    byte[] durableContent() {
      return syncedSnapshot != null ? syncedSnapshot.clone() : Arrays.copyOf(data, syncedLength);
    }
  }

  // ---------------------------------------------------------------- handles

  private abstract class Handle {
    final Path path;
    final FileNode file;
    private boolean closed; // guarded by monitor

    Handle(Path path, FileNode file) {
      this.path = path;
      this.file = file;
    }

    /** Caller holds monitor. */
    final void requireOpen() throws IOException {
      if (closed) {
        throw new IOException(path + ": the file handle is closed");
      }
    }

    final void closeHandle() {
      synchronized (monitor) {
        closed = true;
      }
    }
  }

  private final class MemoryWritableFile extends Handle implements WritableFile {

    MemoryWritableFile(Path path, FileNode file) {
      super(path, file);
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public void append(ByteBuffer source) throws IOException {
      synchronized (monitor) {
        requireOpen();
        int bytes = source.remaining();
        long needed = (long) file.length + bytes;
        if (needed > MAX_FILE_BYTES) {
          throw new IOException("append to " + path + ": " + bytes + " bytes would make the file " + needed
              + " bytes long, past the MemoryDisk limit of " + MAX_FILE_BYTES + " bytes");
        }
        if (needed > file.data.length) {
          long grown = Math.max(needed, Math.max(64, 2L * file.data.length));
          file.data = Arrays.copyOf(file.data, (int) Math.min(grown, MAX_FILE_BYTES));
        }
        source.get(file.data, file.length, bytes);
        file.length += bytes;
      }
    }

    @Override
    public void sync() throws IOException {
      synchronized (monitor) {
        requireOpen();
        file.syncedLength = file.length;
        file.syncedSnapshot = null;
      }
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
      synchronized (monitor) {
        requireOpen();
        if (sizeBytes < 0 || sizeBytes > file.length) {
          throw new IllegalArgumentException("truncate " + path + " to " + sizeBytes
              + " bytes: must be between 0 and the current size " + file.length + " bytes");
        }
        if (sizeBytes < file.syncedLength && file.syncedSnapshot == null) {
          file.syncedSnapshot = Arrays.copyOf(file.data, file.syncedLength);
        }
        file.length = (int) sizeBytes;
      }
    }

    @Override
    public long sizeBytes() {
      synchronized (monitor) {
        return file.length;
      }
    }

    @Override
    public void close() {
      closeHandle();
    }

    @Override
    public String toString() {
      return "MemoryDisk writable " + path;
    }
  }

  private final class MemoryReadableFile extends Handle implements ReadableFile {

    MemoryReadableFile(Path path, FileNode file) {
      super(path, file);
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public int read(long positionBytes, ByteBuffer destination) throws IOException {
      if (positionBytes < 0) {
        throw new IllegalArgumentException("read " + path + " at offset " + positionBytes + ": must be >= 0");
      }
      synchronized (monitor) {
        requireOpen();
        if (positionBytes >= file.length) {
          return -1;
        }
        int bytes = (int) Math.min(destination.remaining(), file.length - positionBytes);
        destination.put(file.data, (int) positionBytes, bytes);
        return bytes;
      }
    }

    @Override
    public long sizeBytes() throws IOException {
      synchronized (monitor) {
        requireOpen();
        return file.length;
      }
    }

    @Override
    public void close() {
      closeHandle();
    }

    @Override
    public String toString() {
      return "MemoryDisk readable " + path;
    }
  }

  private final class MemoryDiskLock implements DiskLock {
    private final Path path;
    private final FileNode file;
    private boolean held = true; // guarded by monitor

    MemoryDiskLock(Path path, FileNode file) {
      this.path = path;
      this.file = file;
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public boolean isHeld() {
      synchronized (monitor) {
        return held;
      }
    }

    @Override
    public void close() {
      synchronized (monitor) {
        if (held) {
          held = false;
          locked.remove(file);
        }
      }
    }

    @Override
    public String toString() {
      return "MemoryDisk lock on " + path + (isHeld() ? "" : " (released)");
    }
  }
}
