package io.ringstore.spi;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

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
  public static final VectorClock EMPTY = new VectorClock(new String[0], new long[0], new long[0]);

  private final String[] actors;
  private final long[] counters;
  private final long[] stampsMillis;

  private VectorClock(String[] actors, long[] counters, long[] stampsMillis) {
    this.actors = actors;
    this.counters = counters;
    this.stampsMillis = stampsMillis;
  }

  /** A clock of one entry. */
  public static VectorClock of(String actor, long counter, long stampMillis) {
    return EMPTY.advance(new Dot(actor, counter), stampMillis);
  }

  /** Builds a clock from its entries (for decoding); stamps default to 0. */
  public static VectorClock of(Map<String, Long> counters) {
    var sorted = new TreeMap<>(counters);
    String[] actors = new String[sorted.size()];
    long[] values = new long[sorted.size()];
    int i = 0;
    for (var e : sorted.entrySet()) {
      if (e.getKey().isEmpty()) {
        throw new IllegalArgumentException("vector clock actor must not be empty");
      }
      if (e.getValue() < 1) {
        throw new IllegalArgumentException("vector clock counter for '" + e.getKey() + "' = " + e.getValue() + "; need >= 1");
      }
      actors[i] = e.getKey();
      values[i++] = e.getValue();
    }
    return new VectorClock(actors, values, new long[actors.length]);
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
    return counters[index];
  }

  /** The wall millis at which entry {@code index} last advanced. */
  public long stampMillisAt(int index) {
    return stampsMillis[index];
  }

  /** How many writes of {@code actor} this clock has seen (0 if none). */
  public long counter(String actor) {
    int i = indexOf(actor);
    return i >= 0 ? counters[i] : 0;
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
    int i = indexOf(dot.actor());
    if (i >= 0) {
      if (counters[i] >= dot.counter()) {
        return this;
      }
      if (actors.length == 1) {
        // the common clock of a single-node store: build the two one-element arrays directly
        return new VectorClock(actors, new long[] {dot.counter()}, new long[] {Math.max(stampsMillis[0], stampMillis)});
      }
      long[] newCounters = counters.clone();
      long[] newStamps = stampsMillis.clone();
      newCounters[i] = dot.counter();
      newStamps[i] = Math.max(newStamps[i], stampMillis);
      return new VectorClock(actors, newCounters, newStamps);
    }
    int at = -i - 1;
    int n = actors.length;
    String[] a = new String[n + 1];
    long[] c = new long[n + 1];
    long[] s = new long[n + 1];
    System.arraycopy(actors, 0, a, 0, at);
    System.arraycopy(counters, 0, c, 0, at);
    System.arraycopy(stampsMillis, 0, s, 0, at);
    a[at] = dot.actor();
    c[at] = dot.counter();
    s[at] = stampMillis;
    System.arraycopy(actors, at, a, at + 1, n - at);
    System.arraycopy(counters, at, c, at + 1, n - at);
    System.arraycopy(stampsMillis, at, s, at + 1, n - at);
    return new VectorClock(a, c, s);
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
        if (counters[i] > other.counters[j]) {
          thisAhead = true;
        } else if (counters[i] < other.counters[j]) {
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
    long[] c = new long[n];
    long[] s = new long[n];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < actors.length || j < other.actors.length) {
      int cmp = i == actors.length ? 1 : j == other.actors.length ? -1 : actors[i].compareTo(other.actors[j]);
      if (cmp < 0) {
        a[k] = actors[i];
        c[k] = counters[i];
        s[k++] = stampsMillis[i++];
      } else if (cmp > 0) {
        a[k] = other.actors[j];
        c[k] = other.counters[j];
        s[k++] = other.stampsMillis[j++];
      } else {
        a[k] = actors[i];
        c[k] = Math.max(counters[i], other.counters[j]);
        s[k++] = Math.max(stampsMillis[i++], other.stampsMillis[j++]);
      }
    }
    return k == n ? new VectorClock(a, c, s) : new VectorClock(Arrays.copyOf(a, k), Arrays.copyOf(c, k), Arrays.copyOf(s, k));
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
      int byStamp = Long.compare(stampsMillis[y], stampsMillis[x]);
      return byStamp != 0 ? byStamp : actors[y].compareTo(actors[x]);
    });
    Integer[] kept = Arrays.copyOf(order, maxEntries);
    Arrays.sort(kept);
    String[] a = new String[maxEntries];
    long[] c = new long[maxEntries];
    long[] s = new long[maxEntries];
    for (int k = 0; k < maxEntries; k++) {
      a[k] = actors[kept[k]];
      c[k] = counters[kept[k]];
      s[k] = stampsMillis[kept[k]];
    }
    return new VectorClock(a, c, s);
  }

  /** Equality of the causal content (actors and counters); stamps are bookkeeping and ignored. */
  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof VectorClock that && Arrays.equals(actors, that.actors) && Arrays.equals(counters, that.counters));
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(actors) + Arrays.hashCode(counters);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < actors.length; i++) {
      text.append(i == 0 ? "" : ", ").append(actors[i]).append('=').append(counters[i]);
    }
    return text.append('}').toString();
  }
}
