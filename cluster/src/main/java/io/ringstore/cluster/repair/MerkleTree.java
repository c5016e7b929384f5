package io.ringstore.cluster.repair;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A Merkle tree of fixed depth over the records of one replica whose key tokens lie in a
 * {@linkplain TokenRanges scope}: two replicas that hold the same versions of the same keys of the
 * scope have equal roots, and where they differ, the nodes on the path to the differing leaves
 * differ too, so a pair finds what differs by comparing roots and descending only into
 * differing subtrees.
 *
 * <p><b>Shape.</b> {@code 2^depth} leaves split the whole 64-bit token space into equal slices, in
 * unsigned order of {@code token ^ Long.MIN_VALUE} (so signed order): leaf {@link #leafOf}. A
 * scope of many small ranges (a ring of virtual nodes) spreads over all leaves. Level {@code L}
 * has {@code 2^L} nodes; node {@code i} of level {@code L} covers leaves
 * {@code [i << (depth - L), (i + 1) << (depth - L))}; level 0 is the root, level {@code depth} the
 * leaves. Depth is 0 to {@link #MAX_DEPTH}.
 *
 * <p><b>Hashes.</b> A leaf's hash is the sum (mod 2^64) of {@link VersionDigest#entry} over its
 * keys: independent of the order the keys were added in (engines iterate in their own order), 0
 * when empty. An inner node's hash is {@link Hash64#combine} of its children's, left then right.
 *
 * <p>Thread-safety: a built tree is immutable; its {@link Builder} is not thread-safe.
 */
public final class MerkleTree {
  /** The deepest tree: 65,536 leaves, 1 MiB of hashes. */
  public static final int MAX_DEPTH = 16;

  private final TokenRanges scope;
  private final int depth;
  // heap layout: node i of level L at (1 << L) - 1 + i
  private final long[] nodes;
  private final long entries;

  private MerkleTree(TokenRanges scope, int depth, long[] nodes, long entries) {
    this.scope = scope;
    this.depth = depth;
    this.nodes = nodes;
    this.entries = entries;
  }

  /** A builder of a tree of {@code depth} over {@code scope}. */
  public static Builder builder(TokenRanges scope, int depth) {
    return new Builder(scope, depth);
  }

  /**
   * The leaf of a tree of {@code depth} that {@code token} falls in.
   *
   * @throws IllegalArgumentException if depth is outside 0..{@link #MAX_DEPTH}
   */
  public static int leafOf(long token, int depth) {
    checkDepth(depth);
    return depth == 0 ? 0 : (int) ((token ^ Long.MIN_VALUE) >>> (64 - depth));
  }

  /** Checks a depth: 0 to {@link #MAX_DEPTH}. */
  public static void checkDepth(int depth) {
    if (depth < 0 || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("Merkle tree depth = " + depth + " is out of range; need 0 <= depth <= " + MAX_DEPTH);
    }
  }

  /** The scope: the token ranges whose keys are in the tree. */
  public TokenRanges scope() {
    return scope;
  }

  /** The depth: leaves are level {@code depth}. */
  public int depth() {
    return depth;
  }

  /** The number of keys in the tree. */
  public long entries() {
    return entries;
  }

  /** The root's hash. */
  public long root() {
    return nodes[0];
  }

  /**
   * The hash of node {@code index} of {@code level}.
   *
   * @throws IllegalArgumentException if the level is past the depth or the index past the level
   */
  public long hash(int level, int index) {
    if (level < 0 || level > depth) {
      throw new IllegalArgumentException("level = " + level + " is out of range; need 0 <= level <= depth = " + depth);
    }
    if (index < 0 || index >= 1 << level) {
      throw new IllegalArgumentException("node index = " + index + " is out of range for level " + level + "; need 0 <= index < "
          + (1 << level));
    }
    return nodes[(1 << level) - 1 + index];
  }

  /** The hashes of {@code indexes} of {@code level}, in their order. */
  public List<Long> hashes(int level, List<Integer> indexes) {
    List<Long> hashes = new ArrayList<>(indexes.size());
    for (int index : indexes) {
      hashes.add(hash(level, index));
    }
    return hashes;
  }

  /**
   * The leaves where this tree and {@code other} differ, ascending, found by descending only into
   * differing subtrees from the root.
   *
   * @throws IllegalArgumentException if the trees have different depths or scopes
   */
  public List<Integer> differingLeaves(MerkleTree other) {
    if (other.depth != depth || !other.scope.equals(scope)) {
      throw new IllegalArgumentException("trees of different shapes cannot be compared: depth " + depth + " over " + scope
          + " and depth " + other.depth + " over " + other.scope);
    }
    List<Integer> differing = new ArrayList<>();
    if (root() != other.root()) {
      differing.add(0);
    }
    for (int level = 0; level < depth && !differing.isEmpty(); level++) {
      List<Integer> next = new ArrayList<>();
      for (int child : children(differing, 1)) {
        if (hash(level + 1, child) != other.hash(level + 1, child)) {
          next.add(child);
        }
      }
      differing = next;
    }
    return differing;
  }

  /**
   * The descendants {@code levels} levels below the nodes {@code parents} (ascending), ascending:
   * {@code parents.size() << levels} nodes.
   */
  public static List<Integer> children(List<Integer> parents, int levels) {
    List<Integer> children = new ArrayList<>(parents.size() << levels);
    for (int parent : parents) {
      int first = parent << levels;
      for (int i = 0; i < 1 << levels; i++) {
        children.add(first + i);
      }
    }
    return children;
  }

  @Override
  public String toString() {
    return "MerkleTree{depth=" + depth + ", entries=" + entries + ", root=" + Long.toHexString(root()) + ", scope=" + scope + "}";
  }

  /**
   * Adds a replica's records one by one (in any order; each key once) and builds the tree.
   * Records outside the scope are ignored. Not thread-safe.
   */
  public static final class Builder {
    private final TokenRanges scope;
    private final int depth;
    private final long[] leaves;
    private long entries;

    private Builder(TokenRanges scope, int depth) {
      this.scope = requireNonNull(scope, "scope");
      checkDepth(depth);
      this.depth = depth;
      this.leaves = new long[1 << depth];
    }

    /** Adds {@code key}'s {@code record} if the key's token is in the scope; returns whether it was. */
    public boolean add(Bytes key, StoredRecord record) {
      long token = Tokens.of(key);
      if (!scope.contains(token)) {
        return false;
      }
      leaves[leafOf(token, depth)] += VersionDigest.entry(key, VersionDigest.of(record));
      entries++;
      return true;
    }

    /** The tree of what was added. */
    public MerkleTree build() {
      long[] nodes = new long[(2 << depth) - 1];
      int leafBase = (1 << depth) - 1;
      System.arraycopy(leaves, 0, nodes, leafBase, leaves.length);
      for (int level = depth - 1; level >= 0; level--) {
        int base = (1 << level) - 1;
        int childBase = (2 << level) - 1;
        for (int i = 0; i < 1 << level; i++) {
          nodes[base + i] = Hash64.combine(nodes[childBase + 2 * i], nodes[childBase + 2 * i + 1]);
        }
      }
      return new MerkleTree(scope, depth, nodes, entries);
    }
  }
}
