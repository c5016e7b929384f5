package io.ringstore.spi;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A version vector: for each actor (a node that coordinates writes), how many of its writes a
 * version has seen. Together with the {@link Dot} of each sibling it forms a dotted version
 * vector (Preguiça et al.; Riak 2.0): the clock of a {@link StoredRecord} is its causal context,
 * and each sibling's dot names the one write that produced it.
 *
 * <p>Each entry also carries the wall-clock millis at which its actor last advanced it, so that a
 * clock grown past its bound can drop the entries that changed longest ago ({@link #prune}), as
 * Riak prunes. Pruning never loses data; at worst it turns a later comparison into
 * {@link Causality#CONCURRENT}, which keeps both versions as siblings.
 *
 * <p>Invariants: actors are unique and sorted; every counter is {@code >= 1}.
 * <p>Thread-safety: immutable.
 */
public final class VectorClock {

  /** The clock that has seen nothing. */
  public static final VectorClock EMPTY = new VectorClock(new String[0], new long[0]);

  private final String[] actors;
  // Entry i's counter at [2i], its stamp (wall millis) at [2i + 1]: one array per clock, so that
  // advancing a clock copies one array, not two. Null for a one-entry clock (the clock of every
  // key of a single-node store), whose entry is held in counter0 and stamp0: advancing it, on
  // every write, allocates the clock object alone.
  private final long @Nullable [] entries;
  private final long counter0;
  private final long stamp0;

  private VectorClock(String[] actors, long[] entries) {
    this.actors = actors;
    if (actors.length == 1) {
      this.entries = null;
      this.counter0 = entries[0];
      this.stamp0 = entries[1];
    } else {
      this.entries = entries;
      this.counter0 = 0;
      this.stamp0 = 0;
    }
  }

  /** A one-entry clock. */
  private VectorClock(String[] actors, long counter0, long stamp0) {
    this.actors = actors;
    this.entries = null;
    this.counter0 = counter0;
    this.stamp0 = stamp0;
  }

  /** The counter of entry {@code i} (in range). */
  private long counterOf(int i) {
    long[] e = entries;
    return e == null ? counter0 : e[2 * i];
  }

  /** The stamp of entry {@code i} (in range). */
  private long stampOf(int i) {
    long[] e = entries;
    return e == null ? stamp0 : e[2 * i + 1];
  }

  /** Fails as an array access out of range would, for {@link #counterAt} and {@link #stampMillisAt}. */
  private void checkIndex(int index) {
    if (index < 0 || index >= actors.length) {
      throw new ArrayIndexOutOfBoundsException("Index " + index + " out of bounds for length " + actors.length);
    }
  }

  /** The entries as one interleaved array (a new one for a one-entry clock; never to be written). */
  private long[] entryArray() {
    long[] e = entries;
    return e == null ? new long[] {counter0, stamp0} : e;
  }

  /** A clock of one entry. */
  public static VectorClock of(String actor, long counter, long stampMillis) {
    return EMPTY.advance(new Dot(actor, counter), stampMillis);
  }

  /**
   * A clock from its entries in order (for decoders): {@code actors} strictly ascending (by
   * {@link String#compareTo}), each non-empty, with its counter ({@code >= 1}) and stamp
   * ({@code >= 0} wall millis).
   *
   * @throws IllegalArgumentException naming the entry that breaks a rule
   */
  public static VectorClock ofEntries(String[] actors, long[] counters, long[] stampsMillis) {
    int n = actors.length;
    if (counters.length != n || stampsMillis.length != n) {
      throw new IllegalArgumentException("vector clock entries: " + n + " actors, " + counters.length + " counters, "
          + stampsMillis.length + " stamps; need as many of each");
    }
    String[] a = actors.clone();
    long[] e = new long[2 * n];
    for (int i = 0; i < n; i++) {
      if (a[i] == null || a[i].isEmpty()) {
        throw new IllegalArgumentException("vector clock entry " + i + ": actor must not be empty");
      }
      if (i > 0 && a[i - 1].compareTo(a[i]) >= 0) {
        throw new IllegalArgumentException("vector clock entry " + i + ": actor '" + a[i] + "' is not after '" + a[i - 1]
            + "'; actors must be strictly ascending");
      }
      if (counters[i] < 1) {
        throw new IllegalArgumentException("vector clock entry " + i + ": counter = " + counters[i] + "; need >= 1");
      }
      if (stampsMillis[i] < 0) {
        throw new IllegalArgumentException("vector clock entry " + i + ": stamp = " + stampsMillis[i] + "; need >= 0");
      }
      e[2 * i] = counters[i];
      e[2 * i + 1] = stampsMillis[i];
    }
    return n == 0 ? EMPTY : new VectorClock(a, e);
  }

  /** Builds a clock from its entries (for decoding); stamps default to 0. */
  public static VectorClock of(Map<String, Long> counters) {
    var sorted = new TreeMap<>(counters);
    String[] actors = new String[sorted.size()];
    long[] values = new long[2 * sorted.size()];
    int i = 0;
    for (var e : sorted.entrySet()) {
      if (e.getKey().isEmpty()) {
        throw new IllegalArgumentException("vector clock actor must not be empty");
      }
      if (e.getValue() < 1) {
        throw new IllegalArgumentException("vector clock counter for '" + e.getKey() + "' = " + e.getValue() + "; need >= 1");
      }
      actors[i] = e.getKey();
      values[2 * i++] = e.getValue();
    }
    return new VectorClock(actors, values);
  }

  /** The number of actors this clock has seen. */
  public int size() {
    return actors.length;
  }

  /** The actor of entry {@code index}, in sorted order. */
  public String actor(int index) {
    return actors[index];
  }

  /** The counter of entry {@code index}. */
  public long counterAt(int index) {
    checkIndex(index);
    return counterOf(index);
  }

  /** The wall millis at which entry {@code index} last advanced. */
  public long stampMillisAt(int index) {
    checkIndex(index);
    return stampOf(index);
  }

  /** How many writes of {@code actor} this clock has seen (0 if none). */
  public long counter(String actor) {
    int i = indexOf(actor);
    return i >= 0 ? counterOf(i) : 0;
  }

  /** Whether this clock has seen the write named by {@code dot}. */
  public boolean covers(Dot dot) {
    return counter(dot.actor()) >= dot.counter();
  }

  /** The dot of the next write {@code actor} coordinates on top of this clock. */
  public Dot nextDot(String actor) {
    return new Dot(actor, counter(actor) + 1);
  }

  /** This clock having also seen {@code dot}, stamped at {@code stampMillis}. */
  public VectorClock advance(Dot dot, long stampMillis) {
    requireNonNull(dot, "dot");
    return advance(dot.actor(), dot.counter(), stampMillis);
  }

  /** {@link #advance(Dot, long)} of the dot ({@code actor}, {@code counter}), without making the dot. */
  public VectorClock advance(String actor, long counter, long stampMillis) {
    requireNonNull(actor, "actor");
    int i = indexOf(actor);
    if (i >= 0) {
      if (counterOf(i) >= counter) {
        return this;
      }
      if (actors.length == 1) {
        // the common clock of a single-node store: build its one entry directly
        return new VectorClock(actors, counter, Math.max(stamp0, stampMillis));
      }
      long[] e = entryArray().clone();
      e[2 * i] = counter;
      e[2 * i + 1] = Math.max(e[2 * i + 1], stampMillis);
      return new VectorClock(actors, e);
    }
    int at = -i - 1;
    int n = actors.length;
    String[] a = new String[n + 1];
    long[] e = new long[2 * (n + 1)];
    System.arraycopy(actors, 0, a, 0, at);
    long[] mine = entryArray();
    System.arraycopy(mine, 0, e, 0, 2 * at);
    a[at] = actor;
    e[2 * at] = counter;
    e[2 * at + 1] = stampMillis;
    System.arraycopy(actors, at, a, at + 1, n - at);
    System.arraycopy(mine, 2 * at, e, 2 * at + 2, 2 * (n - at));
    return new VectorClock(a, e);
  }

  /**
   * The index of {@code actor}'s entry, or {@code -(insertion point) - 1} as
   * {@link Arrays#binarySearch}. A one-entry clock, the common case, is answered by
   * {@code equals} (which short-cuts on the identical node-id string) without a comparison.
   */
  private int indexOf(String actor) {
    if (actors.length == 1 && actors[0].equals(actor)) {
      return 0;
    }
    return Arrays.binarySearch(actors, actor);
  }

  /** How this clock relates to {@code other}. */
  public Causality compare(VectorClock other) {
    boolean thisAhead = false;
    boolean otherAhead = false;
    int i = 0;
    int j = 0;
    while (i < actors.length || j < other.actors.length) {
      int cmp;
      if (i == actors.length) {
        cmp = 1;
      } else if (j == other.actors.length) {
        cmp = -1;
      } else {
        cmp = actors[i].compareTo(other.actors[j]);
      }
      if (cmp < 0) {
        thisAhead = true;
        i++;
      } else if (cmp > 0) {
        otherAhead = true;
        j++;
      } else {
        if (counterOf(i) > other.counterOf(j)) {
          thisAhead = true;
        } else if (counterOf(i) < other.counterOf(j)) {
          otherAhead = true;
        }
        i++;
        j++;
      }
      if (thisAhead && otherAhead) {
        return Causality.CONCURRENT;
      }
    }
    return thisAhead ? Causality.AFTER : otherAhead ? Causality.BEFORE : Causality.EQUAL;
  }

  /** Whether this clock has seen every event {@code other} has seen. */
  public boolean descendsFrom(VectorClock other) {
    Causality c = compare(other);
    return c == Causality.AFTER || c == Causality.EQUAL;
  }

  /** The least clock that has seen everything this and {@code other} have seen (pointwise max). */
  public VectorClock merge(VectorClock other) {
    if (other.actors.length == 0 || other == this) {
      return this;
    }
    if (actors.length == 0) {
      return other;
    }
    int n = actors.length + other.actors.length;
    String[] a = new String[n];
    long[] e = new long[2 * n];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < actors.length || j < other.actors.length) {
      int cmp = i == actors.length ? 1 : j == other.actors.length ? -1 : actors[i].compareTo(other.actors[j]);
      if (cmp < 0) {
        a[k] = actors[i];
        e[2 * k] = counterOf(i);
        e[2 * k++ + 1] = stampOf(i++);
      } else if (cmp > 0) {
        a[k] = other.actors[j];
        e[2 * k] = other.counterOf(j);
        e[2 * k++ + 1] = other.stampOf(j++);
      } else {
        a[k] = actors[i];
        e[2 * k] = Math.max(counterOf(i), other.counterOf(j));
        e[2 * k++ + 1] = Math.max(stampOf(i++), other.stampOf(j++));
      }
    }
    return k == n ? new VectorClock(a, e) : new VectorClock(Arrays.copyOf(a, k), Arrays.copyOf(e, 2 * k));
  }

  /**
   * This clock with at most {@code maxEntries} entries: the entries whose actors advanced longest
   * ago are dropped first (ties: the smaller actor id). Returns {@code this} when within bound.
   */
  public VectorClock prune(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxClockEntries = " + maxEntries + " is out of range; need >= 1");
    }
    if (actors.length <= maxEntries) {
      return this;
    }
    Integer[] order = new Integer[actors.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // newest first; keep the first maxEntries
    Arrays.sort(order, (x, y) -> {
      int byStamp = Long.compare(stampOf(y), stampOf(x));
      return byStamp != 0 ? byStamp : actors[y].compareTo(actors[x]);
    });
    Integer[] kept = Arrays.copyOf(order, maxEntries);
    Arrays.sort(kept);
    String[] a = new String[maxEntries];
    long[] e = new long[2 * maxEntries];
    for (int k = 0; k < maxEntries; k++) {
      a[k] = actors[kept[k]];
      e[2 * k] = counterOf(kept[k]);
      e[2 * k + 1] = stampOf(kept[k]);
    }
    return new VectorClock(a, e);
  }

  /** Equality of the causal content (actors and counters); stamps are bookkeeping and ignored. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof VectorClock that) || !Arrays.equals(actors, that.actors)) {
      return false;
    }
    for (int i = 0; i < actors.length; i++) {
      if (counterOf(i) != that.counterOf(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    // the actors' hash and the counters' hash as Arrays.hashCode would give them
    int countersHash = 1;
    for (int i = 0; i < actors.length; i++) {
      countersHash = 31 * countersHash + Long.hashCode(counterOf(i));
    }
    return 31 * Arrays.hashCode(actors) + countersHash;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < actors.length; i++) {
      text.append(i == 0 ? "" : ", ").append(actors[i]).append('=').append(counterOf(i));
    }
    return text.append('}').toString();
  }
}
