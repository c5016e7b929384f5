package io.ringstore.spi;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One value of a stored record, as written by one write: its {@link Dot}, the hybrid-logical-clock
 * timestamp of that write (for last-write-wins), and the value bytes, or {@code null} for a
 * deletion (a tombstone sibling).
 *
 * <p>Thread-safety: immutable.
 *
 * @param dot the write that produced this value
 * @param timestamp the hybrid-logical-clock timestamp of that write
 * @param value the value's bytes, or {@code null} if the write was a delete
 */
public record Sibling(Dot dot, long timestamp, @Nullable Bytes value) {
  public Sibling {
    requireNonNull(dot, "dot");
  }

  /** Whether this sibling records a delete. */
  public boolean isTombstone() {
    return value == null;
  }

  /** The bytes this sibling takes in a byte-bounded engine, not counting the key. */
  public int weightBytes() {
    return weightBytes(value);
  }

  /** {@link #weightBytes()} of a sibling holding {@code value} ({@code null}: a tombstone). */
  static int weightBytes(@Nullable Bytes value) {
    return (value == null ? 0 : value.length()) + 48;
  }
}
