package io.ringstore.cluster.repair;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.ring.RingSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A set of tokens as ranges in their one canonical form: ascending, disjoint and not adjacent
 * (between two ranges at least one token is missing), so that equal sets are equal lists and
 * travel as the same bytes. The scope of an anti-entropy exchange: the ranges both nodes of a pair
 * replicate ({@link #shared}), which the initiator sends so that both sides hash the same keys.
 *
 * <p>Invariants: checked at construction ({@link IllegalArgumentException} naming the two ranges
 * that break it); may be empty. Thread-safety: immutable.
 *
 * @param ranges the ranges, canonical
 */
public record TokenRanges(List<TokenRange> ranges) {
  /** No token. */
  public static final TokenRanges NONE = new TokenRanges(List.of());
  /** Every token. */
  public static final TokenRanges ALL = new TokenRanges(List.of(TokenRange.ALL));

  public TokenRanges {
    ranges = List.copyOf(ranges);
    for (int i = 1; i < ranges.size(); i++) {
      TokenRange before = ranges.get(i - 1);
      TokenRange after = ranges.get(i);
      if (before.last() == Long.MAX_VALUE || after.first() <= before.last() + 1) {
        throw new IllegalArgumentException("token range " + after + " does not start after " + before
            + " with a gap; ranges must be ascending, disjoint and not adjacent");
      }
    }
  }

  /** The canonical form of the union of {@code ranges} (any order, overlapping or adjacent). */
  public static TokenRanges union(List<TokenRange> ranges) {
    List<TokenRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(TokenRange::first));
    List<TokenRange> merged = new ArrayList<>();
    for (TokenRange range : sorted) {
      if (!merged.isEmpty()) {
        TokenRange last = merged.get(merged.size() - 1);
        if (last.last() == Long.MAX_VALUE || range.first() <= last.last() + 1) {
          merged.set(merged.size() - 1, new TokenRange(last.first(), Math.max(last.last(), range.last())));
          continue;
        }
      }
      merged.add(range);
    }
    return new TokenRanges(merged);
  }

  /**
   * The tokens whose preference list of {@code n} replicas on {@code ring} holds both {@code a} and
   * {@code b}: what the pair must agree on. Token {@code i} of the ring owns
   * {@code (token[i-1], token[i]]}; the range of the first token wraps and is cut in two. Empty if
   * the two share nothing (or one is not a member). O(tokens of the ring).
   */
  public static TokenRanges shared(RingSnapshot ring, int n, String a, String b) {
    requireNonNull(ring, "ring");
    int count = ring.tokenCount();
    List<TokenRange> ranges = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String> replicas = ring.preferenceList(ring.tokenAt(i), n);
      if (!replicas.contains(a) || !replicas.contains(b)) {
        continue;
      }
      if (count == 1) {
        return ALL;
      }
      long last = ring.tokenAt(i);
      long previous = ring.tokenAt(i == 0 ? count - 1 : i - 1);
      if (i > 0) {
        ranges.add(new TokenRange(previous + 1, last));
      } else {
        ranges.add(new TokenRange(Long.MIN_VALUE, last));
        if (previous != Long.MAX_VALUE) {
          ranges.add(new TokenRange(previous + 1, Long.MAX_VALUE));
        }
      }
    }
    return union(ranges);
  }

  /** The tokens in both these ranges and {@code other}. O(ranges of both). */
  public TokenRanges intersect(TokenRanges other) {
    List<TokenRange> both = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < ranges.size() && j < other.ranges.size()) {
      TokenRange a = ranges.get(i);
      TokenRange b = other.ranges.get(j);
      long first = Math.max(a.first(), b.first());
      long last = Math.min(a.last(), b.last());
      if (first <= last) {
        both.add(new TokenRange(first, last));
      }
      if (a.last() < b.last()) {
        i++;
      } else {
        j++;
      }
    }
    return new TokenRanges(both);
  }

  /** Whether {@code token} is in one of the ranges. O(log ranges). */
  public boolean contains(long token) {
    int low = 0;
    int high = ranges.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      TokenRange range = ranges.get(mid);
      if (token < range.first()) {
        high = mid - 1;
      } else if (token > range.last()) {
        low = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Whether there is no token. */
  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** The number of ranges. */
  public int size() {
    return ranges.size();
  }

  /** These ranges in consecutive pieces of at most {@code maxRanges} ranges each (none if empty). */
  public List<TokenRanges> split(int maxRanges) {
    if (maxRanges < 1) {
      throw new IllegalArgumentException("maxRanges = " + maxRanges + "; need >= 1");
    }
    List<TokenRanges> pieces = new ArrayList<>();
    for (int from = 0; from < ranges.size(); from += maxRanges) {
      pieces.add(new TokenRanges(ranges.subList(from, Math.min(ranges.size(), from + maxRanges))));
    }
    return pieces;
  }

  @Override
  public String toString() {
    return ranges.size() <= 4 ? ranges.toString() : ranges.subList(0, 4) + "... (" + ranges.size() + " ranges)";
  }
}
