package io.ringstore.cluster.repair;

/**
 * The tokens {@code first} to {@code last}, both included, in signed order: a piece of the ring
 * that does not wrap (a ring range that wraps is two of these, see {@link TokenRanges}).
 *
 * <p>Invariant: {@code first <= last}. Thread-safety: immutable.
 *
 * @param first the smallest token of the range
 * @param last the largest token of the range
 */
public record TokenRange(long first, long last) {
  /** The whole ring. */
  public static final TokenRange ALL = new TokenRange(Long.MIN_VALUE, Long.MAX_VALUE);

  public TokenRange {
    if (first > last) {
      throw new IllegalArgumentException("token range first = " + first + " is after last = " + last + "; need first <= last");
    }
  }

  /** Whether {@code token} is in this range. */
  public boolean contains(long token) {
    return token >= first && token <= last;
  }

  @Override
  public String toString() {
    return "[" + first + ", " + last + "]";
  }
}
