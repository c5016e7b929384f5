package io.ringstore.storage.lsm.memtable;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.Bytes;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The newest writes of an LSM engine, sorted by key, each version under the sequence number the
 * engine gave it, until the memtable is frozen and flushed to a table.
 *
 * <p>An entry is a value (the encoded record) or a deletion marker. Versions of one key are kept
 * newest first, so a read at a snapshot (a sequence number) sees the newest version at or below it,
 * and an iterator walks keys in unsigned byte order giving each key's visible version once.
 *
 * <p>Invariants: sequence numbers of one key are unique (the engine assigns them, increasing);
 * after {@link #freeze()} nothing is added. {@link #approximateBytes()} grows with every add by
 * the key and value lengths plus {@value #ENTRY_OVERHEAD_BYTES}; the engine flushes when it passes
 * its threshold.
 *
 * <p>Thread-safety: thread-safe; adds and reads run concurrently (a concurrent skip list), and a
 * read or iterator sees every add that completed before it began.
 */
public final class Memtable {

  /** Bytes charged per entry on top of its key and value (skip-list node and version key). */
  public static final int ENTRY_OVERHEAD_BYTES = 64;

  private final ConcurrentSkipListMap<Version, Entry> entries = new ConcurrentSkipListMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private volatile boolean frozen;

  /** What a key holds at a sequence number: a value, or a deletion marker ({@code value == null}). */
  public record Entry(Bytes key, long sequence, byte @Nullable [] value) {
    public Entry {
      requireNonNull(key, "key");
    }

    /** Whether this entry marks a deletion. */
    public boolean isDeletion() {
      return value == null;
    }
  }

  /** Orders versions by key (unsigned bytes), then newest sequence first. */
  private record Version(Bytes key, long sequence) implements Comparable<Version> {
    @Override
    public int compareTo(Version other) {
      int byKey = key.compareTo(other.key);
      return byKey != 0 ? byKey : Long.compare(other.sequence, sequence);
    }
  }

  /**
   * Adds version {@code sequence} of {@code key}: {@code value} bytes, or a deletion marker if
   * {@code null}. The array is the memtable's from now on.
   *
   * @throws IllegalStateException if the memtable is frozen, or {@code sequence} is already used
   *     for {@code key}
   */
  public void add(Bytes key, long sequence, byte @Nullable [] value) {
    requireNonNull(key, "key");
    if (frozen) {
      throw new IllegalStateException("memtable is frozen: it takes no more writes (sequence " + sequence + ")");
    }
    Entry previous = entries.putIfAbsent(new Version(key, sequence), new Entry(key, sequence, value));
    if (previous != null) {
      throw new IllegalStateException("sequence " + sequence + " is already used for key " + key);
    }
    bytes.addAndGet(key.length() + (value == null ? 0 : value.length) + ENTRY_OVERHEAD_BYTES);
  }

  /**
   * The newest version of {@code key} whose sequence is at most {@code snapshot}, or {@code null} if
   * this memtable has none (the key may still be in older tables; a deletion marker is returned as
   * an entry, since it hides those).
   */
  public @Nullable Entry get(Bytes key, long snapshot) {
    Map.Entry<Version, Entry> found = entries.ceilingEntry(new Version(key, snapshot));
    return found != null && found.getKey().key().equals(key) ? found.getValue() : null;
  }

  /**
   * The visible version of each key from {@code from} (inclusive; {@code null}: the first key) in
   * key order, at {@code snapshot}: for each key the newest version with a sequence at most
   * {@code snapshot}, deletion markers included. Weakly consistent: it may or may not see adds made
   * while it runs, but never sees a version above the snapshot.
   */
  public Iterator<Entry> iterator(@Nullable Bytes from, long snapshot) {
    ConcurrentNavigableMap<Version, Entry> view = from == null ? entries
        : entries.tailMap(new Version(from, Long.MAX_VALUE), true);
    Iterator<Entry> versions = view.values().iterator();
    return new Iterator<>() {
      private @Nullable Entry next;
      private @Nullable Bytes lastKey;

      @Override
      public boolean hasNext() {
        while (next == null && versions.hasNext()) {
          Entry e = versions.next();
          if (e.sequence() <= snapshot && !e.key().equals(lastKey)) {
            next = e;
            lastKey = e.key();
          }
        }
        return next != null;
      }

      @Override
      public Entry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Entry e = next;
        next = null;
        return e;
      }
    };
  }

  /** Stops taking writes: the memtable is ready to be flushed. Idempotent. */
  public void freeze() {
    frozen = true;
  }

  /** Whether {@link #freeze()} was called. */
  public boolean isFrozen() {
    return frozen;
  }

  /** The bytes charged so far: keys, values and {@value #ENTRY_OVERHEAD_BYTES} per entry. */
  public long approximateBytes() {
    return bytes.get();
  }

  /** The number of versions held (every add, deletion markers included). */
  public int versions() {
    return entries.size();
  }

  /** Whether nothing was added. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }
}
