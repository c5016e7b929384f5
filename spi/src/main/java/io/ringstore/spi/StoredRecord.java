package io.ringstore.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a replica stores under one key: the causal context (a {@link VectorClock}), one value or
 * several concurrent {@link Sibling}s, an absolute expiry, a tombstone flag and a
 * hybrid-logical-clock timestamp (the newest of the siblings').
 *
 * <p>Invariants: {@code siblings} is non-empty, immutable and has unique dots; the clock covers
 * every sibling's dot; {@code tombstone} is true exactly when every sibling is a tombstone;
 * {@code expiresAtMillis} is wall-clock millis since the epoch, {@link #NEVER} for no expiry.
 *
 * <p>The two operations that make new records are the laws of dotted version vectors:
 * {@link #write} (a coordinator applies one write made with a causal context) and {@link #sync}
 * (a replica merges a version it received with the one it holds). {@code sync} is commutative,
 * associative and idempotent on the causal content (clock and sibling dots).
 *
 * <p>Thread-safety: immutable, but for the {@link #decoded()} memo, which is not part of its value.
 */
public final class StoredRecord {

  /** {@link #expiresAtMillis()} of a record that never expires. */
  public static final long NEVER = Long.MAX_VALUE;

  /** Fixed per-entry overhead charged by byte-bounded engines on top of key and sibling bytes. */
  public static final int ENTRY_OVERHEAD_BYTES = 64;

  private final VectorClock clock;
  // the siblings; null in the sole form, where the one sibling is held in the fields below
  // (soleActor, soleCounter, timestamp, soleValue) and made into a list only when asked for:
  // every plain write makes a sole-form record, so it saves the list, sibling and dot objects
  private final @Nullable List<Sibling> siblings;
  private final @Nullable String soleActor;
  private final long soleCounter;
  private final long expiresAtMillis;
  private final long timestamp;
  private final boolean tombstone;
  // the value of the only sibling, kept beside the list so that a plain read takes one hop less
  private final @Nullable Bytes soleValue;
  private final boolean hasSiblings;
  // weightBytes without the key, computed once: byte counters ask for it on every write
  private final long weightWithoutKeyBytes;
  // the decoded sole value, a copy of its Bytes' memo one hop closer to the map; see decoded()
  private @Nullable Object decoded;

  /**
   * A record of one sibling, the dot ({@code actor}, {@code counter}), in the sole form: nothing
   * to scan, every derived field is known.
   */
  private StoredRecord(VectorClock clock, String actor, long counter, long timestamp, @Nullable Bytes value,
      long expiresAtMillis) {
    this.clock = clock;
    this.siblings = null;
    this.soleActor = actor;
    this.soleCounter = counter;
    this.expiresAtMillis = expiresAtMillis;
    this.weightWithoutKeyBytes = ENTRY_OVERHEAD_BYTES + 16L * clock.size() + Sibling.weightBytes(value);
    this.timestamp = timestamp;
    this.tombstone = value == null;
    this.hasSiblings = false;
    this.soleValue = value;
    this.decoded = soleValue == null ? null : soleValue.decoded();
  }

  /** A record with the derived fields of {@code from} (same siblings and clock size), another expiry. */
  private StoredRecord(StoredRecord from, long expiresAtMillis) {
    this.clock = from.clock;
    this.siblings = from.siblings;
    this.soleActor = from.soleActor;
    this.soleCounter = from.soleCounter;
    this.expiresAtMillis = expiresAtMillis;
    this.weightWithoutKeyBytes = from.weightWithoutKeyBytes;
    this.timestamp = from.timestamp;
    this.tombstone = from.tombstone;
    this.hasSiblings = from.hasSiblings;
    this.soleValue = from.soleValue;
    this.decoded = from.decoded;
  }

  private StoredRecord(VectorClock clock, List<Sibling> siblings, long expiresAtMillis) {
    this.clock = clock;
    this.siblings = siblings;
    this.soleActor = null;
    this.soleCounter = 0;
    this.expiresAtMillis = expiresAtMillis;
    long newest = Long.MIN_VALUE;
    boolean allTombstones = true;
    long weight = ENTRY_OVERHEAD_BYTES + 16L * clock.size();
    for (Sibling s : siblings) {
      newest = Math.max(newest, s.timestamp());
      allTombstones &= s.isTombstone();
      weight += s.weightBytes();
    }
    this.weightWithoutKeyBytes = weight;
    this.timestamp = newest;
    this.tombstone = allTombstones;
    this.hasSiblings = siblings.size() > 1;
    this.soleValue = hasSiblings ? null : siblings.get(0).value();
    this.decoded = soleValue == null ? null : soleValue.decoded();
  }

  /**
   * A record from its parts, checking the invariants (for decoders and tests).
   *
   * @throws IllegalArgumentException if {@code siblings} is empty, has a repeated dot, or holds a
   *     dot the clock does not cover
   */
  public static StoredRecord of(VectorClock clock, List<Sibling> siblings, long expiresAtMillis) {
    requireNonNull(clock, "clock");
    List<Sibling> copy = List.copyOf(siblings);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a stored record needs at least one sibling");
    }
    for (int i = 0; i < copy.size(); i++) {
      Dot dot = copy.get(i).dot();
      if (!clock.covers(dot)) {
        throw new IllegalArgumentException("sibling dot " + dot + " is not covered by the record's clock " + clock);
      }
      for (int j = 0; j < i; j++) {
        if (copy.get(j).dot().equals(dot)) {
          throw new IllegalArgumentException("sibling dot " + dot + " appears twice");
        }
      }
    }
    return new StoredRecord(clock, copy, expiresAtMillis);
  }

  /**
   * The record a coordinator stores when it applies one write on top of {@code current}.
   *
   * <p>The write was made by someone who had seen {@code context} (for a plain JCache put, the
   * coordinator's own current clock, so the write replaces every value it knows). The new
   * sibling gets the next dot of {@code actor}; the siblings of {@code current} whose dots
   * {@code context} covers are replaced, the others stay as concurrent siblings.
   *
   * @param current what the coordinator holds, or {@code null}
   * @param context the causal context the writer had seen
   * @param actor the coordinating node's id
   * @param timestamp the write's hybrid-logical-clock timestamp
   * @param value the value bytes, or {@code null} for a delete
   * @param expiresAtMillis the absolute expiry of the written value, or {@link #NEVER}
   * @param stampMillis wall millis for the clock entry (clock pruning)
   */
  public static StoredRecord write(
      @Nullable StoredRecord current, VectorClock context, String actor, long timestamp,
      @Nullable Bytes value, long expiresAtMillis, long stampMillis) {
    VectorClock base = current == null ? context : current.clock.merge(context);
    long counter = base.counter(actor) + 1;
    VectorClock clock = base.advance(actor, counter, stampMillis);
    if (current == null || context == current.clock) {
      // Nothing held, or the writer's context is the held clock itself (a coordinator's plain
      // write), which covers every held sibling by the invariant: the write replaces them all,
      // and the siblings need not be visited at all.
      return new StoredRecord(clock, actor, counter, timestamp, value, expiresAtMillis);
    }
    List<Sibling> siblings = current.siblings();
    List<Sibling> kept = null;
    // indexed: the lists are List.of copies (random access), and this is every put's path
    for (int i = 0, n = siblings.size(); i < n; i++) {
      Sibling s = siblings.get(i);
      if (!context.covers(s.dot())) {
        if (kept == null) {
          kept = new ArrayList<>(n + 1);
        }
        kept.add(s);
      }
    }
    if (kept == null) {
      return new StoredRecord(clock, actor, counter, timestamp, value, expiresAtMillis);
    }
    kept.add(new Sibling(new Dot(actor, counter), timestamp, value));
    return new StoredRecord(clock, List.copyOf(kept), Math.max(expiresAtMillis, current.expiresAtMillis));
  }

  /**
   * The merge of two versions of one key held or received by a replica: a sibling survives if the
   * other side has not seen its dot, or also holds it. The clocks are merged pointwise. If one
   * version descends from the other, its expiry is kept; if they are concurrent, the later expiry.
   */
  public static StoredRecord sync(StoredRecord a, StoredRecord b) {
    if (a == b) {
      return a;
    }
    Causality order = a.clock.compare(b.clock);
    switch (order) {
      case AFTER:
        return a;
      case BEFORE:
        return b;
      default:
        break;
    }
    List<Sibling> aSiblings = a.siblings();
    List<Sibling> bSiblings = b.siblings();
    List<Sibling> merged = new ArrayList<>(aSiblings.size() + bSiblings.size());
    for (Sibling s : aSiblings) {
      if (!b.clock.covers(s.dot()) || b.holds(s.dot())) {
        merged.add(s);
      }
    }
    for (Sibling s : bSiblings) {
      if ((!a.clock.covers(s.dot())) && !a.holds(s.dot())) {
        merged.add(s);
      }
    }
    merged.sort((x, y) -> {
      int byActor = x.dot().actor().compareTo(y.dot().actor());
      return byActor != 0 ? byActor : Long.compare(x.dot().counter(), y.dot().counter());
    });
    long expiry = order == Causality.EQUAL && a.expiresAtMillis == b.expiresAtMillis
        ? a.expiresAtMillis : Math.max(a.expiresAtMillis, b.expiresAtMillis);
    return new StoredRecord(a.clock.merge(b.clock), List.copyOf(merged), expiry);
  }

  /** Whether one of this record's siblings carries {@code dot}. */
  public boolean holds(Dot dot) {
    if (siblings == null) {
      return dot.counter() == soleCounter && dot.actor().equals(soleActor);
    }
    for (Sibling s : siblings) {
      if (s.dot().equals(dot)) {
        return true;
      }
    }
    return false;
  }

  /** This record with another absolute expiry (an access that renews or shortens the entry's life). */
  public StoredRecord withExpiry(long newExpiresAtMillis) {
    return newExpiresAtMillis == expiresAtMillis ? this : new StoredRecord(this, newExpiresAtMillis);
  }

  /** The causal context: every write this record has seen. */
  public VectorClock clock() {
    return clock;
  }

  /**
   * The values, one per concurrent write; a single element when there is no conflict (made on
   * each call for a record written by a plain write: readers of the one value use
   * {@link #soleValue()}).
   */
  public List<Sibling> siblings() {
    List<Sibling> list = siblings;
    return list != null ? list : List.of(new Sibling(new Dot(requireNonNull(soleActor), soleCounter), timestamp, soleValue));
  }

  /** Whether there is more than one value. */
  public boolean hasSiblings() {
    return hasSiblings;
  }

  /**
   * The value when the record has exactly one sibling; {@code null} when that sibling is a
   * tombstone or when there are several (see {@link #hasSiblings()}).
   */
  public @Nullable Bytes soleValue() {
    return soleValue;
  }

  /**
   * What the {@linkplain #soleValue() sole value} decodes to, if the layer above has remembered it
   * ({@link Bytes#decoded()} of the sole value when the record was made, or
   * {@link #rememberDecoded}), else {@code null}. Only a hint, with the rules of
   * {@link Bytes#decoded()}: not part of the record's value, ignored by equality, never stored or
   * sent; written and read racily, so only immutable objects may be remembered. It saves a reader
   * the hop from the record to its value bytes.
   */
  public @Nullable Object decoded() {
    return decoded;
  }

  /**
   * Remembers {@code value} as what the sole value decodes to (see {@link #decoded()}); the caller
   * guarantees it equals the decoding of {@link #soleValue()} and is immutable.
   */
  public void rememberDecoded(Object value) {
    decoded = value;
  }

  /** The one value when there is no conflict; else the value of the newest sibling. */
  public Sibling newest() {
    List<Sibling> siblings = siblings();
    Sibling best = siblings.get(0);
    for (int i = 1; i < siblings.size(); i++) {
      Sibling s = siblings.get(i);
      if (s.timestamp() > best.timestamp()
          || (s.timestamp() == best.timestamp() && s.dot().actor().compareTo(best.dot().actor()) > 0)) {
        best = s;
      }
    }
    return best;
  }

  /** Absolute expiry in wall millis since the epoch, or {@link #NEVER}. */
  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  /** Whether this record has an expiry at all. */
  public boolean hasExpiry() {
    return expiresAtMillis != NEVER;
  }

  /** Whether the record has expired at wall time {@code nowMillis}. */
  public boolean isExpiredAt(long nowMillis) {
    return expiresAtMillis <= nowMillis;
  }

  /** True when every sibling records a delete. */
  public boolean isTombstone() {
    return tombstone;
  }

  /** The newest sibling's hybrid-logical-clock timestamp. */
  public long timestamp() {
    return timestamp;
  }

  /** The bytes this record takes in a byte-bounded engine under a key of {@code keyBytes} bytes. */
  public long weightBytes(int keyBytes) {
    return weightWithoutKeyBytes + keyBytes;
  }

  /** Equality of clock, siblings and expiry. */
  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof StoredRecord that
            && expiresAtMillis == that.expiresAtMillis
            && clock.equals(that.clock)
            && siblings().equals(that.siblings()));
  }

  @Override
  public int hashCode() {
    return 31 * clock.hashCode() + siblings().hashCode();
  }

  @Override
  public String toString() {
    return "StoredRecord{clock=" + clock + ", siblings=" + (siblings == null ? 1 : siblings.size()) + (tombstone ? ", tombstone" : "")
        + (hasExpiry() ? ", expiresAtMillis=" + expiresAtMillis : "") + "}";
  }
}
