package io.ringstore.cluster.sim;

import java.util.SplittableRandom;

/**
 * The shape of one simulated run, all drawn from its seed ({@link #of(long)}): how many nodes, the
 * quorums, the keys the clients contend for, how unreliable the network is and how long the
 * workload and its faults last. A test may override a few fields ({@link #withQuorums},
 * {@link #withForgetfulEngines}) to aim a run.
 *
 * <p>Thread-safety: immutable.
 *
 * @param seed the run's seed: the one number that replays it
 * @param nodes the ring's members (each of weight 1)
 * @param replicationFactor N
 * @param writeQuorum W
 * @param readQuorum R
 * @param keys how many keys the clients share (few: contention)
 * @param clients how many clients issue operations at once
 * @param maxSiblings the keyspace's sibling bound (small, so the bound is reached)
 * @param dropProbability the chance that a message is lost
 * @param duplicateProbability the chance that a message is delivered twice
 * @param slowDelayMillis the longest delay of the one message in 20 that is slow (past the
 *     timeouts, 200 ms, for some seeds: replies that arrive after their request gave up)
 * @param workloadMillis how long the clients issue operations and the faults happen (simulated time)
 * @param faults whether faults (partitions, pauses, crashes, clock skew) are injected
 * @param forgetfulEngines a broken storage engine that acknowledges writes and keeps none of them
 *     (for the test that proves the checker finds lost writes)
 */
record SimSettings(long seed, int nodes, int replicationFactor, int writeQuorum, int readQuorum, int keys, int clients,
    int maxSiblings, double dropProbability, double duplicateProbability, long slowDelayMillis, long workloadMillis,
    boolean faults, boolean forgetfulEngines) {

  /** The vnodes per member: few, so a ring is built fast, enough to spread the keys' primaries. */
  static final int VNODES = 16;

  /** The run of {@code seed}: every choice from the seed, nothing else. */
  static SimSettings of(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int nodes = 3 + random.nextInt(3); // 3..5
    int w;
    int r;
    int quorums = random.nextInt(8);
    if (quorums < 2) {
      w = 3;
      r = 1;
    } else if (quorums < 4) {
      w = 1;
      r = 3;
    } else if (quorums == 4) {
      w = 1; // W + R <= N: no promise that a write survives or is read; the other checks hold
      r = 1;
    } else {
      w = 2;
      r = 2;
    }
    int keys = 2 + random.nextInt(4);
    int clients = 3 + random.nextInt(3);
    int maxSiblings = 2 + random.nextInt(4);
    double drop = random.nextInt(4) == 0 ? 0 : random.nextDouble() * 0.05;
    double duplicate = random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.03;
    long slowDelayMillis = new long[] {20, 60, 60, 400}[random.nextInt(4)];
    long workloadMillis = 3_000 + random.nextInt(3_000);
    return new SimSettings(seed, nodes, 3, w, r, keys, clients, maxSiblings, drop, duplicate, slowDelayMillis, workloadMillis,
        true, false);
  }

  /** These settings with other quorums. */
  SimSettings withQuorums(int w, int r) {
    return new SimSettings(seed, nodes, replicationFactor, w, r, keys, clients, maxSiblings, dropProbability,
        duplicateProbability, slowDelayMillis, workloadMillis, faults, forgetfulEngines);
  }

  /** These settings with (or without) engines that keep nothing they are given. */
  SimSettings withForgetfulEngines(boolean forgetful) {
    return new SimSettings(seed, nodes, replicationFactor, writeQuorum, readQuorum, keys, clients, maxSiblings,
        dropProbability, duplicateProbability, slowDelayMillis, workloadMillis, faults, forgetful);
  }

  /** Whether an acknowledged write must be seen by every later quorum read (W + R > N). */
  boolean strictQuorums() {
    return writeQuorum + readQuorum > replicationFactor;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "seed %d: %d nodes, N=%d W=%d R=%d, %d keys, %d clients, maxSiblings %d, "
        + "drop %.3f, duplicate %.3f, slow messages up to %d ms, workload %d ms%s%s", seed, nodes, replicationFactor, writeQuorum,
        readQuorum, keys, clients, maxSiblings, dropProbability, duplicateProbability, slowDelayMillis, workloadMillis, faults ? ", faults" : "", forgetfulEngines ? ", FORGETFUL engines" : "");
  }
}
