package io.ringstore.cluster.ring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Token ownership at one moment: a consistent-hash ring of virtual nodes. Each member owns
 * {@code vnodes x weight} tokens; a key's replicas (its preference list) are the first N distinct
 * members met walking clockwise from the key's token. See docs/ring.md.
 *
 * <p>Token {@code i} owns the range {@code (tokens[i-1], tokens[i]]} (token 0 owns the wrapping
 * range after the last token), so a key token {@code t} belongs to the first token at or after
 * {@code t}, wrapping past the largest token to the smallest.
 *
 * <p>Lookups: {@link #preferenceList(long, int)} is on every replicated read and write, so for each
 * distinct N it asks for, the snapshot computes once, lazily, a table holding for every token index
 * the immutable list of that index's first N distinct owners. Equal lists are interned (one
 * instance shared by every index that has it), so a table costs one reference per token plus the
 * distinct lists. A lookup is then a binary search and an array read: O(log tokens), no allocation.
 *
 * <p>Invariants: tokens are sorted and unique; each maps to a member of {@link #members()};
 * {@code preferenceList(t, n)} returns min(n, members().size()) distinct members, the owner of the
 * first token at or after {@code t} (wrapping) first. Tokens depend only on the member's id, its
 * weight and {@code vnodes} (and, on a 64-bit collision, on the members sorted before it).
 * <p>Thread-safety: immutable. Membership changes publish a new snapshot; none is ever mutated. The
 * lazily built per-N tables are published through an {@link AtomicReferenceArray}; two threads
 * that race to build the same table build equal ones and the first one published is kept.
 */
public final class RingSnapshot {
  /** How many members {@link #toString()} names before it elides the rest. */
  private static final int MEMBERS_SHOWN = 8;

  // constant after construction
  private final long[] tokens;
  private final String[] owners;
  private final List<String> members;
  private final Map<String, Integer> weights;
  private final int vnodes;
  /** Index n (1..members.size()) holds the preference-list table for N = n, once built. */
  private final AtomicReferenceArray<List<String>[]> tables;

  private RingSnapshot(long[] tokens, String[] owners, Map<String, Integer> weights, int vnodes) {
    this.tokens = tokens;
    this.owners = owners;
    this.weights = weights;
    this.members = List.copyOf(weights.keySet());
    this.vnodes = vnodes;
    this.tables = new AtomicReferenceArray<>(members.size() + 1);
  }

  /**
   * A ring of {@code weights} (member id to capacity weight), each member owning
   * {@code vnodes x weight} tokens drawn from a generator seeded by the member's id, so that every
   * node computes the same ring from the same membership.
   */
  public static RingSnapshot of(Map<String, Integer> weights, int vnodes) {
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one member");
    }
    if (vnodes < 1) {
      throw new IllegalArgumentException("vnodes = " + vnodes + " is out of range; need >= 1");
    }
    TreeMap<String, Integer> sorted = new TreeMap<>(weights);
    TreeMap<Long, String> byToken = new TreeMap<>();
    for (var member : sorted.entrySet()) {
      int weight = member.getValue();
      if (weight < 1) {
        throw new IllegalArgumentException("capacity weight of node '" + member.getKey() + "' = " + weight + "; need >= 1");
      }
      // The token generator is a format: changing it moves every key (see docs/ring.md).
      SplittableRandom random = new SplittableRandom(Tokens.murmur3(member.getKey().getBytes(StandardCharsets.UTF_8)));
      int count = vnodes * weight;
      while (count > 0) {
        long token = random.nextLong();
        if (byToken.putIfAbsent(token, member.getKey()) == null) {
          count--;
        }
      }
    }
    long[] tokens = new long[byToken.size()];
    String[] owners = new String[byToken.size()];
    int i = 0;
    for (var e : byToken.entrySet()) {
      tokens[i] = e.getKey();
      owners[i++] = e.getValue();
    }
    return new RingSnapshot(tokens, owners, Collections.unmodifiableMap(new LinkedHashMap<>(sorted)), vnodes);
  }

  /** The member ids, sorted. */
  public List<String> members() {
    return members;
  }

  /** The number of tokens (the sum over members of {@code vnodes x weight}). */
  public int tokenCount() {
    return tokens.length;
  }

  /** The virtual nodes per unit of capacity weight this ring was built with. */
  public int vnodes() {
    return vnodes;
  }

  /**
   * The capacity weight of {@code member}.
   *
   * @throws IllegalArgumentException if {@code member} is not a member of this ring
   */
  public int weightOf(String member) {
    Integer weight = weights.get(member);
    if (weight == null) {
      throw new IllegalArgumentException("node '" + member + "' is not a member of this ring " + this);
    }
    return weight;
  }

  /** The tokens {@code member} owns, ascending as signed longs; empty if it is not a member. */
  public List<Long> tokensOf(String member) {
    List<Long> owned = new ArrayList<>();
    for (int i = 0; i < tokens.length; i++) {
      if (owners[i].equals(member)) {
        owned.add(tokens[i]);
      }
    }
    return Collections.unmodifiableList(owned);
  }

  /**
   * The index of the token that owns {@code token}: the first token at or after it, or 0 when
   * {@code token} is past the largest token (the ring wraps). In {@code [0, tokenCount())}.
   */
  public int index(long token) {
    int i = Arrays.binarySearch(tokens, token);
    if (i < 0) {
      i = -i - 1;
      if (i == tokens.length) {
        i = 0;
      }
    }
    return i;
  }

  /** The token at {@code index} (ascending order, {@code 0 <= index < tokenCount()}). */
  public long tokenAt(int index) {
    return tokens[index];
  }

  /** The member owning the token at {@code index} ({@code 0 <= index < tokenCount()}). */
  public String ownerAt(int index) {
    return owners[index];
  }

  /**
   * The replicas of {@code token}: min(n, members().size()) distinct members clockwise from it, the
   * owner of the first token at or after {@code token} (wrapping) first. Empty for {@code n = 0}.
   * The list is immutable and shared: callers must not expect a fresh copy. O(log tokens) and
   * allocation-free once this N's table is built (the first call for each N builds it).
   *
   * @throws IllegalArgumentException if {@code n < 0}
   */
  public List<String> preferenceList(long token, int n) {
    return table(n)[index(token)];
  }

  /** The first min(n, members) distinct owners walking clockwise from token {@code index}. */
  private List<String>[] table(int n) {
    if (n < 1) {
      if (n == 0) {
        return emptyTable();
      }
      throw new IllegalArgumentException("replica count n = " + n + " is out of range; need n >= 0");
    }
    int want = Math.min(n, members.size());
    List<String>[] table = tables.get(want);
    if (table == null) {
      List<String>[] built = buildTable(want);
      table = tables.compareAndExchange(want, null, built);
      if (table == null) {
        table = built;
      }
    }
    return table;
  }

  @SuppressWarnings("unchecked")
  private List<String>[] emptyTable() {
    List<String>[] table = tables.get(0);
    if (table == null) {
      List<String>[] built = new List[tokens.length];
      Arrays.fill(built, List.of());
      table = tables.compareAndExchange(0, null, built);
      if (table == null) {
        table = built;
      }
    }
    return table;
  }

  /**
   * Builds the table for N = {@code want} (1 <= want <= members) walking backwards: the list at
   * {@code i} is {@code owners[i]} followed by the list at {@code i + 1} without {@code owners[i]},
   * cut to {@code want}. That is exact: the distinct owners after {@code i} other than
   * {@code owners[i]}, first {@code want - 1} of them, are in the list at {@code i + 1} whether or
   * not it holds {@code owners[i]}. The last index, which has no successor yet, is walked in full.
   * O(tokens x want).
   */
  @SuppressWarnings("unchecked")
  private List<String>[] buildTable(int want) {
    int count = tokens.length;
    List<String>[] table = new List[count];
    Map<List<String>, List<String>> interned = new HashMap<>();
    table[count - 1] = intern(interned, walk(count - 1, want));
    String[] scratch = new String[want];
    for (int i = count - 2; i >= 0; i--) {
      List<String> next = table[i + 1];
      String first = owners[i];
      if (next.get(0).equals(first)) {
        table[i] = next;
        continue;
      }
      scratch[0] = first;
      int size = 1;
      for (int j = 0; j < next.size() && size < want; j++) {
        String member = next.get(j);
        if (!member.equals(first)) {
          scratch[size++] = member;
        }
      }
      table[i] = intern(interned, List.of(Arrays.copyOf(scratch, size)));
    }
    return table;
  }

  private static List<String> intern(Map<List<String>, List<String>> interned, List<String> list) {
    List<String> existing = interned.putIfAbsent(list, list);
    return existing == null ? list : existing;
  }

  /** The first {@code want} distinct owners from token {@code start}, by walking the ring. */
  private List<String> walk(int start, int want) {
    List<String> replicas = new ArrayList<>(want);
    for (int step = 0; step < tokens.length && replicas.size() < want; step++) {
      String owner = owners[(start + step) % tokens.length];
      if (!replicas.contains(owner)) {
        replicas.add(owner);
      }
    }
    return List.copyOf(replicas);
  }

  /**
   * The share of the 64-bit token space each member owns as primary: the sum of the widths of the
   * ranges ending at its tokens, divided by 2^64. Keyed by member id in sorted order; the values
   * sum to 1.0 (up to rounding).
   */
  public Map<String, Double> ownership() {
    return shares(1);
  }

  /**
   * The share of the 64-bit token space each member holds a replica of when every key has
   * {@code n} replicas: the sum of the widths of the ranges whose preference list for {@code n}
   * includes it, divided by 2^64. Keyed by member id in sorted order; the values sum to
   * min(n, members().size()) (up to rounding), and no value exceeds 1.0.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public Map<String, Double> replicaOwnership(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("replica count n = " + n + " is out of range; need n >= 1");
    }
    return shares(n);
  }

  private Map<String, Double> shares(int n) {
    Map<String, Double> shares = new LinkedHashMap<>();
    for (String member : members) {
      shares.put(member, 0.0);
    }
    List<String>[] table = table(n);
    for (int i = 0; i < tokens.length; i++) {
      double width = rangeWidth(i);
      for (String member : table[i]) {
        shares.merge(member, width, Double::sum);
      }
    }
    return Collections.unmodifiableMap(shares);
  }

  /** The width of the range ending at token {@code i}, as a fraction of the whole ring. */
  private double rangeWidth(int i) {
    if (tokens.length == 1) {
      return 1.0;
    }
    long previous = tokens[i == 0 ? tokens.length - 1 : i - 1];
    long width = tokens[i] - previous; // unsigned, modulo 2^64: also right for the wrapping range
    return (width >>> 1) * 0x1.0p-63 + (width & 1) * 0x1.0p-64;
  }

  /** Whether the ring has a single member (every key's preference list is that member). */
  public boolean isSingleMember() {
    return members.size() == 1;
  }

  /** A short description: the members (the first few when there are many) and the token count. */
  @Override
  public String toString() {
    String shown = members.size() <= MEMBERS_SHOWN
        ? String.join(", ", members)
        : String.join(", ", members.subList(0, MEMBERS_SHOWN)) + ", ... (" + members.size() + " members)";
    return "RingSnapshot[members=[" + shown + "], tokens=" + tokens.length + ", vnodes=" + vnodes + "]";
  }
}
