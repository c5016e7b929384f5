package io.ringstore.cluster.vertx;

import io.ringstore.cluster.vertx.Change.CounterUpdate;
import io.ringstore.cluster.vertx.Change.LockAcquire;
import io.ringstore.cluster.vertx.Change.LockRelease;
import io.ringstore.cluster.vertx.Change.MapClear;
import io.ringstore.cluster.vertx.Change.MapExpire;
import io.ringstore.cluster.vertx.Change.MapRead;
import io.ringstore.cluster.vertx.Change.MapRemove;
import io.ringstore.cluster.vertx.Change.MapReplaceIfPresent;
import io.ringstore.cluster.vertx.Change.MapWrite;
import io.ringstore.cluster.vertx.Change.Operation;
import io.ringstore.cluster.vertx.Change.SharedChange;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.env.Scheduler;
import io.ringstore.spi.env.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.shareddata.Lock;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The cluster-wide maps, locks and counters of one member: a replicated state machine. Every
 * member holds the whole state and applies the same {@link SharedChange}s in the same order (the
 * coordinator's sequence, see {@link RingstoreClusterManager}), so every member computes the same
 * outcome of every change, conditional ones included; the member that started an
 * {@link Operation} (its {@code origin}) takes the result when it applies it, and the operation's
 * future completes when the coordinator reports every member applied it. Reads are operations too
 * (sequenced, so linearizable), computed at the origin only; the sync map's reads are local.
 *
 * <p><b>Locks</b>: a holder and a FIFO queue of waiters per name; a waiter (origin, waiter id) is
 * granted the lock by the change that frees it (a release, or the removal of the holder's node),
 * which the waiter's member sees when it applies that change. Acquisition timeouts run at the
 * waiter's member, which then withdraws the waiter (a {@link LockRelease} releases the lock if the
 * grant came first). <b>TTL</b>: every member remembers, on its own ticker, when each entry with a
 * TTL expires; the coordinator alone arms timers, which sequence a {@link MapExpire} naming the
 * write, so a later write of the key is never removed by an older timer. A member that becomes
 * coordinator arms timers for the time left; a joining member receives the time left in its
 * snapshot.
 *
 * <p>A change sent again after a coordinator crash (its successor gets it, while some members
 * may have applied it already) applies once: every member remembers the latest
 * {@value #REMEMBERED_IDS} operation ids of each origin (in the snapshot too) and skips a repeat.
 *
 * <p>Invariants: {@code stateBytes} is a deterministic function of the content (the same on every
 * member) and at most {@code maxStateBytes}, so a join snapshot fits in one channel frame; a lock
 * entry exists only while it has a holder; a waiter is queued once at most; empty maps are dropped.
 *
 * <p>Thread-safety: thread-safe. State is guarded by this object's lock; futures and promises are
 * completed, and changes submitted, outside it.
 */
final class SharedState {
  private static final System.Logger LOG = System.getLogger(SharedState.class.getName());

  /** The longest map, lock or counter name, in UTF-8 bytes. */
  static final int MAX_NAME_BYTES = 1024;
  /** The longest encoded map key, in bytes. */
  static final int MAX_KEY_BYTES = 64 * 1024;
  /** The most waiters one lock queues (the holder not counted). */
  static final int MAX_LOCK_WAITERS = 10_000;
  /** The bookkeeping bytes counted per map, lock, counter, entry or waiter besides its content. */
  private static final int OVERHEAD_BYTES = 32;
  /** How long the coordinator waits before it tries again to sequence an expiry that failed. */
  private static final Duration EXPIRY_RETRY = Duration.ofSeconds(1);
  /**
   * How many operation ids of each origin every member remembers, so that a change sent again
   * after a coordinator crash (see {@link CoordinatorRequests}) applies once.
   */
  static final int REMEMBERED_IDS = 4096;
  /** Lock timeouts at least this long are not timed (the scheduler counts in nanoseconds). */
  private static final long UNTIMED_LOCK_MILLIS = TimeUnit.DAYS.toMillis(365L * 100);

  // constant after construction
  private final ClusterValueCodec codec;
  private final Ticker ticker;
  private final Scheduler scheduler;
  private final Supplier<@Nullable String> self;
  private final Function<Change, Future<Void>> submit;
  private final long maxStateBytes;

  // thread-safe
  private final AtomicLong nextId = new AtomicLong();
  private final Map<Long, Promise<@Nullable Object>> pendingResults = new ConcurrentHashMap<>();
  private final Map<Long, LocalWaiter> localWaiters = new ConcurrentHashMap<>();

  // guarded by this
  private final Map<String, Map<Bytes, Entry>> maps = new HashMap<>();
  private final Map<String, Long> counters = new HashMap<>();
  private final Map<String, LockState> locks = new HashMap<>();
  private final Map<String, LinkedHashSet<Long>> appliedIds = new HashMap<>(); // origin -> its latest ids applied
  private long stateBytes;
  private boolean coordinator;
  private boolean installed; // false on a joining member until its snapshot is in
  private final List<Object> early = new ArrayList<>(); // changes applied before that: SharedChange or RemovedMember

  /**
   * The state of the member whose Vert.x node id {@code self} gives (null before it joined), which
   * hands changes to the coordinator's sequence through {@code submit}.
   *
   * @param maxStateBytes the bound of {@link #stateBytes()}
   */
  SharedState(ClusterValueCodec codec, Ticker ticker, Scheduler scheduler, Supplier<@Nullable String> self,
      Function<Change, Future<Void>> submit, long maxStateBytes) {
    this.codec = codec;
    this.ticker = ticker;
    this.scheduler = scheduler;
    this.self = self;
    this.submit = submit;
    this.maxStateBytes = maxStateBytes;
  }

  /** The codec of keys and values. */
  ClusterValueCodec codec() {
    return codec;
  }

  /** The bytes the state counts against its bound. */
  synchronized long stateBytes() {
    return stateBytes;
  }

  // ---------------------------------------------------------------- starting operations

  /** Builds an operation of {@code origin} numbered {@code opId}. */
  @FunctionalInterface
  interface OperationFactory {
    Operation make(String origin, long opId);
  }

  /**
   * Sequences the operation {@code factory} builds; completes with its result once every member
   * applied it: a write's or removal's previous value as its encoded {@link Bytes} (see
   * {@link #decoded}; a caller that ignores it never decodes it), a read's decoded value, keys,
   * values or entries, or a {@code Boolean}, {@code Integer}, {@code Long}, or null.
   */
  Future<@Nullable Object> operate(OperationFactory factory) {
    String origin = self.get();
    if (origin == null) {
      return Future.failedFuture(new IllegalStateException("this node is not in a cluster (join first)"));
    }
    long opId = nextId.incrementAndGet();
    Promise<@Nullable Object> result = Promise.promise();
    pendingResults.put(opId, result);
    Future<Void> submitted;
    try {
      submitted = submit.apply(factory.make(origin, opId));
    } catch (RuntimeException e) {
      submitted = Future.failedFuture(e);
    }
    return submitted.transform(ar -> {
      if (result.future().isComplete()) {
        return result.future(); // applied here: the outcome stands even if the acknowledgement was lost
      }
      pendingResults.remove(opId);
      return Future.failedFuture(ar.failed() ? ar.cause() : new IllegalStateException(
          "the coordinator applied a shared-data operation that this member has not applied (it missed the change)"));
    });
  }

  /** {@code outcome} with a value that is still encoded ({@link Bytes}) decoded. */
  Future<@Nullable Object> decoded(Future<@Nullable Object> outcome) {
    return outcome.map(r -> r instanceof Bytes b ? codec.decode(b.unsafeArray()) : r);
  }

  /** Asks for lock {@code name}; fails after {@code timeoutMillis} without it. */
  Future<Lock> acquire(String name, long timeoutMillis) {
    String origin = self.get();
    if (origin == null) {
      return Future.failedFuture(new IllegalStateException("this node is not in a cluster (join first)"));
    }
    long waiterId = nextId.incrementAndGet();
    LocalWaiter waiter = new LocalWaiter(name, timeoutMillis);
    localWaiters.put(waiterId, waiter);
    if (timeoutMillis < UNTIMED_LOCK_MILLIS) {
      waiter.timer = scheduler.schedule(() -> timedOut(waiterId), Duration.ofMillis(timeoutMillis));
    }
    submit.apply(new LockAcquire(origin, waiterId, name)).onFailure(e -> {
      LocalWaiter gone = localWaiters.remove(waiterId);
      if (gone != null) {
        gone.cancelTimer();
        gone.promise.tryFail(e);
        release(name, waiterId); // the request may have been sequenced before its reply was lost
      }
    });
    return waiter.promise.future();
  }

  private void timedOut(long waiterId) {
    LocalWaiter waiter = localWaiters.remove(waiterId);
    if (waiter != null) {
      waiter.promise.tryFail(new VertxException("Timed out waiting to get lock " + waiter.name
          + " (" + waiter.timeoutMillis + " ms)", true));
      release(waiter.name, waiterId);
    }
  }

  /** Releases lock {@code name} held (or waited for) by this member's waiter {@code waiterId}. */
  void release(String name, long waiterId) {
    String origin = self.get();
    if (origin == null) {
      return;
    }
    submit.apply(new LockRelease(origin, waiterId, name)).onFailure(e -> LOG.log(Level.WARNING,
        "lock ''{0}'': the release of waiter {1} was not sequenced (the lock stays held until this node leaves): {2}",
        name, waiterId, e.getMessage()));
  }

  // ---------------------------------------------------------------- local reads (sync map)

  /** This member's value of {@code key} in {@code map}, if any. */
  synchronized @Nullable Bytes localGet(String map, Bytes key) {
    Map<Bytes, Entry> m = maps.get(map);
    Entry e = m == null ? null : m.get(key);
    return e == null ? null : e.value;
  }

  /** The number of entries of {@code map} this member holds. */
  synchronized int localSize(String map) {
    Map<Bytes, Entry> m = maps.get(map);
    return m == null ? 0 : m.size();
  }

  /** A copy of this member's entries of {@code map}. */
  synchronized List<Map.Entry<Bytes, Bytes>> localEntries(String map) {
    Map<Bytes, Entry> m = maps.get(map);
    List<Map.Entry<Bytes, Bytes>> copy = new ArrayList<>(m == null ? 0 : m.size());
    if (m != null) {
      m.forEach((k, e) -> copy.add(new AbstractMap.SimpleImmutableEntry<>(k, e.value)));
    }
    return copy;
  }

  // ---------------------------------------------------------------- applying changes

  /**
   * Applies {@code change} (every member, in sequence order). On a joining member, a change that
   * comes before the snapshot (the coordinator's next change can overtake the reply to the join)
   * is kept and applied right after the snapshot, which never holds it.
   */
  void apply(SharedChange change) {
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      if (!installed) {
        early.add(change);
        return;
      }
      applyLocked(change, after);
    }
    runAll(after);
  }

  // guarded by this
  private void applyLocked(SharedChange change, List<Runnable> after) {
    if (change instanceof Operation op && !firstTime(op.origin(), op.opId())
        || change instanceof LockAcquire a && !firstTime(a.origin(), a.waiterId())) {
      return; // sent again after a coordinator crash, and applied here already
    }
    if (change instanceof MapWrite c) {
      applyWrite(c, after);
    } else if (change instanceof MapReplaceIfPresent c) {
      applyReplaceIfPresent(c, after);
    } else if (change instanceof MapRemove c) {
      Entry old = entry(c.map(), c.key());
      Bytes expected = c.expected();
      boolean removed = old != null && (expected == null || old.value.equals(expected));
      if (removed) {
        remove(c.map(), c.key());
      }
      if (expected == null) {
        deliver(after, c, () -> old == null ? null : old.value);
      } else {
        deliver(after, c, () -> removed);
      }
    } else if (change instanceof MapClear c) {
      Map<Bytes, Entry> m = maps.remove(c.map());
      if (m != null) {
        m.forEach((k, e) -> {
          e.cancelTimer();
          stateBytes -= entryBytes(k, e);
        });
        stateBytes -= nameBytes(c.map());
      }
      deliver(after, c, () -> null);
    } else if (change instanceof MapRead c) {
      applyRead(c, after);
    } else if (change instanceof MapExpire c) {
      Entry e = entry(c.map(), c.key());
      if (e != null && e.opId == c.opId() && e.writer.equals(c.writer())) {
        remove(c.map(), c.key());
      }
    } else if (change instanceof LockAcquire c) {
      applyAcquire(c, after);
    } else if (change instanceof LockRelease c) {
      applyRelease(c.lock(), new Waiter(c.origin(), c.waiterId()), after);
    } else if (change instanceof CounterUpdate c) {
      applyCounter(c, after);
    }
  }

  /** Applies the removal of Vert.x node {@code nodeId}: its locks are released, its waiters dropped. */
  void memberRemoved(String nodeId) {
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      if (!installed) {
        early.add(new RemovedMember(nodeId));
        return;
      }
      memberRemovedLocked(nodeId, after);
    }
    if (nodeId.equals(self.get())) {
      for (Long waiterId : new ArrayList<>(localWaiters.keySet())) {
        LocalWaiter w = localWaiters.remove(waiterId);
        if (w != null) {
          w.cancelTimer();
          w.promise.tryFail(new IllegalStateException("lock '" + w.name + "': this node left the cluster"));
        }
      }
    }
    runAll(after);
  }

  // guarded by this: whether {@code id} of {@code origin} is applied for the first time (and now remembered)
  private boolean firstTime(String origin, long id) {
    LinkedHashSet<Long> ids = appliedIds.computeIfAbsent(origin, o -> new LinkedHashSet<>());
    if (!ids.add(id)) {
      return false;
    }
    if (ids.size() > REMEMBERED_IDS) {
      Iterator<Long> oldest = ids.iterator();
      oldest.next();
      oldest.remove();
    }
    return true;
  }

  // guarded by this
  private void memberRemovedLocked(String nodeId, List<Runnable> after) {
    appliedIds.remove(nodeId);
    for (String name : new ArrayList<>(locks.keySet())) {
      LockState lock = locks.get(name);
      for (Iterator<Waiter> it = lock.queue.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.origin().equals(nodeId)) {
          it.remove();
          stateBytes -= waiterBytes(w);
        }
      }
      if (lock.holder.origin().equals(nodeId)) {
        applyRelease(name, lock.holder, after);
      }
    }
  }

  /**
   * Whether this member is now the coordinator (called after every applied change): a new
   * coordinator arms the expiry timers for the time each entry has left; a former one cancels them.
   */
  void coordinatorIs(boolean now) {
    synchronized (this) {
      if (now) {
        installed = true; // the first member has no snapshot to wait for
      }
      if (now == coordinator) {
        return;
      }
      coordinator = now;
      for (Map.Entry<String, Map<Bytes, Entry>> m : maps.entrySet()) {
        for (Map.Entry<Bytes, Entry> e : m.getValue().entrySet()) {
          if (now && e.getValue().expires) {
            arm(m.getKey(), e.getKey(), e.getValue());
          } else {
            e.getValue().cancelTimer();
          }
        }
      }
    }
  }

  // guarded by this
  private void applyWrite(MapWrite c, List<Runnable> after) {
    Entry old = entry(c.map(), c.key());
    boolean write = switch (c.mode()) {
      case PUT -> true;
      case PUT_IF_ABSENT -> old == null;
      case REPLACE -> old != null;
    };
    if (write) {
      LimitExceededException refused = write(c.map(), c.key(), c.value(), c.origin(), c.opId(), c.ttlMillis(), old);
      if (refused != null) {
        fail(after, c, refused);
        return;
      }
    }
    deliver(after, c, () -> old == null ? null : old.value);
  }

  // guarded by this
  private void applyReplaceIfPresent(MapReplaceIfPresent c, List<Runnable> after) {
    Entry old = entry(c.map(), c.key());
    if (old == null || !old.value.equals(c.expected())) {
      deliver(after, c, () -> false);
      return;
    }
    LimitExceededException refused = write(c.map(), c.key(), c.value(), c.origin(), c.opId(), c.ttlMillis(), old);
    if (refused != null) {
      fail(after, c, refused);
    } else {
      deliver(after, c, () -> true);
    }
  }

  // guarded by this
  private void applyRead(MapRead c, List<Runnable> after) {
    if (!c.origin().equals(self.get())) {
      return; // only the origin computes a read
    }
    Map<Bytes, Entry> m = maps.getOrDefault(c.map(), Map.of());
    switch (c.what()) {
      case GET -> {
        Entry e = c.key() == null ? null : m.get(c.key());
        deliver(after, c, () -> e == null ? null : codec.decode(e.value.unsafeArray()));
      }
      case SIZE -> {
        int size = m.size();
        deliver(after, c, () -> size);
      }
      case KEYS -> {
        List<Bytes> keys = new ArrayList<>(m.keySet());
        deliver(after, c, () -> {
          Set<Object> out = new LinkedHashSet<>();
          for (Bytes k : keys) {
            out.add(codec.decode(k.unsafeArray()));
          }
          return out;
        });
      }
      case VALUES -> {
        List<Bytes> values = new ArrayList<>(m.size());
        m.values().forEach(e -> values.add(e.value));
        deliver(after, c, () -> {
          List<Object> out = new ArrayList<>(values.size());
          for (Bytes v : values) {
            out.add(codec.decode(v.unsafeArray()));
          }
          return out;
        });
      }
      case ENTRIES -> {
        List<Map.Entry<Bytes, Bytes>> entries = new ArrayList<>(m.size());
        m.forEach((k, e) -> entries.add(new AbstractMap.SimpleImmutableEntry<>(k, e.value)));
        deliver(after, c, () -> {
          Map<Object, Object> out = new LinkedHashMap<>();
          for (Map.Entry<Bytes, Bytes> e : entries) {
            out.put(codec.decode(e.getKey().unsafeArray()), codec.decode(e.getValue().unsafeArray()));
          }
          return out;
        });
      }
    }
  }

  // guarded by this
  private void applyAcquire(LockAcquire c, List<Runnable> after) {
    Waiter w = new Waiter(c.origin(), c.waiterId());
    LockState lock = locks.get(c.lock());
    long added = waiterBytes(w) + (lock == null ? nameBytes(c.lock()) : 0);
    if (stateBytes + added > maxStateBytes) {
      refuseWaiter(after, w, limit("lock '" + c.lock() + "': a waiter", added));
    } else if (lock == null) {
      locks.put(c.lock(), new LockState(w));
      stateBytes += added;
      grant(after, c.lock(), w);
    } else if (lock.holder.equals(w) || lock.queue.contains(w)) {
      return; // a repeated request
    } else if (lock.queue.size() >= MAX_LOCK_WAITERS) {
      refuseWaiter(after, w, new LimitExceededException("lock '" + c.lock() + "' has " + lock.queue.size()
          + " waiters; the limit is " + MAX_LOCK_WAITERS, "maxLockWaiters", lock.queue.size() + 1L, MAX_LOCK_WAITERS));
    } else {
      lock.queue.add(w);
      stateBytes += added;
    }
  }

  // guarded by this
  private void applyRelease(String name, Waiter w, List<Runnable> after) {
    LockState lock = locks.get(name);
    if (lock == null) {
      return;
    }
    if (lock.holder.equals(w)) {
      stateBytes -= waiterBytes(w);
      Waiter next = lock.queue.poll();
      if (next == null) {
        locks.remove(name);
        stateBytes -= nameBytes(name);
      } else {
        lock.holder = next;
        grant(after, name, next);
      }
    } else if (lock.queue.remove(w)) {
      stateBytes -= waiterBytes(w);
    }
  }

  // guarded by this
  private void grant(List<Runnable> after, String name, Waiter w) {
    if (w.origin().equals(self.get())) {
      after.add(() -> {
        LocalWaiter waiter = localWaiters.remove(w.waiterId());
        if (waiter != null) {
          waiter.cancelTimer();
          if (waiter.promise.tryComplete(new ClusterLock(this, name, w.waiterId()))) {
            return;
          }
        }
        release(name, w.waiterId()); // nobody waits for it any more (timed out): give it back
      });
    }
  }

  // guarded by this
  private void refuseWaiter(List<Runnable> after, Waiter w, RuntimeException why) {
    if (w.origin().equals(self.get())) {
      after.add(() -> {
        LocalWaiter waiter = localWaiters.remove(w.waiterId());
        if (waiter != null) {
          waiter.cancelTimer();
          waiter.promise.tryFail(why);
        }
      });
    }
  }

  // guarded by this
  private void applyCounter(CounterUpdate c, List<Runnable> after) {
    Long current = counters.get(c.counter());
    long value = current == null ? 0 : current;
    Object result;
    long next = value;
    switch (c.what()) {
      case GET -> result = value;
      case ADD_AND_GET -> {
        next = value + c.a();
        result = next;
      }
      case GET_AND_ADD -> {
        next = value + c.a();
        result = value;
      }
      case COMPARE_AND_SET -> {
        boolean set = value == c.a();
        next = set ? c.b() : value;
        result = set;
      }
      default -> throw new IllegalStateException("unknown counter operation " + c.what());
    }
    if (current == null && c.what() != Change.CounterKind.GET && next != value) {
      long added = nameBytes(c.counter()) + 8;
      if (stateBytes + added > maxStateBytes) {
        fail(after, c, limit("counter '" + c.counter() + "'", added));
        return;
      }
      stateBytes += added;
    }
    if (current != null || next != value) {
      counters.put(c.counter(), next);
    }
    deliver(after, c, () -> result);
  }

  // guarded by this; null if written, else why not
  private @Nullable LimitExceededException write(String map, Bytes key, Bytes value, String writer, long opId,
      long ttlMillis, @Nullable Entry old) {
    Map<Bytes, Entry> m = maps.get(map);
    Entry entry = new Entry(value, writer, opId, ttlMillis > 0,
        ttlMillis > 0 ? ticker.nanos() + TimeUnit.MILLISECONDS.toNanos(ttlMillis) : 0);
    long delta = entryBytes(key, entry) - (old == null ? 0 : entryBytes(key, old)) + (m == null ? nameBytes(map) : 0);
    if (delta > 0 && stateBytes + delta > maxStateBytes) {
      return limit("cluster map '" + map + "': an entry of " + (key.length() + value.length()) + " bytes", delta);
    }
    if (m == null) {
      m = new HashMap<>();
      maps.put(map, m);
    }
    if (old != null) {
      old.cancelTimer();
    }
    m.put(key, entry);
    stateBytes += delta;
    if (entry.expires && coordinator) {
      arm(map, key, entry);
    }
    return null;
  }

  // guarded by this
  private void remove(String map, Bytes key) {
    Map<Bytes, Entry> m = maps.get(map);
    Entry e = m.remove(key);
    e.cancelTimer();
    stateBytes -= entryBytes(key, e);
    if (m.isEmpty()) {
      maps.remove(map);
      stateBytes -= nameBytes(map);
    }
  }

  // guarded by this
  private @Nullable Entry entry(String map, Bytes key) {
    Map<Bytes, Entry> m = maps.get(map);
    return m == null ? null : m.get(key);
  }

  // guarded by this
  private void arm(String map, Bytes key, Entry e) {
    e.cancelTimer();
    long leftNanos = Math.max(0, e.expiresAtNanos - ticker.nanos());
    e.timer = scheduler.schedule(() -> expire(map, key, e), Duration.ofNanos(leftNanos));
  }

  private void expire(String map, Bytes key, Entry e) {
    synchronized (this) {
      if (!coordinator || entry(map, key) != e) {
        return;
      }
      e.timer = null;
    }
    submit.apply(new MapExpire(map, key, e.writer, e.opId)).onFailure(err -> {
      LOG.log(Level.DEBUG, "cluster map ''{0}'': an expiry was not sequenced, retrying in {1}: {2}",
          map, EXPIRY_RETRY, err.getMessage());
      synchronized (this) {
        if (coordinator && entry(map, key) == e && e.timer == null) {
          e.timer = scheduler.schedule(() -> expire(map, key, e), EXPIRY_RETRY);
        }
      }
    });
  }

  private LimitExceededException limit(String what, long addedBytes) {
    long total;
    synchronized (this) {
      total = stateBytes + addedBytes;
    }
    return new LimitExceededException(what + " would bring the cluster's shared data to " + total
        + " bytes; the limit is " + maxStateBytes + " bytes (half of ringstore.cluster.maxFrameBytes,"
        + " so that a joining member's snapshot fits in one frame)", "ringstore.cluster.maxFrameBytes", total, maxStateBytes);
  }

  // guarded by this
  private void deliver(List<Runnable> after, Operation op, Callable<@Nullable Object> result) {
    if (!op.origin().equals(self.get())) {
      return;
    }
    Promise<@Nullable Object> promise = pendingResults.remove(op.opId());
    if (promise != null) {
      after.add(() -> {
        try {
          promise.tryComplete(result.call());
        } catch (Exception e) {
          promise.tryFail(e);
        }
      });
    }
  }

  // guarded by this
  private void fail(List<Runnable> after, Operation op, RuntimeException why) {
    deliver(after, op, () -> {
      throw why;
    });
  }

  private static void runAll(List<Runnable> after) {
    for (Runnable r : after) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a shared-data callback failed", e);
      }
    }
  }

  private static long nameBytes(String name) {
    return name.length() + OVERHEAD_BYTES;
  }

  private static long entryBytes(Bytes key, Entry e) {
    return key.length() + e.value.length() + e.writer.length() + OVERHEAD_BYTES;
  }

  private static long waiterBytes(Waiter w) {
    return w.origin().length() + OVERHEAD_BYTES;
  }

  // ---------------------------------------------------------------- snapshot

  /**
   * Appends the whole state (layout in {@code docs/formats/cluster-channel.md}, "Join snapshot"):
   * maps, counters, locks; an expiring entry carries the milliseconds it has left (at least 1).
   */
  synchronized void writeSnapshot(Buffer out) {
    long now = ticker.nanos();
    out.appendInt(maps.size());
    for (Map.Entry<String, Map<Bytes, Entry>> m : maps.entrySet()) {
      Change.writeString(out, m.getKey());
      out.appendInt(m.getValue().size());
      for (Map.Entry<Bytes, Entry> e : m.getValue().entrySet()) {
        Entry entry = e.getValue();
        Change.writeBytes(out, e.getKey());
        Change.writeBytes(out, entry.value);
        Change.writeString(out, entry.writer);
        out.appendLong(entry.opId);
        long leftNanos = Math.max(0, entry.expiresAtNanos - now);
        out.appendLong(entry.expires ? Math.max(1, (leftNanos + 999_999) / 1_000_000) : 0); // rounded up
      }
    }
    out.appendInt(counters.size());
    for (Map.Entry<String, Long> c : counters.entrySet()) {
      Change.writeString(out, c.getKey());
      out.appendLong(c.getValue());
    }
    out.appendInt(locks.size());
    for (Map.Entry<String, LockState> l : locks.entrySet()) {
      Change.writeString(out, l.getKey());
      writeWaiter(out, l.getValue().holder);
      out.appendInt(l.getValue().queue.size());
      for (Waiter w : l.getValue().queue) {
        writeWaiter(out, w);
      }
    }
    out.appendInt(appliedIds.size());
    for (Map.Entry<String, LinkedHashSet<Long>> o : appliedIds.entrySet()) {
      Change.writeString(out, o.getKey());
      out.appendInt(o.getValue().size());
      for (long id : o.getValue()) {
        out.appendLong(id);
      }
    }
  }

  private static void writeWaiter(Buffer out, Waiter w) {
    Change.writeString(out, w.origin());
    out.appendLong(w.waiterId());
  }

  /**
   * Replaces the state by the snapshot at {@code pos[0]} of {@code in}, advancing it.
   *
   * @throws MalformedClusterMessageException if the bytes there are not a snapshot
   */
  void installSnapshot(Buffer in, int[] pos) {
    Map<String, Map<Bytes, Entry>> newMaps = new HashMap<>();
    Map<String, Long> newCounters = new HashMap<>();
    Map<String, LockState> newLocks = new HashMap<>();
    long bytes = 0;
    long now = ticker.nanos();
    int mapCount = Change.readCount(in, pos, 8, "map");
    for (int i = 0; i < mapCount; i++) {
      String name = Change.readString(in, pos);
      int entries = Change.readCount(in, pos, 28, "map entry");
      Map<Bytes, Entry> m = new HashMap<>();
      bytes += nameBytes(name);
      for (int j = 0; j < entries; j++) {
        Bytes key = Change.readBytes(in, pos);
        Bytes value = Change.readBytes(in, pos);
        String writer = Change.readString(in, pos);
        long opId = Change.readLong(in, pos);
        int at = pos[0];
        long ttlLeft = Change.readLong(in, pos);
        if (ttlLeft < 0) {
          throw new MalformedClusterMessageException("snapshot entry TTL " + ttlLeft + " ms is negative", at);
        }
        Entry e = new Entry(value, writer, opId, ttlLeft > 0, ttlLeft > 0 ? now + TimeUnit.MILLISECONDS.toNanos(ttlLeft) : 0);
        m.put(key, e);
        bytes += entryBytes(key, e);
      }
      if (!m.isEmpty()) {
        newMaps.put(name, m);
      }
    }
    int counterCount = Change.readCount(in, pos, 12, "counter");
    for (int i = 0; i < counterCount; i++) {
      String name = Change.readString(in, pos);
      newCounters.put(name, Change.readLong(in, pos));
      bytes += nameBytes(name) + 8;
    }
    int lockCount = Change.readCount(in, pos, 20, "lock");
    for (int i = 0; i < lockCount; i++) {
      String name = Change.readString(in, pos);
      LockState lock = new LockState(readWaiter(in, pos));
      bytes += nameBytes(name) + waiterBytes(lock.holder);
      int queued = Change.readCount(in, pos, 12, "lock waiter");
      for (int j = 0; j < queued; j++) {
        Waiter w = readWaiter(in, pos);
        lock.queue.add(w);
        bytes += waiterBytes(w);
      }
      newLocks.put(name, lock);
    }
    Map<String, LinkedHashSet<Long>> newIds = new HashMap<>();
    int origins = Change.readCount(in, pos, 8, "origin");
    for (int i = 0; i < origins; i++) {
      String origin = Change.readString(in, pos);
      int count = Change.readCount(in, pos, 8, "operation id");
      LinkedHashSet<Long> ids = new LinkedHashSet<>();
      for (int j = 0; j < count; j++) {
        ids.add(Change.readLong(in, pos));
      }
      newIds.put(origin, ids);
    }
    List<Runnable> after = new ArrayList<>();
    synchronized (this) {
      maps.values().forEach(m -> m.values().forEach(Entry::cancelTimer));
      maps.clear();
      maps.putAll(newMaps);
      counters.clear();
      counters.putAll(newCounters);
      locks.clear();
      locks.putAll(newLocks);
      appliedIds.clear();
      appliedIds.putAll(newIds);
      stateBytes = bytes;
      if (coordinator) {
        newMaps.forEach((name, m) -> m.forEach((k, e) -> {
          if (e.expires) {
            arm(name, k, e);
          }
        }));
      }
      installed = true;
      for (Object change : early) {
        if (change instanceof RemovedMember removed) {
          memberRemovedLocked(removed.nodeId(), after);
        } else {
          applyLocked((SharedChange) change, after);
        }
      }
      early.clear();
    }
    runAll(after);
  }

  private static Waiter readWaiter(Buffer in, int[] pos) {
    return new Waiter(Change.readString(in, pos), Change.readLong(in, pos));
  }

  // ---------------------------------------------------------------- bounds checked at the caller

  /**
   * Checks a map, lock or counter {@code name}.
   *
   * @throws LimitExceededException if it is longer than {@value #MAX_NAME_BYTES} UTF-8 bytes
   */
  static void checkName(String kind, String name) {
    int length = name.getBytes(StandardCharsets.UTF_8).length;
    if (length > MAX_NAME_BYTES) {
      throw new LimitExceededException(kind + " name of " + length + " bytes is too long; the limit is "
          + MAX_NAME_BYTES + " bytes (UTF-8)", "maxNameBytes", length, MAX_NAME_BYTES);
    }
  }

  /**
   * The bytes of map key {@code key}.
   *
   * @throws LimitExceededException if they are longer than {@value #MAX_KEY_BYTES}
   */
  Bytes key(String map, Object key) {
    byte[] bytes = codec.encode(key);
    if (bytes.length > MAX_KEY_BYTES) {
      throw new LimitExceededException("cluster map '" + map + "': a key of " + bytes.length
          + " bytes (encoded) is too long; the limit is " + MAX_KEY_BYTES + " bytes", "maxKeyBytes", bytes.length, MAX_KEY_BYTES);
    }
    return Bytes.of(bytes);
  }

  /**
   * The bytes of map value {@code value}.
   *
   * @throws LimitExceededException if they alone pass the bound of the shared data
   */
  Bytes value(String map, Object value) {
    byte[] bytes = codec.encode(value);
    if (bytes.length > maxStateBytes) {
      throw new LimitExceededException("cluster map '" + map + "': a value of " + bytes.length
          + " bytes (encoded) is larger than all the shared data may be: " + maxStateBytes
          + " bytes (half of ringstore.cluster.maxFrameBytes)", "ringstore.cluster.maxFrameBytes", bytes.length, maxStateBytes);
    }
    return Bytes.of(bytes);
  }

  // ---------------------------------------------------------------- state records

  /** A map entry; {@code timer} is armed on the coordinator only. */
  private static final class Entry {
    final Bytes value;
    final String writer;
    final long opId;
    final boolean expires;
    final long expiresAtNanos; // on this member's ticker
    // guarded by the SharedState
    Scheduler.@Nullable Cancellable timer;

    Entry(Bytes value, String writer, long opId, boolean expires, long expiresAtNanos) {
      this.value = value;
      this.writer = writer;
      this.opId = opId;
      this.expires = expires;
      this.expiresAtNanos = expiresAtNanos;
    }

    void cancelTimer() {
      Scheduler.Cancellable t = timer;
      if (t != null) {
        t.cancel();
        timer = null;
      }
    }
  }

  /** The removal of a member, kept while a joining member waits for its snapshot. */
  private record RemovedMember(String nodeId) {}

  /** A waiter for a lock: the Vert.x node that asked and its number for the request. */
  private record Waiter(String origin, long waiterId) {}

  /** A held lock and its FIFO queue. */
  private static final class LockState {
    Waiter holder;
    final ArrayDeque<Waiter> queue = new ArrayDeque<>();

    LockState(Waiter holder) {
      this.holder = holder;
    }
  }

  /** A lock request of this member, until it is granted, refused or times out. */
  private static final class LocalWaiter {
    final String name;
    final long timeoutMillis;
    final Promise<Lock> promise = Promise.promise();
    volatile Scheduler.@Nullable Cancellable timer;

    LocalWaiter(String name, long timeoutMillis) {
      this.name = name;
      this.timeoutMillis = timeoutMillis;
    }

    void cancelTimer() {
      Scheduler.Cancellable t = timer;
      if (t != null) {
        t.cancel();
      }
    }
  }
}
