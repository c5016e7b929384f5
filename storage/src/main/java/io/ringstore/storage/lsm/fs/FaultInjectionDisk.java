package io.ringstore.storage.lsm.fs;

import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.DiskLock;
import io.ringstore.spi.env.ReadableFile;
import io.ringstore.spi.env.WritableFile;
import io.ringstore.storage.lsm.fs.CrashOutcome.FileTail;
import io.ringstore.storage.lsm.fs.CrashOutcome.UndoneChange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A {@link Disk} for crash and error tests: it wraps a real one, confined to one root
 * directory, remembers what a power cut would keep, and can simulate the cut and fail chosen
 * operations. Modelled on LevelDB's {@code FaultInjectionTestEnv} and RocksDB's
 * {@code FaultInjectionTestFS}, written for the contract of {@link Disk}.
 *
 * <h2>What it remembers</h2>
 * For every file written through it since the last crash (created, or opened for append): the
 * bytes written, and the <em>durable</em> size, which is the size at its last successful
 * {@link WritableFile#sync()}, capped at the synced size when a sync of it first failed (Linux may
 * drop the dirty pages of a failed fsync, so a later successful sync does not bring them back;
 * an engine that retries a failed sync and then acknowledges is caught). A truncate lowers both.
 * Files it never wrote (those present when it was constructed or at the last crash) count as
 * fully durable. For every directory: the creations, renames and deletions in it since its last
 * successful {@link #syncDirectory}, in order, with the durable content of each file a rename
 * replaced or a delete removed (kept in memory until the directory sync or the crash: tests
 * should keep such files small).
 *
 * <h2>{@link #crash(RandomGenerator, UnsyncedTail) crash}: a power loss, exactly</h2>
 * <ol>
 *   <li>Waits for operations in progress to finish, and kills every open handle: from now on
 *       they throw {@link DiskCrashedException} (close is a quiet no-op), as the process
 *       that held them is gone; the locks it held ({@link #lock}) are released.
 *   <li>For each remembered file that still has a name, in path order, cuts its unsynced bytes
 *       as the {@link UnsyncedTail} says (all random draws come from the caller's generator, in
 *       this order, so a seed replays the same crash).
 *   <li>For each directory in path order, undoes its unsynced changes newest first: a created file
 *       is deleted; a renamed file is renamed back, and the file it replaced (if any) is restored
 *       with its durable content at the time of the rename; a deleted file is restored with its
 *       durable content at the time of the delete (possibly empty; if its creation was unsynced
 *       too, undoing that deletes it again). Unsynced data appended to a file after it was deleted
 *       or replaced is not restored.
 *   <li>Forgets everything: what is now on disk is all durable, as after a reboot. The file
 *       system is immediately usable as a fresh start (the engine is reopened on this same
 *       object); injected-fault rules and the disk-full limit stay until {@link #clearFaults()}.
 * </ol>
 * Not modelled: a directory created by {@link #mkdirs} is durable at once; a truncate is never
 * undone (a crash never brings cut bytes back); file data is never lost below the durable size.
 * {@link #killProcess()} is the kill -9 variant: it kills the handles (releasing locks) but keeps every byte and
 * every change (the page cache survives a process crash), and remembers what is still unsynced.
 *
 * <h2>Error injection</h2>
 * {@link #failNth}, {@link #failOneIn} and {@link #failFromNth} add rules; each counts the
 * operations of its kinds on paths it matches, from when it is added, and a rule that fires
 * makes the operation throw {@link InjectedIOException} (ENOSPC or EIO, saying it was injected)
 * before it changes anything. {@link #diskFullAfterBytes} lets appends write that many more bytes
 * in total; the append that crosses the limit writes the part that fits and then fails with
 * ENOSPC, as a real full disk does. With several rules the first that fires wins, but every rule
 * counts the operation.
 *
 * <h2>Also</h2>
 * {@link #operations} counts attempts per kind (so a test can run a workload once, then fail or
 * crash at each of its operations in turn), and {@link #startTrace()} records the sequence of
 * changes for golden-file tests of a durability protocol.
 *
 * <p>A whitebox crash at operation {@code k} of a workload, for example:
 * <pre>{@code
 * var fs = new FaultInjectionDisk(new NioDisk(), dir, Syncs.SIMULATED);
 * // open the engine on fs, run the workload up to some point ...
 * fs.failFromNth(EnumSet.allOf(FileOp.class), k, Errno.EIO); // the process "dies" at operation k
 * // ... keep running until the engine fails, remembering what it acknowledged; abandon it
 * CrashOutcome outcome = fs.crash(new Random(seed));  // power loss; print it with the seed
 * fs.clearFaults();
 * // reopen the engine on fs: every acknowledged write must be there
 * }</pre>
 *
 * <p>It lives in {@code main}, not in a test source set, so that the tests of other modules
 * (cluster crash tests, the provider's restart tests) can use it without a storage test-jar; it
 * depends on the JDK only and nothing in production constructs it.
 *
 * <p>Thread-safety: thread-safe. Appends and syncs of different files run concurrently (a shared
 * read lock, then the file's own monitor); creations, renames, deletions and directory syncs are
 * serialised with each other; {@code crash} and {@code killProcess} are exclusive. With several
 * threads the order in which rules count operations (and so which one fails) depends on
 * scheduling; single-threaded use is fully repeatable.
 */
public final class FaultInjectionDisk implements Disk {

  private static final System.Logger LOG = System.getLogger(FaultInjectionDisk.class.getName());

  /** The most garbage {@link UnsyncedTail#TORN_GARBAGE} writes into one file: one sector. */
  private static final int GARBAGE_MAX_BYTES = 512;

  /** Bound on the durable content of one deleted or replaced file kept in memory for a crash to restore. */
  private static final long MAX_SAVED_BYTES = 256L << 20;

  /** Whether syncs reach the real disk; see {@link FaultInjectionDisk#FaultInjectionDisk(Disk, Path, Syncs)}. Thread-safety: immutable. */
  public enum Syncs {
    /** File and directory syncs are recorded and passed to the wrapped file system. */
    PASS_THROUGH,
    /**
     * Syncs are recorded (so crashes honour them) but not passed on: much faster crash loops, for
     * tests only, where the machine itself does not lose power.
     */
    SIMULATED
  }

  // constant after construction
  private final Disk delegate;
  private final Path root;
  private final Syncs syncs;

  /** Read-locked by every operation, write-locked by crash and killProcess. */
  private final ReentrantReadWriteLock crashLock = new ReentrantReadWriteLock();
  /** Crashes and process kills so far; a handle opened at another value is stale. */
  private volatile long crashes; // written under crashLock's write lock

  private final Object metadataLock = new Object();
  /** Files written since the last crash, by current name. */
  private final Map<Path, TrackedFile> tracked = new HashMap<>(); // guarded by metadataLock
  /** Unsynced directory changes, oldest first, by directory. */
  private final Map<Path, List<DirectoryChange>> pending = new HashMap<>(); // guarded by metadataLock

  private final Set<FaultHandle> openHandles = ConcurrentHashMap.newKeySet();
  private final FaultRules rules = new FaultRules();
  private volatile boolean tracing;
  private final List<String> trace = new ArrayList<>(); // guarded by itself

  /**
   * Wraps {@code delegate}, accepting only paths in {@code root} (the directory itself or below),
   * passing syncs through. What is already there counts as durable.
   */
  public FaultInjectionDisk(Disk delegate, Path root) {
    this(delegate, root, Syncs.PASS_THROUGH);
  }

  /** As {@link #FaultInjectionDisk(Disk, Path)}, with a choice of {@link Syncs}. */
  public FaultInjectionDisk(Disk delegate, Path root, Syncs syncs) {
    this.delegate = delegate;
    this.root = root.toAbsolutePath().normalize();
    this.syncs = syncs;
  }

  /** The directory this file system is confined to. */
  public Path root() {
    return root;
  }

  // ---------------------------------------------------------------- file system operations

  @Override
  public WritableFile create(Path path) throws IOException {
    Path file = inRoot(path);
    Lock shared = shared();
    try {
      synchronized (metadataLock) {
        rules.check(FileOp.CREATE, file);
        WritableFile target = delegate.create(file);
        TrackedFile state = new TrackedFile(0);
        tracked.put(file, state);
        record(file, new DirectoryChange.Created(file));
        traced("create", file, "");
        return register(new FaultWritableFile(this, file, target, state, crashes));
      }
    } finally {
      shared.unlock();
    }
  }

  @Override
  public WritableFile openForAppend(Path path) throws IOException {
    Path file = inRoot(path);
    Lock shared = shared();
    try {
      WritableFile target = delegate.openForAppend(file);
      TrackedFile state;
      synchronized (metadataLock) {
        state = tracked.computeIfAbsent(file, f -> new TrackedFile(target.sizeBytes()));
      }
      return register(new FaultWritableFile(this, file, target, state, crashes));
    } finally {
      shared.unlock();
    }
  }

  @Override
  public ReadableFile openForRead(Path path) throws IOException {
    Path file = inRoot(path);
    Lock shared = shared();
    try {
      return register(new FaultReadableFile(this, file, delegate.openForRead(file), crashes));
    } finally {
      shared.unlock();
    }
  }

  @Override
  public List<Path> list(Path directory) throws IOException {
    Path dir = inRoot(directory);
    Lock shared = shared();
    try {
      return delegate.list(dir);
    } finally {
      shared.unlock();
    }
  }

  @Override
  public void rename(Path source, Path target) throws IOException {
    Disk.requireSameDirectory(source, target);
    Path from = inRoot(source);
    Path to = inRoot(target);
    Lock shared = shared();
    try {
      synchronized (metadataLock) {
        rules.check(FileOp.RENAME, from);
        if (from.equals(to)) {
          delegate.rename(from, to);
          return;
        }
        byte[] replaced = delegate.exists(to) && delegate.exists(from) ? durableContent(to) : null;
        delegate.rename(from, to);
        TrackedFile moved = tracked.remove(from);
        tracked.remove(to);
        if (moved != null) {
          tracked.put(to, moved);
        }
        record(from, new DirectoryChange.Renamed(from, to, replaced));
        traced("rename", from, " " + relative(to));
      }
    } finally {
      shared.unlock();
    }
  }

  @Override
  public void delete(Path path) throws IOException {
    Path file = inRoot(path);
    Lock shared = shared();
    try {
      synchronized (metadataLock) {
        rules.check(FileOp.DELETE, file);
        if (!delegate.exists(file) || Files.isDirectory(file)) {
          delegate.delete(file); // fails naming the path, or removes a directory (not tracked)
          return;
        }
        byte[] content = durableContent(file);
        delegate.delete(file);
        tracked.remove(file);
        record(file, new DirectoryChange.Deleted(file, content));
        traced("delete", file, "");
      }
    } finally {
      shared.unlock();
    }
  }

  @Override
  public void mkdirs(Path directory) throws IOException {
    Path dir = inRoot(directory);
    Lock shared = shared();
    try {
      delegate.mkdirs(dir);
      traced("mkdirs", dir, "");
    } finally {
      shared.unlock();
    }
  }

  @Override
  public void syncDirectory(Path directory) throws IOException {
    Path dir = inRoot(directory);
    Lock shared = shared();
    try {
      synchronized (metadataLock) {
        rules.check(FileOp.SYNC_DIRECTORY, dir);
        if (syncs == Syncs.PASS_THROUGH) {
          delegate.syncDirectory(dir);
        }
        pending.remove(dir);
        traced("sync-dir", dir, "");
      }
    } finally {
      shared.unlock();
    }
  }

  @Override
  public boolean exists(Path path) throws IOException {
    Path file = inRoot(path);
    Lock shared = shared();
    try {
      return delegate.exists(file);
    } finally {
      shared.unlock();
    }
  }

  @Override
  public long sizeBytes(Path path) throws IOException {
    Path file = inRoot(path);
    Lock shared = shared();
    try {
      return delegate.sizeBytes(file);
    } finally {
      shared.unlock();
    }
  }

  /**
   * Locks through the wrapped disk. The lock belongs to the simulated process: {@link #crash} and
   * {@link #killProcess} release it, as the operating system releases a dead process's locks, so
   * the restarted engine can lock again. The lock file is not tracked (a crash keeps it), and lock
   * operations are neither counted nor failed by rules, nor traced.
   */
  @Override
  public DiskLock lock(Path lockFile) throws IOException {
    Path file = inRoot(lockFile);
    Lock shared = shared();
    try {
      return register(new FaultDiskLock(this, file, delegate.lock(file), crashes));
    } finally {
      shared.unlock();
    }
  }

  // ---------------------------------------------------------------- crashes

  /** A power loss keeping torn prefixes ({@link UnsyncedTail#TORN_PREFIX}); see the class comment. */
  public CrashOutcome crash(RandomGenerator random) throws IOException {
    return crash(random, UnsyncedTail.TORN_PREFIX);
  }

  /**
   * Simulates a power loss exactly as the class comment says, drawing every random choice from
   * {@code random}, and returns what it did.
   */
  public CrashOutcome crash(RandomGenerator random, UnsyncedTail tail) throws IOException {
    Lock exclusive = crashLock.writeLock();
    exclusive.lock();
    try {
      long number = ++crashes;
      closeHandles();
      synchronized (metadataLock) {
        List<FileTail> tails = new ArrayList<>();
        for (Map.Entry<Path, TrackedFile> entry : new TreeMap<>(tracked).entrySet()) {
          if (delegate.exists(entry.getKey())) {
            tails.add(cutTail(entry.getKey(), entry.getValue(), random, tail));
          }
        }
        List<UndoneChange> undone = new ArrayList<>();
        for (List<DirectoryChange> changes : new TreeMap<>(pending).values()) {
          for (int i = changes.size() - 1; i >= 0; i--) {
            undone.add(undo(changes.get(i)));
          }
        }
        tracked.clear();
        pending.clear();
        CrashOutcome outcome = new CrashOutcome(number, tails, undone);
        LOG.log(System.Logger.Level.DEBUG, () -> "simulated power loss: " + outcome);
        return outcome;
      }
    } finally {
      exclusive.unlock();
    }
  }

  /**
   * Simulates kill -9 of the process using this file system: every open handle becomes stale
   * ({@link DiskCrashedException}), but all bytes and directory changes stay, and what was
   * unsynced stays unsynced (a later {@link #crash} can still lose it).
   *
   * @return the crash number (1-based count of crashes and kills)
   */
  public long killProcess() throws IOException {
    Lock exclusive = crashLock.writeLock();
    exclusive.lock();
    try {
      long number = ++crashes;
      closeHandles();
      return number;
    } finally {
      exclusive.unlock();
    }
  }

  /** Crashes and process kills so far. */
  public long crashes() {
    return crashes;
  }

  // ---------------------------------------------------------------- fault rules

  /**
   * The {@code n}th {@code op} (1-based, counted from now) fails with {@code errno}; once.
   */
  public void failNth(FileOp op, long n, Errno errno) {
    failNth(op, n, errno, path -> true);
  }

  /** As {@link #failNth(FileOp, long, Errno)}, counting only operations on paths {@code where} accepts. */
  public void failNth(FileOp op, long n, Errno errno, Predicate<Path> where) {
    requirePositive("n", n);
    rules.add(EnumSet.of(op), errno, where, n, false, 0, null, op + " #" + n);
  }

  /**
   * Every {@code op} from the {@code n}th on (counted from now, any of {@code ops}) fails with
   * {@code errno}: a disk that died, or a whitebox kill point at operation {@code n} (follow
   * it with {@link #crash}).
   */
  public void failFromNth(Set<FileOp> ops, long n, Errno errno) {
    requirePositive("n", n);
    rules.add(EnumSet.copyOf(ops), errno, path -> true, n, true, 0, null, ops + " from #" + n);
  }

  /** Each {@code op} fails with probability 1/{@code k}, drawn from {@code random}. */
  public void failOneIn(FileOp op, int k, Errno errno, RandomGenerator random) {
    failOneIn(op, k, errno, random, path -> true);
  }

  /** As {@link #failOneIn(FileOp, int, Errno, RandomGenerator)}, only on paths {@code where} accepts. */
  public void failOneIn(FileOp op, int k, Errno errno, RandomGenerator random, Predicate<Path> where) {
    requirePositive("k", k);
    rules.add(EnumSet.of(op), errno, where, 0, false, k, random, op + " 1 in " + k);
  }

  /**
   * From now on, appends may write {@code bytes} more bytes in total; see the class comment.
   * Deleting files does not give space back; {@link #clearFaults()} does.
   */
  public void diskFullAfterBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("diskFullAfterBytes = " + bytes + " bytes; must be >= 0");
    }
    rules.diskFullAfter(bytes);
  }

  /** Removes every rule and the disk-full limit (the counters of {@link #operations} stay). */
  public void clearFaults() {
    rules.clear();
  }

  /** How many operations of kind {@code op} were attempted through this file system (failed ones too). */
  public long operations(FileOp op) {
    return rules.operations(op);
  }

  /** How many faults have been injected (rules fired plus disk-full failures). */
  public long injectedFaults() {
    return rules.injected();
  }

  // ---------------------------------------------------------------- trace

  /**
   * Starts recording every successful change, one line each, paths relative to the root:
   * {@code create wal/000001.log}, {@code append wal/000001.log 120}, {@code sync wal/000001.log @120}
   * (the bytes made durable), {@code truncate F N}, {@code rename CURRENT.tmp CURRENT},
   * {@code delete F}, {@code sync-dir wal} ({@code .} for the root), {@code mkdirs D}. A test can
   * compare it with a golden file to pin a durability protocol (write, sync, rename, sync the
   * directory). With several threads the lines interleave as the operations did.
   */
  public void startTrace() {
    synchronized (trace) {
      trace.clear();
      tracing = true;
    }
  }

  /** The lines recorded since {@link #startTrace()} or the last call of this, which clears them. */
  public List<String> takeTrace() {
    synchronized (trace) {
      List<String> lines = List.copyOf(trace);
      trace.clear();
      return lines;
    }
  }

  void traced(String op, Path path, String detail) {
    if (tracing) {
      String line = op + " " + relative(path) + detail;
      synchronized (trace) {
        trace.add(line);
      }
    }
  }

  private String relative(Path path) {
    String relative = root.relativize(path).toString();
    return relative.isEmpty() ? "." : relative;
  }

  // ---------------------------------------------------------------- internals

  /** Takes the shared lock every operation holds (crashes take it exclusively); the caller unlocks. */
  Lock shared() {
    Lock lock = crashLock.readLock();
    lock.lock();
    return lock;
  }

  FaultRules rules() {
    return rules;
  }

  Syncs syncs() {
    return syncs;
  }

  /** Drops a closed handle from the ones a crash must close. */
  void forget(FaultHandle handle) {
    openHandles.remove(handle);
  }

  private Path inRoot(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    if (!absolute.startsWith(root)) {
      throw new IllegalArgumentException("path " + path + " is outside the fault-injection root " + root);
    }
    return absolute;
  }

  private <H extends FaultHandle> H register(H handle) {
    openHandles.add(handle);
    return handle;
  }

  private void record(Path file, DirectoryChange change) {
    pending.computeIfAbsent(file.getParent(), d -> new ArrayList<>()).add(change);
  }

  private static void requirePositive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " = " + value + "; must be >= 1");
    }
  }

  /** The bytes of {@code file} a crash would keep for sure. Caller holds metadataLock. */
  private byte[] durableContent(Path file) throws IOException {
    TrackedFile state = tracked.get(file);
    long bytes;
    if (state == null) {
      bytes = delegate.sizeBytes(file);
    } else {
      synchronized (state) {
        bytes = state.durableBytes();
      }
    }
    if (bytes > MAX_SAVED_BYTES) {
      throw new IOException("fault injection keeps the durable content of " + file
          + " in memory to restore it after a crash, but it holds " + bytes
          + " bytes (limit " + MAX_SAVED_BYTES + " bytes); use smaller files in crash tests");
    }
    ByteBuffer content = ByteBuffer.allocate((int) bytes);
    try (ReadableFile in = delegate.openForRead(file)) {
      in.readFully(0, content);
    }
    return content.array();
  }

  private FileTail cutTail(Path file, TrackedFile state, RandomGenerator random, UnsyncedTail tail) throws IOException {
    long written;
    long durable;
    synchronized (state) {
      written = state.writtenBytes;
      durable = Math.min(state.durableBytes(), written);
    }
    long unsynced = written - durable;
    long kept = durable;
    long garbled = 0;
    if (unsynced > 0 && tail != UnsyncedTail.DROP && !random.nextBoolean()) {
      kept = durable + random.nextLong(1, unsynced + 1);
      if (tail == UnsyncedTail.TORN_GARBAGE) {
        garbled = Math.min(kept - durable, GARBAGE_MAX_BYTES);
      }
    }
    if (kept != written || garbled > 0) {
      try (WritableFile out = delegate.openForAppend(file)) {
        out.truncate(kept - garbled);
        if (garbled > 0) {
          byte[] garbage = new byte[(int) garbled];
          random.nextBytes(garbage);
          out.append(garbage);
        }
      }
    }
    return new FileTail(file, written, durable, kept, garbled);
  }

  private UndoneChange undo(DirectoryChange change) throws IOException {
    if (change instanceof DirectoryChange.Created created) {
      if (delegate.exists(created.path())) {
        delegate.delete(created.path());
      }
      return new UndoneChange(FileOp.CREATE, created.path(), null);
    } else if (change instanceof DirectoryChange.Renamed renamed) {
      if (delegate.exists(renamed.target())) {
        delegate.rename(renamed.target(), renamed.source());
      }
      byte[] replaced = renamed.replaced();
      if (replaced != null) {
        writeFile(renamed.target(), replaced);
      }
      return new UndoneChange(FileOp.RENAME, renamed.source(), renamed.target());
    } else {
      DirectoryChange.Deleted deleted = (DirectoryChange.Deleted) change;
      writeFile(deleted.path(), deleted.content());
      return new UndoneChange(FileOp.DELETE, deleted.path(), null);
    }
  }

  private void writeFile(Path file, byte[] content) throws IOException {
    if (delegate.exists(file)) {
      delegate.delete(file);
    }
    try (WritableFile out = delegate.create(file)) {
      out.append(content);
    }
  }

  private void closeHandles() {
    for (FaultHandle handle : List.copyOf(openHandles)) {
      handle.closeAtCrash();
    }
    openHandles.clear();
  }
}
