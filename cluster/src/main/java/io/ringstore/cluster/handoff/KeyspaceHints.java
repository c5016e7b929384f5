package io.ringstore.cluster.handoff;

import io.ringstore.cluster.replication.Hints;
import io.ringstore.cluster.replication.HybridLogicalClock;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.env.Clock;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The hints one keyspace's primary keeps on this node: per target node and key, the merge of the
 * versions the target missed. Kept in a storage engine of their own: the memory engine for an
 * in-memory keyspace, the keyspace's own persistent engine (in a directory beside the keyspace's)
 * for a persistent one, so that hints are written through its log and survive a restart.
 *
 * <p>A hint's key is {@code [u8 n][n bytes: target id, UTF-8][the record's key]}; its value the
 * record. A hint is as old as its oldest version's hybrid-logical-clock time.
 *
 * <p>Invariants: the bytes this store counts against the node's {@link HintBudget} equal the
 * weight ({@link StoredRecord#weightBytes}) of the hints it holds; a hint is deleted only once its
 * target acknowledged it (and not if it changed since it was sent), when it ages past
 * {@link HandoffSettings#maxAge()}, or when the keyspace is dropped; a version not kept (budget
 * full, engine failure) or a hint dropped by age is counted and marks its target in
 * {@link #repairMarks()}.
 * <p>Thread-safety: thread-safe; per-hint atomicity comes from the engine's compute.
 */
public final class KeyspaceHints implements Hints, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(KeyspaceHints.class.getName());
  /** The least time between two warnings of hints not kept. */
  private static final long WARN_EVERY_MILLIS = 10_000;

  private final String keyspace;
  private final StorageEngine engine;
  private final HintBudget budget;
  private final HandoffSettings settings;
  private final Clock clock;
  // hints kept per target node
  private final ConcurrentHashMap<String, AtomicLong> perTarget = new ConcurrentHashMap<>();
  private final Set<String> repairMarks = ConcurrentHashMap.newKeySet();
  private final AtomicLong lastWarnMillis = new AtomicLong(Long.MIN_VALUE / 2);
  private final AtomicLong unwarned = new AtomicLong();

  private KeyspaceHints(String keyspace, StorageEngine engine, HintBudget budget, HandoffSettings settings, Clock clock) {
    this.keyspace = keyspace;
    this.engine = engine;
    this.budget = budget;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * The hints of keyspace {@code keyspace} in {@code engine}, empty or holding hints a previous run
   * left on disk (counted against the budget, past its bound if need be).
   */
  static KeyspaceHints over(String keyspace, StorageEngine engine, HintBudget budget, HandoffSettings settings, Clock clock) {
    KeyspaceHints hints = new KeyspaceHints(keyspace, engine, budget, settings, clock);
    hints.countFound();
    return hints;
  }

  /**
   * Opens the hints of keyspace {@code keyspace}: {@code engineOpener} opens their engine with the
   * removal listener it is given (the engine reports records it expires on its own, which gives
   * their bytes back).
   */
  public static KeyspaceHints open(String keyspace, Function<RemovalListener, StorageEngine> engineOpener,
      HintBudget budget, HandoffSettings settings, Clock clock) {
    KeyspaceHints[] self = new KeyspaceHints[1];
    StorageEngine engine = engineOpener.apply((key, record, cause) -> {
      KeyspaceHints hints = self[0];
      if (hints != null && cause == RemovalCause.EXPIRED) {
        hints.forgotten(key, record); // the record's own expiry passed: nothing left to hand off
      }
    });
    KeyspaceHints hints = over(keyspace, engine, budget, settings, clock);
    self[0] = hints;
    return hints;
  }

  private void countFound() {
    long bytes = 0;
    for (Iterator<EngineEntry> it = engine.iterator(); it.hasNext(); ) {
      EngineEntry entry = it.next();
      bytes += entry.record().weightBytes(entry.key().length());
      counter(targetOf(entry.key())).incrementAndGet();
      budget.count(1);
    }
    if (bytes > 0) {
      budget.force(bytes);
      long b = bytes;
      LOG.log(Level.INFO, () -> "cache '" + keyspace + "': " + perTarget.values().stream().mapToLong(AtomicLong::get).sum()
          + " hints (" + b + " bytes) found from a previous run, for nodes " + targets());
    }
  }

  @Override
  public void add(String target, Bytes key, StoredRecord record) {
    if (!settings.enabled()) {
      return;
    }
    Bytes hintKey = hintKey(target, key);
    long[] delta = new long[1];
    boolean[] refused = new boolean[1];
    boolean[] fresh = new boolean[1];
    try {
      engine.compute(hintKey, (k, current) -> {
        StoredRecord next = current == null ? record : StoredRecord.sync(current, record);
        long d = next.weightBytes(k.length()) - (current == null ? 0 : current.weightBytes(k.length()));
        if (d > 0 && !budget.reserve(d)) {
          refused[0] = true;
          return current;
        }
        delta[0] = d;
        fresh[0] = current == null;
        return next;
      });
    } catch (RuntimeException e) {
      if (delta[0] > 0) {
        budget.release(delta[0]);
      }
      notKept(target, "its hint store failed: " + e);
      return;
    }
    if (refused[0]) {
      notKept(target, "the node's hints reached ringstore.handoff.maxBytes = " + budget.maxBytes());
      return;
    }
    if (delta[0] < 0) {
      budget.release(-delta[0]);
    }
    if (fresh[0]) {
      counter(target).incrementAndGet();
      budget.count(1);
    }
    budget.added.increment();
  }

  /** A version for {@code target} not kept: counted, the target marked for repair, a warning now and then. */
  private void notKept(String target, String why) {
    budget.overflowed.increment();
    repairMarks.add(target);
    long missed = unwarned.incrementAndGet();
    long now = clock.millis();
    long last = lastWarnMillis.get();
    if (now - last >= WARN_EVERY_MILLIS && lastWarnMillis.compareAndSet(last, now)) {
      long count = unwarned.getAndSet(0);
      LOG.log(Level.WARNING, () -> "cache '" + keyspace + "': " + count + " version(s) for node " + target
          + " not kept as hints: " + why + "; its ranges are marked for anti-entropy repair");
    }
  }

  /** The target nodes this store holds hints for now. */
  public Set<String> targets() {
    Set<String> targets = new TreeSet<>();
    perTarget.forEach((target, count) -> {
      if (count.get() > 0) {
        targets.add(target);
      }
    });
    return targets;
  }

  /** The hints kept per target node now. */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    perTarget.forEach((target, count) -> {
      if (count.get() > 0) {
        counts.put(target, count.get());
      }
    });
    return counts;
  }

  /**
   * The target nodes that missed versions no hint holds (the budget was full, or a hint aged out):
   * anti-entropy repair must bring them up to date. A mark stays until {@link #clearRepairMark}.
   */
  public Set<String> repairMarks() {
    return Set.copyOf(repairMarks);
  }

  /** Clears {@code target}'s repair mark (a repair of this keyspace with it completed). */
  public void clearRepairMark(String target) {
    repairMarks.remove(target);
  }

  /** The keyspace these hints are of. */
  public String keyspace() {
    return keyspace;
  }

  /** One kept hint: its key in the store, its target, the record's key and the record. */
  public record Hint(Bytes hintKey, String target, Bytes key, StoredRecord record) {}

  /** A weakly consistent iterator over the hints kept for {@code target}. */
  public Iterator<Hint> hintsFor(String target) {
    Iterator<EngineEntry> entries = engine.iterator();
    return new Iterator<>() {
      private @Nullable Hint next;

      @Override
      public boolean hasNext() {
        while (next == null && entries.hasNext()) {
          EngineEntry entry = entries.next();
          if (targetOf(entry.key()).equals(target)) {
            next = new Hint(entry.key(), target, keyOf(entry.key()), entry.record());
          }
        }
        return next != null;
      }

      @Override
      public Hint next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Hint hint = next;
        next = null;
        return hint;
      }
    };
  }

  /**
   * Whether {@code hint} is older than {@link HandoffSettings#maxAge()} at this store's clock: by
   * its oldest version (a merge of a later version into a hint does not renew the older siblings
   * it still carries, so that no hint delivers a version older than the bound: tombstones are
   * purged on that promise, docs/tombstones.md).
   */
  public boolean isExpired(Hint hint) {
    long oldest = Long.MAX_VALUE;
    for (Sibling sibling : hint.record().siblings()) {
      oldest = Math.min(oldest, sibling.timestamp());
    }
    return clock.millis() - HybridLogicalClock.millisOf(oldest) > settings.maxAge().toMillis();
  }

  /**
   * {@code hint}'s target acknowledged it: deletes it, unless it changed since it was read (a later
   * version merged into it, which is handed off next time).
   *
   * @return whether it was deleted
   */
  public boolean delivered(Hint hint) {
    if (remove(hint)) {
      budget.handedOff.increment();
      return true;
    }
    return false;
  }

  /** Drops {@code hint} undelivered (it aged past the bound): counted, its target marked for repair. */
  public void expire(Hint hint) {
    if (remove(hint)) {
      budget.expired.increment();
      repairMarks.add(hint.target());
    }
  }

  /** Deletes {@code hint} as moot (its target no longer has the keyspace): no count, no repair mark. */
  public void discard(Hint hint) {
    remove(hint);
  }

  private boolean remove(Hint hint) {
    boolean[] removed = new boolean[1];
    engine.compute(hint.hintKey(), (k, current) -> {
      if (current != null && current.equals(hint.record())) {
        removed[0] = true;
        return null;
      }
      return current;
    });
    if (removed[0]) {
      forgotten(hint.hintKey(), hint.record());
    }
    return removed[0];
  }

  private void forgotten(Bytes hintKey, StoredRecord record) {
    budget.release(record.weightBytes(hintKey.length()));
    budget.count(-1);
    counter(targetOf(hintKey)).decrementAndGet();
  }

  /** Deletes every hint (the keyspace was dropped). */
  public void clear() {
    for (Iterator<EngineEntry> it = engine.iterator(); it.hasNext(); ) {
      EngineEntry entry = it.next();
      engine.compute(entry.key(), (k, current) -> {
        if (current != null) {
          forgotten(k, current);
        }
        return null;
      });
    }
  }

  /** Closes the store's engine; its hints' bytes leave the budget (a persistent store keeps them on disk). */
  @Override
  public void close() {
    for (Iterator<EngineEntry> it = engine.iterator(); it.hasNext(); ) {
      EngineEntry entry = it.next();
      budget.release(entry.record().weightBytes(entry.key().length()));
      budget.count(-1);
    }
    perTarget.clear();
    engine.close();
  }

  private AtomicLong counter(String target) {
    return perTarget.computeIfAbsent(target, t -> new AtomicLong());
  }

  static Bytes hintKey(String target, Bytes key) {
    byte[] id = target.getBytes(StandardCharsets.UTF_8);
    if (id.length > 255) {
      throw new IllegalArgumentException("node id '" + target + "' is " + id.length + " UTF-8 bytes; a hint holds at most 255");
    }
    byte[] out = new byte[1 + id.length + key.length()];
    out[0] = (byte) id.length;
    System.arraycopy(id, 0, out, 1, id.length);
    System.arraycopy(key.unsafeArray(), 0, out, 1 + id.length, key.length());
    return Bytes.of(out);
  }

  static String targetOf(Bytes hintKey) {
    byte[] bytes = hintKey.unsafeArray();
    int n = bytes[0] & 0xff;
    return new String(bytes, 1, n, StandardCharsets.UTF_8);
  }

  static Bytes keyOf(Bytes hintKey) {
    byte[] bytes = hintKey.unsafeArray();
    int n = bytes[0] & 0xff;
    byte[] key = new byte[hintKey.length() - 1 - n];
    System.arraycopy(bytes, 1 + n, key, 0, key.length);
    return Bytes.of(key);
  }
}
