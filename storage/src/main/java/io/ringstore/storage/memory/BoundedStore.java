package io.ringstore.storage.memory;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.CapacityExceededException;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.RecordUpdate;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.env.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The store of an engine with a bound ({@code maxEntries}, {@code maxBytes} or both).
 *
 * <h2>Design</h2>
 * Records live in a {@link ConcurrentHashMap} from key to {@link Node}; reads look the node up
 * without locking. The bounds and the {@link EvictionOrder} are guarded by one lock per store.
 * A {@link #compute} runs inside the map's per-key compute (so it is atomic per key) in three
 * steps:
 * <ol>
 *   <li>under the lock, <em>pin</em> the key's node, so that eviction cannot pick it while the
 *       caller's update runs;</li>
 *   <li>run the caller's {@link RecordUpdate} outside the lock (it may be slow, and it must not
 *       block other keys);</li>
 *   <li>under the lock, charge the result to the bounds. When it does not fit, pick victims from
 *       the front of the eviction order (skipping pinned nodes, so never the key being written),
 *       or refuse with {@link CapacityExceededException} before changing anything when too few
 *       entries are evictable (no-eviction takes only records that have already expired;
 *       volatile-TTL only records that have an expiry). Victims are <em>retired</em>: taken out
 *       of the order and the counts at once, so the bound holds the moment the lock is released,
 *       and treated as absent by every reader.</li>
 * </ol>
 * The map forbids touching other keys from inside a compute, so retired victims leave the map
 * right after the compute returns, and only then is the removal listener told (outside every
 * lock). A compute that meets a retired node treats its key as absent.
 *
 * <p>Reads record their access (LRU, LFU) only if the lock is free ({@code tryLock}): under
 * contention an access record is dropped, which makes the order approximate but never blocks a
 * reader. Expired records met by a read or an iteration are removed and reported as
 * {@link RemovalCause#EXPIRED}; a victim that has already expired is reported as expired too.
 *
 * <p>Invariants (when no compute is running, see {@link #checkInvariants()}): {@code entries} is
 * the number of non-retired nodes in the map and {@code weightBytes} the sum of their weights;
 * {@code entries <= maxEntries} and {@code weightBytes <= maxBytes}; the eviction order holds
 * exactly the non-retired nodes (for volatile-TTL: those with an expiry).
 *
 * <p>Thread-safety: thread-safe. Lock order: a map bin, then the store lock; never the reverse.
 */
final class BoundedStore implements Store {

  // constant after construction
  private final ConcurrentHashMap<Bytes, Node> map = new ConcurrentHashMap<>();
  private final String cacheName;
  private final long maxEntries;
  private final long maxBytes;
  private final EvictionPolicy policy;
  private final Clock clock;
  private final RemovalListener removalListener;
  private final EvictionOrder order;
  private final boolean recordsReads;
  private final boolean onlyExpired;
  private final ReentrantLock lock = new ReentrantLock();

  // guarded by lock
  private long entries;
  private long weightBytes;
  private long sequence;

  // counters, updated outside the lock
  private final LongAdder evictions = new LongAdder();
  private final LongAdder expirations = new LongAdder();

  BoundedStore(EngineSettings settings) {
    this.cacheName = settings.cacheName();
    this.maxEntries = settings.maxEntries();
    this.maxBytes = settings.maxBytes();
    this.policy = settings.evictionPolicy();
    this.clock = settings.env().clock();
    this.removalListener = settings.removalListener();
    this.order = EvictionOrder.of(policy);
    this.recordsReads = order.recordsReads();
    this.onlyExpired = order.takesOnlyExpired();
  }

  @Override
  public @Nullable StoredRecord get(Bytes key) {
    Node node = map.get(key);
    if (node == null) {
      return null;
    }
    StoredRecord record = node.record;
    if (node.state == Node.RETIRED) {
      return null;
    }
    if (record.hasExpiry() && record.isExpiredAt(clock.millis())) {
      expire(node, record);
      return null;
    }
    if (recordsReads && lock.tryLock()) {
      try {
        if (node.state != Node.RETIRED) {
          order.onRead(node);
        }
      } finally {
        lock.unlock();
      }
    }
    return record;
  }

  @Override
  public @Nullable StoredRecord compute(Bytes key, RecordUpdate update) {
    Write write = new Write(update);
    try {
      map.compute(key, write);
    } finally {
      write.releaseVictims();
    }
    return write.stored;
  }

  /** One compute: the map's remapping function, and the victims it retired. */
  private final class Write implements BiFunction<Bytes, @Nullable Node, @Nullable Node> {
    private final RecordUpdate update;
    private @Nullable StoredRecord stored;
    private @Nullable List<Node> victims;

    Write(RecordUpdate update) {
      this.update = update;
    }

    @Override
    public @Nullable Node apply(Bytes key, @Nullable Node node) {
      Node live = pin(node);
      StoredRecord current = live == null ? null : live.record;
      StoredRecord next;
      try {
        next = update.apply(key, current);
      } catch (RuntimeException | Error e) {
        unpin(live);
        throw e;
      }
      stored = next;
      if (next == current) {
        unpin(live);
        return node;
      }
      lock.lock();
      try {
        if (next == null) {
          retire(live);
          return null;
        }
        long recordBytes = next.weightBytes(key.length());
        if (recordBytes > maxBytes) {
          throw new LimitExceededException(String.format(
              "cache '%s': a record of %d bytes (key %d bytes) is larger than the whole bound maxBytes = %d; nothing was stored",
              cacheName, recordBytes, key.length(), maxBytes), "maxBytes", recordBytes, maxBytes);
        }
        long oldBytes = live == null ? 0 : live.weightBytes;
        makeRoom(live == null ? 1 : 0, recordBytes - oldBytes);
        if (live == null) {
          Node created = new Node(key, next, recordBytes, sequence++);
          entries++;
          weightBytes += recordBytes;
          order.onInsert(created);
          return created;
        }
        live.record = next;
        live.weightBytes = recordBytes;
        weightBytes += recordBytes - oldBytes;
        order.onWrite(live);
        live.state = Node.LIVE;
        return live;
      } catch (RuntimeException | Error e) {
        if (live != null && live.state == Node.PINNED) {
          live.state = Node.LIVE;
        }
        stored = null;
        throw e;
      } finally {
        lock.unlock();
      }
    }

    /**
     * Frees room for a change of {@code addEntries} entries and {@code addBytes} bytes, retiring
     * victims in eviction order, or throws before retiring any if the policy cannot free enough.
     */
    private void makeRoom(long addEntries, long addBytes) {
      long overEntries = entries + addEntries - maxEntries;
      long overBytes = weightBytes + addBytes - maxBytes;
      if (overEntries <= 0 && overBytes <= 0) {
        return;
      }
      List<Node> chosen = new ArrayList<>(2);
      long freedEntries = 0;
      long freedBytes = 0;
      long nowMillis = onlyExpired ? clock.millis() : 0;
      Iterator<Node> candidates = order.evictionCandidates();
      while ((freedEntries < overEntries || freedBytes < overBytes) && candidates.hasNext()) {
        Node candidate = candidates.next();
        if (onlyExpired && !candidate.record.isExpiredAt(nowMillis)) {
          break; // soonest expiry first: nothing further on has expired either
        }
        if (candidate.state == Node.LIVE) { // a pinned node is being written: never its victim
          chosen.add(candidate);
          freedEntries++;
          freedBytes += candidate.weightBytes;
        }
      }
      if (freedEntries < overEntries) {
        throw new CapacityExceededException(cacheName, "maxEntries", entries + addEntries, maxEntries, policy);
      }
      if (freedBytes < overBytes) {
        throw new CapacityExceededException(cacheName, "maxBytes", weightBytes + addBytes, maxBytes, policy);
      }
      for (Node victim : chosen) {
        retire(victim);
      }
      if (victims == null) {
        victims = chosen;
      } else {
        victims.addAll(chosen);
      }
    }

    /** After the compute: takes the retired victims out of the map and reports them. */
    void releaseVictims() {
      List<Node> retired = victims;
      if (retired == null) {
        return;
      }
      victims = null;
      // every victim leaves the map before the listener hears of any, so that a listener that
      // breaks its contract by throwing cannot leave retired nodes behind
      RemovalCause[] causes = new RemovalCause[retired.size()];
      for (int i = 0; i < causes.length; i++) {
        Node victim = retired.get(i);
        map.remove(victim.key, victim); // fails if a compute has already replaced the retired node
        StoredRecord record = victim.record;
        boolean expired = record.hasExpiry() && record.isExpiredAt(clock.millis());
        (expired ? expirations : evictions).increment();
        causes[i] = expired ? RemovalCause.EXPIRED : RemovalCause.EVICTED;
      }
      for (int i = 0; i < causes.length; i++) {
        Node victim = retired.get(i);
        removalListener.onRemoval(victim.key, victim.record, causes[i]);
      }
    }
  }

  /** Pins {@code node} if it is live; returns it, or {@code null} if the key is absent. */
  private @Nullable Node pin(@Nullable Node node) {
    if (node == null) {
      return null;
    }
    lock.lock();
    try {
      if (node.state != Node.LIVE) {
        return null; // retired: evicted or expired, leaving the map
      }
      node.state = Node.PINNED;
      return node;
    } finally {
      lock.unlock();
    }
  }

  private void unpin(@Nullable Node node) {
    if (node != null) {
      lock.lock();
      try {
        node.state = Node.LIVE;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Takes {@code node} out of the order and the counts. Caller holds the lock. */
  private void retire(Node node) {
    order.remove(node);
    node.state = Node.RETIRED;
    entries--;
    weightBytes -= node.weightBytes;
  }

  /** Removes {@code node} if it still holds {@code record}, and reports it as expired. */
  private void expire(Node node, StoredRecord record) {
    boolean[] removed = new boolean[1];
    map.computeIfPresent(node.key, (k, n) -> {
      if (n != node) {
        return n;
      }
      lock.lock();
      try {
        if (n.state != Node.LIVE || n.record != record) {
          return n;
        }
        retire(n);
      } finally {
        lock.unlock();
      }
      removed[0] = true;
      return null;
    });
    if (removed[0]) {
      expirations.increment();
      removalListener.onRemoval(node.key, record, RemovalCause.EXPIRED);
    }
  }

  @Override
  public Iterator<EngineEntry> iterator() {
    Iterator<Node> source = map.values().iterator();
    return new Iterator<>() {
      private @Nullable EngineEntry next;

      @Override
      public boolean hasNext() {
        while (next == null && source.hasNext()) {
          Node node = source.next();
          StoredRecord record = node.record;
          if (node.state == Node.RETIRED) {
            continue;
          }
          if (record.hasExpiry() && record.isExpiredAt(clock.millis())) {
            expire(node, record);
          } else {
            next = new EngineEntry(node.key, record);
          }
        }
        return next != null;
      }

      @Override
      public EngineEntry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        EngineEntry result = next;
        next = null;
        return result;
      }
    };
  }

  @Override
  public void clear() {
    for (Bytes key : map.keySet()) {
      map.computeIfPresent(key, (k, n) -> {
        lock.lock();
        try {
          if (n.state != Node.RETIRED) {
            retire(n);
          }
        } finally {
          lock.unlock();
        }
        return null;
      });
    }
  }

  @Override
  public EngineStats stats() {
    long e;
    long w;
    lock.lock();
    try {
      e = entries;
      w = weightBytes;
    } finally {
      lock.unlock();
    }
    return new EngineStats(e, w, evictions.sum(), expirations.sum());
  }

  @Override
  public long expirationCount() {
    return expirations.sum();
  }

  /**
   * Checks the invariants of the class comment (tests; O(n)). Call only when no compute runs.
   *
   * @throws IllegalStateException naming the broken invariant
   */
  void checkInvariants() {
    lock.lock();
    try {
      List<Node> live = new ArrayList<>();
      long bytes = 0;
      for (Node n : map.values()) {
        if (n.state == Node.RETIRED) {
          throw new IllegalStateException("retired node left in the map: " + n);
        }
        if (n.state == Node.PINNED) {
          throw new IllegalStateException("node left pinned: " + n);
        }
        if (n.weightBytes != n.record.weightBytes(n.key.length())) {
          throw new IllegalStateException("node weight " + n.weightBytes + " is not its record's weight: " + n);
        }
        live.add(n);
        bytes += n.weightBytes;
      }
      if (live.size() != entries || bytes != weightBytes) {
        throw new IllegalStateException("counts say " + entries + " entries / " + weightBytes + " bytes, map holds "
            + live.size() + " / " + bytes);
      }
      if (entries > maxEntries || weightBytes > maxBytes) {
        throw new IllegalStateException("bound passed: " + entries + " entries (maxEntries = " + maxEntries + "), "
            + weightBytes + " bytes (maxBytes = " + maxBytes + ")");
      }
      order.check(live);
    } finally {
      lock.unlock();
    }
  }
}
