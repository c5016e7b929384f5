package io.ringstore.cluster.membership;

/**
 * What one node knows of another, in three numbers: the node, the generation it knows, and the
 * highest version it holds of that generation (0: nothing). Syn messages carry one per known node;
 * Ack messages carry them as requests ("send me what is above this").
 *
 * <p>Invariants: {@code generation >= 0}, {@code maxVersion >= 0}.
 * <p>Thread-safety: immutable.
 */
public record Digest(NodeId node, long generation, long maxVersion) {

  /** Checks the invariants. */
  public Digest {
    if (generation < 0 || maxVersion < 0) {
      throw new IllegalArgumentException("digest of " + node + ": generation = " + generation
          + ", maxVersion = " + maxVersion + "; need both >= 0");
    }
  }
}
