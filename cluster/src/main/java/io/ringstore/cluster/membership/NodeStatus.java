package io.ringstore.cluster.membership;

/**
 * A node's own statement of where it is in its life in the cluster, gossiped as the
 * {@link StateKey#STATUS} state. A node only moves forward through these (in declaration order,
 * skipping allowed); a restart (a new generation) starts again. "Down" is not a status: it is each
 * observer's own judgement (see {@link FailureDetector}), reported by {@link Member#alive()}.
 *
 * <p>Thread-safety: immutable.
 */
public enum NodeStatus {
  /** Started, announcing itself, not yet owning data (bootstrapping). */
  JOINING(1),
  /** A full member: owns its tokens and serves. */
  NORMAL(2),
  /** Handing its data over before it goes; still serves. */
  LEAVING(3),
  /** Gone for good, by its own decision; others remove it after {@code leftRetention}. */
  LEFT(4);

  private final int code;

  NodeStatus(int code) {
    this.code = code;
  }

  /** The byte that stands for this status on the wire ({@code docs/formats/gossip.md}). */
  public int code() {
    return code;
  }

  /** The status with wire code {@code code}, or null if there is none. */
  static @org.jspecify.annotations.Nullable NodeStatus ofCode(int code) {
    for (NodeStatus status : values()) {
      if (status.code == code) {
        return status;
      }
    }
    return null;
  }
}
