package io.ringstore.storage.lsm.fs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The error-injection half of {@link FaultInjectionDisk}: operation counters, fault rules
 * and the disk-full budget. See that class for the rules' semantics.
 *
 * <p>Thread-safety: thread-safe. Rules are evaluated under one lock, so each counts every
 * matching operation exactly once; the disk budget is a lock-free counter.
 */
final class FaultRules {

  private final Object lock = new Object();
  private final List<Rule> rules = new ArrayList<>(); // guarded by lock
  private volatile boolean anyRule;
  /** Bytes appends may still write, or Long.MAX_VALUE without a disk-full limit. */
  private final AtomicLong diskRemainingBytes = new AtomicLong(Long.MAX_VALUE);
  private volatile long diskLimitBytes = -1;
  private final AtomicLongArray operations = new AtomicLongArray(FileOp.values().length);
  private final AtomicLong injected = new AtomicLong();

  /** Counts {@code op} on {@code path} and throws if a rule fires for it. */
  void check(FileOp op, Path path) throws InjectedIOException {
    operations.incrementAndGet(op.ordinal());
    if (!anyRule) {
      return;
    }
    Rule firing = null;
    synchronized (lock) {
      for (Rule rule : rules) {
        if (rule.counts(op, path) && rule.fires() && firing == null) {
          firing = rule;
        }
      }
    }
    if (firing != null) {
      injected.incrementAndGet();
      throw new InjectedIOException(firing.errno, op, path, "rule: " + firing.description);
    }
  }

  void add(Set<FileOp> ops, Errno errno, Predicate<Path> where, long nth, boolean fromNth, int oneIn,
      @Nullable RandomGenerator random, String description) {
    synchronized (lock) {
      rules.add(new Rule(ops, errno, where, nth, fromNth, oneIn, random, description));
      anyRule = true;
    }
  }

  void diskFullAfter(long bytes) {
    diskLimitBytes = bytes;
    diskRemainingBytes.set(bytes);
  }

  void clear() {
    synchronized (lock) {
      rules.clear();
      anyRule = false;
    }
    diskLimitBytes = -1;
    diskRemainingBytes.set(Long.MAX_VALUE);
  }

  /** Takes up to {@code wantedBytes} of the disk-full budget; returns how many it got. */
  int reserveDisk(int wantedBytes) {
    while (true) {
      long remaining = diskRemainingBytes.get();
      if (remaining == Long.MAX_VALUE) {
        return wantedBytes;
      }
      int granted = (int) Math.min(remaining, wantedBytes);
      if (diskRemainingBytes.compareAndSet(remaining, remaining - granted)) {
        return granted;
      }
    }
  }

  /** The ENOSPC for an append to {@code path} that got {@code granted} of {@code wanted} bytes. */
  InjectedIOException diskFull(Path path, int granted, int wanted) {
    injected.incrementAndGet();
    return new InjectedIOException(Errno.ENOSPC, FileOp.WRITE, path, "disk full after "
        + diskLimitBytes + " bytes: wrote " + granted + " of " + wanted + " bytes");
  }

  long operations(FileOp op) {
    return operations.get(op.ordinal());
  }

  long injected() {
    return injected.get();
  }

  /** A fault rule and its counter. */
  private static final class Rule {
    final Set<FileOp> ops;
    final Errno errno;
    final Predicate<Path> where;
    final long nth;
    final boolean fromNth;
    final int oneIn;
    final @Nullable RandomGenerator random;
    final String description;
    long seen; // guarded by FaultRules.lock

    Rule(Set<FileOp> ops, Errno errno, Predicate<Path> where, long nth, boolean fromNth, int oneIn,
        @Nullable RandomGenerator random, String description) {
      this.ops = ops;
      this.errno = errno;
      this.where = where;
      this.nth = nth;
      this.fromNth = fromNth;
      this.oneIn = oneIn;
      this.random = random;
      this.description = description;
    }

    boolean counts(FileOp op, Path path) {
      return ops.contains(op) && where.test(path);
    }

    boolean fires() {
      seen++;
      if (random != null) {
        return random.nextInt(oneIn) == 0;
      }
      return fromNth ? seen >= nth : seen == nth;
    }
  }
}
