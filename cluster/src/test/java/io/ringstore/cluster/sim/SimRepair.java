package io.ringstore.cluster.sim;

import java.util.List;

/**
 * A repair pass a simulated run makes after the faults healed and before its final read, so that
 * convergence can be checked with it (anti-entropy, once it exists: a pass that compares the
 * replicas' Merkle trees and lets the simulated time run until it is done). The run counts the
 * keys whose replicas still differ after the passes and before the final read
 * ({@link SimResult#divergedBeforeFinalRead()}): without anti-entropy a key that no read touched
 * after a fault may differ there; with it, none should.
 *
 * <p>Thread-safety: runs on the simulation's thread.
 */
@FunctionalInterface
interface SimRepair {
  /** Runs the pass over {@code keys} in {@code world}, letting simulated time pass as it needs. */
  void run(SimWorld world, List<String> keys);
}
