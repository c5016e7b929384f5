package io.ringstore.bench.cluster;

/**
 * The replication the cluster benchmark runs at: three replicas of every key, and how many of them
 * a write and a read wait for. Ringstore takes the three numbers as they are. Hazelcast has one
 * setting for both quorums, its backup count (2 here, so three copies); a write waits for every
 * synchronous backup, and a read goes to the key's primary only (Hazelcast has no read quorum).
 *
 * <p>Thread-safety: immutable.
 */
public enum Quorum {
  /** N = 3, W = 2, R = 2: a read always sees the latest acknowledged write. */
  W2R2("w2r2", 2, 2),
  /** N = 3, W = 1, R = 1: one replica answers; the other two are written in the background. */
  W1R1("w1r1", 1, 1),
  /**
   * N = 3, W = 3, R = 1: a write waits for all three copies and a read asks one replica, yet sees
   * the latest acknowledged write (W + R > N). What Hazelcast with two synchronous backups
   * promises: the like-for-like setting of the three.
   */
  W3R1("w3r1", 3, 1);

  /** The number of replicas of every key. */
  public static final int REPLICAS = 3;

  /** Hazelcast's synchronous backup count for three copies, at either quorum. */
  public static final int HAZELCAST_BACKUPS = REPLICAS - 1;

  private final String param;
  private final int writeQuorum;
  private final int readQuorum;

  Quorum(String param, int writeQuorum, int readQuorum) {
    this.param = param;
    this.writeQuorum = writeQuorum;
    this.readQuorum = readQuorum;
  }

  /** The quorum named by a JMH {@code quorum} parameter. */
  public static Quorum ofParam(String param) {
    for (Quorum q : values()) {
      if (q.param.equals(param)) {
        return q;
      }
    }
    throw new IllegalArgumentException("quorum = '" + param + "' is not one of: w2r2, w1r1, w3r1");
  }

  /** The JMH parameter value that names this quorum. */
  public String param() {
    return param;
  }

  /** W: replicas a write waits for. */
  public int writeQuorum() {
    return writeQuorum;
  }

  /** R: replicas a read waits for. */
  public int readQuorum() {
    return readQuorum;
  }
}
