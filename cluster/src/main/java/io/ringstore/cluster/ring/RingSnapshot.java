package io.ringstore.cluster.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Token ownership at one moment: a consistent-hash ring of virtual nodes. Each member owns
 * {@code vnodes x weight} tokens; a key's replicas (its preference list) are the first N distinct
 * members met walking clockwise from the key's token.
 *
 * <p>Invariants: tokens are sorted and unique; each maps to a member of {@link #members()};
 * {@code preferenceList(t, n)} returns min(n, members().size()) distinct members, the owner of the
 * first token at or after {@code t} (wrapping) first.
 * <p>Thread-safety: immutable. Membership changes publish a new snapshot; none is ever mutated.
 */
public final class RingSnapshot {
  private final long[] tokens;
  private final String[] owners;
  private final List<String> members;

  private RingSnapshot(long[] tokens, String[] owners, List<String> members) {
    this.tokens = tokens;
    this.owners = owners;
    this.members = members;
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
    TreeMap<Long, String> byToken = new TreeMap<>();
    for (var member : new TreeMap<>(weights).entrySet()) {
      int weight = member.getValue();
      if (weight < 1) {
        throw new IllegalArgumentException("capacity weight of node '" + member.getKey() + "' = " + weight + "; need >= 1");
      }
      SplittableRandom random = new SplittableRandom(Tokens.murmur3(member.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
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
    return new RingSnapshot(tokens, owners, List.copyOf(new TreeMap<>(weights).keySet()));
  }

  /** The member ids, sorted. */
  public List<String> members() {
    return members;
  }

  /** The number of tokens. */
  public int tokenCount() {
    return tokens.length;
  }

  /** The replicas of {@code token}: up to {@code n} distinct members clockwise from it. */
  public List<String> preferenceList(long token, int n) {
    int want = Math.min(n, members.size());
    if (want == 1 && members.size() == 1) {
      return members;
    }
    int start = Arrays.binarySearch(tokens, token);
    if (start < 0) {
      start = -start - 1;
    }
    List<String> replicas = new ArrayList<>(want);
    for (int step = 0; step < tokens.length && replicas.size() < want; step++) {
      String owner = owners[(start + step) % tokens.length];
      if (!replicas.contains(owner)) {
        replicas.add(owner);
      }
    }
    return replicas;
  }

  /** Whether the ring has a single member (every key's preference list is that member). */
  public boolean isSingleMember() {
    return members.size() == 1;
  }
}
